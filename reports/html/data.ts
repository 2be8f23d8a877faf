/**
 * Reductions of a `RunResult` that several charts share: per-interval means over replications,
 * channel totals, audience bins summed over replications, and Lorenz curves thinned for drawing.
 * Amounts stay in integer cents (or their means) here; dollars appear only in the chart specs.
 */
import { DAY_SECONDS } from '../../common/limits.ts';
import type { AudienceBin, LorenzCurve, RunResult } from '../../experiments/result.ts';
import { describe, ratioCi95 } from '../../experiments/stats.ts';

export interface IntervalMean {
  startSeconds: number;
  endSeconds: number;
  bookingsCents: Record<string, number>;
  gifts: number;
  /** 95 % CIs of the mean over replications of all channels' bookings and of gifts; none with one. */
  bookingsCi95?: [number, number];
  giftsCi95?: [number, number];
}

/** Channel ids as the run reports them, in scenario order where the scenario knows them. */
export function channelIdsOf(run: RunResult, scenarioChannels: readonly string[]): string[] {
  const seen = new Set<string>(scenarioChannels);
  for (const rep of run.replications)
    for (const row of rep.timeseries) for (const id of Object.keys(row.bookingsCents)) seen.add(id);
  return [...seen];
}

export function intervalMeans(
  run: RunResult,
  channels: readonly string[],
  intervalSeconds: number,
): IntervalMean[] {
  const reps = run.replications;
  const length = Math.max(0, ...reps.map((r) => r.timeseries.length));
  const out: IntervalMean[] = [];
  for (let i = 0; i < length; i++) {
    const rows = reps.map((r) => r.timeseries[i]).filter((row) => row !== undefined);
    const bookingsCents: Record<string, number> = {};
    for (const c of channels) bookingsCents[c] = mean(rows.map((row) => row.bookingsCents[c] ?? 0));
    const start = rows[0].startSeconds;
    const next = reps[0].timeseries[i + 1]?.startSeconds;
    const totals = rows.map((row) => channels.reduce((sum, c) => sum + (row.bookingsCents[c] ?? 0), 0));
    out.push({
      startSeconds: start,
      endSeconds: next ?? start + intervalSeconds,
      bookingsCents,
      gifts: mean(rows.map((row) => row.gifts)),
      ...(rows.length > 1 && {
        bookingsCi95: describe(totals).ci95,
        giftsCi95: describe(rows.map((row) => row.gifts)).ci95,
      }),
    });
  }
  return out;
}

export interface ChannelTotal {
  channel: string;
  bookingsCents: number;
  coinsSold: number;
}

/** Bookings and coins sold per channel, summed over intervals and averaged over replications. */
export function channelTotals(run: RunResult, channels: readonly string[]): ChannelTotal[] {
  const n = Math.max(1, run.replications.length);
  return channels.map((channel) => {
    let bookingsCents = 0;
    let coinsSold = 0;
    for (const rep of run.replications) {
      for (const row of rep.timeseries) {
        bookingsCents += row.bookingsCents[channel] ?? 0;
        coinsSold += row.coinsSold[channel] ?? 0;
      }
    }
    return { channel, bookingsCents: bookingsCents / n, coinsSold: coinsSold / n };
  });
}

/**
 * Per channel, the 95 % CI of its share of gross bookings — a ratio pooled over replications, as the
 * chart's share is (the channel's mean bookings over the mean gross) — or null with one replication or
 * nothing booked.
 */
export function channelShareCis(run: RunResult, channels: readonly string[]): ([number, number] | null)[] {
  const per = run.replications.map((rep) =>
    channels.map((c) => rep.timeseries.reduce((sum, row) => sum + (row.bookingsCents[c] ?? 0), 0)),
  );
  const gross = per.map((p) => p.reduce((a, b) => a + b, 0));
  return channels.map((_, i) =>
    ratioCi95(
      per.map((p) => p[i]),
      gross,
    ),
  );
}

/** An audience bin's key: bins with the same edges are one bin across replications. */
export const audienceBinKey = (b: AudienceBin): string => `${b.audienceMin}-${b.audienceMax}`;

/**
 * Per audience bin, the 95 % CI of its pooled gifts per viewer-hour over replications (a replication
 * without the bin counts as none watched there); null with one replication.
 */
export function audienceRateCis(run: RunResult): Map<string, [number, number] | null> {
  const n = run.replications.length;
  const per = new Map<string, { gifts: number[]; hours: number[] }>();
  run.replications.forEach((rep, i) => {
    for (const b of rep.audience) {
      const key = audienceBinKey(b);
      const acc = per.get(key) ?? { gifts: new Array(n).fill(0), hours: new Array(n).fill(0) };
      acc.gifts[i] += b.gifts;
      acc.hours[i] += b.viewerHours;
      per.set(key, acc);
    }
  });
  return new Map([...per].map(([key, { gifts, hours }]) => [key, ratioCi95(gifts, hours)]));
}

/** Audience bins summed over replications (same bin edges merge), sorted by audience. */
export function audienceTotals(run: RunResult): AudienceBin[] {
  const bins = new Map<string, AudienceBin>();
  for (const rep of run.replications) {
    for (const b of rep.audience) {
      const key = audienceBinKey(b);
      const acc = bins.get(key) ?? { ...b, viewerHours: 0, gifts: 0, coins: 0 };
      acc.viewerHours += b.viewerHours;
      acc.gifts += b.gifts;
      acc.coins += b.coins;
      bins.set(key, acc);
    }
  }
  return [...bins.values()].sort((a, b) => a.audienceMin - b.audienceMin);
}

/**
 * A Lorenz curve at fixed shares of holders: every 1 % up to 90 %, then every 0.1 % (the top decile
 * is where gifting economies differ), linearly interpolated. Keeps the SVG small for any population.
 */
export function thinLorenz(curve: LorenzCurve): { x: number; y: number }[] {
  const grid: number[] = [];
  for (let i = 0; i <= 90; i++) grid.push(i / 100);
  for (let i = 901; i <= 1000; i++) grid.push(i / 1000);
  return grid.map((x) => ({ x, y: lorenzAt(curve, x) }));
}

/** The share of the total held by the poorest `x` of holders, interpolated on the curve. */
export function lorenzAt(curve: LorenzCurve, x: number): number {
  const xs = curve.x;
  if (xs.length === 0) return x;
  if (x <= xs[0]) return curve.y[0];
  if (x >= xs[xs.length - 1]) return curve.y[xs.length - 1];
  let lo = 0;
  let hi = xs.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= x) lo = mid;
    else hi = mid;
  }
  const span = xs[hi] - xs[lo];
  return span === 0 ? curve.y[hi] : curve.y[lo] + ((curve.y[hi] - curve.y[lo]) * (x - xs[lo])) / span;
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return 0;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/** Time axis unit: hours for up to three days, days beyond. */
export function timeUnit(durationSeconds: number): { seconds: number; label: string } {
  return durationSeconds <= 3 * DAY_SECONDS
    ? { seconds: 3600, label: 'hours' }
    : { seconds: DAY_SECONDS, label: 'days' };
}
