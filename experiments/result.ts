/**
 * What a simulation run produces — the contract between the engine (sim/), the writers and the HTML
 * report (reports/). Amounts are integers in cents, coins or diamonds; shares and ratios are plain
 * numbers. One `ReplicationResult` per replication; `RunResult` joins them.
 */
import type { PurchaseFeeAnswer } from '../sim/economy/rules.ts';
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
  /** Creators on the platform (joined, not left), sampled at the start of the interval. */
  creatorsPresent: number;
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
  /** The second the creator joined (0: present at the start; lifecycle.creators). */
  joinedSeconds: number;
  /** The second it left for good, or NaN (an empty cell) when it stayed to the end. */
  leftSeconds: number;
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

/**
 * One row of packs.csv: what one pack of one channel sold. Every purchase of a pack has the same split
 * (`splitPurchase`), so the money is the purchases times that split.
 */
export interface PackRow {
  /** Channel and pack ids, as the economy names them. */
  channel: string;
  pack: string;
  coinsPerPack: number;
  priceCents: number;
  purchases: number;
  coinsSold: number;
  grossCents: number;
  /** Each fee of `PURCHASE_FEES`, by its answer field (`storeFeeCents`, `paymentFeeCents`). */
  feesCents: Record<PurchaseFeeAnswer, number>;
  netRevenueCents: number;
  /** What 1,000 of the pack's coins net the platform after fees, in cents (the pack's, bought or not). */
  netCentsPerThousandCoins: number;
}

/** One row of gifts.csv: what was sent of one gift. */
export interface GiftRow {
  gift: string;
  coinsPerGift: number;
  /** Sends: a combo of n of the gift is one (they add up to the giftsSent KPI). */
  sends: number;
  /** Gifts counted one by one: a combo of n is n. */
  giftCount: number;
  coinsSpent: number;
  diamondsCredited: number;
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
  /** Every pack of every channel, in the economy's order (channels, then each channel's packs). */
  packs: PackRow[];
  /** Every gift, in the economy's order. */
  gifts: GiftRow[];
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
