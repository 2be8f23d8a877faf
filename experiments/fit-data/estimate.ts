/**
 * What `giftlab fit-data` estimates from an event export, each with its standard error (pure functions
 * over the parsed events):
 *
 * - payer share: viewers with a purchase ÷ the viewers given (`--viewers`): binomial, se √(p(1−p)/N);
 * - the spend distribution: each payer's spend over the period ÷ its days, in cents a day — the model's
 *   budget. Pareto (scale = the least spend, α̂ = n ÷ Σ ln(x/x_min), se α̂/√n) and lognormal (μ̂, σ̂ the
 *   mean and sd of ln x, se σ̂/√n and σ̂/√(2n); the median e^μ̂ by the delta method), both by maximum
 *   likelihood; the lower AIC is chosen (both have two parameters, so it is the higher likelihood) and
 *   the fit is shown as quantiles and the Kolmogorov–Smirnov distance of each;
 * - the channel mix: each payer's channel is where it spent most; shares over payers;
 * - the pack mix: each channel's purchases by pack; the gift mix: gifts sent by id; shares with
 *   binomial standard errors;
 * - the daily rhythm: the scenario's rate ∝ 1 + A cos(2π(h − peak)/24) gives E[cos(θ − peak)] = A/2 and
 *   Var = 1/2 − A²/4 for θ the event's angle on the clock; so Â = 2 × the mean resultant length, the peak
 *   its direction, se(Â) = 2√((1/2 − Â²/4)/n) and se(peak) = √(1/(2n)) ÷ (Â/2) radians.
 *
 * Standard errors treat rows as independent: a real audience's gifts cluster by viewer and stream, so
 * they are lower bounds there; on the synthetic export they are exact to first order.
 */
import { InputError } from '../../common/input-error.ts';
import { DAY_SECONDS, limits } from '../../common/limits.ts';
import { normalCdf, normalQuantile, quantileSorted } from '../stats.ts';
import type { ExportEvent, GiftEvent, PurchaseEvent } from './export-format.ts';

/** Quantiles shown to compare the data with each fitted distribution. */
export const SPEND_QUANTILES = [0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99] as const;

export interface Estimate {
  value: number;
  se: number;
}

export type SpendFamily = 'pareto' | 'lognormal';

export interface SpendFit {
  payers: number;
  /** Payers whose purchases were all free (price 0): not in the fit. */
  freeOnly: number;
  minCents: number;
  maxCents: number;
  pareto: { minCents: number; alpha: Estimate; logLik: number; aic: number; ks: number };
  lognormal: {
    mu: Estimate;
    medianCents: Estimate;
    sigma: Estimate;
    logLik: number;
    aic: number;
    ks: number;
  };
  chosen: SpendFamily;
  /** AIC of the other family minus the chosen one's: how clearly it won (above 10: decisively). */
  deltaAic: number;
  quantiles: { p: number; observed: number; pareto: number; lognormal: number }[];
}

export interface Share {
  id: string;
  count: number;
  share: Estimate;
}

export interface FitDataEstimates {
  rows: { purchases: number; gifts: number };
  viewersInExport: number;
  period: { from: number; to: number; days: number; daysFrom: 'calendar days spanned' | '--days' };
  payerShare?: Estimate & { payers: number; viewers: number };
  spend: SpendFit;
  channels: Share[];
  packs: { channel: string; packs: (Share & { medianPriceCents: number })[] }[];
  gifts: (Share & { coins: number; coinsVary: boolean })[];
  rhythm: { events: number; peakHour: Estimate; amplitude: Estimate };
}

export interface EstimateOptions {
  /** Viewers in the period (with or without events): needed for the payer share. */
  viewers?: number;
  /** Days the export covers; default: the calendar days (UTC) from its first event to its last. */
  days?: number;
}

