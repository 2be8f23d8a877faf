/**
 * `compilePlan(scenario)`: the scenario's simulation, replication by replication (the same streams as
 * `giftlab run`), folded into arrival rates per operation over time, the purchase mix by channel and
 * pack, the gift mix by gift id and live stream or video, spender classes, hot streams and the
 * recipients' distribution over creator ranks. Deterministic for a scenario and seed.
 */

import { assert } from '../../common/assert.ts';
import { BP, loadLimits } from '../../common/limits.ts';
import { topShare } from '../../experiments/inequality.ts';
import { creatorSlots } from '../../scenarios/model-params.ts';
import type { Scenario } from '../../scenarios/schema/scenario.ts';
import { zipfWeights } from '../../sim/model/zipf.ts';
import { type Observed, observeReplication } from './observe.ts';
import { validatePlan } from './schema.ts';
import {
  PLAN_VERSION,
  type Plan,
  type PlanCreatorBucket,
  type PlanGift,
  type PlanInterval,
  type PlanPurchase,
  type PlanSpenderClass,
  type PlanStream,
} from './types.ts';

export interface PlanOptions {
  /** Replications to average over (default 1: the plan then equals `giftlab run`'s replication 0). */
  replications?: number;
  /** Hot streams listed (default 10). */
  hotStreams?: number;
}

/** Spender classes: the top 1 % of payers by spend, the next 9 %, the rest. */
const CLASS_TOPS: readonly [PlanSpenderClass['name'], number][] = [
  ['heavy', 0.01],
  ['regular', 0.1],
  ['light', 1],
];
/** Creator ranks drawn one by one before the buckets start doubling. */
const SINGLE_RANKS = 16;

export function compilePlan(scenario: Scenario, options: PlanOptions = {}): Plan {
  const replications = options.replications ?? 1;
  assert(
    Number.isSafeInteger(replications) && replications >= 1 && replications <= loadLimits.planReplicationsMax,
    'replications out of range',
  );
  const acc = new Accumulator(scenario);
  for (let r = 0; r < replications; r++) acc.add(observeReplication(scenario, r));
  const plan = acc.plan(replications, options.hotStreams ?? 10);
  validatePlan(plan, `plan of ${scenario.name}`);
  return plan;
}

class Accumulator {
  readonly intervals: number;
  readonly timeline: Float64Array;
  readonly packCounts: Float64Array;
  readonly giftRequests: Float64Array;
  readonly giftUnits: Float64Array;
  readonly giftLive: Float64Array;
  readonly creatorGifts: Float64Array;
  readonly classes = CLASS_TOPS.map(([name]) => new ClassAcc(name));
  topShareSum = 0;
  payers = 0;
  creatorsGifted = 0;
  totals = { bookingsCents: 0, coinsPurchased: 0, coinsGifted: 0, diamondsWithdrawn: 0, withdrawals: 0 };

  constructor(readonly scenario: Scenario) {
    const e = scenario.economy;
    this.intervals = Math.ceil(scenario.duration / scenario.intervalSeconds);
    this.timeline = new Float64Array(this.intervals * 3);
    this.packCounts = new Float64Array(e.channels.reduce((n, c) => n + c.packs.length, 0));
    this.giftRequests = new Float64Array(e.gifts.length);
    this.giftUnits = new Float64Array(e.gifts.length);
    this.giftLive = new Float64Array(e.gifts.length);
    // Creators who join during the run (lifecycle.creators) receive gifts too: one slot each.
    this.creatorGifts = new Float64Array(creatorSlots(scenario));
  }

  add(o: Observed): void {
    const classOf = this.rankPayers(o.spentCents);
    const p = o.purchases;
    const offsets = packOffsets(this.scenario);
    for (let i = 0; i < p.viewer.length; i++) {
      this.timeline[this.slot(p.at.data[i]) * 3]++;
      this.packCounts[offsets[p.channel.data[i]] + p.pack.data[i]]++;
      this.classes[classOf[p.viewer.data[i]]].purchase(this.scenario.economy.channels[p.channel.data[i]].id);
    }
    const g = o.gifts;
    for (let i = 0; i < g.viewer.length; i++) {
      const gift = g.gift.data[i];
      this.timeline[this.slot(g.at.data[i]) * 3 + 1]++;
      this.giftRequests[gift]++;
      this.giftUnits[gift] += g.count.data[i];
      this.giftLive[gift] += g.live.data[i];
      this.creatorGifts[g.creator.data[i]]++;
      this.classes[classOf[g.viewer.data[i]]].gift(this.scenario.economy.gifts[gift].id, g.count.data[i]);
    }
    const w = o.withdrawals;
    for (let i = 0; i < w.creator.length; i++) this.timeline[this.slot(w.at.data[i]) * 3 + 2]++;
    this.totals.bookingsCents += o.bookingsCents;
    this.totals.coinsPurchased += o.coinsPurchased;
    this.totals.coinsGifted += o.coinsGifted;
    this.totals.diamondsWithdrawn += o.diamondsWithdrawn;
    this.totals.withdrawals += w.creator.length;
    const gifted = new Set<number>();
    for (let i = 0; i < g.creator.length; i++) gifted.add(g.creator.data[i]);
    this.creatorsGifted += gifted.size;
  }

