/**
 * A scenario, read once into the numbers and lookup tables the engine uses (`ModelParams`): rates per
 * second, diurnal tables, the gift catalogue, pack shelves and channel choice. Nothing here changes
 * during a run. The engine (sim/) knows only ModelParams; this is where a scenario field meets it.
 */

import { assert } from '../common/assert.ts';
import type { InputProblem } from '../common/input-error.ts';
import { DAY_SECONDS, limits, modelLimits } from '../common/limits.ts';
import type { Channel } from '../sim/economy/types.ts';
import { AudienceCurve, meanMultiplier } from '../sim/model/audience-curve.ts';
import { GiftCatalogue } from '../sim/model/catalogue.ts';
import { ChannelChooser, ChannelLogit, type ChannelPicker } from '../sim/model/channels.ts';
import { type DemandSpec, UNIT_ELASTIC } from '../sim/model/demand.ts';
import { Diurnal } from '../sim/model/diurnal.ts';
import { type MarketState, marketState } from '../sim/model/market.ts';
import { type PackChoice, type PackShelves, SMALLEST_COVERING } from '../sim/model/packs.ts';
import { type Lifecycle, type ModelParams, onShare, type Spike } from '../sim/model/params.ts';
import { Survival } from '../sim/model/survival.ts';
import { zipfWeights } from '../sim/model/zipf.ts';
import { creatorJoins } from './schema/lifecycle.ts';
import { scenarioTimeline } from './schema/promotions.ts';
import type { Scenario } from './schema/scenario.ts';

/** What the engine's bounds reject in a scenario the schema accepted (checked before a run). */
export function modelProblems(scenario: Scenario): InputProblem[] {
  const intervals = Math.ceil(scenario.duration / scenario.intervalSeconds);
  if (intervals <= modelLimits.intervalsMax) return [];
  return [
    {
      field: 'intervalSeconds',
      expected: `at most ${modelLimits.intervalsMax} timeseries rows: at least ${Math.ceil(scenario.duration / modelLimits.intervalsMax)} s for this duration`,
      found: `${scenario.intervalSeconds} s (${intervals} rows)`,
    },
  ];
}

export function modelParams(scenario: Scenario): ModelParams {
  const { population, viewers: v, creators: c } = scenario;
  assert(population.viewers <= limits.viewersMax, 'viewers over limits');
  const intervals = Math.ceil(scenario.duration / scenario.intervalSeconds);
  assert(intervals <= modelLimits.intervalsMax, `at most ${modelLimits.intervalsMax} intervals`);
  assert(scenario.events.length <= modelLimits.eventsMax, 'too many events');
  assert(
    scenario.events.filter((e) => e.kind === 'audience-spike').length * population.markets <=
      modelLimits.spikesMax,
    'too many spikes',
  );
  const viewerDiurnal = new Diurnal(v.diurnal);
  const creatorDiurnal = new Diurnal(c.diurnal);
  const m = v.motives;
  const motiveTotal = m.support + m.interaction + m.visibility;
  const sessionMeanSeconds = v.sessionMinutes * 60;
  const sessionGapSeconds = offGap(v.sessionsPerDay, sessionMeanSeconds);
  const watchShare = sessionMeanSeconds / (sessionGapSeconds + sessionMeanSeconds);
  const giftRatePerSecond = v.giftsPerHour / 3600;
  const attemptShare = v.liveShare + (1 - v.liveShare) * c.videoGiftRate;
  const demand = demandSpec(scenario);
  const market = marketStates(scenario, demand);
  const streamGapSeconds = offGap(c.streamsPerDay * streamResponse(scenario), c.streamMinutes * 60);
  const lifecycle = lifecycleOf(scenario);
  assert(population.creators + lifecycle.creators.joins <= limits.creatorsMax, 'creator slots over limits');
  return {
    viewers: population.viewers,
    creators: population.creators,
    creatorSlots: population.creators + lifecycle.creators.joins,
    markets: population.markets,
    crowd: population.crowd,
    durationSeconds: scenario.duration,
    intervalSeconds: scenario.intervalSeconds,
    intervals,
    popularityZipf: population.creatorPopularityZipf,
    payerShare: v.payerShare,
    budget: v.budget,
    motiveCum: [m.support / motiveTotal, (m.support + m.interaction) / motiveTotal, 1],
    sessionMeanSeconds,
    sessionGapSeconds,
    viewerDiurnal,
    liveShare: v.liveShare,
    giftRatePerSecond,
    videoGiftRate: c.videoGiftRate,
    shoutoutProbability: v.shoutout.probability,
    shoutoutBoost: v.shoutout.boost,
    budgetPacing: v.budgetPacing,
    expectedGifts: Math.max(1, giftRatePerSecond * DAY_SECONDS * watchShare * attemptShare),
    streamMeanSeconds: c.streamMinutes * 60,
    streamGapSeconds,
    creatorDiurnal,
    withdrawAtDiamonds: c.withdrawAtDiamonds,
    curve: audienceCurve(scenario, watchShare * v.liveShare, onShare(streamGapSeconds, c.streamMinutes * 60)),
    spikes: marketSpikes(scenario),
    lifecycle,
    catalogue: new GiftCatalogue(
      scenario.economy.gifts,
      scenario.gifts.map((g) => g.weight),
      v.bigGiftTilt,
    ),
    channels: market.map((state) => channelPicker(scenario, state.shelves)),
    demand,
    packChoice: packChoice(scenario),
    market,
  };
}

