/**
 * The packs each channel offers, as a payer's wallet sees them, and how a payer whose coins cannot cover
 * the gift it wants picks the next pack (at most `packsPerGiftMax` packs per gift; `reach` is what the
 * largest fitting pack, again and again, buys at most, so "a gift I can afford" is decided before buying):
 *
 * - `smallest` (the previous model): the smallest pack (fewest coins) that covers the shortfall and fits
 *   the wallet; if none does, the largest that fits, and look again;
 * - `value`: among the packs the wallet allows, a logit on value for money. A payer plans to gift
 *   `plan` coins (the shortfall, or what its budget buys in a day if more); a pack of q coins is worth
 *   min(q, plan) + heldCoinWorth × max(0, q − plan) coins to it (coins beyond the plan are held, worth
 *   less), and costs its wallet cost plus `effortCents` (the bother of a purchase, which favours one big
 *   pack over several small ones). Pack k is chosen with probability ∝ (worth_k / cost_k)^sharpness: a
 *   heavy gifter tops up with a big pack and holds coins, and a dominated pack (no more coins for more
 *   money) is chosen at most as often as the pack that dominates it — rarely, with a high sharpness.
 *
 * A pack has a list price (what the ledger charges) and a wallet cost: what it takes from a payer's
 * wallet, which counts budgets in reference cents (demand.ts). At reference prices the two are equal.
 */
import { assert } from '../../common/assert.ts';
import { modelLimits } from '../../common/limits.ts';
import type { Channel } from '../economy/types.ts';
import { walletCost } from './demand.ts';

interface Shelf {
  /** Position → index in the channel's pack list; sorted by coins, then price. */
  ledgerIndex: Int32Array;
  coins: Float64Array;
  priceCents: Float64Array;
  /** Wallet cents each pack takes. */
  costCents: Float64Array;
  cheapestCostCents: number;
  /** Coins a wallet cent buys, over all the channel's packs together. */
  coinsPerCostCent: number;
  /** Scratch for choose: each pack's value, then its weight (no allocation per purchase). */
  weight: Float64Array;
}

/** How a payer picks packs: the scenario's `demand.packChoice`. */
export interface PackChoice {
  rule: 'smallest' | 'value';
  /** Exponent of the logit on worth per cost: 0 picks uniformly, ∞ always the best value. */
  sharpness: number;
  /** What a coin beyond the plan is worth, relative to one the payer plans to gift (0..1). */
  heldCoinWorth: number;
  /** Wallet cents a purchase costs in bother, on top of its price. */
  effortCents: number;
}

/** The previous model's rule: no draw, the smallest covering pack. */
export const SMALLEST_COVERING: PackChoice = {
  rule: 'smallest',
  sharpness: 0,
  heldCoinWorth: 0,
  effortCents: 0,
};

/** Coins of worth per wallet cent of a pack of `coins` costing `costCents`, to a payer planning `planCoins`. */
export function packValue(coins: number, costCents: number, planCoins: number, choice: PackChoice): number {
  const worth = Math.min(coins, planCoins) + choice.heldCoinWorth * Math.max(0, coins - planCoins);
  return worth / (costCents + choice.effortCents);
}

export interface ShelfOptions {
  /** Per channel: the packs on sale (indices into its pack list; default all). */
  offered?: readonly (readonly number[])[];
  /** Per channel: list cents a wallet cent pays for (default 1). */
  walletFactors?: readonly number[];
}

export class PackShelves {
  private readonly shelves: Shelf[];

