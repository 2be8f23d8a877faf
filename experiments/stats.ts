/**
 * Student's t distribution (CDF and quantile, via the regularized incomplete beta function) — the one
 * implementation, used by replications' confidence intervals, sweeps and `compare`'s Welch test — and
 * the mean, sample standard deviation and 95 % confidence interval of replications' values.
 */
import type { KpiStat } from '../sim/kpis.ts';

/** The significance level of every verdict giftlab states (compare's, a sweep's): 5 %, two-sided. */
export const ALPHA = 0.05;

/**
 * The two-sided 95 % Student-t quantile for `df` degrees of freedom (whole ones: replications − 1),
 * computed once per df and kept.
 */
export function t95(df: number): number {
  if (!(df > 0)) return Number.NaN;
  let t = T95_BY_DF.get(df);
  if (t === undefined) {
    t = studentTQuantile(0.975, df);
    T95_BY_DF.set(df, t);
  }
  return t;
}

const T95_BY_DF = new Map<number, number>();

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

export function describe(values: readonly number[]): KpiStat {
  const n = values.length;
  if (n === 0) return { mean: 0, ci95: [0, 0], sd: 0 };
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  if (n === 1) return { mean, ci95: [mean, mean], sd: 0 };
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  const sd = Math.sqrt(squares / (n - 1));
  const half = (t95(n - 1) * sd) / Math.sqrt(n);
  return { mean, ci95: [mean - half, mean + half], sd };
}

/**
 * The 95 % CI of a ratio pooled over replications, R = Σ num / Σ den (gifts per viewer-hour, say), by
 * linearization: each replication's residual num − R × den gives the variance, se = s_e / (√n × mean den),
 * with Student's t at n − 1. With equal denominators it is the CI of the mean of the ratios. Null with
 * fewer than two replications or nothing in the denominator.
 */
export function ratioCi95(num: readonly number[], den: readonly number[]): [number, number] | null {
  const n = num.length;
  let sumNum = 0;
  let sumDen = 0;
  for (let i = 0; i < n; i++) {
    sumNum += num[i];
    sumDen += den[i];
  }
  if (n < 2 || !(sumDen > 0)) return null;
  const ratio = sumNum / sumDen;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (num[i] - ratio * den[i]) ** 2;
  const half = (t95(n - 1) * Math.sqrt(squares / (n - 1) / n)) / (sumDen / n);
  return [ratio - half, ratio + half];
}

/** The q-quantile (0..1) of sorted values, linearly interpolated (type 7, as R's and numpy's default). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * Φ(z), the standard normal CDF: Simpson's rule on the density from 0 to |z| (64 panels a unit; error
 * below 1e-10), so that no approximation constants are needed. Beyond 40 it is 0 or 1 in doubles.
 */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  if (!Number.isFinite(z)) return z > 0 ? 1 : 0;
  const a = Math.min(Math.abs(z), 40);
  const panels = Math.max(2, 2 * Math.ceil(a * 32));
  const h = a / panels;
  let sum = 0;
  for (let i = 0; i <= panels; i++) {
    const weight = i === 0 || i === panels ? 1 : i % 2 === 1 ? 4 : 2;
    sum += weight * Math.exp(-((i * h) ** 2) / 2);
  }
  const half = (sum * h) / 3 / Math.sqrt(2 * Math.PI);
  return z >= 0 ? 0.5 + half : 0.5 - half;
}

/** The z with Φ(z) = p, by bisection on normalCdf. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) return Number.NaN;
  let lo = -40;
  let hi = 40;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * The sample skewness of replications (the adjusted Fisher–Pearson G1); NaN with fewer than 3 values
 * or none apart. Money KPIs are skewed across replications: a few whales drive a run's bookings.
 */
export function skewness(values: readonly number[]): number {
  const n = values.length;
  if (n < 3) return Number.NaN;
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  let m2 = 0;
  let m3 = 0;
  for (const v of values) {
    const d = v - mean;
    m2 += d * d;
    m3 += d * d * d;
  }
  m2 /= n;
  m3 /= n;
  if (!(m2 > 0)) return Number.NaN;
  return ((Math.sqrt(n * (n - 1)) / (n - 2)) * m3) / m2 ** 1.5;
}

/**
 * Replications a mean needs before its t-interval's 95 % can be trusted, for values this skewed:
 * Cochran's rule, n > 25 G1² (Cochran, Sampling Techniques, 3rd ed., 1977, §2.15).
 */
export function replicationsForSkew(g1: number): number {
  return Math.floor(25 * g1 * g1) + 1;
}

/** Skewness below which a t-interval is left alone (the rule then asks for no more than 25). */
export const SKEW_NOTED = 1;

/**
 * { g1, needed } when these replications are clearly skewed (|G1| ≥ 1) and too few for it by
 * Cochran's rule, else null: their 95 % CI is then likely narrower than it says.
 */
export function tooSkewed(values: readonly number[]): { g1: number; needed: number } | null {
  const g1 = skewness(values);
  if (!(Math.abs(g1) >= SKEW_NOTED)) return null;
  const needed = replicationsForSkew(g1);
  return values.length < needed ? { g1, needed } : null;
}

/**
 * The 95 % CI of mean(a) − mean(b): paired over replications under common random numbers (the mean
 * and CI of the differences), Welch-like with 2n − 2 degrees of freedom otherwise — the CI a sweep's Points table gives beside each point's difference from the baseline, its
 * tornado's swings and its report's verdicts on the extremes (reports/sweep/verdict.ts).
 * Null with fewer than two replications.
 */
export function differenceCi(
  a: readonly number[],
  b: readonly number[],
  paired: boolean,
  /** The t quantile to use for df (differenceDf): a wider one for a CI that must hold for many pairs at once. */
  t?: number,
): [number, number] | null {
  const n = a.length;
  if (n < 2 || b.length !== n) return null;
  if (paired) {
    const d = describe(a.map((x, i) => x - b[i]));
    if (t === undefined) return d.ci95;
    const half = (t * d.sd) / Math.sqrt(n);
    return [d.mean - half, d.mean + half];
  }
  const sa = describe(a);
  const sb = describe(b);
  const half = (t ?? t95(2 * n - 2)) * Math.sqrt((sa.sd ** 2 + sb.sd ** 2) / n);
  const delta = sa.mean - sb.mean;
  return [delta - half, delta + half];
}

/** The degrees of freedom of differenceCi over n replications a point. */
export function differenceDf(n: number, paired: boolean): number {
  return paired ? n - 1 : 2 * n - 2;
}