/**
 * How payers pick a channel: `demand.channelChoice`'s logit on the packs on sale when they are drawn;
 * without it (or with rule switch), the previous one-off switch of `viewers.webSwitch`.
 */
function channelPicker(scenario: Scenario, shelves: PackShelves): ChannelPicker {
  // The switch compares the listed packs (promotions' variants, sim/model/timeline.ts, are not); the
  // logit, the packs on sale in its state (`shelves`).
  const channels = listedChannels(scenario);
  const mix = scenario.viewers.channels;
  const choice = scenario.demand?.channelChoice;
  if (choice === undefined || choice.rule === 'switch') {
    const { priceGap, probability } = scenario.viewers.webSwitch;
    return new ChannelChooser(channels, { mix, priceGap, probability });
  }
  return new ChannelLogit(channels, shelves, {
    mix,
    friction: choice.friction,
    priceSensitivity: choice.priceSensitivity,
  });
}

/** The scenario's demand block as the model reads it: references in the economy's channel order. */
export function demandSpec(scenario: Scenario): DemandSpec {
  const d = scenario.demand;
  if (d === undefined) return UNIT_ELASTIC;
  return {
    conversionElasticity: d.conversionElasticity,
    intensityElasticity: d.intensityElasticity,
    reference: scenario.economy.channels.map((c) => d.referencePrices[c.id]),
  };
}

/**
 * The market's states in time order, from the scenario's timeline. Its channels are the economy's
 * already (resolveScenario appended the variants); recomputing gives the same packs in the same places.
 */
function marketStates(scenario: Scenario, demand: DemandSpec): MarketState[] {
  const { channels, stretches } = scenarioTimeline(scenario, listedChannels(scenario));
  channels.forEach((c, i) => {
    assert(c.packs.length === scenario.economy.channels[i].packs.length, 'the timeline rebuilt its packs');
  });
  const firstPriceWeight = scenario.pricing.firstPurchaseBonus.conversionWeight;
  return stretches.map((s) =>
    marketState(scenario.economy.channels, demand, s.fromSeconds, {
      offered: s.offered,
      firstOffered: s.firstOffered,
      firstPriceWeight,
    }),
  );
}

/** The economy's channels with the packs the scenario lists (variants of promotions follow them). */
function listedChannels(scenario: Scenario): Channel[] {
  return scenario.economy.channels.map((c) => ({
    ...c,
    packs: c.packs.slice(0, scenario.pricing.channels[c.id].packs.length),
  }));
}

/** How payers pick packs: without a demand block, the previous model's smallest covering pack. */
function packChoice(scenario: Scenario): PackChoice {
  return scenario.demand?.packChoice ?? SMALLEST_COVERING;
}

