/**
 * The KPI catalogue: every key performance indicator a run reports (summary.json, kpis.csv, thresholds,
 * sweeps), named with its unit, and the shape of a KPI over replications. One list; every reader imports it.
 */

/** KPI names and units as in ARCHITECTURE.md's summary.json contract. */
export const KPI_NAMES = [
  'grossBookingsCents',
  'storeFeesCents',
  'paymentFeesCents',
  'netRevenueCents',
  'creatorEarningsCents',
  'creatorPayoutsCents',
  'platformMarginCents',
  'coinsPurchased',
  'coinsSpent',
  'unspentCoins',
  'giftsSent',
  'viewers',
  'payers',
  'payerConversion',
  'arppuCents',
  'creatorEarningsGini',
  'topCreatorShare1Pct',
  'topPayerShare1Pct',
] as const;

export type KpiName = (typeof KPI_NAMES)[number];

/** The cash flow KPIs, in the order money moves: from what viewers paid to what the platform keeps. */
export const CASH_FLOW_KPIS: readonly KpiName[] = [
  'grossBookingsCents',
  'storeFeesCents',
  'paymentFeesCents',
  'netRevenueCents',
  'creatorEarningsCents',
  'creatorPayoutsCents',
  'platformMarginCents',
];
export type Kpis = Record<KpiName, number>;

export interface KpiStat {
  mean: number;
  ci95: [number, number];
  /** Sample standard deviation over replications (0 with one). */
  sd: number;
}
