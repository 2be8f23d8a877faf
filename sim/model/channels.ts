/**
 * Purchase channels of payers: each prefers one (the scenario's mix), and a share of those whose
 * channel is much dearer than the cheapest (the web, usually) buys there instead. Prices are compared
 * on each channel's smallest pack — the "from 70 coins for $0.74" a viewer actually sees.
 */
import { assert } from '../../common/assert.ts';
import { centsPerThousandCoins } from '../economy/rules.ts';
import type { Channel } from '../economy/types.ts';
import type { Rng } from '../random/index.ts';

export interface ChannelChoiceSpec {
  /** Share of payers preferring each channel id (normalised; ids not listed get none). */
  mix: Record<string, number>;
  /** Switch when the cheapest channel is at least this much cheaper per coin (0.2 = 20 %). */
  priceGap: number;
  probability: number;
}

export class ChannelChooser {
  private readonly preferCum: Float64Array;
  /** Chance that a payer preferring channel i buys on `cheapest` instead. */
  readonly switchChance: Float64Array;
  readonly cheapest: number;

  constructor(channels: readonly Channel[], spec: ChannelChoiceSpec) {
    const perCoin = channels.map((c) => {
      const smallest = [...c.packs].sort((a, b) => a.coins - b.coins || a.priceCents - b.priceCents)[0];
      return centsPerThousandCoins(smallest);
    });
    this.cheapest = perCoin.indexOf(Math.min(...perCoin));
    this.switchChance = Float64Array.from(channels, (_, i) => {
      const gap = 1 - perCoin[this.cheapest] / perCoin[i];
      return i !== this.cheapest && gap >= spec.priceGap ? spec.probability : 0;
    });
    this.preferCum = new Float64Array(channels.length);
    let sum = 0;
    channels.forEach((c, i) => {
      sum += spec.mix[c.id] ?? 0;
      this.preferCum[i] = sum;
    });
    assert(sum > 0, 'the channel mix must give some channel a share');
  }

  /** Preferred channel, then the switch: two draws per payer. */
  choose(rng: Rng): number {
    const target = rng() * this.preferCum[this.preferCum.length - 1];
    let preferred = 0;
    while (this.preferCum[preferred] <= target) preferred++;
    return rng() < this.switchChance[preferred] ? this.cheapest : preferred;
  }
}
