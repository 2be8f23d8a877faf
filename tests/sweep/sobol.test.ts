/**
 * Sobol indices against closed forms: the design (Saltelli's A, B and AB^i), the estimators on a
 * linear model and on the Ishigami function (indices known analytically), the bootstrap CIs' coverage,
 * and a path that cannot move the output.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../common/input-error.ts';
import { designRng, type SweepPoint } from '../../experiments/sweep/design.ts';
import {
  SOBOL_RESAMPLES,
  sobolIndices,
  sobolOutputs,
  sobolPointCount,
  sobolPoints,
} from '../../experiments/sweep/sobol.ts';
import { type Axis, parseVary } from '../../experiments/sweep/vary.ts';

const axesOf = (ranges: [number, number][]): Axis[] =>
  ranges.map(([lo, hi], d) => parseVary(`p.x${d}=${lo}:${hi}`));

function indicesOf(
  ranges: [number, number][],
  n: number,
  seed: number,
  f: (x: number[]) => number,
  resamples = SOBOL_RESAMPLES,
) {
  const axes = axesOf(ranges);
  const points = sobolPoints(
    axes,
    axes.map(() => 'number'),
    n,
    designRng(seed, 'sobol'),
  );
  const y = (id: number) => f(points[id].values as number[]);
  const outputs = sobolOutputs(points, n, axes.length, y);
  return sobolIndices([outputs], resamples, designRng(seed, 'sobol-bootstrap'))[0];
}

describe('Saltelli design', () => {
  test.prop([fc.integer({ min: 2, max: 40 }), fc.integer({ min: 1, max: 5 }), fc.nat()])(
    'n × (D + 2) points: A_j, AB^1_j … AB^D_j, B_j; AB^i is A with column i from B; A and B stratified',
    (n, dims, seed) => {
      const axes = axesOf(Array.from({ length: dims }, () => [0, 1] as [number, number]));
      const points = sobolPoints(
        axes,
        axes.map(() => 'number'),
        n,
        designRng(seed, 'sobol'),
      );
      expect(points).toHaveLength(sobolPointCount(n, dims));
      for (let j = 0; j < n; j++) {
        const row = points.slice(j * (dims + 2), (j + 1) * (dims + 2));
        const a = row[0];
        const b = row[dims + 1];
        expect(a.role).toBe('sobol-A');
        expect(b.role).toBe('sobol-B');
        expect(row.every((p) => p.sample === j)).toBe(true);
        for (let i = 0; i < dims; i++) {
          const ab = row[1 + i];
          expect(ab.role).toBe('sobol-AB');
          expect(ab.moved).toBe(i);
          expect(ab.unit).toEqual(
            (a.unit as number[]).map((u, d) => (d === i ? (b.unit as number[])[d] : u)),
          );
        }
      }
      for (const role of ['sobol-A', 'sobol-B'] as const) {
        const rows = points.filter((p) => p.role === role);
        for (let d = 0; d < dims; d++) {
          const strata = rows.map((p) => Math.floor((p.unit as number[])[d] * n)).sort((x, y) => x - y);
          expect(strata).toEqual(Array.from({ length: n }, (_, k) => k));
        }
      }
    },
  );

  it('is the same for the same seed and differs for another', () => {
    const axes = axesOf([[0, 1]]);
    const draw = (seed: number) =>
      sobolPoints(axes, ['number'], 8, designRng(seed, 'sobol')).map((p: SweepPoint) => p.values[0]);
    expect(draw(1)).toEqual(draw(1));
    expect(draw(1)).not.toEqual(draw(2));
  });

  it('refuses an empty range and a list of numbers, naming the path', () => {
    const message = (axis: Axis) => {
      try {
        sobolPoints([axis], ['number'], 4, designRng(1, 'sobol'));
      } catch (error) {
        expect(error).toBeInstanceOf(InputError);
        return (error as Error).message;
      }
      throw new Error('expected an InputError');
    };
    expect(message(parseVary('payout.creatorShare=0.5:0.5'))).toBe(
      '--vary payout.creatorShare: expected a range lo:hi with lo < hi for --sobol (an empty range has nothing to sample), found 0.5:0.5',
    );
    expect(message(parseVary('payout.creatorShare=0.4,0.6'))).toContain(
      '--vary payout.creatorShare: expected a range lo:hi or lo:hi:step with --sobol',
    );
  });
});

describe('Sobol indices of closed-form functions', () => {
  it('a linear model y = 3·x0 + 1·x1 (+ 0·x2): S_i = ST_i = c_i²·Var(x_i) / Σ, inside their CIs; x2 exactly 0', () => {
    const ranges: [number, number][] = [
      [0, 1],
      [0, 2],
      [5, 9],
    ];
    const [c0, c1] = [3, 1];
    // Var of U(lo, hi) = (hi − lo)² / 12.
    const v0 = (c0 * 1) ** 2 / 12;
    const v1 = (c1 * 2) ** 2 / 12;
    const truth = [v0 / (v0 + v1), v1 / (v0 + v1), 0];
    const indices = indicesOf(ranges, 512, 42, (x) => c0 * x[0] + c1 * x[1]);
    indices.forEach((ix, d) => {
      expect(ix.s1Ci95[0]).toBeLessThanOrEqual(truth[d]);
      expect(ix.s1Ci95[1]).toBeGreaterThanOrEqual(truth[d]);
      expect(ix.stCi95[0]).toBeLessThanOrEqual(truth[d]);
      expect(ix.stCi95[1]).toBeGreaterThanOrEqual(truth[d]);
      expect(Math.abs(ix.st - truth[d])).toBeLessThan(0.05);
    });
    // x2 never enters y: f(AB^2) = f(A) at every sample, so its total index is 0, CI and all.
    expect([indices[2].st, ...indices[2].stCi95]).toEqual([0, 0, 0]);
    expect([indices[2].s1, ...indices[2].s1Ci95]).toEqual([0, 0, 0]);
  });

  // Ishigami (a = 7, b = 0.1) over [−π, π]³: S = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437).
  const ISHIGAMI = {
    s1: [0.3139, 0.4424, 0],
    st: [0.5576, 0.4424, 0.2437],
    f: (x: number[]) => Math.sin(x[0]) + 7 * Math.sin(x[1]) ** 2 + 0.1 * x[2] ** 4 * Math.sin(x[0]),
  };
  const PI: [number, number] = [-Math.PI, Math.PI];

  it('Ishigami with 4,096 base samples: every index within 0.06 of its closed form', () => {
    const indices = indicesOf([PI, PI, PI], 4096, 7, ISHIGAMI.f, 200);
    indices.forEach((ix, d) => {
      expect(Math.abs(ix.s1 - ISHIGAMI.s1[d])).toBeLessThan(0.06);
      expect(Math.abs(ix.st - ISHIGAMI.st[d])).toBeLessThan(0.06);
    });
    // x2 acts only through its interaction with x0: no first-order share, a large total one.
    expect(indices[2].st - indices[2].s1).toBeGreaterThan(0.15);
  });

  it('Ishigami over 20 seeds: the bootstrap 95 % CIs cover each closed-form index at least 16 times in 20', () => {
    const seeds = Array.from({ length: 20 }, (_, k) => 100 + k);
    const covered = { s1: [0, 0, 0], st: [0, 0, 0] };
    for (const seed of seeds) {
      const indices = indicesOf([PI, PI, PI], 256, seed, ISHIGAMI.f, 400);
      indices.forEach((ix, d) => {
        if (ix.s1Ci95[0] <= ISHIGAMI.s1[d] && ISHIGAMI.s1[d] <= ix.s1Ci95[1]) covered.s1[d]++;
        if (ix.stCi95[0] <= ISHIGAMI.st[d] && ISHIGAMI.st[d] <= ix.stCi95[1]) covered.st[d]++;
      });
    }
    for (const d of [0, 1, 2]) {
      expect(covered.s1[d], `S1 of x${d}`).toBeGreaterThanOrEqual(16);
      expect(covered.st[d], `ST of x${d}`).toBeGreaterThanOrEqual(16);
    }
  });

  it('an output that never varies has no indices (NaN), not zeros', () => {
    const [ix] = indicesOf([[0, 1]], 16, 1, () => 5, 50);
    expect(ix.s1).toBeNaN();
    expect(ix.st).toBeNaN();
    expect(ix.stCi95.every(Number.isNaN)).toBe(true);
  });

  it('is reproducible: the same design and bootstrap seed give the same figures, another seed others', () => {
    const f = (x: number[]) => x[0] + 2 * x[1] * x[0];
    const ranges: [number, number][] = [
      [0, 1],
      [0, 1],
    ];
    expect(indicesOf(ranges, 64, 3, f, 100)).toEqual(indicesOf(ranges, 64, 3, f, 100));
    expect(indicesOf(ranges, 64, 3, f, 100)).not.toEqual(indicesOf(ranges, 64, 4, f, 100));
  });
});
