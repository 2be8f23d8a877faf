/**
 * What the engine reads from a scenario: rates per second, diurnal tables, the gift catalogue, pack
 * shelves, demand and channel choice (built by scenarios/model-params.ts). Nothing here changes during
 * a run; the market's states are the prices of its stretches, fixed in advance.
 */

import type { AudienceCurve } from './audience-curve.ts';
import type { BudgetSpec } from './budget.ts';
import type { GiftCatalogue } from './catalogue.ts';
import type { ChannelPicker } from './channels.ts';
import type { DemandSpec } from './demand.ts';
import type { Diurnal } from './diurnal.ts';
import type { MarketState } from './market.ts';
import type { PackChoice } from './packs.ts';
import type { Survival } from './survival.ts';

export enum Motive {
  Support = 0,
  Interaction = 1,
  Visibility = 2,
}

/** A stretch of time in which `viewers` more new viewers arrive, at random (an acquisition burst). */
export interface Burst {
  startSeconds: number;
  endSeconds: number;
  viewers: number;
}

/** Payers' lives (sim/engine/payer-lives.ts): all off by default. */
export interface PayerLife {
  /** Mean delay from an arriving payer's arrival to its paying (exponential); 0 = at once. */
  firstPurchaseMeanSeconds: number;
  /** Mean time a payer keeps paying (exponential); Infinity = for ever. */
  payingMeanSeconds: number;
  /** A payer's budget × (1 + this) per 30 days of paying; 0 = constant. */
  tenureGrowth: number;
}

/** Creators' careers (sim/engine/creator-lives.ts): nobody joins and nobody leaves by default. */
export interface CreatorLife {
  /** Creators who join during the run (round(joinsPerDay × days)): slots creators … creatorSlots − 1. */
  joins: number;
  /** Mean time a creator keeps streaming (exponential); Infinity = for ever. */
  careerMeanSeconds: number;
}

/** Viewers who arrive during the run and leave it (lifecycle.ts): none, and nobody leaves, by default. */
export interface Lifecycle {
  /** New viewers a day, spread over the day as viewerDiurnal. */
  arrivalsPerDay: number;
  bursts: Burst[];
  /** How long viewers stay; undefined = for ever. */
  survival: Survival | undefined;
  payers: PayerLife;
  creators: CreatorLife;
}

/** An audience spike on one creator (a scenario's event happens in every market: one Spike each). */
export interface Spike {
  creator: number;
  startSeconds: number;
  endSeconds: number;
  factor: number;
}

export interface ModelParams {
  viewers: number;
  /** Creators present at the start. */
  creators: number;
  /**
   * Creator slots of the run: those present at the start, then one per creator who joins during it
   * (lifecycle.creators). What the ledger, plans and journals are sized for; = creators without joins.
   */
  creatorSlots: number;
  /** Viewers and creators are dealt to markets in turn (see markets.ts); a viewer watches streams of its own. */
  markets: number;
  /**
   * Viewers who can never pay are counted per market and per stream instead of simulated one by one
   * (sim/engine/crowd.ts); the agent table then holds only the viewers a price could make pay.
   */
  crowd: boolean;
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
  lifecycle: Lifecycle;
  catalogue: GiftCatalogue;
  /**
   * Each payer's channel, from its budget and two draws (channels.ts): one picker per market state, at
   * that state's prices (a payer chooses again, with the same draws, when prices change).
   */
  channels: readonly ChannelPicker[];
  demand: DemandSpec;
  /** How a payer picks the packs it buys (packs.ts). */
  packChoice: PackChoice;
  /** What is on sale and how demand sees it, in time order: the first from before the run. */
  market: readonly MarketState[];
}

/** Share of time "on" of an on/off process with these mean off and on times (0 when never on). */
export function onShare(meanOff: number, meanOn: number): number {
  return meanOff === Number.POSITIVE_INFINITY ? 0 : meanOn / (meanOff + meanOn);
}