export function estimate(events: readonly ExportEvent[], options: EstimateOptions = {}): FitDataEstimates {
  const purchases = events.filter((e): e is PurchaseEvent => e.kind === 'purchase');
  const gifts = events.filter((e): e is GiftEvent => e.kind === 'gift');
  const viewers = new Set(events.map((e) => e.viewer));
  const times = events.map((e) => e.time);
  const from = Math.min(...times);
  const to = Math.max(...times);
  const days = options.days ?? Math.floor(to / DAY_SECONDS) - Math.floor(from / DAY_SECONDS) + 1;
  const payers = new Set(purchases.map((p) => p.viewer));
  if (options.viewers !== undefined && options.viewers < viewers.size) {
    throw new InputError({
      field: '--viewers',
      expected: `at least the ${viewers.size.toLocaleString('en-US')} viewers the export names`,
      found: String(options.viewers),
    });
  }
  return {
    rows: { purchases: purchases.length, gifts: gifts.length },
    viewersInExport: viewers.size,
    period: { from, to, days, daysFrom: options.days === undefined ? 'calendar days spanned' : '--days' },
    payerShare:
      options.viewers === undefined
        ? undefined
        : { ...proportion(payers.size, options.viewers), payers: payers.size, viewers: options.viewers },
    spend: fitSpend(spendPerDay(purchases, days)),
    channels: shares(countBy([...mainChannels(purchases).values()])),
    packs: [...groupBy(purchases, (p) => p.channel)].sort(byKey).map(([channel, ps]) => ({
      channel,
      packs: shares(countBy(ps.map((p) => p.pack))).map((s) => ({
        ...s,
        medianPriceCents: median(ps.filter((p) => p.pack === s.id).map((p) => p.priceCents)),
      })),
    })),
    gifts: shares(countBy(gifts.map((g) => g.gift))).map((s) => {
      const coins = gifts.filter((g) => g.gift === s.id).map((g) => g.coins);
      return { ...s, coins: mode(coins), coinsVary: coins.some((c) => c !== coins[0]) };
    }),
    rhythm: rhythm(times),
  };
}

/** Each payer's spend in cents a day. */
export function spendPerDay(purchases: readonly PurchaseEvent[], days: number): number[] {
  const total = new Map<string, number>();
  for (const p of purchases) total.set(p.viewer, (total.get(p.viewer) ?? 0) + p.priceCents);
  return [...total.values()].map((cents) => cents / days);
}

export function proportion(count: number, n: number): Estimate {
  const p = count / n;
  return { value: p, se: Math.sqrt((p * (1 - p)) / n) };
}

/** Pareto and lognormal by maximum likelihood on positive values; the better by AIC. */
export function fitSpend(all: readonly number[]): SpendFit {
  const x = all.filter((v) => v > 0).sort((a, b) => a - b);
  if (x.length < limits.fitPayersMin || x[0] === x[x.length - 1]) {
    throw new InputError({
      field: 'events',
      expected: `purchases by at least ${limits.fitPayersMin} viewers who did not all spend the same`,
      found: `${x.length} paying viewer(s)${x.length > 0 ? `, spending ${x[0]} to ${x[x.length - 1]} cents a day` : ''}`,
    });
  }
  const n = x.length;
  const logs = x.map(Math.log);
  const sumLog = logs.reduce((s, v) => s + v, 0);
  const xm = x[0];
  const alpha = n / (sumLog - n * Math.log(xm));
  const paretoLogLik = n * Math.log(alpha) + n * alpha * Math.log(xm) - (alpha + 1) * sumLog;
  const mu = sumLog / n;
  const sigma = Math.sqrt(logs.reduce((s, v) => s + (v - mu) ** 2, 0) / n);
  const lognormalLogLik = -sumLog - n * Math.log(sigma) - (n / 2) * Math.log(2 * Math.PI) - n / 2;
  const paretoCdf = (v: number) => (v <= xm ? 0 : 1 - (xm / v) ** alpha);
  const lognormalCdf = (v: number) => normalCdf((Math.log(v) - mu) / sigma);
  const aic = (logLik: number) => 2 * 2 - 2 * logLik;
  const pareto = {
    minCents: xm,
    alpha: { value: alpha, se: alpha / Math.sqrt(n) },
    logLik: paretoLogLik,
    aic: aic(paretoLogLik),
    ks: ksDistance(x, paretoCdf),
  };
  const lognormal = {
    mu: { value: mu, se: sigma / Math.sqrt(n) },
    medianCents: { value: Math.exp(mu), se: (Math.exp(mu) * sigma) / Math.sqrt(n) },
    sigma: { value: sigma, se: sigma / Math.sqrt(2 * n) },
    logLik: lognormalLogLik,
    aic: aic(lognormalLogLik),
    ks: ksDistance(x, lognormalCdf),
  };
  const chosen: SpendFamily = pareto.aic <= lognormal.aic ? 'pareto' : 'lognormal';
  return {
    payers: all.length,
    freeOnly: all.length - n,
    minCents: xm,
    maxCents: x[n - 1],
    pareto,
    lognormal,
    chosen,
    deltaAic: Math.abs(pareto.aic - lognormal.aic),
    quantiles: SPEND_QUANTILES.map((p) => ({
      p,
      observed: quantileSorted(x, p),
      pareto: xm * (1 - p) ** (-1 / alpha),
      lognormal: Math.exp(mu + sigma * normalQuantile(p)),
    })),
  };
}

