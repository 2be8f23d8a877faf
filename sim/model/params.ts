/**
 * The scenario, read once into the numbers and lookup tables the engine uses: rates per second,
 * diurnal tables, the gift catalogue, pack shelves and channel choice. Nothing here changes during a run.
 */

import type { Scenario } from '../../scenarios/schema/scenario.ts';
import { assert } from '../assert.ts';
import type { InputProblem } from '../input-error.ts';
import { limits } from '../limits.ts';
import { AudienceCurve } from './audience-curve.ts';
import { modelLimits } from './bounds.ts';
import type { BudgetSpec } from './budget.ts';
import { GiftCatalogue } from './catalogue.ts';
import { ChannelChooser } from './channels.ts';
import { DAY_SECONDS, Diurnal } from './diurnal.ts';
import { PackShelves } from './packs.ts';

export enum Motive {
  Support = 0,
  Interaction = 1,
  Visibility = 2,
}

export interface Spike {
  creator: number;
  startSeconds: number;
  endSeconds: number;
  factor: number;
}

export interface ModelParams {
  viewers: number;
  creators: number;
  durationSeconds: number;
  intervalSeconds: number;
  intervals: number;
  popularityZipf: number;
  payerShare: number;
  budget: BudgetSpec;
  /** Cumulative motive shares: support, + interaction, + visibility (= 1). */
  motiveCum: [number, number, number];
  sessionMeanSeconds: number;
  /** Mean time between one session's end and the next one's start (at the day's mean rate); Infinity = never. */
  sessionGapSeconds: number;
  viewerDiurnal: Diurnal;
  liveShare: number;
  giftRatePerSecond: number;
  videoGiftRate: number;
  shoutoutProbability: number;
  shoutoutBoost: number;
  budgetPacing: number;
  /**
   * Gift attempts a payer makes a day on average (before the audience curve; at least 1): paces gift
   * sizes, so that a payer's gifts spend its budget per day.
   */
  expectedGifts: number;
  streamMeanSeconds: number;
  streamGapSeconds: number;
  creatorDiurnal: Diurnal;
  withdrawAtDiamonds: number;
  curve: AudienceCurve;
  spikes: Spike[];
  catalogue: GiftCatalogue;
  shelves: PackShelves;
  channels: ChannelChooser;
}

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
  const viewerDiurnal = new Diurnal(v.diurnal);
  const creatorDiurnal = new Diurnal(c.diurnal);
  const m = v.motives;
  const motiveTotal = m.support + m.interaction + m.visibility;
  const sessionMeanSeconds = v.sessionMinutes * 60;
  const sessionGapSeconds = offGap(v.sessionsPerDay, sessionMeanSeconds);
  const watchShare = sessionMeanSeconds / (sessionGapSeconds + sessionMeanSeconds);
  const giftRatePerSecond = v.giftsPerHour / 3600;
  const attemptShare = v.liveShare + (1 - v.liveShare) * c.videoGiftRate;
  return {
    viewers: population.viewers,
    creators: population.creators,
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
    streamGapSeconds: offGap(c.streamsPerDay, c.streamMinutes * 60),
    creatorDiurnal,
    withdrawAtDiamonds: c.withdrawAtDiamonds,
    curve: new AudienceCurve(scenario.audienceEffect),
    spikes: scenario.events.map((e) => ({
      creator: e.creatorRank - 1,
      startSeconds: e.at,
      endSeconds: e.at + e.for,
      factor: e.factor,
    })),
    catalogue: new GiftCatalogue(
      scenario.economy.gifts,
      scenario.gifts.map((g) => g.weight),
      v.bigGiftTilt,
    ),
    shelves: new PackShelves(scenario.economy.channels),
    channels: new ChannelChooser(scenario.economy.channels, {
      mix: v.channels,
      priceGap: v.webSwitch.priceGap,
      probability: v.webSwitch.probability,
    }),
  };
}

/** Share of time "on" of an on/off process with these mean off and on times (0 when never on). */
export function onShare(meanOff: number, meanOn: number): number {
  return meanOff === Number.POSITIVE_INFINITY ? 0 : meanOn / (meanOff + meanOn);
}

/**
 * Mean "off" time of an on/off process with `perDay` on-periods of `onSeconds` a day: a day divided by
 * perDay, less the time on — so that viewers watch sessionsPerDay × sessionMinutes a day on average.
 */
function offGap(perDay: number, onSeconds: number): number {
  return perDay > 0 ? Math.max(1, DAY_SECONDS / perDay - onSeconds) : Number.POSITIVE_INFINITY;
}
