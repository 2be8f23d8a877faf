/**
 * The KPI catalogue: every key performance indicator a run reports (summary.json, kpis.csv, thresholds,
 * sweeps) as one table — name (with its unit, as ARCHITECTURE.md's summary.json contract names them), label,
 * unit, the period it covers, what it measures and how to read it. The README's KPI table, the report's
 * labels and summary.schema.json are all generated from it; every reader imports it.
 *
 * Names are a contract: a KPI is never renamed, only added (at the end, so kpis.csv's columns keep their
 * places). A rate says its period in its name (`…PerDay…`) and in `period`.
 */
import { closest } from '../common/zod-problems.ts';
import { PURCHASE_FEES } from './economy/rules.ts';

/** What a KPI's number counts: US cents, coins, people or events, a share 0..1, or a Gini coefficient. */
export type KpiUnit = 'cents' | 'coins' | 'count' | 'share' | 'gini';

/**
 * The time a KPI covers: `run` — summed over the whole run (one day in the baseline, whatever the
 * duration); `day` — over the run, divided by its length in days; `end` — the state at the run's end;
 * `cohort` — over the viewers who arrived during the run, by their day of age (absent, NaN, when the run
 * is too short to measure it or nobody arrived: null in summary.json, an empty cell in kpis.csv).
 */
export type KpiPeriod = 'run' | 'day' | 'end' | 'cohort';

/** A period in words, as the README, the report and summary.schema.json say it. */
export const KPI_PERIOD_TEXT: Record<KpiPeriod, string> = {
  run: 'over the run',
  day: 'per day',
  end: 'at the end',
  cohort: 'by day of age',
};

/** A unit in words. */
export const KPI_UNIT_TEXT: Record<KpiUnit, string> = {
  cents: 'US cents',
  coins: 'coins',
  count: 'count',
  share: 'share 0–1',
  gini: 'Gini 0–1',
};

export interface KpiInfo {
  name: string;
  label: string;
  unit: KpiUnit;
  period: KpiPeriod;
  /** What it measures, in a sentence. */
  measures: string;
  /** How to read it: what a high or low value means, and what it does not say. */
  reading: string;
  /** True when it can fall below 0 (a margin after costs); every other money KPI, count or share cannot. */
  signed?: boolean;
}

/**
 * Public retention benchmarks for new users of apps, the range across app-analytics benchmark roundups
 * (opendoordigital.dev; unstar.app 2026; plotline.so 2025; adjust.com — ranges, not one source: all apps
 * D1 ~25 %, D7 ~12 %, D30 ~6 %; social and streaming medians up to D1 48 %, D7 28 %, D30 14 %):
 * what the retention KPIs and the report's retention curve are read against.
 */
export const RETENTION_BENCHMARKS = [
  { day: 1, low: 0.25, high: 0.48 },
  { day: 7, low: 0.12, high: 0.28 },
  { day: 30, low: 0.06, high: 0.14 },
] as const;

/** `D7 12–28 %`: a benchmark as the KPI catalogue and the chart write it. */
export function benchmarkText(day: 1 | 7 | 30): string {
  const b = RETENTION_BENCHMARKS.find((x) => x.day === day) as (typeof RETENTION_BENCHMARKS)[number];
  return `D${day} ${Math.round(b.low * 100)}–${Math.round(b.high * 100)} %`;
}

