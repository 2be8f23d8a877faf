/**
 * Viewer slots that departed viewers hand on (with arrivals and a survival curve). A slot is storage —
 * one row of the per-viewer typed arrays — and a viewer number is identity: its ledger account, its
 * market, its rows in the outputs. Without reuse they are the same number and the table holds a slot
 * for every viewer the run will ever see; with reuse an arrival takes a free slot (or a new one at the
 * end of the table), so the table holds about the most viewers present at once, whatever the run's
 * length.
 *
 * - `SlotMap`: viewer number → slot, for the viewers present (open addressing, linear probing; room for
 *   twice the slots, so it is bounded by the table, not by the arrivals). The engine asks it when it
 *   reaches viewers by number: a viral stream drawing viewers in, a price change deciding again.
 * - The free slots, a stack (the slot freed last, still warm in cache, is taken first).
 * - `lastDue`: per slot, the last second any event was put in the timing wheel for it. A departed
 *   viewer may leave entries in the wheel after it (an entry becomes stale when its viewer is
 *   rescheduled, e.g. drawn into a viral stream while it waited for its next session). A stale entry is
 *   skipped because it is not the slot's pending second — but for a new owner whose pending event fell
 *   on that very second it would be, and would run that event early, out of the order the run without
 *   reuse has. So a slot is freed only once its last entry has come due: at once when that is now or
 *   past, else when that entry is read (the engine marks the slot absent with that second pending).
 */
import { assert } from '../../common/assert.ts';
import { grownTo } from '../model/viewers.ts';

const EMPTY = -1;

/** Viewer number → slot, for the viewers present. */
export class SlotMap {
  private keys: Int32Array;
  private slots: Int32Array;
  private bits: number;
  size = 0;

  constructor(expected: number) {
    this.bits = Math.max(4, Math.ceil(Math.log2(Math.max(1, 2 * expected))));
    this.keys = new Int32Array(1 << this.bits).fill(EMPTY);
    this.slots = new Int32Array(1 << this.bits);
  }

  get bytes(): number {
    return this.keys.byteLength + this.slots.byteLength;
  }

  /** The slot of viewer `id`, or −1 when it is not present (not arrived yet, or gone). */
  get(id: number): number {
    const mask = this.keys.length - 1;
    for (let i = this.home(id); ; i = (i + 1) & mask) {
      const key = this.keys[i];
      if (key === id) return this.slots[i];
      if (key === EMPTY) return -1;
    }
  }

  set(id: number, slot: number): void {
    assert(id >= 0 && slot >= 0, 'a viewer number and a slot');
    if (2 * (this.size + 1) > this.keys.length) this.rehash(this.bits + 1);
    const mask = this.keys.length - 1;
    let i = this.home(id);
    while (this.keys[i] !== EMPTY) {
      assert(this.keys[i] !== id, 'a viewer holds one slot');
      i = (i + 1) & mask;
    }
    this.keys[i] = id;
    this.slots[i] = slot;
    this.size++;
  }

  /** Forgets viewer `id` (it left), closing the gap so that no probe stops short (backward shift). */
  delete(id: number): void {
    const mask = this.keys.length - 1;
    let i = this.home(id);
    while (this.keys[i] !== id) {
      assert(this.keys[i] !== EMPTY, 'a viewer present is in the map');
      i = (i + 1) & mask;
    }
    for (let j = (i + 1) & mask; this.keys[j] !== EMPTY; j = (j + 1) & mask) {
      // The entry at j may fill the gap at i when i lies on its probe path, from its home up to j.
      const h = this.home(this.keys[j]);
      if (((i - h) & mask) < ((j - h) & mask)) {
        this.keys[i] = this.keys[j];
        this.slots[i] = this.slots[j];
        i = j;
      }
    }
    this.keys[i] = EMPTY;
    this.size--;
  }

  /** Fibonacci hashing: consecutive viewer numbers spread over the table. */
  private home(id: number): number {
    return Math.imul(id, 0x9e3779b1) >>> (32 - this.bits);
  }

  private rehash(bits: number): void {
    const { keys, slots } = this;
    this.bits = bits;
    this.keys = new Int32Array(1 << bits).fill(EMPTY);
    this.slots = new Int32Array(1 << bits);
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== EMPTY) this.set(keys[i], slots[i]);
  }
}

/** The free slots and each slot's last second in the wheel; the viewer table is the engine's. */
export class SlotPool {
  readonly map: SlotMap;
  /** Per slot: the last second an event was scheduled for it in the wheel. */
  lastDue: Uint32Array;
  private free: Int32Array;
  private freeCount = 0;
  /** Slots whose release waited for a stale entry of theirs (a figure for tests and the bench). */
  deferred = 0;

  constructor(capacity: number, present: number) {
    this.map = new SlotMap(capacity);
    for (let id = 0; id < present; id++) this.map.set(id, id);
    this.lastDue = new Uint32Array(capacity);
    this.free = new Int32Array(capacity);
  }

  get bytes(): number {
    return this.map.bytes + this.lastDue.byteLength + this.free.byteLength;
  }

  get freeSlots(): number {
    return this.freeCount;
  }

  /** A free slot, or −1 when there is none (the engine then adds one to the table). */
  take(): number {
    return this.freeCount === 0 ? -1 : this.free[--this.freeCount];
  }

  /** Slot v is free for the next arrival. */
  release(v: number): void {
    assert(this.freeCount < this.free.length, 'a slot is freed once');
    this.free[this.freeCount++] = v;
  }

  /** Room for `capacity` slots. */
  grow(capacity: number): void {
    this.lastDue = grownTo(this.lastDue, capacity);
    this.free = grownTo(this.free, capacity);
  }
}
