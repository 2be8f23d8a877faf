/**
 * Sends operations in the run's order while keeping what the order means. The simulation's operations
 * are sequential, and a gift's outcome depends on its viewer's coins and its creator's carried fraction
 * — so an operation starts only when every earlier one on any of its accounts (viewer, creator) has
 * settled. With concurrency 1 (the default) that is plain run order; with n, up to n operations on
 * disjoint viewers and creators overlap, and an operation waiting for its account does not hold back
 * later ones on other accounts: within a window of the next operations (`LOOKAHEAD` per unit of
 * concurrency) each is sent as soon as its accounts' earlier operations have settled, the earliest
 * ready one first. Per account the order is the run's, always. Platform accounts only add up, so their
 * order does not matter.
 *
 * How: an operation taken into the window waits for the last unsettled operation before it on each of
 * its accounts (at most two: its viewer's, its creator's) — that one itself waited for the ones before
 * it, so per account the operations form a chain. Settling an operation releases its successors; one
 * whose count of unsettled predecessors reaches 0 goes to a heap of ready operations ordered by run
 * index. No per-operation scan of the window, and one callback per send (no race over the in-flight set).
 *
 * Stopping keeps a prefix: on a signal no operation past the furthest one sent is started, the ones
 * before it that waited are sent, and `reached` is the index after it; `--limit` counts from the start.
 */
import { assert } from '../../common/assert.ts';
import type { SimOp } from '../../experiments/oplog/op.ts';

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

/** An operation taken into the window and not yet settled. */
interface Slot {
  index: number;
  /** Unsettled earlier operations it waits for (0, 1 or 2: one per account). */
  pending: number;
  /** The next operations on its accounts, released when it settles. */
  successors: Slot[] | undefined;
  /** Its accounts' keys (`accountKeys`), to clear the last-on-account index when it settles. */
  accountA: number;
  accountB: number;
  /** Sent (in flight or settled). */
  gone: boolean;
}

/** No second account (purchases, withdrawals). */
const NONE = -1;

export function dispatch(
  ops: readonly SimOp[],
  send: (op: SimOp) => Promise<void>,
  options: DispatchOptions = {},
): Promise<Dispatched> {
  return new Dispatcher(ops, send, options).run();
}

class Dispatcher {
  private readonly concurrency: number;
  private readonly window: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Per account key, the last operation on it taken into the window and not yet settled. */
  private readonly last = new Map<number, Slot>();
  /** Operations whose predecessors have all settled, not yet sent: a min-heap on the run index. */
  private readonly ready: Slot[] = [];
  /** Taken into the window and not yet sent (ready or waiting). */
  private unsent = 0;
  private inFlight = 0;
  private failure: { error: unknown } | undefined;
  private sent = 0;
  private skipped = 0;
  private stopped: Dispatched['stopped'];
  /** Next index to take into the window; the furthest index sent. */
  private next = 0;
  private furthest = -1;
  private started = 0;
  /** A paced start is sleeping: nothing else starts meanwhile. */
  private pacing = false;
  private finish: (result: Dispatched) => void = () => {};
  private fail: (error: unknown) => void = () => {};
  private done = false;

  constructor(
    private readonly ops: readonly SimOp[],
    private readonly send: (op: SimOp) => Promise<void>,
    private readonly options: DispatchOptions,
  ) {
    this.concurrency = Math.max(1, options.concurrency ?? 1);
    this.window = this.concurrency * LOOKAHEAD;
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  }

  run(): Promise<Dispatched> {
    this.started = this.now();
    return new Promise<Dispatched>((resolve, reject) => {
      this.finish = resolve;
      this.fail = reject;
      this.pump();
    });
  }

  /** Starts what may start; ends the dispatch when nothing is left. Called at the start and on every settle. */
  private pump(): void {
    if (this.done) return;
    try {
      this.advance();
    } catch (error) {
      // A bug (an assertion) or a throwing `skip`: the dispatch fails rather than hangs.
      this.done = true;
      this.fail(error);
    }
  }

  private advance(): void {
    if (this.failure === undefined && this.stopped === undefined && this.options.signal?.aborted) {
      this.stopByTheSignal();
    }
    if (this.failure === undefined && !this.pacing) {
      this.take();
      while (this.inFlight < this.concurrency && this.ready.length > 0) {
        if (this.options.ratePerSecond !== undefined && this.paced()) break;
        this.start(popMin(this.ready));
        this.take();
      }
    }
    if (this.inFlight > 0 || this.pacing) return;
    if (this.failure !== undefined) {
      this.done = true;
      this.fail(this.failure.error);
      return;
    }
    // Nothing in flight, so the loop above emptied the ready heap; an operation still waiting would
    // wait for ever (after a signal, a kept one that waits has a kept predecessor chain down to a ready one).
    assert(
      this.stopped === 'signal' || this.unsent === 0,
      'dispatch: operations wait with nothing in flight',
    );
    assert(
      this.stopped !== undefined || this.next === this.ops.length,
      'dispatch: the window was not refilled',
    );
    this.done = true;
    const reached = this.stopped === 'signal' ? this.furthest + 1 : this.next;
    this.finish({ sent: this.sent, skipped: this.skipped, reached, stopped: this.stopped });
  }

