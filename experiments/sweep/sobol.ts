/**
 * Global sensitivity by Sobol' indices (`sweep --sobol n`): what share of a KPI's variance over the
 * `--vary` ranges each path explains alone (first order, S1) and with all its interactions (total
 * order, ST).
 *
 * Design (Saltelli 2002/2010): two base matrices A and B of n samples each over the D paths, and for
 * every path i the matrix AB^i — A with column i taken from B. n × (D + 2) points in all, numbered by
 * base sample j: A_j, AB^1_j … AB^D_j, B_j. The base is seeded random, not a low-discrepancy sequence:
 * A and B are two independent Latin hypercubes (each column stratified, rows independent of each other)
 * drawn from the stream `giftlab:<seed>:sweep:sobol` — any n works, not only powers of two, and the
 * error shrinks like a Monte Carlo estimate's, 1/√n, with the hypercube's gain on additive effects.
 *
 * Estimators, on outputs centred on the mean of f(A) and f(B) (a constant shift changes neither's
 * expectation, and keeps the S1 product's noise small):
 *   V   = variance of f(A) ∪ f(B) (divisor 2n)
 *   S1i = mean_j f(B)_j (f(AB^i)_j − f(A)_j) / V                 (Saltelli et al. 2010)
 *   STi = mean_j (f(A)_j − f(AB^i)_j)² / 2 / V                  (Jansen 1999)
 * Confidence intervals: percentile bootstrap over the base samples j (the same resampled rows for every
 * path and KPI), from the stream `giftlab:<seed>:sweep:sobol-bootstrap`. A path that cannot move the
 * KPI gives f(AB^i) = f(A) exactly under common random numbers, so its ST is exactly 0.
 *
 * Replication noise. f is a point's mean over its R replications, so each f carries noise of variance
 * σ²/R, and common random numbers cancel only the part every point shares: a path that changes what is
 * drawn (a creator's share moves creators' streams, and every later draw) gives its points fresh noise,
 * which V and that path's S1 and ST then count as its effect. With R ≥ 2 the noise is measured:
 *   noise  = SS_res / (P R (R − 1)) over the P = 2n points of A ∪ B, SS_res the residual sum of squares
 *            of points × replications (each value less its point's mean and its replication's mean across
 *            the points, plus the grand mean). Its expectation is exactly the noise V holds, whatever
 *            the noise's spread at each point and its correlation across points under common random
 *            numbers; with independent streams it is the mean within-point variance / R.
 *   noise share = noise / V: how much of the variance the indices decompose is replication noise;
 *   and per path the part of its ST that is noise, mean_j var_r(y_A − y_AB^i)_j / R / 2 / V.
 * Noise-corrected indices (of the mean response E[y | x], the figures R → ∞ would give): each term
 * less its noise, estimated from the replications at the same base sample (unbiased, term by term):
 *   V'   = V − noise
 *   S1'i = mean_j (f(B)_j (f(AB^i)_j − f(A)_j) − cov_r(y_B, y_AB^i − y_A)_j / R) / V'
 *   ST'i = mean_j ((f(A)_j − f(AB^i)_j)² − var_r(y_A − y_AB^i)_j / R) / 2 / V'
 * NaN with one replication, or when V' ≤ 0 (nothing left but noise); bootstrapped over the same rows.
 */
import { assert } from '../../common/assert.ts';
import { limits } from '../../common/limits.ts';
import type { Rng } from '../../sim/random/streams.ts';
import { quantileSorted } from '../stats.ts';
import { checkSampledAxes, mapUnit, type SweepPoint, stratified } from './design.ts';
import type { PathKind } from './path-kind.ts';
import type { Axis } from './vary.ts';

/** Bootstrap resamples behind every index's CI. */
export const SOBOL_RESAMPLES = 1000;

/** Points of a Sobol design: n base samples × (D + 2). */
export function sobolPointCount(samples: number, dims: number): number {
  return samples * (dims + 2);
}