/** The largest gap between the empirical CDF of sorted `x` and `cdf`. */
export function ksDistance(x: readonly number[], cdf: (v: number) => number): number {
  let d = 0;
  x.forEach((v, i) => {
    const f = cdf(v);
    d = Math.max(d, Math.abs((i + 1) / x.length - f), Math.abs(f - i / x.length));
  });
  return d;
}

export function rhythm(times: readonly number[]): FitDataEstimates['rhythm'] {
  const n = times.length;
  let c = 0;
  let s = 0;
  for (const t of times) {
    const theta = (2 * Math.PI * (((t % DAY_SECONDS) + DAY_SECONDS) % DAY_SECONDS)) / DAY_SECONDS;
    c += Math.cos(theta);
    s += Math.sin(theta);
  }
  c /= n;
  s /= n;
  const amplitude = Math.min(1, 2 * Math.hypot(c, s));
  const peak = ((((Math.atan2(s, c) * 24) / (2 * Math.PI)) % 24) + 24) % 24;
  const hoursPerRadian = 24 / (2 * Math.PI);
  return {
    events: n,
    amplitude: { value: amplitude, se: 2 * Math.sqrt(Math.max(0, 0.5 - amplitude ** 2 / 4) / n) },
    peakHour: {
      value: peak,
      se: amplitude > 0 ? (Math.sqrt(1 / (2 * n)) / (amplitude / 2)) * hoursPerRadian : Infinity,
    },
  };
}

/** Each payer's channel: the one it spent most on (ties: the first by name). */
function mainChannels(purchases: readonly PurchaseEvent[]): Map<string, string> {
  const spent = new Map<string, Map<string, number>>();
  for (const p of purchases) {
    const m = spent.get(p.viewer) ?? new Map<string, number>();
    m.set(p.channel, (m.get(p.channel) ?? 0) + p.priceCents + 1e-9);
    spent.set(p.viewer, m);
  }
  const out = new Map<string, string>();
  for (const [viewer, m] of spent) {
    const [best] = [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    out.set(viewer, best[0]);
  }
  return out;
}

function countBy(ids: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const id of ids) m.set(id, (m.get(id) ?? 0) + 1);
  return m;
}

/** Shares of a count table, most frequent first (ties by id). */
function shares(counts: Map<string, number>): Share[] {
  const n = [...counts.values()].reduce((s, v) => s + v, 0);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([id, count]) => ({ id, count, share: proportion(count, n) }));
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const item of items) {
    const list = m.get(key(item));
    if (list === undefined) m.set(key(item), [item]);
    else list.push(item);
  }
  return m;
}

function byKey<T>(a: [string, T], b: [string, T]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

function median(values: readonly number[]): number {
  return quantileSorted(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

/** The most frequent value (ties: the smallest). */
function mode(values: readonly number[]): number {
  const counts = countBy(values.map(String));
  return Number([...counts].sort((a, b) => b[1] - a[1] || Number(a[0]) - Number(b[0]))[0][0]);
}