  /** Class index per viewer (payers by spend, most first; non-payers in the last class, unused). */
  private rankPayers(spent: Int32Array): Uint8Array {
    const payers: number[] = [];
    for (let v = 0; v < spent.length; v++) if (spent[v] > 0) payers.push(v);
    payers.sort((a, b) => spent[b] - spent[a] || a - b);
    const classOf = new Uint8Array(spent.length).fill(CLASS_TOPS.length - 1);
    let start = 0;
    CLASS_TOPS.forEach(([, top], k) => {
      const end =
        k === CLASS_TOPS.length - 1
          ? payers.length
          : Math.min(payers.length, Math.max(start, Math.ceil(payers.length * top), k === 0 ? 1 : 0));
      for (let i = start; i < end; i++) {
        classOf[payers[i]] = k;
        this.classes[k].spend(spent[payers[i]]);
      }
      this.classes[k].payers += end - start;
      start = end;
    });
    this.payers += payers.length;
    this.topShareSum += topShare(Float64Array.from(payers, (v) => spent[v]).sort(), 0.01);
    return classOf;
  }

  private slot(at: number): number {
    return Math.min(this.intervals - 1, Math.max(0, Math.floor(at / this.scenario.intervalSeconds)));
  }

  plan(replications: number, hot: number): Plan {
    const s = this.scenario;
    const sum = (a: Float64Array, from = 0, step = 1) => {
      let t = 0;
      for (let i = from; i < a.length; i += step) t += a[i];
      return t;
    };
    const purchases = sum(this.timeline, 0, 3);
    const gifts = sum(this.timeline, 1, 3);
    const withdrawals = sum(this.timeline, 2, 3);
    const perRun = (x: number) => x / replications;
    const perSecond = (x: number) => x / replications / s.duration;
    return {
      version: PLAN_VERSION,
      generator: 'giftlab plan (load/plan): the simulation model and engine, operations counted',
      scenario: {
        name: s.name,
        seed: s.seed,
        durationSeconds: s.duration,
        intervalSeconds: s.intervalSeconds,
        viewers: s.population.viewers,
        creators: s.population.creators,
      },
      replications,
      totals: {
        purchases: perRun(purchases),
        gifts: perRun(gifts),
        giftUnits: perRun(sum(this.giftUnits)),
        withdrawals: perRun(withdrawals),
        coinsPurchased: perRun(this.totals.coinsPurchased),
        coinsGifted: perRun(this.totals.coinsGifted),
        bookingsCents: perRun(this.totals.bookingsCents),
        diamondsWithdrawn: perRun(this.totals.diamondsWithdrawn),
      },
      rates: { purchase: perSecond(purchases), gift: perSecond(gifts), withdrawal: perSecond(withdrawals) },
      timeline: this.timelineRows(replications),
      purchases: this.purchaseRows(purchases, replications),
      gifts: this.giftRows(gifts, replications),
      streamShare: gifts === 0 ? 1 : sum(this.giftLive) / gifts,
      pools: {
        viewers: s.population.viewers,
        creators: this.creatorGifts.length,
        payers: perRun(this.payers),
        creatorsGifted: perRun(this.creatorsGifted),
      },
      spenders: {
        classes: this.classes.map((c) => c.row(this.payers, this.classes, this.scenario, replications)),
        topShare1Pct: this.topShareSum / replications,
      },
      hotStreams: this.hotStreams(hot, gifts, replications),
      creators: creatorBuckets(this.creatorGifts, s),
      withdrawal: {
        minDiamonds: s.economy.withdrawal.minDiamonds,
        atDiamonds: s.creators.withdrawAtDiamonds,
        meanDiamonds: withdrawals === 0 ? 0 : this.totals.diamondsWithdrawn / withdrawals,
        coinsPerDiamond: Math.ceil(BP / Math.max(1, s.economy.creatorShareBp)),
        creatorShareBp: s.economy.creatorShareBp,
      },
    };
  }

  private timelineRows(replications: number): PlanInterval[] {
    const s = this.scenario;
    return Array.from({ length: this.intervals }, (_, i) => {
      const start = i * s.intervalSeconds;
      const width = Math.min(s.intervalSeconds, s.duration - start) * replications;
      return {
        startSeconds: start,
        purchase: this.timeline[i * 3] / width,
        gift: this.timeline[i * 3 + 1] / width,
        withdrawal: this.timeline[i * 3 + 2] / width,
      };
    });
  }

