/**
 * A two-level timing wheel of one-second buckets. Each pending event is a slot number (a viewer, a
 * creator's next stream or stream end, a spike edge). Events in the current window of 1,024 seconds go
 * straight to that second's bucket; later ones to the bucket of their window, with their second, and
 * move down when time reaches it. So the buckets written to are few and stay in cache even when a
 * million viewers schedule their next session hours ahead, and reading a bucket walks memory in order.
 * Within a second, events run first in, first out. Windows are absolute: a year fits without wrapping.
 */
import { assert } from '../../common/assert.ts';
import type { Column } from '../../common/columns.ts';
import { limits } from '../../common/limits.ts';
import { Chains } from './chains.ts';

const WINDOW_BITS = 10;
const WINDOW = 1 << WINDOW_BITS;

export class TimingWheel {
  private readonly seconds: Chains;
  private readonly windows: Chains;
  private readonly windowCount: number;
  /** Start of the window whose seconds are in `seconds`. */
  private windowStart = 0;

  constructor(expectedPending: number, horizonSeconds: number) {
    assert(horizonSeconds <= limits.durationSecondsMax + WINDOW, 'horizon beyond the longest run');
    this.windowCount = (horizonSeconds >> WINDOW_BITS) + 2;
    // A second holds few events, a window thousands: small blocks for the one, large for the other.
    this.seconds = new Chains(WINDOW, 1, expectedPending / 16, 32);
    this.windows = new Chains(this.windowCount, 2, expectedPending, 64);
  }

  /** The chains' block pools, for a later wheel to take (common/columns.ts): once given, this one is not used again. */
  get columns(): Column[] {
    return [...this.seconds.columns, ...this.windows.columns];
  }

  get bytes(): number {
    return this.seconds.bytes + this.windows.bytes;
  }

  /** Appends `slot` to second `at`, which must not be before the current window. */
  schedule(slot: number, at: number): void {
    if (at - this.windowStart < WINDOW) this.seconds.push(at & (WINDOW - 1), slot, at);
    else this.windows.push(at >> WINDOW_BITS, slot, at);
  }

  /** Detaches the bucket of second `now` (seconds are taken in order); `nextSlot` then yields it. */
  take(now: number): void {
    assert(now >= this.windowStart, 'the wheel only moves forward');
    if (now - this.windowStart >= WINDOW) this.advance(now);
    this.seconds.open(now & (WINDOW - 1));
  }

  /** The next slot due this second, or −1. */
  nextSlot(): number {
    return this.seconds.read();
  }

  /** Moves to the window holding `now`, bringing its events down to their seconds. */
  private advance(now: number): void {
    this.windowStart = now - (now & (WINDOW - 1));
    const w = now >> WINDOW_BITS;
    assert(w < this.windowCount, 'time beyond the wheel');
    this.windows.open(w);
    for (let slot = this.windows.read(); slot >= 0; slot = this.windows.read()) {
      this.seconds.push(this.windows.time & (WINDOW - 1), slot, this.windows.time);
    }
  }
}
