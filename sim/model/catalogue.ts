/**
 * The gift catalogue as a payer sees it: gifts sorted by price, so that "the gifts I can afford" is a
 * binary search. A payer picks among them by popularity × a pacing kernel that favours gifts near its
 * budget ÷ the gifts it expects to send (whales send big gifts, small budgets roses), and
 * visibility-minded payers weigh each gift by coins^tilt on top: they reach for the big ones.
 */
import { assert } from '../../common/assert.ts';
import type { Gift } from '../economy/types.ts';
import { pickCumulative, type Rng } from '../random/index.ts';

export class GiftCatalogue {
  /** Sorted position → index in the economy's gift list (what the ledger takes). */
  readonly ledgerIndex: Int32Array;
  /** Coins of each gift, ascending. */
  readonly coins: Float64Array;
  private readonly logCoins: Float64Array;
  private readonly plain: Float64Array;
  private readonly tilted: Float64Array;
  /** Cumulative weights of the last pick (reused: no allocation per gift), and what they were for. */
  private readonly scratch: Float64Array;
  private scratchBase: Float64Array | null = null;
  private scratchTarget = Number.NaN;
  private scratchPacing = Number.NaN;

  constructor(gifts: readonly Gift[], weights: readonly number[], tilt: number) {
    assert(gifts.length > 0 && gifts.length === weights.length, 'one weight per gift');
    const order = gifts.map((_, i) => i).sort((a, b) => gifts[a].coins - gifts[b].coins || a - b);
    this.ledgerIndex = Int32Array.from(order);
    this.coins = Float64Array.from(order, (i) => gifts[i].coins);
    this.logCoins = this.coins.map(Math.log);
    this.plain = Float64Array.from(order, (g) => weights[g]);
    this.tilted = Float64Array.from(order, (g) => weights[g] * gifts[g].coins ** tilt);
    this.scratch = new Float64Array(order.length);
    for (const w of this.plain) assert(w >= 0 && Number.isFinite(w), 'gift weights must be finite and >= 0');
  }

  get cheapestCoins(): number {
    return this.coins[0];
  }

  /** How many gifts (the cheapest ones) cost at most `coins`. */
  affordable(coins: number): number {
    let lo = 0;
    let hi = this.coins.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.coins[mid] <= coins) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Picks one of the `n` cheapest gifts: popularity (tilted to big gifts for `bigGifts`) times
   * exp(−pacing × ln²(coins / targetCoins) / 2). Returns −1 when none of them has any weight.
   */
  pick(rng: Rng, n: number, bigGifts: boolean, targetCoins: number, pacing: number): number {
    const base = bigGifts ? this.tilted : this.plain;
    // The sums depend on the payer alone, not on n: a payer's tries in a row (its days before the run)
    // reuse them. Summed over the whole catalogue, their first n are what summing n would give.
    if (base !== this.scratchBase || targetCoins !== this.scratchTarget || pacing !== this.scratchPacing) {
      const logTarget = Math.log(Math.max(1, targetCoins));
      let sum = 0;
      for (let k = 0; k < this.scratch.length; k++) {
        const d = this.logCoins[k] - logTarget;
        sum += pacing === 0 ? base[k] : base[k] * Math.exp((-pacing * d * d) / 2);
        this.scratch[k] = sum;
      }
      this.scratchBase = base;
      this.scratchTarget = targetCoins;
      this.scratchPacing = pacing;
    }
    if (n <= 0 || !(this.scratch[n - 1] > 0)) return -1;
    return pickCumulative(rng, this.scratch, n);
  }
}
