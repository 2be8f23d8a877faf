/**
 * A map from non-negative int32 keys to int32 values, for the hot paths that reach rows by a number:
 * open addressing with linear probing in two typed arrays (no objects, no boxing), room for twice the
 * entries, deletion by backward shift so that no probe stops short. Bounded by the entries held, not
 * by the largest key: viewer numbers → viewer slots (sim/engine/slots.ts), viewer numbers → ledger rows.
 */
import { assert } from './assert.ts';

const EMPTY = -1;

/** Key → value; `get` answers −1 for a key not held. */
export class IntMap {
  private keys: Int32Array;
  private values: Int32Array;
  private bits: number;
  size = 0;

  constructor(expected: number) {
    this.bits = Math.max(4, Math.ceil(Math.log2(Math.max(1, 2 * expected))));
    this.keys = new Int32Array(1 << this.bits).fill(EMPTY);
    this.values = new Int32Array(1 << this.bits);
  }

  get bytes(): number {
    return this.keys.byteLength + this.values.byteLength;
  }

  /** The value of `id`, or −1 when it is not held. */
  get(id: number): number {
    const mask = this.keys.length - 1;
    for (let i = this.home(id); ; i = (i + 1) & mask) {
      const key = this.keys[i];
      if (key === id) return this.values[i];
      if (key === EMPTY) return -1;
    }
  }

  set(id: number, value: number): void {
    assert(id >= 0 && value >= 0, 'a non-negative key and value');
    if (2 * (this.size + 1) > this.keys.length) this.rehash(this.bits + 1);
    const mask = this.keys.length - 1;
    let i = this.home(id);
    while (this.keys[i] !== EMPTY) {
      assert(this.keys[i] !== id, 'a key is set once');
      i = (i + 1) & mask;
    }
    this.keys[i] = id;
    this.values[i] = value;
    this.size++;
  }

  /** Forgets `id`, closing the gap so that no probe stops short (backward shift). */
  delete(id: number): void {
    const mask = this.keys.length - 1;
    let i = this.home(id);
    while (this.keys[i] !== id) {
      assert(this.keys[i] !== EMPTY, 'a key deleted is held');
      i = (i + 1) & mask;
    }
    for (let j = (i + 1) & mask; this.keys[j] !== EMPTY; j = (j + 1) & mask) {
      // The entry at j may fill the gap at i when i lies on its probe path, from its home up to j.
      const h = this.home(this.keys[j]);
      if (((i - h) & mask) < ((j - h) & mask)) {
        this.keys[i] = this.keys[j];
        this.values[i] = this.values[j];
        i = j;
      }
    }
    this.keys[i] = EMPTY;
    this.size--;
  }

  /** Fibonacci hashing: consecutive keys spread over the table. */
  private home(id: number): number {
    return Math.imul(id, 0x9e3779b1) >>> (32 - this.bits);
  }

  private rehash(bits: number): void {
    const { keys, values } = this;
    this.bits = bits;
    this.keys = new Int32Array(1 << bits).fill(EMPTY);
    this.values = new Int32Array(1 << bits);
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== EMPTY) this.set(keys[i], values[i]);
  }
}
