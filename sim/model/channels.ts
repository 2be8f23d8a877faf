/**
 * Purchase channels of payers. Each payer prefers one (the scenario's mix, `viewers.channels`); then
 * one of two rules, decided per payer from exactly two uniform draws whatever the parameters (the
 * preference, then the choice), so that no other attribute of the population stream moves; when prices
 * change during the run, the payer chooses again with the same two draws (`chooseFrom`):
 *
 * - `ChannelChooser`, the previous one-off switch (`viewers.webSwitch`; scenarios without
 *   `demand.channelChoice`): a share of those whose channel is much dearer than the cheapest buys
 *   there instead. Prices are compared on each channel's smallest pack — the "from 70 coins for $0.74"
 *   a viewer actually sees.
 * - `ChannelLogit` (`demand.channelChoice`): a share `friction` of payers never leaves its preferred
 *   channel; the others choose among the channels within their reach by a multinomial logit on the
 *   price per coin of what they would buy there. Payer with budget b (wallet cents a day), preferred
 *   channel p:
 *
 *     P(c) = friction × [c = p] + (1 − friction) × s_c × r_c(b)^−β / Σ_{d ∈ S} s_d × r_d(b)^−β   for c ∈ S
 *
 *   where s_c is c's share of the mix (so equal prices give the mix back), β = priceSensitivity, and
 *   r_c(b) the best list price per coin among c's packs whose wallet cost is at most what a wallet on c
 *   holds, max(b, c's cheapest pack) (budget.ts). The choice set S is the preferred channel and every
 *   channel whose cheapest pack fits a day's budget: a payer does not move to a channel it would have
 *   to save up for (it may stay on its own one, and save up there, as before). Payers see list prices:
 *   store and card fees come out of what they pay, not on top of it, so fees do not enter the choice.
 *   A channel with no share of the mix is never chosen.
 */
import { assert } from '../../common/assert.ts';
import { limits } from '../../common/limits.ts';
import { centsPerThousandCoins } from '../economy/rules.ts';
import type { Channel } from '../economy/types.ts';
import type { Rng } from '../random/index.ts';
import type { PackShelves } from './packs.ts';

/** How the model draws a payer's channel: two uniforms from `rng`, whatever the rule and its parameters. */
export interface ChannelPicker {
  choose(rng: Rng, budgetPerDayCents: number): number;
  /** The same choice from its two uniforms (kept when prices change, to choose again with them). */
  chooseFrom(preference: number, choice: number, budgetPerDayCents: number): number;
}

export interface ChannelChoiceSpec {
  /** Share of payers preferring each channel id (normalised; ids not listed get none). */
  mix: Record<string, number>;
  /** Switch when the cheapest channel is at least this much cheaper per coin (0.2 = 20 %). */
  priceGap: number;
  probability: number;
}

export interface ChannelLogitSpec {
  /** Share of payers preferring each channel id (normalised; ids not listed get none). */
  mix: Record<string, number>;
  /** Share of payers who never leave their preferred channel (0..1). */
  friction: number;
  /** β: the utility of a channel is −β × ln(price per coin) + ln(its mix share). */
  priceSensitivity: number;
}

/** Cumulative mix shares in the economy's channel order (asserted to give some channel a share). */
function preferenceCum(channels: readonly Channel[], mix: Record<string, number>): Float64Array {
  const cum = new Float64Array(channels.length);
  let sum = 0;
  channels.forEach((c, i) => {
    sum += mix[c.id] ?? 0;
    cum[i] = sum;
  });
  assert(sum > 0, 'the channel mix must give some channel a share');
  return cum;
}

/** The preferred channel for a uniform draw `u`. */
function preferredOf(cum: Float64Array, u: number): number {
  const target = u * cum[cum.length - 1];
  let preferred = 0;
  while (cum[preferred] <= target) preferred++;
  return preferred;
}

export class ChannelChooser implements ChannelPicker {
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
    this.preferCum = preferenceCum(channels, spec.mix);
  }

  /** Preferred channel, then the switch: two draws per payer (the budget plays no part). */
  choose(rng: Rng): number {
    const preferred = preferredOf(this.preferCum, rng());
    return rng() < this.switchChance[preferred] ? this.cheapest : preferred;
  }

  chooseFrom(preference: number, choice: number): number {
    const preferred = preferredOf(this.preferCum, preference);
    return choice < this.switchChance[preferred] ? this.cheapest : preferred;
  }
}

export class ChannelLogit implements ChannelPicker {
  readonly friction: number;
  readonly priceSensitivity: number;
  private readonly preferCum: Float64Array;
  /** ln of each channel's share of the mix; −∞ for none. */
  private readonly logShare: Float64Array;
  /** Wallet cents of each channel's cheapest pack. */
  private readonly cheapestCents: Float64Array;
  /** Channel c's packs are [first[c], first[c + 1]) of the two arrays below, by wallet cost. */
  private readonly first: Int32Array;
  private readonly costCents: Float64Array;
  /** ln of the best list price per coin among the channel's packs up to this one. */
  private readonly logRateBest: Float64Array;
  /** Per payer: each channel's weight (scratch, so that a choice allocates nothing). */
  private readonly weight: Float64Array;

