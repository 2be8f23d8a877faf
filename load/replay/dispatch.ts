/**
 * Sends operations in the run's order while keeping what the order means. The simulation's operations
 * are sequential, and a gift's outcome depends on its viewer's coins and its creator's carried fraction
 * — so an operation starts only when every earlier one on any of its accounts (viewer, creator) has
 * settled. With concurrency 1 (the default) that is plain run order; with n, up to n operations on
 * disjoint viewers and creators overlap, and an operation waiting for its account does not hold back
 * later ones on other accounts: within a window of the next operations (`LOOKAHEAD` per unit of
 * concurrency) each is sent as soon as its accounts' earlier operations have settled. Per account the
 * order is the run's, always. Platform accounts only add up, so their order does not matter.
 *
 * Stopping keeps a prefix: on a signal no operation past the furthest one sent is started, the ones
 * before it that waited are sent, and `reached` is the index after it; `--limit` counts from the start.
 */
import { assert } from '../../common/assert.ts';
import { opAccounts, type SimOp } from '../../experiments/oplog/op.ts';

export interface DispatchOptions {
  /** Operations in flight at once (default 1). */
  concurrency?: number;
  /** Operations started per second at most (default: no pacing). */
  ratePerSecond?: number;
  /** Send at most this many (skipped ones do not count); the rest waits for a re-run. */
  limit?: number;
  /** Stops dispatching; what is in flight finishes. */
  signal?: AbortSignal;
  /** Whether an operation is already done (acknowledged before): not sent again. */
  skip?: (op: SimOp) => boolean;
  onSettled?: (op: SimOp, sent: boolean) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface Dispatched {
  sent: number;
  skipped: number;
  /** Every operation before this index is done; none from it on was dispatched. */
  reached: number;
  stopped?: 'limit' | 'signal';
}

/** Operations looked ahead per unit of concurrency. */
const LOOKAHEAD = 32;

export async function dispatch(
  ops: readonly SimOp[],
  send: (op: SimOp) => Promise<void>,
  options: DispatchOptions = {},
): Promise<Dispatched> {
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const window = concurrency * LOOKAHEAD;
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  /** Per account, the indexes of its operations taken into the window and not yet settled, in order. */
  const queues = new Map<string, number[]>();
  const accountsOf = new Map<number, string[]>();
  /** Indexes taken into the window and not yet sent, in order. */
  let waiting: number[] = [];
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  let sent = 0;
  let skipped = 0;
  let stopped: Dispatched['stopped'];
  /** Next index to take into the window; the furthest index sent. */
  let next = 0;
  let furthest = -1;
  const started = now();
  const ready = (i: number) => (accountsOf.get(i) ?? []).every((a) => queues.get(a)?.[0] === i);
  const take = (): void => {
    while (stopped === undefined && waiting.length < window && next < ops.length) {
      const op = ops[next];
      if (options.skip?.(op)) {
        skipped++;
        options.onSettled?.(op, false);
        next++;
        continue;
      }
      if (options.limit !== undefined && sent + waiting.length >= options.limit) {
        stopped = 'limit';
        break;
      }
      const accounts = opAccounts(op);
      accountsOf.set(next, accounts);
      for (const a of accounts) {
        const q = queues.get(a);
        if (q === undefined) queues.set(a, [next]);
        else q.push(next);
      }
      waiting.push(next);
      next++;
    }
  };
  const start = async (i: number): Promise<void> => {
    if (options.ratePerSecond !== undefined) {
      const wait = started + (sent * 1000) / options.ratePerSecond - now();
      if (wait > 0) await sleep(wait);
    }
    sent++;
    furthest = Math.max(furthest, i);
    const op = ops[i];
    const task: Promise<void> = send(op).then(
      () => options.onSettled?.(op, true),
      (error: unknown) => {
        failure ??= { error };
      },
    );
    const tracked = task.finally(() => {
      for (const a of accountsOf.get(i) ?? []) {
        const q = queues.get(a) as number[];
        q.shift();
        if (q.length === 0) queues.delete(a);
      }
      accountsOf.delete(i);
      inFlight.delete(tracked);
    });
    inFlight.add(tracked);
  };
  for (;;) {
    if (failure !== undefined) break;
    if (stopped === undefined && options.signal?.aborted) {
      stopped = 'signal';
      // Only the ones before the furthest sent still go: what was sent stays a prefix.
      waiting = waiting.filter((i) => i < furthest);
    }
    take();
    let progressed = false;
    for (let k = 0; k < waiting.length && inFlight.size < concurrency; k++) {
      const i = waiting[k];
      if (!ready(i)) continue;
      waiting.splice(k, 1);
      k--;
      await start(i);
      progressed = true;
    }
    if (waiting.length === 0 && inFlight.size === 0 && (stopped !== undefined || next >= ops.length)) break;
    // Room for more, and the window was refilled: look again before waiting.
    if (progressed && inFlight.size < concurrency && stopped === undefined && next < ops.length) continue;
    // The earliest waiting operation is always ready once nothing is in flight.
    assert(inFlight.size > 0, 'dispatch: operations wait with nothing in flight');
    await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (failure !== undefined) throw failure.error;
  return { sent, skipped, reached: stopped === 'signal' ? furthest + 1 : next, stopped };
}
