/**
 * Fault modes: deliberate bugs a real backend could have, each one the audit must catch. The sound
 * writer decides and writes inside one transaction; each fault breaks exactly one thing about that.
 * `FAULT_TABLE` is the one list of them — what each breaks, the invariants that catch it, the load
 * profiles that provoke it — written out as load/README.md's fault matrix (a test holds it to the table)
 * and read by the tests that run every cell (tests/target/faults.test.ts without k6,
 * tests/load/faults.k6.test.ts with it).
 *
 * Latency alone breaks no ledger invariant (k6's thresholds are there for that); `slow` models what
 * latency does to a backend with a request deadline that does not cancel the work behind it.
 */
import { targetLimits } from '../../common/limits.ts';
import type { InvariantId } from '../../sim/invariants/types.ts';
import { BROKEN } from '../../sim/kernel/broken.ts';
import { type Kernel, kernel } from '../../sim/kernel/operations.ts';
import { type LoadProfile, PROFILES } from '../k6/lib/profiles.ts';
import type { Book, Outcome, View, WriteRequest } from './book.ts';
import type { GroupCommitter } from './db/commit.ts';
import { ApiError } from './errors.ts';

export const FAULTS = [
  'lost-update',
  'non-idempotent',
  'rounding-leak',
  'overdraft',
  'drop-ack',
  'slow',
] as const;
export type Fault = (typeof FAULTS)[number];

export interface FaultSpec {
  /** What the backend does wrong. */
  breaks: string;
  /** The invariants whose violation reveals it: any of them catches it. */
  invariants: readonly InvariantId[];
  /** The load profiles that provoke it: under each, the audit finds one of `invariants` violated. */
  profiles: readonly LoadProfile[];
}

export const FAULT_TABLE: Record<Fault, FaultSpec> = {
  'lost-update': {
    breaks:
      'reads the balances, awaits, writes them back (read-modify-write across an await, no transaction)',
    invariants: [3],
    profiles: ['steady', 'race'],
  },
  'non-idempotent': {
    breaks: 'ignores the Idempotency-Key: a replay is applied again',
    invariants: [6],
    profiles: ['smoke', 'steady', 'race'],
  },
  'rounding-leak': {
    breaks: BROKEN['rounding-leak'].does,
    invariants: [4],
    profiles: PROFILES,
  },
  overdraft: {
    breaks: 'checks the balance, awaits, then spends without checking again',
    invariants: [2, 8],
    profiles: ['steady', 'race'],
  },
  'drop-ack': {
    breaks: 'commits every fifth write but answers it 500',
    invariants: [7],
    profiles: PROFILES,
  },
  slow: {
    breaks: 'waits 20–200 ms before writing; at 100 ms answers 503 while the write still commits',
    invariants: [7],
    profiles: PROFILES,
  },
};

/** Every fifth acknowledgement is dropped by `drop-ack`. */
const DROP_EVERY = 5;

export interface Writer {
  write(req: WriteRequest): Promise<Outcome>;
}

export interface WriterDeps {
  book: Book;
  committer: GroupCommitter;
  /** Uniform in [0, 1); injected so that tests are reproducible. */
  rng: () => number;
  sleep: (ms: number) => Promise<void>;
}

/** The book's decisions: the sound kernel, or the broken one of `rounding-leak`. */
export function faultKernel(fault: Fault | undefined): Kernel {
  return fault === 'rounding-leak' ? BROKEN['rounding-leak'].kernel : kernel;
}

export function makeWriter(fault: Fault | undefined, deps: WriterDeps): Writer {
  const { book, committer } = deps;
  const sound: Writer = { write: (req) => committer.submit(() => book.apply(req)) };
  switch (fault) {
    case undefined:
    case 'non-idempotent':
    case 'rounding-leak':
      // These two are configured in the Book (no idempotency record; a kernel that rounds diamonds up).
      return sound;
    case 'lost-update':
      return {
        async write(req) {
          const stale = book.capture(req);
          await yieldTurn();
          return committer.submit(() => book.apply(req, stale, { mode: 'absolute', from: stale }));
        },
      };
    case 'overdraft':
      return {
        async write(req) {
          // Only the balance check is stale; the carried fraction is read when the write happens.
          const stale = book.capture(req);
          const view: View = { balance: stale.balance, carry: (creator) => book.store.carry(creator) };
          await yieldTurn();
          return committer.submit(() => book.apply(req, view, { mode: 'add' }));
        },
      };
    case 'drop-ack':
      return dropAck(sound);
    case 'slow':
      return slow(sound, deps);
  }
}

function dropAck(sound: Writer): Writer {
  let acknowledged = 0;
  return {
    async write(req) {
      const outcome = await sound.write(req);
      if (outcome.status === 201 && !outcome.replayed && ++acknowledged % DROP_EVERY === 0) {
        throw new ApiError('GIFT_ERR_INTERNAL', 'internal error (drop-ack fault: the write was committed)');
      }
      return outcome;
    },
  };
}

function slow(sound: Writer, deps: WriterDeps): Writer {
  const span = targetLimits.slowLatencyMsMax - targetLimits.slowLatencyMsMin;
  return {
    write(req) {
      const latency = targetLimits.slowLatencyMsMin + Math.floor(deps.rng() * (span + 1));
      const work = deps.sleep(latency).then(() => sound.write(req));
      const deadline = deps.sleep(targetLimits.slowDeadlineMs).then(() => {
        throw new ApiError('GIFT_ERR_TIMEOUT');
      });
      work.catch(() => {});
      deadline.catch(() => {});
      return Promise.race([work, deadline]);
    },
  };
}

function yieldTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
