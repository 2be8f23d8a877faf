/**
 * Weighted pickers of whole-number weights: the live streams a joining viewer picks from, one tree per
 * market. Element c (a creator) belongs to tree c mod trees at position ⌊c / trees⌋, so the trees differ
 * in size by at most one and, with one tree, element c is at position c. Drawing returns what a Fenwick
 * (binary indexed) tree's descent would: the element whose cumulative range holds the target.
 *
 * Each tree is a 16-ary tree of sums rather than a binary indexed one: a draw scans at most 16 sums a
 * level (three levels for a market of 1,000 creators) instead of descending one branch a level, and an
 * add touches one sum a level. The scans run over adjacent memory with few mispredicted branches, and
 * popular elements (low positions: Zipf weights fall with the position) are found early. The weights
 * are integers held exactly in doubles, so a tree never drifts however often streams start and stop,
 * and every draw is the same as the binary indexed tree's.
 */
import { assert } from '../../common/assert.ts';
import { membersIn } from './markets.ts';

/** Children per node (a power of two): its log. */
const FAN_BITS = 4;

export class Fenwick {
  /**
   * Level 0 holds the weights; level k + 1 holds the sums of 16 consecutive nodes of level k. Tree t's
   * node i of level k is at t × strides[k] + i.
   */
  private readonly levels: Float64Array[];
  private readonly strides: Int32Array;
  private readonly sums: Float64Array;
  private sum = 0;

  constructor(
    readonly size: number,
    readonly trees = 1,
  ) {
    assert(Number.isSafeInteger(size) && size >= 1, 'Fenwick size must be a positive integer');
    assert(Number.isSafeInteger(trees) && trees >= 1 && trees <= size, 'between 1 and size trees');
    const strides = [Math.ceil(size / trees)];
    while (strides[strides.length - 1] > 1 << FAN_BITS)
      strides.push(Math.ceil(strides[strides.length - 1] / (1 << FAN_BITS)));
    this.strides = Int32Array.from(strides);
    this.levels = strides.map((stride) => new Float64Array(trees * stride));
    this.sums = new Float64Array(trees);
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
    const trees = this.trees;
    const t = trees === 1 ? 0 : index % trees;
    const pos = trees === 1 ? index : Math.floor(index / trees);
    this.sum += delta;
    this.sums[t] += delta;
    const levels = this.levels;
    for (let k = 0; k < levels.length; k++) levels[k][t * this.strides[k] + (pos >> (k * FAN_BITS))] += delta;
  }

  /** The element of tree t whose cumulative range holds `target` (0 <= target < totalOf(t)). */
  find(target: number, t = 0): number {
    // Past the last weight: the binary indexed tree's answer, one past the tree's last position.
    if (target >= this.sums[t]) return this.sizeOf(t) * this.trees + t;
    const levels = this.levels;
    let rest = target;
    let pos = 0;
    // Each level's scan stops within the node its parent chose, whose sum exceeds what is left.
    for (let k = levels.length - 1; k >= 0; k--) {
      const level = levels[k];
      const base = t * this.strides[k];
      let i = base + (pos << FAN_BITS);
      for (let w = level[i]; w <= rest; w = level[++i]) rest -= w;
      pos = i - base;
    }
    return pos * this.trees + t;
  }

  /** Draws an element of tree t in proportion to its weight, from a uniform in [0, 1). */
  sample(u: number, t = 0): number {
    return this.find(Math.floor(u * this.sums[t]), t);
  }
}
