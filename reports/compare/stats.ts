/**
 * The statistics `compare` needs: Student's t distribution (CDF and quantile, via the regularized
 * incomplete beta function), summary statistics of replications, and Welch's unequal-variance t-test.
 * Pure functions over plain numbers; no dependency.
 */

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

export function summarize(values: readonly number[]): Sample {
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
  const half = studentTQuantile(0.975, s.n - 1) * (s.sd / Math.sqrt(s.n));
  return [s.mean - half, s.mean + half];
}

/**
 * Recovers the standard deviation from a t-based 95 % CI of a mean over n replications — for run
 * folders whose summary.json carries `{ mean, ci95 }` but no per-replication values.
 */
export function sdFromCi95(ci95: readonly [number, number], n: number): number {
  if (n < 2) return 0;
  const half = (ci95[1] - ci95[0]) / 2;
  return (half * Math.sqrt(n)) / studentTQuantile(0.975, n - 1);
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
  const d = summarize(a.map((x, i) => b[i] - x));
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

/** P(T ≤ t) for Student's t with `df` degrees of freedom (df may be fractional, as Welch's is). */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) return Number.NaN;
  if (!Number.isFinite(t)) return t > 0 ? 1 : 0;
  const x = df / (df + t * t);
  const tail = 0.5 * regularizedBeta(x, df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The t value with P(T ≤ t) = p, by bisection on the CDF (60 halvings: ample for display and tests). */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) return Number.NaN;
  if (p === 0.5) return 0;
  let lo = -1e3;
  let hi = 1e3;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** I_x(a, b), the regularized incomplete beta function (continued fraction, Numerical Recipes §6.4). */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x < (a + 1) / (a + b + 2)) return (front * betaFraction(x, a, b)) / a;
  return 1 - (front * betaFraction(1 - x, b, a)) / b;
}

function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-14) break;
  }
  return h;
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9). */
export function lnGamma(x: number): number {
  const g = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let sum = g[0];
  for (let i = 1; i < 9; i++) sum += g[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** The q-quantile (0..1) of sorted values, linearly interpolated (type 7, as R's and numpy's default). */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}