export function sobolPoints(
  axes: readonly Axis[],
  kinds: readonly PathKind[],
  samples: number,
  rng: Rng,
): SweepPoint[] {
  const dims = axes.length;
  const total = sobolPointCount(samples, dims);
  assert(Number.isSafeInteger(samples) && samples >= 2, 'Sobol base samples out of bounds');
  assert(total <= limits.sweepPointsMax, 'Sobol design too large (checked by the plan)');
  checkSampledAxes(axes, kinds, 'sobol', total);
  const a = axes.map(() => stratified(samples, rng));
  const b = axes.map(() => stratified(samples, rng));
  const points: SweepPoint[] = [];
  const push = (unit: number[], role: SweepPoint['role'], sample: number, moved?: number) => {
    points.push({
      id: points.length,
      role,
      sample,
      ...(moved === undefined ? {} : { moved }),
      unit,
      values: axes.map((axis, d) => mapUnit(axis, kinds[d], unit[d])),
    });
  };
  for (let j = 0; j < samples; j++) {
    const rowA = axes.map((_, d) => a[d][j]);
    const rowB = axes.map((_, d) => b[d][j]);
    push(rowA, 'sobol-A', j);
    for (let i = 0; i < dims; i++)
      push(
        rowA.map((u, d) => (d === i ? rowB[d] : u)),
        'sobol-AB',
        j,
        i,
      );
    push(rowB, 'sobol-B', j);
  }
  return points;
}

/** One output (a KPI) at the design's points: f(A), f(B) and f(AB^i) by base sample. */
export interface SobolOutputs {
  a: Float64Array;
  b: Float64Array;
  ab: Float64Array[];
  /**
   * The replications behind each mean, when there are R ≥ 2 of them: reps.a[j · R + r] is replication
   * r at A_j (and so for B and each AB^i). Absent with one replication: the noise cannot be measured.
   */
  reps?: { count: number; a: Float64Array; b: Float64Array; ab: Float64Array[] };
}

/**
 * Gathers an output from the design's points (`y` of a point id; other points are ignored) and, given
 * `ys` (a point's replications, in replication order, as many at every point), its replications.
 */
export function sobolOutputs(
  points: readonly SweepPoint[],
  samples: number,
  dims: number,
  y: (id: number) => number,
  ys?: (id: number) => readonly number[],
): SobolOutputs {
  const out: SobolOutputs = {
    a: new Float64Array(samples),
    b: new Float64Array(samples),
    ab: Array.from({ length: dims }, () => new Float64Array(samples)),
  };
  const count = ys === undefined ? 0 : ys(points[0].id).length;
  const reps =
    count >= 2
      ? {
          count,
          a: new Float64Array(samples * count),
          b: new Float64Array(samples * count),
          ab: Array.from({ length: dims }, () => new Float64Array(samples * count)),
        }
      : undefined;
  let seen = 0;
  for (const p of points) {
    if (p.sample === undefined) continue;
    let into: [Float64Array, Float64Array | undefined];
    if (p.role === 'sobol-A') into = [out.a, reps?.a];
    else if (p.role === 'sobol-B') into = [out.b, reps?.b];
    else if (p.role === 'sobol-AB') into = [out.ab[p.moved as number], reps?.ab[p.moved as number]];
    else continue;
    into[0][p.sample] = y(p.id);
    if (reps !== undefined && ys !== undefined) {
      const values = ys(p.id);
      assert(values.length === count, 'as many replications at every point');
      into[1]?.set(values, p.sample * count);
    }
    seen++;
  }
  assert(seen === sobolPointCount(samples, dims), 'every Sobol point has its output');
  return reps === undefined ? out : { ...out, reps };
}

export interface SobolIndex {
  s1: number;
  s1Ci95: [number, number];
  st: number;
  stCi95: [number, number];
  /**
   * The share of the variance of the point means (f(A) ∪ f(B)) that is replication noise: NaN with
   * one replication (it cannot be separated) or when the output never varies. The output's, on every path.
   */
  noiseShare: number;
  /**
   * The part of ST that is replication noise, mean_j var_r(y_A − y_AB^i)_j / R / 2 / V: what this path
   * absorbs (0 when moving it changes nothing drawn). NaN when it cannot be measured.
   */
  stNoise: number;
  /** S1 and ST less their replication noise (see the file's comment): NaN when it cannot be measured. */
  s1Corrected: number;
  s1CorrectedCi95: [number, number];
  stCorrected: number;
  stCorrectedCi95: [number, number];
}

/**
 * First- and total-order indices of each output for each path, with percentile bootstrap 95 % CIs.
 * An output that takes one value at every point has no variance to share: its indices are NaN.
 */