/** Every event happens in every market, to the creator of its rank there (creators are dealt in turn). */
function marketSpikes(scenario: Scenario): Spike[] {
  const { markets } = scenario.population;
  return scenario.events.flatMap((e) =>
    e.kind !== 'audience-spike'
      ? []
      : Array.from({ length: markets }, (_, g) => ({
          creator: (e.creatorRank - 1) * markets + g,
          startSeconds: e.at,
          endSeconds: e.at + e.for,
          factor: e.factor,
        })),
  );
}

function lifecycleOf(scenario: Scenario): Lifecycle {
  const { arrivalsPerDay, survival, payers, creators } = scenario.lifecycle;
  return {
    arrivalsPerDay,
    bursts: scenario.events.flatMap((e) =>
      e.kind === 'acquisition-burst'
        ? [{ startSeconds: e.at, endSeconds: e.at + e.for, viewers: e.viewers }]
        : [],
    ),
    survival:
      survival.length === 0
        ? undefined
        : new Survival(survival.map((p) => ({ ageSeconds: p.day * DAY_SECONDS, share: p.share }))),
    payers: {
      firstPurchaseMeanSeconds: payers.firstPurchaseDays * DAY_SECONDS,
      payingMeanSeconds: payers.payingDays === 0 ? Number.POSITIVE_INFINITY : payers.payingDays * DAY_SECONDS,
      tenureGrowth: payers.tenureGrowth,
    },
    creators: {
      joins: creatorJoins(creators.joinsPerDay, scenario.duration),
      careerMeanSeconds:
        creators.careerDays === 0 ? Number.POSITIVE_INFINITY : creators.careerDays * DAY_SECONDS,
    },
  };
}

/**
 * The creator slots a run of this scenario has: the creators present at the start, then one per creator
 * who joins (lifecycle.creators; a fixed count, the same in every replication). What ledgers, plans and
 * journals are sized for.
 */
export function creatorSlots(scenario: Scenario): number {
  return (
    scenario.population.creators + creatorJoins(scenario.lifecycle.creators.joinsPerDay, scenario.duration)
  );
}

/**
 * What multiplies creators' streams a day: their cut of a gifted coin (creator share × diamond value)
 * over the reference's, to the elasticity — exactly 1 with elasticity 0 or at the reference split.
 */
/**
 * The audience curve, scaled as `audienceEffect.scale` says. For `mean`: each creator rank's expected
 * audience when live — its market's live watchers (viewers × the share of time in a live session) in
 * proportion to its pull against its own and the others' (each live a share `streamOn` of the time) —
 * and the curve's mean over viewer-hours there (meanMultiplier). Every market has the same ranks, so
 * one does. The viewers' and creators' daily rhythms are left out: a few per cent (tests bound it).
 */
function audienceCurve(scenario: Scenario, liveWatchShare: number, streamOn: number): AudienceCurve {
  const spec = scenario.audienceEffect;
  const curve = new AudienceCurve(spec);
  const { viewers, creators, markets } = scenario.population;
  if (spec.scale === 'peak' || streamOn === 0 || liveWatchShare === 0) return curve;
  const weights = zipfWeights(
    Math.max(1, Math.floor(creators / markets)),
    scenario.population.creatorPopularityZipf,
  );
  const pull = weights.reduce((a, b) => a + b, 0);
  const watchers = (viewers / markets) * liveWatchShare;
  // While r is live the others are live a share streamOn of the time: r's share is w / (w + others).
  const audiences = weights.map((w) => (watchers * w) / (w + streamOn * (pull - w)));
  return new AudienceCurve(spec, meanMultiplier(curve, audiences));
}

export function streamResponse(scenario: Scenario): number {
  const { elasticity, reference } = scenario.creators.earningsResponse;
  if (elasticity === 0 || reference === undefined) return 1;
  const earning = scenario.payout.creatorShare * scenario.payout.diamondValueCents;
  return (earning / (reference.creatorShare * reference.diamondValueCents)) ** elasticity;
}

/**
 * Mean "off" time of an on/off process with `perDay` on-periods of `onSeconds` a day: a day divided by
 * perDay, less the time on — so that viewers watch sessionsPerDay × sessionMinutes a day on average.
 */
function offGap(perDay: number, onSeconds: number): number {
  return perDay > 0 ? Math.max(1, DAY_SECONDS / perDay - onSeconds) : Number.POSITIVE_INFINITY;
}
