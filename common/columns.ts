/**
 * Big typed-array columns kept for the next replication of this thread instead of handed back to the
 * allocator. A replication of a million viewers takes about 55 MiB of per-viewer columns; made fresh,
 * each one is new pages the kernel must fault in and zero (about 14,000 faults a replication), and with
 * two worker threads in one process those faults also wait on each other's address-space lock — system
 * time that grew the same work's CPU by several per cent on two cores (bench/README.md). The columns a
 * replication gives back with `recycle` replace any kept before, and are handed out again, zeroed, to
 * the next `column` calls of the same type and length on the same thread (each worker thread has its own
 * module state, so nothing is shared).
 *
 * Only columns of at least COLUMN_MIN_BYTES are kept (small ones cost the allocator nothing), at most
 * KEPT_MAX_BYTES in all (beyond that the first given are let go, to the garbage collector). A column
 * must not be read or written after it is recycled: whoever recycles one owns it and every view of it.
 */
import { assert } from './assert.ts';

export type Column = Float64Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Uint8Array;
type ColumnType<T extends Column> = new (length: number) => T;

/** Below this a column is made fresh every time: the allocator's own free lists serve it. */
export const COLUMN_MIN_BYTES = 1 << 20;
/** The most a thread keeps for later: one replication's columns up to about 4,000,000 viewers (55 MiB a million). */
export const KEPT_MAX_BYTES = 256 * (1 << 20);

/** Columns kept for later, oldest first, at most `maxBytes` in all (a few dozen: a linear search finds one). */
export class ColumnStore {
  private readonly kept: Column[] = [];
  private keptBytes = 0;

  constructor(readonly maxBytes: number) {}

  /** A column of `length` zeros: the newest kept one of that type and length when there is one (warmest). */
  column<T extends Column>(type: ColumnType<T>, length: number): T {
    const i = this.kept.findLastIndex((c) => c.constructor === type && c.length === length);
    if (i < 0) return new type(length);
    const [reused] = this.kept.splice(i, 1);
    this.keptBytes -= reused.byteLength;
    reused.fill(0);
    return reused as T;
  }

  /**
   * Keeps these columns for later `column` calls, in place of any still kept (a column the last
   * replication left and this one did not take — another size, or grown in its run — would never be
   * taken); their owner must not use them again. Past `maxBytes` the first are let go.
   */
  recycle(columns: readonly Column[]): void {
    this.clear();
    for (const c of columns) {
      if (c.byteLength < COLUMN_MIN_BYTES || c.byteLength > this.maxBytes || this.kept.includes(c)) continue;
      // A view into a bigger buffer would hand out memory still in use elsewhere.
      assert(c.byteOffset === 0 && c.byteLength === c.buffer.byteLength, 'a recycled column owns its buffer');
      this.kept.push(c);
      this.keptBytes += c.byteLength;
      while (this.keptBytes > this.maxBytes) this.keptBytes -= (this.kept.shift() as Column).byteLength;
    }
  }

  get bytes(): number {
    return this.keptBytes;
  }

  /** Lets every kept column go. */
  clear(): void {
    this.kept.length = 0;
    this.keptBytes = 0;
  }
}

/** This thread's store (each worker thread has its own module state). */
const store = new ColumnStore(KEPT_MAX_BYTES);

/** A column of `length` zeros: one recycled on this thread when there is one of that type and length. */
export function column<T extends Column>(type: ColumnType<T>, length: number): T {
  return store.column(type, length);
}

/**
 * Gives a finished replication's columns to the next one on this thread, in place of any kept before;
 * their owner must not use them again.
 */
export function recycle(columns: readonly Column[]): void {
  store.recycle(columns);
}

/** Bytes kept for later on this thread (for tests and the bench). */
export function keptColumnBytes(): number {
  return store.bytes;
}

/** Lets every kept column go (a memory figure that must count a run's own columns starts here). */
export function dropKeptColumns(): void {
  store.clear();
}
