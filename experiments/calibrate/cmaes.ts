/**
 * CMA-ES (the covariance matrix adaptation evolution strategy, (μ/μ_w, λ) with rank-one and rank-μ
 * updates and cumulative step-size adaptation; Hansen, "The CMA Evolution Strategy: A Tutorial",
 * arXiv:1604.00772) over the unit box [0, 1]^n, with the tutorial's default constants.
 *
 * Why this optimiser for calibration: it needs no derivatives; it ranks candidates rather than using
 * distances' sizes, so a noisy, rough objective (a simulation's KPIs) does not throw it off; it adapts its
 * search to correlated parameters (payer share and gift rate trade off against each other); and it works
 * in generations: λ candidates drawn at once from one distribution, which the worker pool evaluates in
 * parallel and `--shard i/n` splits across machines.
 *
 * Bounds: a drawn point outside the box is mirrored back into it (so the box's edges can be reached and
 * the distribution keeps its shape near them); the update uses the mirrored point, its step length capped
 * as the tutorial advises for points the strategy did not draw itself. Pure: the state is plain data and
 * every draw comes from the stream passed in.
 */
import { assert } from '../../common/assert.ts';
import { standardNormal } from '../../sim/random/draws.ts';
import type { Rng } from '../../sim/random/streams.ts';
import { identity, type Matrix, matVec, norm, symmetricEigen } from './linalg.ts';

export interface CmaConstants {
  n: number;
  lambda: number;
  mu: number;
  weights: number[];
  muEff: number;
  cs: number;
  ds: number;
  cc: number;
  c1: number;
  cmu: number;
  /** E‖N(0, I)‖. */
  chiN: number;
}

export interface CmaState {
  k: CmaConstants;
  mean: number[];
  sigma: number;
  C: Matrix;
  /** Eigenvectors of C (columns) and the square roots of its eigenvalues. */
  B: Matrix;
  D: number[];
  pc: number[];
  ps: number[];
  /** Generations completed (updates made). */
  generation: number;
}

/** One drawn candidate: the point evaluated, and its step (x − mean) / σ as the update sees it. */
export interface CmaSample {
  x: number[];
  y: number[];
}

/** The tutorial's population size, at least 6: a generation is also a batch for the pool. */
export function defaultLambda(n: number): number {
  return Math.max(6, 4 + Math.floor(3 * Math.log(n)));
}

export function cmaConstants(n: number, lambda = defaultLambda(n)): CmaConstants {
  assert(Number.isSafeInteger(n) && n >= 1, 'at least one dimension');
  assert(Number.isSafeInteger(lambda) && lambda >= 2, 'at least two candidates a generation');
  const mu = Math.floor(lambda / 2);
  const raw = Array.from({ length: mu }, (_, i) => Math.log(mu + 0.5) - Math.log(i + 1));
  const total = raw.reduce((s, w) => s + w, 0);
  const weights = raw.map((w) => w / total);
  const muEff = 1 / weights.reduce((s, w) => s + w * w, 0);
  const cs = (muEff + 2) / (n + muEff + 5);
  const c1 = 2 / ((n + 1.3) ** 2 + muEff);
  return {
    n,
    lambda,
    mu,
    weights,
    muEff,
    cs,
    ds: 1 + 2 * Math.max(0, Math.sqrt((muEff - 1) / (n + 1)) - 1) + cs,
    cc: (4 + muEff / n) / (n + 4 + (2 * muEff) / n),
    c1,
    cmu: Math.min(1 - c1, (2 * (muEff - 2 + 1 / muEff)) / ((n + 2) ** 2 + muEff)),
    chiN: Math.sqrt(n) * (1 - 1 / (4 * n) + 1 / (21 * n * n)),
  };
}

export function initCma(mean: readonly number[], sigma: number, lambda?: number): CmaState {
  const n = mean.length;
  assert(
    mean.every((m) => m >= 0 && m <= 1),
    'the mean starts inside the unit box',
  );
  assert(sigma > 0 && sigma <= 1, 'a step size in (0, 1]');
  return {
    k: cmaConstants(n, lambda),
    mean: [...mean],
    sigma,
    C: identity(n),
    B: identity(n),
    D: new Array(n).fill(1),
    pc: new Array(n).fill(0),
    ps: new Array(n).fill(0),
    generation: 0,
  };
}