  /** Fills the window: skipped operations settle at once, the others wait for their accounts. */
  private take(): void {
    const { ops, options } = this;
    while (this.stopped === undefined && this.unsent < this.window && this.next < ops.length) {
      const op = ops[this.next];
      if (options.skip?.(op)) {
        this.skipped++;
        options.onSettled?.(op, false);
        this.next++;
        continue;
      }
      if (options.limit !== undefined && this.sent + this.unsent >= options.limit) {
        this.stopped = 'limit';
        break;
      }
      const [a, b] = accountKeys(op);
      const slot: Slot = {
        index: this.next,
        pending: 0,
        successors: undefined,
        accountA: a,
        accountB: b,
        gone: false,
      };
      this.follow(slot, a);
      if (b !== NONE) this.follow(slot, b);
      if (slot.pending === 0) pushHeap(this.ready, slot);
      this.unsent++;
      this.next++;
    }
  }

  /** `slot` waits for the last unsettled operation on `account`, and becomes it. */
  private follow(slot: Slot, account: number): void {
    const before = this.last.get(account);
    if (before !== undefined) {
      slot.pending++;
      if (before.successors === undefined) before.successors = [slot];
      else before.successors.push(slot);
    }
    this.last.set(account, slot);
  }

  /** Whether the next start must wait for the rate; if so, sleeps, then pumps again. */
  private paced(): boolean {
    const rate = this.options.ratePerSecond as number;
    const wait = this.started + (this.sent * 1000) / rate - this.now();
    if (wait <= 0) return false;
    this.pacing = true;
    this.sleep(wait).then(() => {
      this.pacing = false;
      this.pump();
    });
    return true;
  }

  private start(slot: Slot): void {
    assert(slot.pending === 0 && !slot.gone, 'dispatch: a started operation waits or was sent');
    slot.gone = true;
    this.unsent--;
    this.sent++;
    this.inFlight++;
    if (slot.index > this.furthest) this.furthest = slot.index;
    const op = this.ops[slot.index];
    let sending: Promise<void>;
    try {
      sending = this.send(op);
    } catch (error) {
      sending = Promise.reject(error);
    }
    sending.then(
      () => {
        try {
          this.options.onSettled?.(op, true);
        } catch (error) {
          this.failure ??= { error };
        }
        this.settle(slot);
      },
      (error: unknown) => {
        this.failure ??= { error };
        this.settle(slot);
      },
    );
  }

  private settle(slot: Slot): void {
    this.inFlight--;
    if (this.last.get(slot.accountA) === slot) this.last.delete(slot.accountA);
    if (slot.accountB !== NONE && this.last.get(slot.accountB) === slot) this.last.delete(slot.accountB);
    for (const s of slot.successors ?? []) {
      if (--s.pending === 0) this.release(s);
    }
    this.pump();
  }

  private release(slot: Slot): void {
    if (this.stopped === 'signal' && slot.index >= this.furthest) return;
    pushHeap(this.ready, slot);
  }

  /**
   * Only the waiting operations before the furthest one sent still go: what was sent stays a prefix.
   * The furthest does not move after this (nothing past it starts). Ready ones past it are dropped
   * here, waiting ones when they become ready (`release`).
   */
  private stopByTheSignal(): void {
    this.stopped = 'signal';
    const keep = this.ready.filter((s) => s.index < this.furthest);
    this.ready.length = 0;
    for (const s of keep) pushHeap(this.ready, s);
  }
}

/** An operation's accounts as numbers: viewer n → 2n, creator n → 2n + 1; the second NONE when it has one. */
function accountKeys(op: SimOp): [number, number] {
  switch (op.kind) {
    case 'purchase':
      return [2 * op.viewer, NONE];
    case 'gift':
      return [2 * op.viewer, 2 * op.creator + 1];
    case 'withdrawal':
      return [2 * op.creator + 1, NONE];
  }
}

function pushHeap(heap: Slot[], slot: Slot): void {
  let i = heap.length;
  heap.push(slot);
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (heap[parent].index <= slot.index) break;
    heap[i] = heap[parent];
    i = parent;
  }
  heap[i] = slot;
}

function popMin(heap: Slot[]): Slot {
  const top = heap[0];
  const last = heap.pop() as Slot;
  if (heap.length > 0) {
    let i = 0;
    const n = heap.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && heap[r].index < heap[l].index ? r : l;
      if (heap[c].index >= last.index) break;
      heap[i] = heap[c];
      i = c;
    }
    heap[i] = last;
  }
  return top;
}
