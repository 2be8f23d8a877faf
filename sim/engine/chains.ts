/**
 * FIFO chains of blocks in one Int32Array: the buckets of the timing wheel. A block is
 * [count, next block, entries…], an entry one word (a slot) or two (a slot and its second).
 * Appending touches the bucket's head/tail pair and its last block; reading walks blocks in order.
 * Blocks are recycled through a free list; the pool grows by half when it runs out (early in a run).
 */
import { assert } from '../../common/assert.ts';
import { type Column, column } from '../../common/columns.ts';

const NONE = -1;
const HEADER = 2;

export class Chains {
  /** [2b] = first block of bucket b, [2b + 1] = its last block. */
  private readonly ends: Int32Array;
  private blocks: Int32Array;
  private freeBlock = NONE;
  private readonly perBlock: number;
  /** The chain being read: its current block and word. */
  private readBlock = NONE;
  private readWord = 0;
  /** Second of the entry `read` returned last (two-word entries). */
  time = 0;

  /**
   * `blockWords` per block (a power of two): small for many short chains, large for a few long ones
   * (fewer cache misses while reading). The pool starts a little above `expectedEntries`.
   */
  constructor(
    buckets: number,
    private readonly entryWords: 1 | 2,
    expectedEntries: number,
    private readonly blockWords: number,
  ) {
    assert(blockWords >= 8 && (blockWords & (blockWords - 1)) === 0, 'block words: a power of two >= 8');
    this.ends = new Int32Array(buckets * 2).fill(NONE);
    this.perBlock = Math.floor((blockWords - HEADER) / entryWords);
    const count = Math.ceil((expectedEntries * 1.1) / this.perBlock) + Math.min(buckets, 1024);
    this.blocks = column(Int32Array, count * blockWords);
    this.chainFree(0, count);
  }

  get bytes(): number {
    return this.ends.byteLength + this.blocks.byteLength;
  }

  push(bucket: number, slot: number, time: number): void {
    const e = bucket * 2;
    let block = this.ends[e + 1];
    if (block === NONE || this.blocks[block * this.blockWords] === this.perBlock) {
      const fresh = this.allocate();
      if (block === NONE) this.ends[e] = fresh;
      else this.blocks[block * this.blockWords + 1] = fresh;
      this.ends[e + 1] = fresh;
      block = fresh;
    }
    const base = block * this.blockWords;
    const i = base + HEADER + this.blocks[base]++ * this.entryWords;
    this.blocks[i] = slot;
    if (this.entryWords === 2) this.blocks[i + 1] = time;
  }

  /** Detaches bucket `bucket` for reading with `read`; pushes to it from now on start a new chain. */
  open(bucket: number): void {
    const e = bucket * 2;
    this.readBlock = this.ends[e];
    this.readWord = HEADER;
    this.ends[e] = NONE;
    this.ends[e + 1] = NONE;
  }

  /** The next slot of the open chain (its second in `time`), or −1 at its end. */
  read(): number {
    for (;;) {
      const block = this.readBlock;
      if (block === NONE) return NONE;
      const base = block * this.blockWords;
      if (this.readWord === HEADER + this.blocks[base] * this.entryWords) {
        this.readBlock = this.blocks[base + 1];
        this.readWord = HEADER;
        this.release(block);
        continue;
      }
      const i = base + this.readWord;
      this.readWord += this.entryWords;
      if (this.entryWords === 2) this.time = this.blocks[i + 1];
      return this.blocks[i];
    }
  }

  private allocate(): number {
    if (this.freeBlock === NONE) this.grow();
    const block = this.freeBlock;
    const base = block * this.blockWords;
    this.freeBlock = this.blocks[base + 1];
    this.blocks[base] = 0;
    this.blocks[base + 1] = NONE;
    return block;
  }

  /** The block pool, for later chains to take (common/columns.ts): once given, these are not used again. */
  get columns(): Column[] {
    return [this.blocks];
  }

  private release(block: number): void {
    this.blocks[block * this.blockWords + 1] = this.freeBlock;
    this.freeBlock = block;
  }

  private grow(): void {
    const before = this.blocks.length / this.blockWords;
    const after = Math.ceil(before * 1.5);
    assert(after * this.blockWords < 2 ** 31, 'timing wheel block pool overflow');
    const blocks = new Int32Array(after * this.blockWords);
    blocks.set(this.blocks);
    this.blocks = blocks;
    this.chainFree(before, after);
  }

  private chainFree(from: number, to: number): void {
    for (let b = to - 1; b >= from; b--) {
      this.blocks[b * this.blockWords + 1] = this.freeBlock;
      this.freeBlock = b;
    }
  }
}
