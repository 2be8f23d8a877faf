/**
 * A Fenwick (binary indexed) tree of whole-number weights: the live streams a joining viewer picks
 * from. Adding or removing a stream and drawing one are O(log n); the weights are integers held
 * exactly in doubles, so the tree never drifts however often streams start and stop.
 */
import { assert } from '../../common/assert.ts';

export class Fenwick {
  private readonly tree: Float64Array;
  private readonly topStep: number;
  private sum = 0;

  constructor(readonly size: number) {
    assert(Number.isSafeInteger(size) && size >= 1, 'Fenwick size must be a positive integer');
    this.tree = new Float64Array(size + 1);
    let step = 1;
    while (step * 2 <= size) step *= 2;
    this.topStep = step;
  }

  get total(): number {
    return this.sum;
  }

  add(index: number, delta: number): void {
    this.sum += delta;
    for (let i = index + 1; i <= this.size; i += i & -i) this.tree[i] += delta;
  }

  /** The index whose cumulative range holds `target` (0 <= target < total). */
  find(target: number): number {
    let pos = 0;
    let rest = target;
    for (let step = this.topStep; step > 0; step >>= 1) {
      const next = pos + step;
      if (next <= this.size && this.tree[next] <= rest) {
        pos = next;
        rest -= this.tree[next];
      }
    }
    return pos;
  }

  /** Draws an index in proportion to its weight, from a uniform in [0, 1). */
  sample(u: number): number {
    return this.find(Math.floor(u * this.sum));
  }
}
