/**
 * Group commit: writes that arrive in the same turn of the event loop run in one SQLite transaction,
 * each inside its own savepoint, and are answered only after that transaction has committed (with
 * `synchronous=FULL`, after the WAL was fsynced). One fsync per batch instead of per request; no
 * write is acknowledged before it is durable.
 *
 * better-sqlite3 is synchronous, so a batch runs start to end without another request interleaving:
 * every write sees the effects of the writes before it, in the batch and in earlier batches.
 */
import type Database from 'better-sqlite3';
import { assert } from '../../../sim/assert.ts';

interface Pending<T> {
  work: () => T;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
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
  ) {
    assert(batchMax >= 1, 'batchMax must be at least 1');
  }

  /** Runs `work` in the next group transaction; resolves once that transaction has committed. */
  submit<T>(work: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the store is closed'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve, reject } as Pending<unknown>);
      if (this.queue.length >= this.batchMax) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits everything queued now (also called on shutdown). */
  flush(): void {
    this.scheduled = false;
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    assert(batch.length <= this.batchMax, 'commit batch over its bound');
    const results: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      this.db.transaction(() => {
        for (const p of batch) results.push(this.runOne(p));
      })();
    } catch (error) {
      // The commit itself failed (disk full, I/O error): nothing in the batch is durable.
      for (const p of batch) p.reject(error);
      return;
    }
    this.batches++;
    this.writes += batch.length;
    batch.forEach((p, i) => {
      const r = results[i];
      if (r.ok) p.resolve(r.value);
      else p.reject(r.error);
    });
  }

  /** Stops taking writes and commits what is queued. */
  close(): void {
    this.flush();
    this.closed = true;
  }

  private runOne(p: Pending<unknown>): { ok: true; value: unknown } | { ok: false; error: unknown } {
    try {
      // A nested better-sqlite3 transaction is a savepoint: a write that throws undoes only itself.
      return { ok: true, value: this.db.transaction(p.work)() };
    } catch (error) {
      return { ok: false, error };
    }
  }
}
