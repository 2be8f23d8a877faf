/**
 * Group commit: writes that arrive in the same turn of the event loop run in one SQLite transaction
 * and are answered only after that transaction has committed (its pages are in the WAL; with
 * `--synchronous sqlite-full` SQLite also fsynced the WAL inside the commit, once per batch instead of
 * once per request). With a `WalSync` (`--synchronous full`) a batch is answered only once a WAL sync
 * that started after its commit has completed — the fsync runs off the event loop and one covers every
 * batch committed before it started; if it fails, the batch is answered `GIFT_ERR_NOT_DURABLE` (500) and
 * every later write is refused with it. No write is acknowledged before it is committed (and, with a
 * WalSync, on disk). A write that throws (a bug, never bad input) rolls the batch back, and the batch is run
 * again one write per transaction, so that only the faulty write fails.
 *
 * better-sqlite3 is synchronous, so a batch runs start to end without another request interleaving:
 * every write sees the effects of the writes before it, in the batch and in earlier batches.
 *
 * What the store keeps in memory beside the database (balances, the key index) follows each
 * transaction: begun with it, kept when it commits, undone when it rolls back.
 */
import type Database from 'better-sqlite3';
import { assert } from '../../../common/assert.ts';
import { ApiError } from '../errors.ts';
import type { WalSync } from './wal-sync.ts';

interface Pending<T> {
  work: () => T;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

type Result = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Memory that must follow the database's transactions (the store's balances and key index). */
export interface TransactionMemory {
  begin(): void;
  commit(): void;
  rollback(): void;
}

const NO_MEMORY: TransactionMemory = { begin() {}, commit() {}, rollback() {} };

/** Thrown inside a batch transaction to abort it when one write fails. */
class WriteFailed extends Error {
  constructor(readonly error: unknown) {
    super('a write in the batch failed');
  }
}

export class GroupCommitter {
  private queue: Pending<unknown>[] = [];
  private scheduled = false;
  private closed = false;
  /** Batches committed and writes in them, for `/healthz` and the benchmark. */
  batches = 0;
  writes = 0;

  constructor(
    private readonly db: Database.Database,
    private readonly batchMax: number,
    private readonly memory: TransactionMemory = NO_MEMORY,
    private readonly durable?: WalSync,
  ) {
    assert(batchMax >= 1, 'batchMax must be at least 1');
    if (durable !== undefined) durable.onSyncEnd = () => this.flush();
  }

  /** Runs `work` in the next group transaction; resolves once that transaction has committed (and synced). */
  submit<T>(work: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the store is closed'));
    if (this.durable?.failed !== undefined) return Promise.reject(notDurable());
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve, reject } as Pending<unknown>);
      if (this.queue.length >= this.batchMax) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        // While a WAL sync runs, committing sooner would answer no sooner (the next sync starts when
        // this one ends): the writes queue until then and commit together, fewer transactions.
        if (this.durable?.busy !== true) setImmediate(() => this.flush());
      }
    });
  }

  /** Commits everything queued now (also called on shutdown). */
  flush(): void {
    this.scheduled = false;
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    if (this.durable?.failed !== undefined) {
      for (const p of batch) p.reject(notDurable());
      return;
    }
    assert(batch.length <= this.batchMax, 'commit batch over its bound');
    let results: Result[];
    try {
      results = this.runAll(batch);
    } catch (error) {
      if (!(error instanceof WriteFailed)) {
        // The commit itself failed (disk full, I/O error): nothing in the batch is durable.
        for (const p of batch) p.reject(error);
        return;
      }
      // One write threw, which rolled the batch back: run each alone, so only that one fails.
      results = batch.map((p) => this.runAlone(p));
    }
    this.batches++;
    this.writes += batch.length;
    const durable = this.durable;
    if (durable === undefined) settle(batch, results);
    else {
      // Refusals and replays wait too: their answers may show what an earlier, unsynced commit did.
      durable.whenDurable(durable.committed(), (error) => {
        if (error === undefined) settle(batch, results);
        else for (const p of batch) p.reject(notDurable());
      });
    }
  }

  /** Stops taking writes and commits what is queued. */
  close(): void {
    this.flush();
    this.closed = true;
  }

  /** The whole batch in one transaction; a write that throws aborts it (see `flush`). */
  private readonly runAll = (batch: Pending<unknown>[]): Result[] =>
    this.inMemory(() =>
      this.db.transaction(() =>
        batch.map((p): Result => {
          try {
            return { ok: true, value: p.work() };
          } catch (error) {
            throw new WriteFailed(error);
          }
        }),
      )(),
    );

  private runAlone(p: Pending<unknown>): Result {
    try {
      return { ok: true, value: this.inMemory(() => this.db.transaction(p.work)()) };
    } catch (error) {
      return { ok: false, error };
    }
  }

  /** A transaction with the memory beside it: kept if it commits, undone if it throws. */
  private inMemory<T>(transaction: () => T): T {
    this.memory.begin();
    try {
      const result = transaction();
      this.memory.commit();
      return result;
    } catch (error) {
      this.memory.rollback();
      throw error;
    }
  }
}

function settle(batch: Pending<unknown>[], results: Result[]): void {
  batch.forEach((p, i) => {
    const r = results[i];
    if (r.ok) p.resolve(r.value);
    else p.reject(r.error);
  });
}

function notDurable(): ApiError {
  return new ApiError('GIFT_ERR_NOT_DURABLE');
}
