/**
 * Durability beyond the process (`--synchronous full`) without blocking the event loop: SQLite runs
 * with synchronous=NORMAL (a commit has written its pages to the WAL, not fsynced them), and this
 * fdatasyncs the WAL file off the event loop (libuv's thread pool). One sync is in flight at a time and
 * covers every commit made before it started; commits made meanwhile wait for the next one, which starts
 * as soon as the current one ends (group commit of the fsyncs, on top of the group commit of the
 * writes). A waiter holds a mark — the commits counted when it asked — and is called back once a sync
 * that started after that many commits has completed.
 *
 * A failed sync is final: what the page cache held may or may not reach the disk (after a failed fsync
 * Linux may drop the dirty pages and report success next time), so every waiter, and every later one,
 * gets the error, and the server takes no more writes. Writes answered with that error may still be in
 * the journal after a restart.
 */
import fs from 'node:fs';
import { assert } from '../../../common/assert.ts';

/** fdatasync(2) of `fd`, asynchronously. Injected by tests (a slow or failing disk). */
export type SyncFn = (fd: number) => Promise<void>;

export const fdatasync: SyncFn = (fd) =>
  new Promise((resolve, reject) => fs.fdatasync(fd, (error) => (error === null ? resolve() : reject(error))));

type Callback = (error: Error | undefined) => void;

export class WalSync {
  /** Commits counted so far (`committed()`), and those covered by the last completed sync. */
  private commits = 0;
  private synced = 0;
  private syncing = false;
  /** A sync ended; the next one starts at the end of this turn of the event loop (`restart`). */
  private restarting = false;
  /** Waiters in mark order (marks never decrease); `head` is the first not yet called back. */
  private readonly waiting: { mark: number; callback: Callback }[] = [];
  private head = 0;
  private failure: Error | undefined;
  private idle: (() => void)[] = [];
  /** Syncs completed, for `/healthz` and the benchmark. */
  syncs = 0;
  /** Told of the failed sync, once (the server logs it). */
  onFailure: (error: Error) => void = () => {};
  /**
   * Called before the next sync starts, at the end of the turn in which the last one ended: the group
   * committer commits the writes that queued meanwhile here, so that the next sync covers them (see
   * `commit.ts`).
   */
  onSyncEnd: () => void = () => {};

  constructor(
    private readonly fd: number,
    private readonly sync: SyncFn = fdatasync,
  ) {}

  /** Opens the WAL of a database in WAL mode (SQLite creates it when the database is opened). */
  static open(walPath: string, sync?: SyncFn): WalSync {
    return new WalSync(fs.openSync(walPath, 'r+'), sync);
  }

  /**
   * A sync runs. (Two at once were tried: a commit made during a sync started its own at once, for
   * lower latency; on the shared machine neither was measurably faster, and each sync costs about
   * 70–130 µs of kernel CPU, so one at a time it is.)
   */
  get busy(): boolean {
    return this.syncing || this.restarting;
  }

  /** The error of a failed sync, once one failed. */
  get failed(): Error | undefined {
    return this.failure;
  }

  /** Counts a commit that just returned (its pages are in the WAL) and starts a sync if none runs. */
  committed(): number {
    this.commits++;
    if (!this.busy && this.failure === undefined) this.start();
    return this.commits;
  }

  /** The mark of everything committed so far: what a read that is answered now may have seen. */
  mark(): number {
    return this.commits;
  }

  /** Calls back once the commits up to `mark` are on disk (at once if they are), or with the failure. */
  whenDurable(mark: number, callback: Callback): void {
    assert(mark <= this.commits, 'a mark past the commits counted');
    if (this.failure !== undefined) callback(this.failure);
    else if (mark <= this.synced) callback(undefined);
    else {
      assert(
        this.waiting.length === this.head || this.waiting[this.waiting.length - 1].mark <= mark,
        'marks in order',
      );
      this.waiting.push({ mark, callback });
    }
  }

  /** `value` once everything committed so far is on disk: a read's answer, which may show any of it. */
  visible<T>(value: T): Promise<T> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.commits <= this.synced) return Promise.resolve(value);
    return new Promise((resolve, reject) =>
      this.whenDurable(this.commits, (error) => (error === undefined ? resolve(value) : reject(error))),
    );
  }

  /** Resolves once no sync runs and every commit counted is covered (or a sync failed): before closing. */
  drained(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Closes the WAL's descriptor; call after `drained()`. */
  close(): void {
    assert(!this.busy, 'WalSync closed while a sync runs');
    fs.closeSync(this.fd);
  }

  private start(): void {
    this.syncing = true;
    const covers = this.commits;
    let sync: Promise<void>;
    try {
      sync = this.sync(this.fd);
    } catch (error) {
      sync = Promise.reject(error);
    }
    sync.then(
      () => this.ended(covers, undefined),
      (error: unknown) => this.ended(covers, error instanceof Error ? error : new Error(String(error))),
    );
  }

  private ended(covers: number, error: Error | undefined): void {
    this.syncing = false;
    this.syncs++;
    if (error !== undefined) {
      this.failure = error;
      this.onFailure(error);
    } else this.synced = covers;
    // Answers first; the next sync starts at the end of this turn, so that the requests read in it
    // (many of them from the clients just answered) join its group: bigger groups, fewer syncs and
    // transactions, for a few microseconds more latency.
    this.restarting = true;
    setImmediate(this.restart);
    this.callBack();
  }

  private readonly restart = (): void => {
    this.restarting = false;
    // Writes queued while the sync ran are committed now (which starts the next sync)...
    this.onSyncEnd();
    // ...and commits made while it ran are covered by the next one.
    if (!this.syncing && this.failure === undefined && this.commits > this.synced) this.start();
    if (!this.busy) for (const resolve of this.idle.splice(0)) resolve();
  };

  private callBack(): void {
    const waiting = this.waiting;
    while (
      this.head < waiting.length &&
      (this.failure !== undefined || waiting[this.head].mark <= this.synced)
    ) {
      const w = waiting[this.head++];
      w.callback(this.failure);
    }
    if (this.head === waiting.length) {
      waiting.length = 0;
      this.head = 0;
    } else if (this.head > 1024) {
      waiting.splice(0, this.head);
      this.head = 0;
    }
  }
}
