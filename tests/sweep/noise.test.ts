/**
 * Replication noise in Sobol and Morris figures, against closed forms: a KPI that is a known function of
 * the paths plus noise of known variance, drawn the way common random numbers draw it (fresh when a
 * path that changes what is drawn moves, shared otherwise). The noise share is measured within
 * tolerance, lands on the path that reshuffles, is ~0 when replications agree up to a shared shift, the
 * noise-corrected indices recover the closed form, and the verdict warns from NOISE_SHARE_WARN or on an
 * index outside [0, 1] beyond its CI.
 */

import { describe, expect, it } from 'vitest';
import { pathNoiseText } from '../../cli/sweep.ts';
import { designRng, type SweepPoint } from '../../experiments/sweep/design.ts';
import {
  effectNoise,
  elementaryEffects,
  MORRIS_DELTA,
  morrisPoints,
  morrisStats,
} from '../../experiments/sweep/morris.ts';
import {
  type MorrisRow,
  morrisVerdict,
  NOISE_SHARE_WARN,
  type SobolRow,
  sobolVerdict,
} from '../../experiments/sweep/sensitivity.ts';
import { sobolIndices, sobolOutputs, sobolPoints } from '../../experiments/sweep/sobol.ts';
import { type Axis, parseVary } from '../../experiments/sweep/vary.ts';
import type { Rng } from '../../sim/random/streams.ts';

const UNIT: [number, number][] = [
  [0, 1],
  [0, 1],
];
const axesOf = (ranges: [number, number][]): Axis[] =>
  ranges.map(([lo, hi], d) => parseVary(`p.x${d}=${lo}:${hi}`));

