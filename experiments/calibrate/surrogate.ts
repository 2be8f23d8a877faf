/**
 * A response surface over the evaluated candidates: each target's simulated mean as a quadratic in the
 * fitted paths (unit coordinates), by weighted least squares over the candidates nearest a centre
 * (tricube weights, as in LOESS). One candidate's KPIs carry its replications' noise; the surface pools
 * dozens of neighbours, so its minimum is a better estimate than the luckiest candidate's, and its
 * distance = Σ ((surface_k − target_k) / s_k)² is smooth enough to read intervals from:
 *
 * - the surrogate optimum: the box point (inside the region the candidates cover) of least distance;
 * - a profile interval per path: the values of that path at which some setting of the other paths keeps
 *   the distance within WITHIN_NOISE of the optimum (the profile-likelihood 95 % interval).
 *
 * Pure and seeded: the inner searches draw from a stream keyed by the calibration's seed.
 */
import seedrandom from 'seedrandom';
import { type CmaState, initCma, sampleCma, updateCma } from './cmaes.ts';
import { feasible, type TargetScale, WITHIN_NOISE } from './distance.ts';
import { solve } from './linalg.ts';
import type { Scored } from './search.ts';

export interface Surrogate {
  /** The centre the fit is local to, in unit coordinates. */
  centre: number[];
  /** The box its training candidates span, REACH wider each way (within the unit box): the surface is trusted inside it only. */
  region: { lo: number[]; hi: number[] };
  /** Quadratic coefficients per target (features of u − centre). */
  coef: number[][];
  /** Candidates it was fitted to. */
  training: number[];
}

/**
 * How far past its candidates (in box widths) the surface is trusted: a little, so that a target pulling
 * towards an edge the search has not yet touched gets a confirming candidate there.
 */
export const REACH = 0.1;

export function featureCount(n: number): number {
  return 1 + n + (n * (n + 1)) / 2;
}

function features(u: readonly number[], centre: readonly number[]): number[] {
  const d = u.map((v, j) => v - centre[j]);
  const out = [1, ...d];
  for (let j = 0; j < d.length; j++) for (let l = j; l < d.length; l++) out.push(d[j] * d[l]);
  return out;
}

/** Candidates a fit uses: three per coefficient at least, and at least 60 % of those evaluated. */
function trainingSize(n: number, available: number): number {
  return Math.min(available, Math.max(3 * featureCount(n), Math.ceil(0.6 * available)));
}

export function fitSurrogate(
  scored: readonly Scored[],
  scales: readonly TargetScale[],
  centre: readonly number[],
): Surrogate | null {
  const n = centre.length;
  const p = featureCount(n);
  // An infeasible candidate (a target KPI without a value) has no mean to fit.
  const usable = scored.filter((c) => feasible(c.fit));
  if (usable.length < 2 * p) return null;
  const near = usable
    .map((c) => ({ c, r: Math.hypot(...c.candidate.unit.map((v, j) => v - centre[j])) }))
    .sort((a, b) => a.r - b.r || a.c.candidate.id - b.c.candidate.id)
    .slice(0, trainingSize(n, usable.length));
  const rMax = Math.max(...near.map((x) => x.r)) * 1.0001 || 1;
  const weights = near.map((x) => (1 - (x.r / rMax) ** 3) ** 3);
  const rows = near.map((x) => features(x.c.candidate.unit, centre));
  const gram = Array.from({ length: p }, (_, a) =>
    Array.from({ length: p }, (_, b) => rows.reduce((s, row, i) => s + weights[i] * row[a] * row[b], 0)),
  );
  // A whisper of ridge: a flat direction (candidates on a line) stays solvable without moving the fit.
  const trace = gram.reduce((s, row, a) => s + row[a], 0);
  for (let a = 0; a < p; a++) gram[a][a] += 1e-9 * trace;
  const coef: number[][] = [];
  for (const scale of scales) {
    const rhs = Array.from({ length: p }, (_, a) =>
      rows.reduce((s, row, i) => s + weights[i] * row[a] * near[i].c.stats[scale.kpi].mean, 0),
    );
    const beta = solve(gram, rhs);
    if (beta === undefined || beta.some((b) => !Number.isFinite(b))) return null;
    coef.push(beta);
  }
  const units = near.map((x) => x.c.candidate.unit);
  return {
    centre: [...centre],
    region: {
      lo: centre.map((_, j) => Math.max(0, Math.min(...units.map((u) => u[j])) - REACH)),
      hi: centre.map((_, j) => Math.min(1, Math.max(...units.map((u) => u[j])) + REACH)),
    },
    coef,
    training: near.map((x) => x.c.candidate.id),
  };
}

