/**
 * Fenwick (binary indexed) trees of whole-number weights: the live streams a joining viewer picks from,
 * one tree per market. Element c (a creator) belongs to tree c mod trees at position ⌊c / trees⌋, so the
 * trees differ in size by at most one and, with one tree, element c is at position c. Adding or removing
 * a stream and drawing one are O(log n) in its market's size; the weights are integers held exactly in
 * doubles, so a tree never drifts however often streams start and stop.
 */
import { assert } from '../../common/assert.ts';
import { membersIn } from './markets.ts';

export class Fenwick {
  /** Tree t's node i (1-based) is at t × stride + i. */
  private readonly tree: Float64Array;
  private readonly stride: number;
  private readonly sums: Float64Array;
  /** The highest power of two within a tree's size: trees have ⌊size / trees⌋ elements, or one more. */
  private readonly topSmall: number;
  private readonly topBig: number;
  private sum = 0;

  constructor(
    readonly size: number,
    readonly trees = 1,
  ) {
    assert(Number.isSafeInteger(size) && size >= 1, 'Fenwick size must be a positive integer');
    assert(Number.isSafeInteger(trees) && trees >= 1 && trees <= size, 'between 1 and size trees');
    this.stride = Math.ceil(size / trees) + 1;
    this.tree = new Float64Array(trees * this.stride);
    this.sums = new Float64Array(trees);
    this.topSmall = topStep(Math.floor(size / trees));
    this.topBig = topStep(Math.floor(size / trees) + 1);
  }

  /** The sum of every weight, over all trees. */
  get total(): number {
    return this.sum;
  }

  /** The sum of tree t's weights. */
  totalOf(t: number): number {
    return this.sums[t];
  }

  /** Elements in tree t. */
  sizeOf(t: number): number {
    return membersIn(this.size, this.trees, t);
  }

  add(index: number, delta: number): void {
    const t = index % this.trees;
    const base = t * this.stride;
    const n = this.sizeOf(t);
    this.sum += delta;
    this.sums[t] += delta;
    for (let i = Math.floor(index / this.trees) + 1; i <= n; i += i & -i) this.tree[base + i] += delta;
  }

  /** The element of tree t whose cumulative range holds `target` (0 <= target < totalOf(t)). */
  find(target: number, t = 0): number {
    const base = t * this.stride;
    const n = this.sizeOf(t);
    let step = t < this.size % this.trees ? this.topBig : this.topSmall;
    let pos = 0;
    let rest = target;
    for (; step > 0; step >>= 1) {
      const next = pos + step;
      if (next <= n && this.tree[base + next] <= rest) {
        pos = next;
        rest -= this.tree[base + next];
      }
    }
    return pos * this.trees + t;
  }

  /** Draws an element of tree t in proportion to its weight, from a uniform in [0, 1). */
  sample(u: number, t = 0): number {
    return this.find(Math.floor(u * this.sums[t]), t);
  }
}

function topStep(n: number): number {
  let step = 1;
  while (step * 2 <= n) step *= 2;
  return step;
}