/** A standard normal draw (Box–Muller). */
function normal(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

/**
 * Noise as common random numbers give it: replication r's draw at a point depends only on r and the
 * key (the values of the paths that change what is drawn), fresh for a new key, shared for the same.
 */
function keyedNoise(seed: number, sd: number): (r: number, key: string) => number {
  const rng = designRng(seed, 'noise');
  const drawn = new Map<string, number>();
  return (r, key) => {
    const k = `${r}|${key}`;
    let z = drawn.get(k);
    if (z === undefined) {
      z = normal(rng);
      drawn.set(k, z);
    }
    return sd * z;
  };
}

/**
 * The indices of a Sobol design whose replication r at a point is y(x, r); the replications are
 * handed over as the sweep hands them (R per point), the means as their mean.
 */
function sobolOf(n: number, R: number, seed: number, y: (x: number[], r: number) => number) {
  const axes = axesOf(UNIT);
  const points = sobolPoints(
    axes,
    axes.map(() => 'number'),
    n,
    designRng(seed, 'sobol'),
  );
  const reps = points.map((p) => Array.from({ length: R }, (_, r) => y(p.values as number[], r)));
  const mean = (id: number) => reps[id].reduce((s, v) => s + v, 0) / R;
  const outputs = sobolOutputs(points, n, axes.length, mean, (id) => reps[id]);
  const [indices] = sobolIndices([outputs], 300, designRng(seed, 'sobol-bootstrap'));
  return { indices, points, reps };
}

/** Mean within-point variance / R over A ∪ B, as a share of the variance of those points' means. */
function naiveShare(points: readonly SweepPoint[], reps: number[][]): number {
  const base = points.filter((p) => p.role === 'sobol-A' || p.role === 'sobol-B');
  const R = reps[0].length;
  const means = base.map((p) => reps[p.id].reduce((s, v) => s + v, 0) / R);
  const within = base.map((p, k) => reps[p.id].reduce((s, v) => s + (v - means[k]) ** 2, 0) / (R - 1));
  const grand = means.reduce((s, v) => s + v, 0) / means.length;
  const v = means.reduce((s, m) => s + (m - grand) ** 2, 0) / means.length;
  return within.reduce((s, w) => s + w, 0) / within.length / R / v;
}

describe('Sobol: the noise share and the noise-corrected indices', () => {
  // y = 1·x0 + 3·x1 over [0, 1]²: V = (1 + 9) / 12, S1 = ST = (0.1, 0.9).
  const f = (x: number[]) => x[0] + 3 * x[1];
  const V = 10 / 12;
  const R = 4;

  it('noise that x0 reshuffles (σ²/R = V): share ≈ 0.5, charged to x0 alone; corrected indices ≈ (0.1, 0.9)', () => {
    const noise = keyedNoise(1, Math.sqrt(V * R));
    // x0 changes what is drawn: its value keys the draw; x1 (a fee, say) does not.
    const { indices } = sobolOf(1024, R, 11, (x, r) => f(x) + noise(r, String(x[0])));
    const [x0, x1] = indices;
    expect(x0.noiseShare).toBe(x1.noiseShare);
    expect(Math.abs(x0.noiseShare - 0.5)).toBeLessThan(0.08);
    // Raw: x0 absorbs the noise (true ST 0.1), x1's share of the inflated variance shrinks (true 0.9).
    expect(x0.st).toBeGreaterThan(0.4);
    expect(x1.st).toBeLessThan(0.6);
    // The noise in x0's ST is the difference of two fresh draws: 2σ²/R / 2 / V, the noise share again;
    // moving x1 draws the same, so none in its.
    expect(Math.abs(x0.stNoise - x0.noiseShare)).toBeLessThan(0.08);
    expect(x1.stNoise).toBeLessThan(1e-9);
    // The raw CI of x0's ST misses its closed form; the corrected estimates come back to it, CIs and all.
    expect(x0.stCi95[0]).toBeGreaterThan(0.3);
    const truth = [0.1, 0.9];
    indices.forEach((ix, d) => {
      expect(Math.abs(ix.stCorrected - truth[d])).toBeLessThan(0.15);
      expect(Math.abs(ix.s1Corrected - truth[d])).toBeLessThan(0.15);
      for (const ci of [ix.stCorrectedCi95, ix.s1CorrectedCi95]) {
        expect(ci[0]).toBeLessThanOrEqual(truth[d]);
        expect(ci[1]).toBeGreaterThanOrEqual(truth[d]);
      }
    });
    // The verdict warns and names x0, which absorbed it, not x1.
    const verdict = sobolVerdict(rowsOf(indices), 'grossBookingsCents', R);
    expect(verdict?.warn).toBe(true);
    expect(verdict?.absorbers.map((a) => a.path)).toEqual(['p.x0']);
  });

  it('noise a tenth of V: share ≈ 0.09, below the warning', () => {
    const noise = keyedNoise(2, Math.sqrt((V * R) / 10));
    const { indices } = sobolOf(1024, R, 12, (x, r) => f(x) + noise(r, String(x[0])));
    expect(Math.abs(indices[0].noiseShare - 1 / 11)).toBeLessThan(0.03);
    expect(sobolVerdict(rowsOf(indices), 'grossBookingsCents', R)?.warn).toBe(false);
  });

  it('independent noise at every point: the share is the mean within-point variance / R over V', () => {
    const rng = designRng(3, 'iid');
    const { indices, points, reps } = sobolOf(512, 3, 13, (x) => f(x) + Math.sqrt(V) * normal(rng));
    const naive = naiveShare(points, reps);
    expect(Math.abs(indices[0].noiseShare - naive)).toBeLessThan(0.02);
    // σ² / R / (V + σ² / R) with σ² = V, R = 3: 0.25.
    expect(Math.abs(indices[0].noiseShare - 0.25)).toBeLessThan(0.06);
  });

  it('replications that agree up to a shared shift (what common random numbers cancel): share 0', () => {
    // Each replication's shift is the same at every point: large within-point variance, no noise
    // between points.
    const shift = [-40, 25, 3, 12];
    const { indices, points, reps } = sobolOf(64, 4, 14, (x, r) => f(x) + shift[r]);
    expect(naiveShare(points, reps)).toBeGreaterThan(100);
    for (const ix of indices) {
      expect(ix.noiseShare).toBeLessThan(1e-9);
      expect(ix.stCorrected).toBeCloseTo(ix.st, 6);
      expect(ix.s1Corrected).toBeCloseTo(ix.s1, 6);
    }
    expect(sobolVerdict(rowsOf(indices), 'grossBookingsCents', 4)?.warn).toBe(false);
    // Identical replications: exactly nothing.
    const same = sobolOf(64, 2, 14, (x) => f(x));
    expect(same.indices.map((ix) => ix.noiseShare)).toEqual([0, 0]);
  });

  it('one replication per point: no noise figures (NaN), and the verdict says it cannot separate them', () => {
    const axes = axesOf(UNIT);
    const points = sobolPoints(axes, ['number', 'number'], 32, designRng(5, 'sobol'));
    const y = (id: number) => f(points[id].values as number[]);
    const outputs = sobolOutputs(points, 32, 2, y, (id) => [y(id)]);
    const [indices] = sobolIndices([outputs], 50, designRng(5, 'sobol-bootstrap'));
    for (const ix of indices) {
      expect(ix.noiseShare).toBeNaN();
      expect(ix.stCorrected).toBeNaN();
      expect(ix.s1Corrected).toBeNaN();
      expect(Number.isFinite(ix.st)).toBe(true);
    }
    const verdict = sobolVerdict(rowsOf(indices), 'grossBookingsCents', 1);
    expect(verdict).toMatchObject({ separable: false, warn: false });
  });
});

function rowsOf(indices: ReturnType<typeof sobolIndices>[number]): SobolRow[] {
  return indices.map((ix, d) => ({ axis: d, path: `p.x${d}`, kpi: 'grossBookingsCents', ...ix }));
}

/** A Sobol row of grossBookingsCents with the given figures (the corrected ones NaN unless given). */
function sobolRow(path: string, fig: Partial<SobolRow>): SobolRow {
  return {
    axis: 0,
    path,
    kpi: 'grossBookingsCents',
    s1: 0.5,
    s1Ci95: [0.4, 0.6],
    st: 0.5,
    stCi95: [0.4, 0.6],
    noiseShare: 0,
    stNoise: 0,
    s1Corrected: Number.NaN,
    s1CorrectedCi95: [Number.NaN, Number.NaN],
    stCorrected: Number.NaN,
    stCorrectedCi95: [Number.NaN, Number.NaN],
    ...fig,
  };
}

describe('the Sobol verdict', () => {
  it(`warns from a noise share of ${NOISE_SHARE_WARN}, not below`, () => {
    const at = (share: number) =>
      sobolVerdict([sobolRow('a', { noiseShare: share, stCorrected: 0.5 })], 'grossBookingsCents', 2);
    expect(at(NOISE_SHARE_WARN - 0.01)?.warn).toBe(false);
    expect(at(NOISE_SHARE_WARN)?.warn).toBe(true);
    expect(at(1.4)?.warn).toBe(true);
  });

  it('warns on an index outside [0, 1] beyond its CI, and only lists one whose CI reaches back in', () => {
    const beyond = sobolVerdict([sobolRow('a', { st: 1.3, stCi95: [1.1, 1.6] })], 'grossBookingsCents', 1);
    expect(beyond?.warn).toBe(true);
    expect(beyond?.stray).toEqual([{ path: 'a', index: 'ST', value: 1.3, ci95: [1.1, 1.6], beyondCi: true }]);
    const within = sobolVerdict(
      [sobolRow('a', { st: 2, stCi95: [0.91, 2.95], s1: -0.1, s1Ci95: [-0.3, 0.2] })],
      'grossBookingsCents',
      1,
    );
    expect(within?.warn).toBe(false);
    // Raw values, not clipped.
    expect(within?.stray.map((s) => [s.index, s.value, s.beyondCi])).toEqual([
      ['S1', -0.1, false],
      ['ST', 2, false],
    ]);
  });
});

describe('Morris: the noise in the elementary effects', () => {
  const R = 4;
  // y = 3·x1 over [0, 1]²: x1's effects are all 3; x0 does nothing but reshuffle the draws. σ² such
  // that the noise variance of one of x0's effects, 2σ² / R / Δ², is 9: as large as x1's effect².
  const sigma = Math.sqrt((9 * R * MORRIS_DELTA ** 2) / 2);

  function statsOf(r: number, seed: number, y: (x: number[], rep: number, trajectory: number) => number) {
    const axes = axesOf(UNIT);
    const kinds = axes.map(() => 'number' as const);
    const points = morrisPoints(axes, kinds, r, designRng(seed, 'morris'));
    const reps = points.map((p) =>
      Array.from({ length: R }, (_, k) => y(p.values as number[], k, p.sample as number)),
    );
    const mean = (id: number) => reps[id].reduce((s, v) => s + v, 0) / R;
    const effects = elementaryEffects(points, axes, kinds, r, mean);
    const noise = effectNoise(points, axes, kinds, r, (id) => reps[id]);
    return morrisStats([effects], 200, designRng(seed, 'morris-bootstrap'), [noise])[0];
  }

  it("measures the noise of x0's effects (pure noise: its share ≈ 1) and none in x1's", () => {
    const noise = keyedNoise(6, sigma);
    const [x0, x1] = statsOf(300, 21, (x, rep, t) => 3 * x[1] + noise(rep, `${t}|${x[0]}`));
    expect(Math.abs(x0.effectNoiseSd / 3 - 1)).toBeLessThan(0.12);
    expect(Math.abs(x0.pathNoiseShare - 1)).toBeLessThan(0.25);
    // x1's steps keep x0, so every replication draws the same: nothing but rounding.
    expect(x1.effectNoiseSd).toBeLessThan(1e-9);
    expect(x1.pathNoiseShare).toBeLessThan(1e-12);
    // Over both paths: 9 of noise in 9 + 9 of mean square.
    expect(x0.noiseShare).toBe(x1.noiseShare);
    expect(Math.abs(x0.noiseShare - 0.5)).toBeLessThan(0.1);
    const rows: MorrisRow[] = [x0, x1].map((s, d) => ({
      axis: d,
      path: `p.x${d}`,
      kpi: 'grossBookingsCents',
      ...s,
    }));
    const verdict = morrisVerdict(rows, 'grossBookingsCents', R);
    expect(verdict?.warn).toBe(true);
    expect(verdict?.absorbers.map((a) => a.path)).toEqual(['p.x0']);
  });

  it('replications that agree up to a shared shift: no noise, no warning', () => {
    const [x0, x1] = statsOf(20, 22, (x, rep) => 3 * x[1] + 100 * rep);
    for (const x of [x0.noiseShare, x0.effectNoiseSd, x1.effectNoiseSd]) expect(x).toBeLessThan(1e-9);
    const rows: MorrisRow[] = [x0, x1].map((s, d) => ({
      axis: d,
      path: `p.x${d}`,
      kpi: 'grossBookingsCents',
      ...s,
    }));
    expect(morrisVerdict(rows, 'grossBookingsCents', R)?.warn).toBe(false);
  });

  it('one replication: no noise figures', () => {
    const axes = axesOf(UNIT);
    const kinds = axes.map(() => 'number' as const);
    const points = morrisPoints(axes, kinds, 5, designRng(1, 'morris'));
    expect(effectNoise(points, axes, kinds, 5, () => [1])).toBeNull();
  });
});

describe("a Morris path's noise in words", () => {
  it('a share up to 1, a multiple past it (its effects no larger than noise: a share of 139 read as nonsense)', () => {
    expect(pathNoiseText(0.02)).toBe("0.02 of its effects' mean square");
    expect(pathNoiseText(139.22)).toBe("139.2× its effects' mean square: they are no larger than noise");
    expect(pathNoiseText(Number.NaN)).toBe("– of its effects' mean square");
  });
});
