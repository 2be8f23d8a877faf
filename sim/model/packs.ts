/**
 * Which pack a viewer buys. The rule, per purchase channel: when the coins held cannot cover the gift
 * wanted, buy the smallest pack (fewest coins) that covers the shortfall and fits the remaining budget;
 * if none does, buy the largest pack that fits and look again. At most `packsPerGiftMax` packs per gift.
 * `reach` is what that rule can buy at most, so "a gift I can afford" is decided before buying.
 */
import { assert } from '../../common/assert.ts';
import { modelLimits } from '../../common/limits.ts';
import type { Channel } from '../economy/types.ts';

interface Shelf {
  /** Position → index in the channel's pack list; sorted by coins, then price. */
  ledgerIndex: Int32Array;
  coins: Float64Array;
  priceCents: Float64Array;
  cheapestCents: number;
  /** Coins a cent buys, over all the channel's packs together. */
  coinsPerCent: number;
}

export class PackShelves {
  private readonly shelves: Shelf[];

  constructor(channels: readonly Channel[]) {
    this.shelves = channels.map((channel) => {
      const packs = channel.packs;
      const order = packs
        .map((_, i) => i)
        .sort(
          (a, b) => packs[a].coins - packs[b].coins || packs[a].priceCents - packs[b].priceCents || a - b,
        );
      assert(order.length > 0, `${channel.id} has no packs`);
      return {
        ledgerIndex: Int32Array.from(order),
        coins: Float64Array.from(order, (i) => packs[i].coins),
        priceCents: Float64Array.from(order, (i) => packs[i].priceCents),
        cheapestCents: Math.min(...packs.map((p) => p.priceCents)),
        coinsPerCent: sum(packs.map((p) => p.coins)) / sum(packs.map((p) => p.priceCents)),
      };
    });
  }

  cheapestCents(channel: number): number {
    return this.shelves[channel].cheapestCents;
  }

  coinsPerCent(channel: number): number {
    return this.shelves[channel].coinsPerCent;
  }

  /** Most coins the rule can buy with `budgetCents` (the largest fitting pack, again and again). */
  reach(channel: number, budgetCents: number): number {
    const s = this.shelves[channel];
    let budget = budgetCents;
    let slots = modelLimits.packsPerGiftMax;
    let coins = 0;
    for (let k = s.coins.length - 1; k >= 0 && slots > 0; k--) {
      if (s.priceCents[k] > budget) continue;
      const n = Math.min(slots, Math.floor(budget / s.priceCents[k]));
      coins += n * s.coins[k];
      budget -= n * s.priceCents[k];
      slots -= n;
    }
    return coins;
  }

  /** Position of the next pack to buy towards `needCoins`, or −1 when nothing fits the budget. */
  next(channel: number, needCoins: number, budgetCents: number): number {
    const s = this.shelves[channel];
    let largest = -1;
    for (let k = 0; k < s.coins.length; k++) {
      if (s.priceCents[k] > budgetCents) continue;
      if (s.coins[k] >= needCoins) return k;
      largest = k;
    }
    return largest;
  }

  ledgerIndex(channel: number, position: number): number {
    return this.shelves[channel].ledgerIndex[position];
  }

  priceCents(channel: number, position: number): number {
    return this.shelves[channel].priceCents[position];
  }

  coins(channel: number, position: number): number {
    return this.shelves[channel].coins[position];
  }
}

function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