export function sobolIndices(outputs: readonly SobolOutputs[], resamples: number, rng: Rng): SobolIndex[][] {
  assert(outputs.length > 0, 'at least one output');
  const n = outputs[0].a.length;
  const dims = outputs[0].ab.length;
  const identity = Int32Array.from({ length: n }, (_, j) => j);
  const centred = outputs.map(centre);
  const terms = centred.map((o, k) => (o === null ? null : noiseTerms(outputs[k])));
  const point = centred.map((o, k) => estimate(o, identity, dims, terms[k]));
  // boot[output][path] = [S1, ST, S1 corrected, ST corrected] per resample
  const boot = centred.map(() =>
    Array.from({ length: dims }, () => Array.from({ length: 4 }, () => new Float64Array(resamples))),
  );
  const rows = new Int32Array(n);
  for (let r = 0; r < resamples; r++) {
    for (let j = 0; j < n; j++) rows[j] = Math.floor(rng() * n);
    centred.forEach((o, k) => {
      const e = estimate(o, rows, dims, terms[k]);
      for (let i = 0; i < dims; i++) {
        boot[k][i][0][r] = e.s1[i];
        boot[k][i][1][r] = e.st[i];
        boot[k][i][2][r] = e.s1c[i];
        boot[k][i][3][r] = e.stc[i];
      }
    });
  }
  return point.map((e, k) =>
    Array.from({ length: dims }, (_, i) => ({
      s1: e.s1[i],
      s1Ci95: percentileCi(boot[k][i][0], e.s1[i]),
      st: e.st[i],
      stCi95: percentileCi(boot[k][i][1], e.st[i]),
      noiseShare: e.noiseShare,
      stNoise: e.stNoise[i],
      s1Corrected: e.s1c[i],
      s1CorrectedCi95: percentileCi(boot[k][i][2], e.s1c[i]),
      stCorrected: e.stc[i],
      stCorrectedCi95: percentileCi(boot[k][i][3], e.stc[i]),
    })),
  );
}

/**
 * What the noise estimates need per base sample j, from the replications (null without them): the
 * within-point sums of squares of A_j and B_j together (w), their deviations from their own means
 * summed replication by replication (u, j-major), and per path the noise terms of S1's and ST's
 * products (cov_r(y_B, y_AB − y_A) / R and var_r(y_A − y_AB) / R).
 */
interface NoiseTerms {
  count: number;
  w: Float64Array;
  u: Float64Array;
  s1: Float64Array[];
  st: Float64Array[];
}

function noiseTerms(o: SobolOutputs): NoiseTerms | null {
  if (o.reps === undefined) return null;
  const { count: R, a, b, ab } = o.reps;
  const n = o.a.length;
  const w = new Float64Array(n);
  const u = new Float64Array(n * R);
  const mean = (xs: Float64Array, j: number) => {
    let sum = 0;
    for (let r = 0; r < R; r++) sum += xs[j * R + r];
    return sum / R;
  };
  for (let j = 0; j < n; j++) {
    const ma = mean(a, j);
    const mb = mean(b, j);
    for (let r = 0; r < R; r++) {
      const da = a[j * R + r] - ma;
      const db = b[j * R + r] - mb;
      w[j] += da * da + db * db;
      u[j * R + r] = da + db;
    }
  }
  const s1 = ab.map(() => new Float64Array(n));
  const st = ab.map(() => new Float64Array(n));
  ab.forEach((xs, i) => {
    for (let j = 0; j < n; j++) {
      // d_r = y_AB − y_A; cov(y_B, d) and var(d) over the replications, divisor R − 1, then / R.
      let md = 0;
      for (let r = 0; r < R; r++) md += xs[j * R + r] - a[j * R + r];
      md /= R;
      const mb = mean(b, j);
      let cov = 0;
      let v = 0;
      for (let r = 0; r < R; r++) {
        const d = xs[j * R + r] - a[j * R + r] - md;
        cov += (b[j * R + r] - mb) * d;
        v += d * d;
      }
      s1[i][j] = cov / (R - 1) / R;
      st[i][j] = v / (R - 1) / R;
    }
  });
  return { count: R, w, u, s1, st };
}