  private purchaseRows(total: number, replications: number): PlanPurchase[] {
    const rows: PlanPurchase[] = [];
    let k = 0;
    for (const channel of this.scenario.economy.channels) {
      for (const pack of channel.packs) {
        const n = this.packCounts[k++];
        rows.push({
          channel: channel.id,
          pack: pack.id,
          coins: pack.coins,
          priceCents: pack.priceCents,
          share: total === 0 ? 0 : n / total,
          perSecond: n / replications / this.scenario.duration,
        });
      }
    }
    return rows;
  }

  private giftRows(total: number, replications: number): PlanGift[] {
    return this.scenario.economy.gifts.map((g, i) => {
      const n = this.giftRequests[i];
      return {
        gift: g.id,
        coins: g.coins,
        share: total === 0 ? 0 : n / total,
        perSecond: n / replications / this.scenario.duration,
        meanCount: n === 0 ? 1 : this.giftUnits[i] / n,
        streamShare: n === 0 ? 1 : this.giftLive[i] / n,
      };
    });
  }

  /** The `count` most gifted creators: rank 0 the most gifted, as in `creatorBuckets`. */
  private hotStreams(count: number, total: number, replications: number): PlanStream[] {
    const ranked = byRank(this.creatorGifts).subarray(0, count);
    return Array.from(
      ranked.filter((n) => n > 0),
      (n, rank) => ({
        rank,
        share: n / total,
        perSecond: n / replications / this.scenario.duration,
      }),
    );
  }
}

/** A spender class's counters over the replications. */
class ClassAcc {
  payers = 0;
  spentCents = 0;
  giftRequests = 0;
  purchases = 0;
  readonly gifts = new Map<string, { requests: number; units: number }>();
  readonly channels = new Map<string, number>();

  constructor(readonly name: PlanSpenderClass['name']) {}

  spend(cents: number): void {
    this.spentCents += cents;
  }

  purchase(channel: string): void {
    this.purchases++;
    this.channels.set(channel, (this.channels.get(channel) ?? 0) + 1);
  }

  gift(id: string, count: number): void {
    this.giftRequests++;
    const g = this.gifts.get(id) ?? { requests: 0, units: 0 };
    g.requests++;
    g.units += count;
    this.gifts.set(id, g);
  }

  row(payers: number, all: readonly ClassAcc[], scenario: Scenario, replications: number): PlanSpenderClass {
    const total = (f: (c: ClassAcc) => number) => all.reduce((t, c) => t + f(c), 0);
    const share = (x: number, of: number) => (of === 0 ? 0 : x / of);
    const gifts: Record<string, number> = {};
    const meanCount: Record<string, number> = {};
    for (const g of scenario.economy.gifts) {
      const n = this.gifts.get(g.id);
      gifts[g.id] = share(n?.requests ?? 0, this.giftRequests);
      meanCount[g.id] = n === undefined || n.requests === 0 ? 1 : n.units / n.requests;
    }
    const channels: Record<string, number> = {};
    for (const c of scenario.economy.channels)
      channels[c.id] = share(this.channels.get(c.id) ?? 0, this.purchases);
    return {
      name: this.name,
      payerShare: share(this.payers, payers),
      payers: this.payers / replications,
      spendShare: share(
        this.spentCents,
        total((c) => c.spentCents),
      ),
      giftShare: share(
        this.giftRequests,
        total((c) => c.giftRequests),
      ),
      purchaseShare: share(
        this.purchases,
        total((c) => c.purchases),
      ),
      gifts,
      meanCount,
      channels,
    };
  }
}

function packOffsets(scenario: Scenario): number[] {
  const offsets: number[] = [];
  let k = 0;
  for (const c of scenario.economy.channels) {
    offsets.push(k);
    k += c.packs.length;
  }
  return offsets;
}

/**
 * Per-creator counts sorted most first: a creator's rank is its place in what it received, not its
 * slot (creator slots follow markets and, with careers, the order of joining: a popular joiner has a
 * late slot).
 */
function byRank(perCreator: Float64Array): Float64Array {
  return Float64Array.from(perCreator).sort().reverse();
}

/**
 * Gift requests per creator rank (0 = most gifted), bucketed: the first ranks one by one (the hot
 * streams), then buckets that double in width. Without any gift (a scenario nobody pays in), the
 * model's popularity weights stand in, so that a load test still has recipients.
 */
export function creatorBuckets(gifts: Float64Array, scenario: Scenario): PlanCreatorBucket[] {
  let weights = byRank(gifts);
  let total = gifts.reduce((t, x) => t + x, 0);
  if (total === 0) {
    const { creators, creatorPopularityZipf, markets } = scenario.population;
    weights = byRank(zipfWeights(creators, creatorPopularityZipf, markets));
    total = weights.reduce((t, x) => t + x, 0);
  }
  const buckets: PlanCreatorBucket[] = [];
  let from = 0;
  let width = 1;
  while (from < weights.length) {
    const to = Math.min(weights.length, from + width);
    let n = 0;
    for (let r = from; r < to; r++) n += weights[r];
    buckets.push({ fromRank: from, toRank: to, share: n / total });
    from = to;
    if (from >= SINGLE_RANKS) width *= 2;
  }
  return buckets;
}