const CATALOGUE = [
  {
    name: 'grossBookingsCents',
    label: 'Gross bookings',
    unit: 'cents',
    period: 'run',
    measures: 'what viewers paid for coin packs, before any fee',
    reading: 'the top of the money waterfall; every other money KPI is a part of it',
  },
  {
    name: 'storeFeesCents',
    label: 'App-store fees',
    unit: 'cents',
    period: 'run',
    measures: "the app stores' cut of in-app purchases",
    reading: 'moves with the channel mix and the store fee, not with demand alone',
  },
  {
    name: 'paymentFeesCents',
    label: 'Payment fees',
    unit: 'cents',
    period: 'run',
    measures: "card processors' fees on web purchases (share plus fixed cents)",
    reading: 'the fixed part weighs most on small packs',
  },
  {
    name: 'netRevenueCents',
    label: 'Net revenue',
    unit: 'cents',
    period: 'run',
    measures: 'gross bookings less store and payment fees',
    reading: 'what reaches the platform before it pays creators',
  },
  {
    name: 'creatorEarningsCents',
    label: 'Creator earnings',
    unit: 'cents',
    period: 'run',
    measures: 'the value of the diamonds creators earned from gifts',
    reading: 'owed to creators whether or not they withdrew it',
  },
  {
    name: 'creatorPayoutsCents',
    label: 'Creator payouts (withdrawn)',
    unit: 'cents',
    period: 'run',
    measures: 'what creators withdrew, net of withdrawal fees',
    reading: 'at most creator earnings; lags them by the withdrawal threshold',
  },
  {
    name: 'platformMarginCents',
    label: 'Platform margin',
    unit: 'cents',
    period: 'run',
    measures: 'net revenue less creator earnings, plus withdrawal fees',
    reading: 'what the platform keeps; coins bought but not yet gifted count in it',
    signed: true,
  },
  {
    name: 'coinsPurchased',
    label: 'Coins purchased',
    unit: 'coins',
    period: 'run',
    measures: 'coins in the packs viewers bought',
    reading: 'gross bookings ÷ coins purchased is the effective price of a coin',
  },
  {
    name: 'coinsSpent',
    label: 'Coins spent on gifts',
    unit: 'coins',
    period: 'run',
    measures: 'coins viewers sent as gifts',
    reading: 'the demand for gifts, in coins',
  },
  {
    name: 'unspentCoins',
    label: 'Unspent coins',
    unit: 'coins',
    period: 'end',
    measures: 'coins bought during the run and still held at its end',
    reading: 'coins sold but not gifted; the run opens with none held',
  },
  {
    name: 'giftsSent',
    label: 'Gifts sent',
    unit: 'count',
    period: 'run',
    measures: 'gifts sent (a combo of n of the same gift counts once)',
    reading: 'divide by viewers for gifts per viewer, a KPI that does not depend on the population size',
  },
  {
    name: 'viewers',
    label: 'Viewers',
    unit: 'count',
    period: 'run',
    measures: 'the population simulated: present at the start, plus those who arrived during the run',
    reading: 'an input, repeated so that per-viewer figures can be computed from the table',
  },
  {
    name: 'payers',
    label: 'Payers',
    unit: 'count',
    period: 'run',
    measures: 'viewers who bought coins at least once during the run',
    reading: 'grows with the run: a longer run converts more viewers',
  },
  {
    name: 'payerConversion',
    label: 'Payer conversion',
    unit: 'share',
    period: 'run',
    measures: 'payers ÷ viewers',
    reading: 'the share of viewers who paid during the run (not per day)',
  },
  {
    name: 'arppuCents',
    label: 'ARPPU over the run',
    unit: 'cents',
    period: 'run',
    measures: 'gross bookings ÷ payers over the whole run; 0 when no viewer paid',
    reading:
      'per payer, over the run: it grows with the run’s length, as payers spend on more days and more viewers pay once (arppuPerDayCents is per paying day)',
  },
  {
    name: 'creatorEarningsGini',
    label: 'Creator earnings Gini',
    unit: 'gini',
    period: 'run',
    measures: 'Gini coefficient of what each creator earned',
    reading: '0 = every creator earned the same, 1 = one took all',
  },
  {
    name: 'topCreatorShare1Pct',
    label: 'Top 1 % creators’ share',
    unit: 'share',
    period: 'run',
    measures: 'the share of creator earnings that went to the top 1 % of creators',
    reading: 'concentration at the top; compare with the Gini for the whole spread',
  },
  {
    name: 'topPayerShare1Pct',
    label: 'Top 1 % payers’ share',
    unit: 'share',
    period: 'run',
    measures: 'the share of gross bookings paid by the top 1 % of payers',
    reading: 'how much revenue rests on whales',
  },
  {
    name: 'arppuPerDayCents',
    label: 'ARPPU per day',
    unit: 'cents',
    period: 'day',
    measures:
      'gross bookings ÷ paying viewer-days (each day’s distinct buyers, a partial day pro rata); 0 when no viewer paid',
    reading:
      'what a payer spends on a day it buys (daily ARPPU): comparable between runs of different lengths, unlike ARPPU and payer counts, which grow with them',
  },
  {
    name: 'giftsPerPayerPerDay',
    label: 'Gifts per payer per day',
    unit: 'count',
    period: 'day',
    measures:
      'gifts sent ÷ paying viewer-days (each day’s distinct buyers, a partial day pro rata); 0 when no viewer paid',
    reading:
      'gifts for each day a viewer buys: comparable between runs of different lengths (gifts from coins bought on earlier days count too)',
  },
  {
    name: 'retentionD1',
    label: 'Retention D1',
    unit: 'share',
    period: 'cohort',
    measures: 'share of the viewers who arrived during the run who watched on day 1 of their age',
    reading: `survival × the share of days a viewer still there watches (app benchmarks ${benchmarkText(1)}); absent without arrivals and in runs of 2 days or less`,
  },
  {
    name: 'retentionD7',
    label: 'Retention D7',
    unit: 'share',
    period: 'cohort',
    measures: 'share of the viewers who arrived during the run who watched on day 7 of their age',
    reading: `compare with app benchmarks (${benchmarkText(7)}); absent in runs of 8 days or less`,
  },
  {
    name: 'retentionD30',
    label: 'Retention D30',
    unit: 'share',
    period: 'cohort',
    measures: 'share of the viewers who arrived during the run who watched on day 30 of their age',
    reading: `compare with app benchmarks (${benchmarkText(30)}); absent in runs of 31 days or less`,
  },
  {
    name: 'payerConversionD30',
    label: 'Payer conversion D30',
    unit: 'share',
    period: 'cohort',
    measures: 'share of the viewers who arrived during the run who bought within their first 30 days',
    reading: 'conversion of new viewers, comparable between runs; absent in runs of 30 days or less',
  },
  {
    name: 'ltvD30Cents',
    label: 'LTV D30',
    unit: 'cents',
    period: 'cohort',
    measures:
      'gross bookings of the viewers who arrived during the run in their first 30 days, per new viewer',
    reading: 'what a new viewer brings in a month: set against what acquiring one costs',
  },
  {
    name: 'breakageShare',
    label: 'Breakage',
    unit: 'share',
    period: 'end',
    measures:
      'unspent coins ÷ coins purchased: the share of the coins sold in the run still held at its end; 0 when none were sold',
    reading:
      'coins sold but not gifted (yet): payers who top up with big packs hold more; the run opens with none held, so a longer run shows the steady state better',
  },
  {
    name: 'withdrawalFeesCents',
    label: 'Withdrawal fees',
    unit: 'cents',
    period: 'run',
    measures: 'what the platform charged creators to withdraw (payout.withdrawal fee and fixed part)',
    reading: 'part of the platform margin; 0 when withdrawals are free',
  },
] as const satisfies readonly KpiInfo[];

