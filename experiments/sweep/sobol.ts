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
}

/** Gathers an output from the design's points (`y` of a point id; other points are ignored). */
export function sobolOutputs(
  points: readonly SweepPoint[],
  samples: number,
  dims: number,
  y: (id: number) => number,
): SobolOutputs {
  const out: SobolOutputs = {
    a: new Float64Array(samples),
    b: new Float64Array(samples),
    ab: Array.from({ length: dims }, () => new Float64Array(samples)),
  };
  let seen = 0;
  for (const p of points) {
    if (p.sample === undefined) continue;
    if (p.role === 'sobol-A') out.a[p.sample] = y(p.id);
    else if (p.role === 'sobol-B') out.b[p.sample] = y(p.id);
    else if (p.role === 'sobol-AB') out.ab[p.moved as number][p.sample] = y(p.id);
    else continue;
    seen++;
  }
  assert(seen === sobolPointCount(samples, dims), 'every Sobol point has its output');
  return out;
}

export interface SobolIndex {
  s1: number;
  s1Ci95: [number, number];
  st: number;
  stCi95: [number, number];
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
  const point = centred.map((o) => estimate(o, identity, dims));
  // boot[output][path] = [S1 per resample, ST per resample]
  const boot = centred.map(() =>
    Array.from({ length: dims }, () => [new Float64Array(resamples), new Float64Array(resamples)]),
  );
  const rows = new Int32Array(n);
  for (let r = 0; r < resamples; r++) {
    for (let j = 0; j < n; j++) rows[j] = Math.floor(rng() * n);
    centred.forEach((o, k) => {
      const e = estimate(o, rows, dims);
      for (let i = 0; i < dims; i++) {
        boot[k][i][0][r] = e.s1[i];
        boot[k][i][1][r] = e.st[i];
      }
    });
  }
  return point.map((e, k) =>
    Array.from({ length: dims }, (_, i) => ({
      s1: e.s1[i],
      s1Ci95: percentileCi(boot[k][i][0], e.s1[i]),
      st: e.st[i],
      stCi95: percentileCi(boot[k][i][1], e.st[i]),
    })),
  );
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

/** S1 and ST per path over the base samples `rows` (a bootstrap resample, or all of them). */
function estimate(o: SobolOutputs | null, rows: Int32Array, dims: number): { s1: number[]; st: number[] } {
  if (o === null) return { s1: new Array(dims).fill(Number.NaN), st: new Array(dims).fill(Number.NaN) };
  const n = rows.length;
  let sum = 0;
  let squares = 0;
  for (const j of rows) {
    sum += o.a[j] + o.b[j];
    squares += o.a[j] * o.a[j] + o.b[j] * o.b[j];
  }
  const mean = sum / (2 * n);
  const variance = squares / (2 * n) - mean * mean;
  const s1: number[] = [];
  const st: number[] = [];
  for (const ab of o.ab) {
    let first = 0;
    let total = 0;
    for (const j of rows) {
      first += o.b[j] * (ab[j] - o.a[j]);
      total += (o.a[j] - ab[j]) ** 2;
    }
    s1.push(variance > 0 ? first / n / variance : Number.NaN);
    st.push(variance > 0 ? total / (2 * n) / variance : Number.NaN);
  }
  return { s1, st };
}

/** The 2.5 % and 97.5 % quantiles of the finite resampled values; NaN bounds when the index is NaN. */
export function percentileCi(values: Float64Array, estimate: number): [number, number] {
  if (Number.isNaN(estimate)) return [Number.NaN, Number.NaN];
  const finite = Float64Array.from(values.filter((v) => Number.isFinite(v))).sort();
  if (finite.length === 0) return [estimate, estimate];
  return [quantileSorted(finite, 0.025), quantileSorted(finite, 0.975)];
}
