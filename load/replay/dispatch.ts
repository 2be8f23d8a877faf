/**
 * Sends operations in the run's order while keeping what the order means. The simulation's operations
 * are sequential, and a gift's outcome depends on its viewer's coins and its creator's carried fraction
 * — so an operation starts only when no earlier one on any of its accounts (viewer, creator) is still in
 * flight. With concurrency 1 (the default) that is plain run order; with n, up to n operations on
 * disjoint viewers and creators overlap, dispatched in run order (an operation waiting for its account
 * holds back the ones after it: simple, and never reorders an account). Platform accounts only add up,
 * so their order does not matter.
 */
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

export async function dispatch(
  ops: readonly SimOp[],
  send: (op: SimOp) => Promise<void>,
  options: DispatchOptions = {},
): Promise<Dispatched> {
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const busy = new Set<string>();
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  let sent = 0;
  let skipped = 0;
  let stopped: Dispatched['stopped'];
  const started = now();
  let i = 0;
  for (; i < ops.length; i++) {
    const op = ops[i];
    if (options.skip?.(op)) {
      skipped++;
      options.onSettled?.(op, false);
      continue;
    }
    const accounts = opAccounts(op);
    while (failure === undefined && (inFlight.size >= concurrency || accounts.some((a) => busy.has(a)))) {
      await Promise.race(inFlight);
    }
    if (failure !== undefined) break;
    if (options.signal?.aborted) stopped = 'signal';
    else if (options.limit !== undefined && sent >= options.limit) stopped = 'limit';
    if (stopped !== undefined) break;
    if (options.ratePerSecond !== undefined) {
      const due = started + (sent * 1000) / options.ratePerSecond;
      const wait = due - now();
      if (wait > 0) await sleep(wait);
    }
    sent++;
    for (const a of accounts) busy.add(a);
    const task: Promise<void> = send(op).then(
      () => options.onSettled?.(op, true),
      (error: unknown) => {
        failure ??= { error };
      },
    );
    const tracked = task.finally(() => {
      for (const a of accounts) busy.delete(a);
      inFlight.delete(tracked);
    });
    inFlight.add(tracked);
  }
  await Promise.all(inFlight);
  if (failure !== undefined) throw failure.error;
  return { sent, skipped, reached: i, stopped };
}