  /** `shelves`: the packs on sale, with their wallet costs, in one market state (one logit per state). */
  constructor(channels: readonly Channel[], shelves: PackShelves, spec: ChannelLogitSpec) {
    const n = channels.length;
    assert(n >= 1, 'at least one channel');
    assert(n <= limits.channelsMax, 'at most channelsMax channels');
    assert(spec.friction >= 0, 'friction is a share, ≥ 0');
    assert(spec.friction <= 1, 'friction is a share, ≤ 1');
    assert(spec.priceSensitivity >= 0, 'a price sensitivity is ≥ 0');
    assert(Number.isFinite(spec.priceSensitivity), 'a price sensitivity is finite');
    this.friction = spec.friction;
    this.priceSensitivity = spec.priceSensitivity;
    this.preferCum = preferenceCum(channels, spec.mix);
    const total = this.preferCum[n - 1];
    this.logShare = Float64Array.from(channels, (c) => Math.log((spec.mix[c.id] ?? 0) / total));
    const packs = channels.map((_, c) =>
      Array.from({ length: shelves.packCount(c) }, (_, k) => ({
        costCents: shelves.costCents(c, k),
        logRate: Math.log(shelves.priceCents(c, k) / shelves.coins(c, k)),
      })).sort((a, b) => a.costCents - b.costCents),
    );
    this.first = new Int32Array(n + 1);
    for (let c = 0; c < n; c++) this.first[c + 1] = this.first[c] + packs[c].length;
    const flat = packs.flat();
    this.costCents = Float64Array.from(flat, (p) => p.costCents);
    this.logRateBest = Float64Array.from(flat, (p) => p.logRate);
    for (let c = 0; c < n; c++) {
      for (let k = this.first[c] + 1; k < this.first[c + 1]; k++)
        this.logRateBest[k] = Math.min(this.logRateBest[k], this.logRateBest[k - 1]);
    }
    this.cheapestCents = Float64Array.from(channels, (_, c) => this.costCents[this.first[c]]);
    this.weight = new Float64Array(n);
  }

  /** Preferred channel from the first draw; the second keeps it (friction) or inverts the logit's CDF. */
  choose(rng: Rng, budgetPerDayCents: number): number {
    const preference = rng();
    return this.chooseFrom(preference, rng(), budgetPerDayCents);
  }

  chooseFrom(preference: number, u: number, budgetPerDayCents: number): number {
    const preferred = preferredOf(this.preferCum, preference);
    if (u < this.friction) return preferred;
    const total = this.weigh(preferred, budgetPerDayCents);
    let x = ((u - this.friction) / (1 - this.friction)) * total;
    let last = preferred;
    for (let c = 0; c < this.weight.length; c++) {
      if (this.weight[c] === 0) continue;
      last = c;
      x -= this.weight[c];
      if (x < 0) return c;
    }
    return last;
  }

  /** P(c) for a payer preferring `preferred` with this budget, written into `out` (the closed form above). */
  probabilities(preferred: number, budgetPerDayCents: number, out: Float64Array): Float64Array {
    assert(this.logShare[preferred] > Number.NEGATIVE_INFINITY, 'a preferred channel has a share of the mix');
    const total = this.weigh(preferred, budgetPerDayCents);
    for (let c = 0; c < out.length; c++) {
      out[c] = (1 - this.friction) * (this.weight[c] / total) + (c === preferred ? this.friction : 0);
    }
    return out;
  }

  /** ln of the best list price per coin among channel c's packs whose wallet cost is at most `reachCents`. */
  logRateWithin(c: number, reachCents: number): number {
    let k = this.first[c];
    while (k + 1 < this.first[c + 1] && this.costCents[k + 1] <= reachCents) k++;
    return this.logRateBest[k];
  }

  /** Fills `weight` with each channel's logit weight for this payer (the largest is 1); returns their sum. */
  private weigh(preferred: number, budgetPerDayCents: number): number {
    const w = this.weight;
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < w.length; c++) {
      const within = c === preferred || this.cheapestCents[c] <= budgetPerDayCents;
      const reach = Math.max(budgetPerDayCents, this.cheapestCents[c]);
      w[c] = within
        ? this.logShare[c] - this.priceSensitivity * this.logRateWithin(c, reach)
        : Number.NEGATIVE_INFINITY;
      max = Math.max(max, w[c]);
    }
    assert(max > Number.NEGATIVE_INFINITY, 'the preferred channel is always within reach');
    let total = 0;
    for (let c = 0; c < w.length; c++) {
      w[c] = Math.exp(w[c] - max);
      total += w[c];
    }
    return total;
  }
}