  constructor(channels: readonly Channel[], options: ShelfOptions = {}) {
    this.shelves = channels.map((channel, c) => {
      const packs = channel.packs;
      const factor = options.walletFactors?.[c] ?? 1;
      assert(factor > 0 && Number.isFinite(factor), 'a wallet factor is positive');
      const order = [...(options.offered?.[c] ?? packs.map((_, i) => i))].sort(
        (a, b) => packs[a].coins - packs[b].coins || packs[a].priceCents - packs[b].priceCents || a - b,
      );
      assert(order.length > 0, `${channel.id} has no packs`);
      const cost = Float64Array.from(order, (i) => walletCost(packs[i].priceCents, factor));
      return {
        ledgerIndex: Int32Array.from(order),
        coins: Float64Array.from(order, (i) => packs[i].coins),
        priceCents: Float64Array.from(order, (i) => packs[i].priceCents),
        costCents: cost,
        cheapestCostCents: Math.min(...cost),
        coinsPerCostCent: sum(order.map((i) => packs[i].coins)) / sum([...cost]),
        weight: new Float64Array(order.length),
      };
    });
  }

  /** Packs on sale on the channel: positions 0 to packCount − 1. */
  packCount(channel: number): number {
    return this.shelves[channel].coins.length;
  }

  /** Wallet cents of the channel's cheapest pack. */
  cheapestCostCents(channel: number): number {
    return this.shelves[channel].cheapestCostCents;
  }

  coinsPerCostCent(channel: number): number {
    return this.shelves[channel].coinsPerCostCent;
  }

  /** Most coins the rule can buy with `walletCents` (the largest fitting pack, again and again). */
  reach(channel: number, walletCents: number): number {
    const s = this.shelves[channel];
    let budget = walletCents;
    let slots = modelLimits.packsPerGiftMax;
    let coins = 0;
    for (let k = s.coins.length - 1; k >= 0 && slots > 0; k--) {
      if (s.costCents[k] > budget) continue;
      const n = Math.min(slots, Math.floor(budget / s.costCents[k]));
      coins += n * s.coins[k];
      budget -= n * s.costCents[k];
      slots -= n;
    }
    return coins;
  }

  /** Position of the next pack to buy towards `needCoins`, or −1 when nothing fits the wallet. */
  next(channel: number, needCoins: number, walletCents: number): number {
    const s = this.shelves[channel];
    let largest = -1;
    for (let k = 0; k < s.coins.length; k++) {
      if (s.costCents[k] > walletCents) continue;
      if (s.coins[k] >= needCoins) return k;
      largest = k;
    }
    return largest;
  }

  /**
   * Position of the pack a `value` payer picks towards `needCoins` while planning `planCoins` (at least
   * the need), given a uniform draw `u`; −1 when nothing fits the wallet. Allocation-free: three passes
   * over a handful of packs.
   */
  choose(
    channel: number,
    needCoins: number,
    planCoins: number,
    walletCents: number,
    choice: PackChoice,
    u: number,
  ): number {
    const s = this.shelves[channel];
    const plan = Math.max(needCoins, planCoins);
    // Each pack's value, then its weight, worked out once (kept in `weight`) and read again.
    const weight = s.weight;
    let best = 0;
    for (let k = 0; k < s.coins.length; k++) {
      if (s.costCents[k] > walletCents) continue;
      weight[k] = packValue(s.coins[k], s.costCents[k], plan, choice);
      best = Math.max(best, weight[k]);
    }
    if (best === 0) return -1;
    let total = 0;
    for (let k = 0; k < s.coins.length; k++) {
      if (s.costCents[k] > walletCents) continue;
      weight[k] = (weight[k] / best) ** choice.sharpness;
      total += weight[k];
    }
    let x = u * total;
    let last = -1;
    for (let k = 0; k < s.coins.length; k++) {
      if (s.costCents[k] > walletCents) continue;
      last = k;
      x -= weight[k];
      if (x < 0) return k;
    }
    return last;
  }

  ledgerIndex(channel: number, position: number): number {
    return this.shelves[channel].ledgerIndex[position];
  }

  priceCents(channel: number, position: number): number {
    return this.shelves[channel].priceCents[position];
  }

  costCents(channel: number, position: number): number {
    return this.shelves[channel].costCents[position];
  }

  coins(channel: number, position: number): number {
    return this.shelves[channel].coins[position];
  }

  /** The channel's entry pack (fewest coins, then cheapest): its position is 0. */
  entryLedgerIndex(channel: number): number {
    return this.shelves[channel].ledgerIndex[0];
  }
}

function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