/** The output less the mean of f(A) and f(B); null when it never varies. */
function centre(o: SobolOutputs): SobolOutputs | null {
  let sum = 0;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  const all = [o.a, o.b, ...o.ab];
  for (const xs of [o.a, o.b]) for (const x of xs) sum += x;
  for (const xs of all) {
    for (const x of xs) {
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
  }
  if (!(lo < hi)) return null;
  const c = sum / (2 * o.a.length);
  const shift = (xs: Float64Array) => xs.map((x) => x - c);
  return { a: shift(o.a), b: shift(o.b), ab: o.ab.map(shift) };
}

interface Estimate {
  s1: number[];
  st: number[];
  noiseShare: number;
  stNoise: number[];
  s1c: number[];
  stc: number[];
}

/**
 * S1 and ST per path over the base samples `rows` (a bootstrap resample, or all of them), and given the
 * replications' noise terms the noise share and the noise-corrected indices.
 */
function estimate(
  o: SobolOutputs | null,
  rows: Int32Array,
  dims: number,
  terms: NoiseTerms | null,
): Estimate {
  const none = () => new Array<number>(dims).fill(Number.NaN);
  if (o === null)
    return { s1: none(), st: none(), noiseShare: Number.NaN, stNoise: none(), s1c: none(), stc: none() };
  const n = rows.length;
  let sum = 0;
  let squares = 0;
  for (const j of rows) {
    sum += o.a[j] + o.b[j];
    squares += o.a[j] * o.a[j] + o.b[j] * o.b[j];
  }
  const mean = sum / (2 * n);
  const variance = squares / (2 * n) - mean * mean;
  const noise = terms === null ? Number.NaN : noiseVariance(terms, rows);
  const clean = variance - noise;
  const s1: number[] = [];
  const st: number[] = [];
  const s1c: number[] = [];
  const stc: number[] = [];
  const stNoise: number[] = [];
  o.ab.forEach((ab, i) => {
    let first = 0;
    let total = 0;
    let firstNoise = 0;
    let totalNoise = 0;
    for (const j of rows) {
      first += o.b[j] * (ab[j] - o.a[j]);
      total += (o.a[j] - ab[j]) ** 2;
      if (terms !== null) {
        firstNoise += terms.s1[i][j];
        totalNoise += terms.st[i][j];
      }
    }
    s1.push(variance > 0 ? first / n / variance : Number.NaN);
    st.push(variance > 0 ? total / (2 * n) / variance : Number.NaN);
    stNoise.push(terms !== null && variance > 0 ? totalNoise / (2 * n) / variance : Number.NaN);
    const separable = terms !== null && variance > 0 && clean > 0;
    s1c.push(separable ? (first - firstNoise) / n / clean : Number.NaN);
    stc.push(separable ? (total - totalNoise) / (2 * n) / clean : Number.NaN);
  });
  return { s1, st, noiseShare: variance > 0 ? noise / variance : Number.NaN, stNoise, s1c, stc };
}

/**
 * The noise in the variance of the means of A_j and B_j over `rows` (divisor P = 2 · rows): the
 * residual sum of squares of points × replications over P R (R − 1). SS_res = Σ w − P Σ_r m_r², m_r the
 * mean over the points of their deviations in replication r (its replication's shared shift).
 */
function noiseVariance(terms: NoiseTerms, rows: Int32Array): number {
  const R = terms.count;
  const P = 2 * rows.length;
  const m = new Float64Array(R);
  let within = 0;
  for (const j of rows) {
    within += terms.w[j];
    for (let r = 0; r < R; r++) m[r] += terms.u[j * R + r];
  }
  let shared = 0;
  for (let r = 0; r < R; r++) shared += (m[r] * m[r]) / P;
  // Rounding can leave a hair below 0 when the replications agree up to a shared shift.
  return Math.max(0, within - shared) / (P * R * (R - 1));
}

/** The 2.5 % and 97.5 % quantiles of the finite resampled values; NaN bounds when the index is NaN. */
export function percentileCi(values: Float64Array, estimate: number): [number, number] {
  if (Number.isNaN(estimate)) return [Number.NaN, Number.NaN];
  const finite = Float64Array.from(values.filter((v) => Number.isFinite(v))).sort();
  if (finite.length === 0) return [estimate, estimate];
  return [quantileSorted(finite, 0.025), quantileSorted(finite, 0.975)];
}
