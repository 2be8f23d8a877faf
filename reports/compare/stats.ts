/**
 * The statistics `compare` needs: summary statistics of replications and Welch's unequal-variance
 * t-test, over Student's t distribution in experiments/stats.ts (the one implementation). Pure functions
 * over plain numbers; no dependency.
 */
import { studentTCdf, studentTQuantile, t95 } from '../../experiments/stats.ts';

export interface Sample {
  mean: number;
  /** Sample standard deviation (n − 1); 0 with one value. */
  sd: number;
  n: number;
}

export interface WelchResult {
  /** mean(b) − mean(a). */
  diff: number;
  /** Standard error of the difference. */
  se: number;
  t: number;
  df: number;
  /** Two-sided p-value; NaN when it cannot be computed (n < 2 on a side, or no variance at all). */
  p: number;
  /** 95 % confidence interval of the difference. */
  ci95: [number, number];
}

/** Mean, sd and count of replications' values (NaN with none). */
export function sampleOf(values: readonly number[]): Sample {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, sd: Number.NaN, n: 0 };
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  return { mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : 0, n };
}

/** The t-based 95 % confidence interval of a mean; collapses to the mean with one value. */
export function ci95OfMean(s: Sample): [number, number] {
  if (s.n < 2) return [s.mean, s.mean];
  const half = t95(s.n - 1) * (s.sd / Math.sqrt(s.n));
  return [s.mean - half, s.mean + half];
}

/**
 * Recovers the standard deviation from a t-based 95 % CI of a mean over n replications — for run
 * folders whose summary.json carries `{ mean, ci95 }` but no per-replication values.
 */
export function sdFromCi95(ci95: readonly [number, number], n: number): number {
  if (n < 2) return 0;
  const half = (ci95[1] - ci95[0]) / 2;
  return (half * Math.sqrt(n)) / t95(n - 1);
}

/** Welch's t-test of b against a (two-sided), with the 95 % CI of mean(b) − mean(a). */
export function welch(a: Sample, b: Sample): WelchResult {
  const diff = b.mean - a.mean;
  if (a.n < 2 || b.n < 2)
    return { diff, se: Number.NaN, t: Number.NaN, df: Number.NaN, p: Number.NaN, ci95: [diff, diff] };
  const va = (a.sd * a.sd) / a.n;
  const vb = (b.sd * b.sd) / b.n;
  const se = Math.sqrt(va + vb);
  if (se === 0) {
    // Both sides constant: identical values are no evidence of a difference; different ones are certain.
    return { diff, se: 0, t: Number.NaN, df: Number.NaN, p: diff === 0 ? 1 : 0, ci95: [diff, diff] };
  }
  const df = (va + vb) ** 2 / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  const t = diff / se;
  const p = 2 * (1 - studentTCdf(Math.abs(t), df));
  const half = studentTQuantile(0.975, df) * se;
  return { diff, se, t, df, p: Math.min(1, Math.max(0, p)), ci95: [diff - half, diff + half] };
}

/**
 * Paired t-test of b against a, replication by replication (two-sided), with the 95 % CI of the mean
 * difference. Right when both runs drew the same random numbers per replication (same seed): the
 * noise they share cancels in the differences.
 */
export function pairedT(a: readonly number[], b: readonly number[]): WelchResult {
  if (a.length !== b.length) throw new Error(`paired samples differ in length: ${a.length} and ${b.length}`);
  const d = sampleOf(a.map((x, i) => b[i] - x));
  if (d.n < 2)
    return {
      diff: d.mean,
      se: Number.NaN,
      t: Number.NaN,
      df: Number.NaN,
      p: Number.NaN,
      ci95: [d.mean, d.mean],
    };
  const se = d.sd / Math.sqrt(d.n);
  const df = d.n - 1;
  if (se === 0)
    return { diff: d.mean, se: 0, t: Number.NaN, df, p: d.mean === 0 ? 1 : 0, ci95: [d.mean, d.mean] };
  const t = d.mean / se;
  const p = 2 * (1 - studentTCdf(Math.abs(t), df));
  const half = studentTQuantile(0.975, df) * se;
  return { diff: d.mean, se, t, df, p: Math.min(1, Math.max(0, p)), ci95: [d.mean - half, d.mean + half] };
}

/**
 * Pearson's correlation of paired values: how far b's values move with a's. Null when either side has
 * fewer than two values or all its values equal (no variance: r is undefined).
 */
export function pearson(a: readonly number[], b: readonly number[]): number | null {
  if (a.length !== b.length) throw new Error(`paired samples differ in length: ${a.length} and ${b.length}`);
  // Constant tested on the values themselves: their mean need not be exact, and (x − mean)² then is not 0.
  if (a.length < 2 || a.every((x) => x === a[0]) || b.every((x) => x === b[0])) return null;
  const [ma, mb] = [sampleOf(a).mean, sampleOf(b).mean];
  let [sab, saa, sbb] = [0, 0, 0];
  for (let i = 0; i < a.length; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return Math.min(1, Math.max(-1, sab / Math.sqrt(saa * sbb)));
}

// One quantile rule for every room (experiments/stats.ts), re-exported for the report's readers.
export { quantileSorted } from '../../experiments/stats.ts';