/** x mirrored into [0, 1] (…, −0.2 → 0.2, 1.3 → 0.7, 2.2 → 0.2, …). */
export function mirror(x: number): number {
  if (x >= 0 && x <= 1) return x;
  const m = ((x % 2) + 2) % 2;
  return m <= 1 ? m : 2 - m;
}

/** Draws `count` candidates from the state's distribution (count ≤ λ: a last, partial generation). */
export function sampleCma(state: CmaState, rng: Rng, count = state.k.lambda): CmaSample[] {
  const { n } = state.k;
  const cap = Math.sqrt(n) + (2 * n) / (n + 2);
  const out: CmaSample[] = [];
  for (let i = 0; i < count; i++) {
    const z = Array.from({ length: n }, () => standardNormal(rng));
    const drawn = matVec(
      state.B,
      z.map((v, j) => v * state.D[j]),
    );
    const x = drawn.map((v, j) => mirror(state.mean[j] + state.sigma * v));
    let y = x.map((v, j) => (v - state.mean[j]) / state.sigma);
    const length = mahalanobis(state, y);
    if (length > cap) y = y.map((v) => (v * cap) / length);
    out.push({ x, y });
  }
  return out;
}

/** ‖C^(−1/2) y‖. */
function mahalanobis(state: CmaState, y: readonly number[]): number {
  return norm(invSqrtC(state, y));
}

function invSqrtC(state: CmaState, y: readonly number[]): number[] {
  const { B, D } = state;
  const n = y.length;
  const t = Array.from({ length: n }, (_, j) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += B[i][j] * y[i];
    return s / D[j];
  });
  return matVec(B, t);
}

/** The next state, from a full generation's samples ordered best first (ties kept in draw order). */
export function updateCma(state: CmaState, ranked: readonly CmaSample[]): CmaState {
  const { k } = state;
  const { n, mu, weights } = k;
  assert(ranked.length >= mu, 'a generation has at least μ samples');
  const yw = new Array(n).fill(0);
  for (let i = 0; i < mu; i++) for (let j = 0; j < n; j++) yw[j] += weights[i] * ranked[i].y[j];
  const mean = state.mean.map((m, j) => Math.min(1, Math.max(0, m + state.sigma * yw[j])));
  const g = state.generation + 1;
  const cInvYw = invSqrtC(state, yw);
  const psFactor = Math.sqrt(k.cs * (2 - k.cs) * k.muEff);
  const ps = state.ps.map((p, j) => (1 - k.cs) * p + psFactor * cInvYw[j]);
  const hsig = norm(ps) / Math.sqrt(1 - (1 - k.cs) ** (2 * g)) < (1.4 + 2 / (n + 1)) * k.chiN ? 1 : 0;
  const pcFactor = Math.sqrt(k.cc * (2 - k.cc) * k.muEff);
  const pc = state.pc.map((p, j) => (1 - k.cc) * p + hsig * pcFactor * yw[j]);
  const keep = 1 - k.c1 - k.cmu + (1 - hsig) * k.c1 * k.cc * (2 - k.cc);
  const C = state.C.map((row, r) =>
    row.map((c, s) => {
      let rankMu = 0;
      for (let i = 0; i < mu; i++) rankMu += weights[i] * ranked[i].y[r] * ranked[i].y[s];
      return keep * c + k.c1 * pc[r] * pc[s] + k.cmu * rankMu;
    }),
  );
  // Symmetric by construction; made exactly so against rounding before the decomposition.
  for (let r = 0; r < n; r++) for (let s = r + 1; s < n; s++) C[s][r] = C[r][s];
  const eigen = symmetricEigen(C);
  const sigma = Math.min(1, state.sigma * Math.exp((k.cs / k.ds) * (norm(ps) / k.chiN - 1)));
  return {
    k,
    mean,
    sigma,
    C,
    B: eigen.vectors,
    D: eigen.values.map((v) => Math.sqrt(Math.max(v, 1e-20))),
    pc,
    ps,
    generation: g,
  };
}

/** The search's reach: σ times the longest axis of its distribution, in unit-box widths. */
export function spread(state: CmaState): number {
  return state.sigma * Math.max(...state.D);
}
