/**
 * What a simulation run produces — the contract between the engine (sim/), the writers and the HTML
 * report (reports/). Amounts are integers in cents, coins or diamonds; shares and ratios are plain
 * numbers. One `ReplicationResult` per replication; `RunResult` joins them.
 */
import type { CohortRow } from '../sim/engine/cohorts.ts';
import type { CheckResult } from '../sim/invariants/types.ts';
import type { KpiName, KpiStat, Kpis } from '../sim/kpis.ts';
import type { PrecisionReport } from './precision.ts';

/** One row of timeseries.csv: what happened during [startSeconds, startSeconds + interval). */
export interface IntervalRow {
  startSeconds: number;
  /** Gross bookings per channel id, in cents. */
  bookingsCents: Record<string, number>;
  /** Coins sold per channel id (with bookings: the effective price per coin). */
  coinsSold: Record<string, number>;
  purchases: number;
  gifts: number;
  coinsSpent: number;
  diamondsCredited: number;
  withdrawals: number;
  /** Sampled at the start of the interval. */
  activeStreams: number;
  activeViewers: number;
  /** Distinct viewers in a session at some moment of the interval (with daily rows: daily active viewers). */
  viewersActive: number;
  /** Distinct viewers who bought in the interval. */
  payersActive: number;
}

export interface CreatorRow {
  creator: number;
  /** 1 = most popular by audience weight. */
  rank: number;
  streams: number;
  giftsReceived: number;
  coinsReceived: number;
  diamondsEarned: number;
  earningsCents: number;
  withdrawnCents: number;
  peakAudience: number;
}

/** viewers.csv: one row per viewer for small populations, per segment for large ones. */
export interface ViewerRow {
  /** A viewer number, or a segment label such as `payer:top1%`, `payer:rest`, `non-payer`. */
  segment: string;
  viewers: number;
  payers: number;
  purchases: number;
  spentCents: number;
  coinsBought: number;
  giftsSent: number;
  coinsGifted: number;
  /** Purchases per channel id. */
  purchasesByChannel: Record<string, number>;
}

/** Gifts per viewer-hour against concurrent stream size: the audience-size effect as observed. */
export interface AudienceBin {
  /** Lower bound of the concurrent-audience bin (bins are powers of 2 or 10, chosen by the engine). */
  audienceMin: number;
  /** Upper bound, exclusive: the engine's bins are [2^b, 2^(b+1)). */
  audienceMax: number;
  viewerHours: number;
  gifts: number;
  coins: number;
  /** The scenario's audience curve at the bin's geometric middle (what the observed rate should follow). */
  curveMultiplier?: number;
}

/** Points of a Lorenz curve: cumulative share of holders (x) against cumulative share of the total (y). */
export interface LorenzCurve {
  x: number[];
  y: number[];
  gini: number;
}

export interface ReplicationResult {
  replication: number;
  seed: number;
  events: number;
  kpis: Kpis;
  timeseries: IntervalRow[];
  creators: CreatorRow[];
  viewers: ViewerRow[];
  audience: AudienceBin[];
  /** Viewers who arrived during the run, by cohort (day of arrival) and day of age. */
  cohorts: CohortRow[];
  lorenz: { creatorEarnings: LorenzCurve; payerSpend: LorenzCurve };
  invariants: CheckResult;
}

export interface RunResult {
  scenario: string;
  seed: number;
  replications: ReplicationResult[];
  /** Per KPI across replications; with one replication mean is the value and the CI collapses. */
  kpiStats: Record<KpiName, KpiStat>;
  events: number;
  wallSeconds: number;
  /** `run --precision`: how many replications the target took, and where each named KPI stands. */
  precision?: PrecisionReport;
}