/** The surface's prediction of each target's mean at unit point u. */
export function predict(s: Surrogate, u: readonly number[]): number[] {
  const f = features(u, s.centre);
  return s.coef.map((beta) => beta.reduce((sum, b, a) => sum + b * f[a], 0));
}

export function surrogateDistance(
  s: Surrogate,
  scales: readonly TargetScale[],
  u: readonly number[],
): number {
  return predict(s, u).reduce((sum, m, k) => sum + ((m - scales[k].value) / scales[k].scale) ** 2, 0);
}

export interface SurrogateFit {
  /** Unit point of least surrogate distance, and that distance. */
  optimum: number[];
  distance: number;
  /**
   * Per path: the profile interval in unit coordinates, the points where its ends were found (the other
   * paths at their best for that value), and whether an end is the region's edge rather than the noise's.
   */
  intervals: { lo: number; hi: number; atLo: number[]; atHi: number[]; clipped: boolean }[];
}

/** A bounded minimiser for the smooth surface: CMA-ES inside `lo..hi` from `start`. */
function minimise(
  f: (u: number[]) => number,
  lo: readonly number[],
  hi: readonly number[],
  start: readonly number[],
  rng: () => number,
  generations: number,
): { u: number[]; value: number } {
  const n = lo.length;
  const toBox = (v: readonly number[]) => v.map((x, j) => lo[j] + x * (hi[j] - lo[j]));
  const width = (j: number) => hi[j] - lo[j];
  let state: CmaState = initCma(
    start.map((x, j) => (width(j) > 0 ? Math.min(1, Math.max(0, (x - lo[j]) / width(j))) : 0.5)),
    0.3,
    Math.max(8, 4 + Math.floor(3 * Math.log(n))),
  );
  let best = { u: [...start], value: f([...start]) };
  for (let g = 0; g < generations; g++) {
    const samples = sampleCma(state, rng);
    const values = samples.map((smp) => f(toBox(smp.x)));
    values.forEach((v, i) => {
      if (v < best.value) best = { u: toBox(samples[i].x), value: v };
    });
    const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b] || a - b);
    state = updateCma(
      state,
      order.map((i) => samples[i]),
    );
  }
  return best;
}

/** The surrogate's optimum and profile intervals (bisection on a grid of each path's values). */
export function analyseSurrogate(s: Surrogate, scales: readonly TargetScale[], seed: number): SurrogateFit {
  const rng = seedrandom.xor4096(`giftlab:${seed}:calibrate:surrogate`);
  const n = s.centre.length;
  const f = (u: number[]) => surrogateDistance(s, scales, u);
  const { lo, hi } = s.region;
  const opt = minimise(f, lo, hi, s.centre, rng, 40);
  const limit = opt.value + WITHIN_NOISE;
  const intervals = Array.from({ length: n }, (_, j) => {
    // The least distance with path j held at t (the others free inside the region), and where.
    const profile = (t: number): { value: number; u: number[] } => {
      if (n === 1) return { value: f([t]), u: [t] };
      const full = (v: readonly number[]) => [...v.slice(0, j), t, ...v.slice(j)];
      const loO = lo.filter((_, i) => i !== j);
      const hiO = hi.filter((_, i) => i !== j);
      const startO = opt.u.filter((_, i) => i !== j);
      const m = minimise((v) => f(full(v)), loO, hiO, startO, rng, 15);
      return { value: m.value, u: full(m.u) };
    };
    const end = (towards: number): { t: number; u: number[] } => {
      // Walk from the optimum towards an edge in 20 steps; bisect the first crossing.
      let inside = { t: opt.u[j], u: opt.u };
      const steps = 20;
      for (let k = 1; k <= steps; k++) {
        const t = opt.u[j] + ((towards - opt.u[j]) * k) / steps;
        const at = profile(t);
        if (at.value > limit) {
          let b = t;
          for (let i = 0; i < 6; i++) {
            const mid = (inside.t + b) / 2;
            const m = profile(mid);
            if (m.value <= limit) inside = { t: mid, u: m.u };
            else b = mid;
          }
          return inside;
        }
        inside = { t, u: at.u };
      }
      return inside;
    };
    const a = end(lo[j]);
    const b = end(hi[j]);
    return {
      lo: a.t,
      hi: b.t,
      atLo: a.u,
      atHi: b.u,
      clipped: (a.t <= lo[j] && lo[j] > 0) || (b.t >= hi[j] && hi[j] < 1),
    };
  });
  return { optimum: opt.u, distance: opt.value, intervals };
}
