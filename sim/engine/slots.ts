/**
 * Viewer slots that departed viewers hand on (with arrivals and a survival curve). A slot is storage —
 * one row of the per-viewer typed arrays — and a viewer number is identity: its ledger account, its
 * market, its rows in the outputs. Without reuse they are the same number and the table holds a slot
 * for every viewer the run will ever see; with reuse an arrival takes a free slot (or a new one at the
 * end of the table), so the table holds about the most viewers present at once, whatever the run's
 * length.
 *
 * - `map`: viewer number → slot, for the viewers present (an IntMap, common/int-map.ts: bounded by the
 *   table, not by the arrivals). The engine asks it when it reaches viewers by number: a viral stream
 *   drawing viewers in, a price change deciding again.
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
import { IntMap } from '../../common/int-map.ts';
import { grownTo } from '../model/viewers.ts';

/** The free slots and each slot's last second in the wheel; the viewer table is the engine's. */
export class SlotPool {
  /** Viewer number → slot, for the viewers present. */
  readonly map: IntMap;
  /** Per slot: the last second an event was scheduled for it in the wheel. */
  lastDue: Uint32Array;
  private free: Int32Array;
  private freeCount = 0;
  /** Slots whose release waited for a stale entry of theirs (a figure for tests and the bench). */
  deferred = 0;

  constructor(capacity: number, present: number) {
    this.map = new IntMap(capacity);
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