export type KpiName = (typeof CATALOGUE)[number]['name'];
/** The KPIs read by day of age over the run's arrivals (sim/engine/cohorts.ts computes them). */
export type CohortKpiName = Extract<(typeof CATALOGUE)[number], { period: 'cohort' }>['name'];

/** Every KPI, in the order of kpis.csv's columns and summary.json's keys. */
export const KPI_CATALOGUE: readonly (KpiInfo & { name: KpiName })[] = CATALOGUE;

export const KPI_NAMES: readonly KpiName[] = CATALOGUE.map((k) => k.name);

const BY_NAME = new Map<string, KpiInfo>(CATALOGUE.map((k) => [k.name, k]));

/** The catalogue's entry for a KPI name, or undefined (an older run's column, say). */
export function kpiInfo(name: string): KpiInfo | undefined {
  return BY_NAME.get(name);
}

/**
 * The headline KPI: what `sweep --kpi` and `--precision`'s `--kpi` (run, compare) take when not given, and
 * what their help says they take.
 */
export const DEFAULT_KPI: KpiName = 'platformMarginCents';

/** The cash flow KPIs, in the order money moves: from what viewers paid to what the platform keeps. */
export const CASH_FLOW_KPIS: readonly KpiName[] = [
  'grossBookingsCents',
  ...PURCHASE_FEES.map((f) => f.kpi),
  'netRevenueCents',
  'creatorEarningsCents',
  'creatorPayoutsCents',
  'withdrawalFeesCents',
  'platformMarginCents',
];
export type Kpis = Record<KpiName, number>;

export interface KpiStat {
  mean: number;
  ci95: [number, number];
  /** Sample standard deviation over replications (0 with one). */
  sd: number;
}

/**
 * The KPI a mistyped name was probably meant to be: within two edits (case aside), or the one it begins
 * (`platformMargin` → `platformMarginCents`, the unit left off). Undefined when none is near.
 */
export function nearestKpi(name: string, names: readonly string[] = KPI_NAMES): string | undefined {
  const lower = name.toLowerCase();
  return (
    closest(name, names) ??
    (lower.length >= 4 ? names.find((k) => k.toLowerCase().startsWith(lower)) : undefined)
  );
}

/** What a flag or file that names a KPI expects, the nearest KPI to what it found first. */
export function kpiExpected(found: string, names: readonly string[] = KPI_NAMES, what = 'a KPI'): string {
  const near = nearestKpi(found, names);
  return `${what}${near === undefined ? '' : ` (did you mean ${near}?)`}: one of ${names.join(', ')}`;
}

/** The values a KPI can take: shares and Ginis 0..1, anything else from 0 (or unbounded when signed). */
export function kpiRange(name: string): [number, number] {
  const info = kpiInfo(name);
  if (info === undefined) return [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
  const lo = info.signed === true ? Number.NEGATIVE_INFINITY : 0;
  return [lo, info.unit === 'share' || info.unit === 'gini' ? 1 : Number.POSITIVE_INFINITY];
}
