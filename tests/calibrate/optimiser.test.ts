/**
 * The calibration's numerical parts on cases simple enough to know the answer: the eigendecomposition
 * and the solver against their definitions, the mirror into the box, CMA-ES on bowls whose minimum is
 * known (inside the box and at a corner), and the noise scales and distances of distance.ts.
 */
import { fc, test } from '@fast-check/vitest';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { initCma, mirror, sampleCma, spread, updateCma } from '../../experiments/calibrate/cmaes.ts';
import {
  chiSquare99,
  fitOf,
  kpiStats,
  RELATIVE_DEFAULT,
  targetScales,
} from '../../experiments/calibrate/distance.ts';
import { matVec, solve, symmetricEigen } from '../../experiments/calibrate/linalg.ts';
import type { Kpis } from '../../sim/kpis.ts';
import { KPI_NAMES } from '../../sim/kpis.ts';

const symmetric = (n: number) =>
  fc
    .array(fc.double({ min: -10, max: 10, noNaN: true }), {
      minLength: (n * (n + 1)) / 2,
      maxLength: (n * (n + 1)) / 2,
    })
    .map((v) => {
      const m = Array.from({ length: n }, () => new Array(n).fill(0));
      let k = 0;
      for (let i = 0; i < n; i++) for (let j = i; j < n; j++) m[i][j] = m[j][i] = v[k++];
      return m;
    });

describe('linear algebra', () => {
  test.prop([fc.integer({ min: 1, max: 6 }).chain(symmetric)])(
    'A v = λ v for every eigenpair, vectors orthonormal',
    (a) => {
      const { values, vectors } = symmetricEigen(a);
      const n = a.length;
      for (let j = 0; j < n; j++) {
        const v = vectors.map((row) => row[j]);
        const av = matVec(a, v);
        av.forEach((x, i) => {
          expect(x).toBeCloseTo(values[j] * v[i], 6);
        });
        for (let k = 0; k < n; k++) {
          const dot = v.reduce((s, x, i) => s + x * vectors[i][k], 0);
          expect(dot).toBeCloseTo(j === k ? 1 : 0, 9);
        }
        if (j > 0) expect(values[j]).toBeGreaterThanOrEqual(values[j - 1]);
      }
    },
  );

  it('solves a system with a known solution and refuses a singular one', () => {
    const x = solve(
      [
        [2, 1, 0],
        [1, 3, 1],
        [0, 1, 4],
      ],
      [4, 10, 14],
    );
    expect(x?.map((v) => Number(v.toFixed(9)))).toEqual([1, 2, 3]);
    expect(
      solve(
        [
          [1, 2],
          [2, 4],
        ],
        [1, 2],
      ),
    ).toBeUndefined();
  });
});

describe('CMA-ES in the unit box', () => {
  test.prop([fc.double({ min: -5, max: 5, noNaN: true })])(
    'mirrors any point into [0, 1], and leaves the box alone',
    (x) => {
      const m = mirror(x);
      expect(m).toBeGreaterThanOrEqual(0);
      expect(m).toBeLessThanOrEqual(1);
      if (x >= 0 && x <= 1) expect(m).toBe(x);
      expect(mirror(-x)).toBeCloseTo(mirror(x), 12);
    },
  );

  const minimise = (f: (x: number[]) => number, n: number, generations: number) => {
    let state = initCma(new Array(n).fill(0.5), 0.3);
    const rng = seedrandom.xor4096('test');
    let best = { x: state.mean, f: Number.POSITIVE_INFINITY };
    for (let g = 0; g < generations; g++) {
      const samples = sampleCma(state, rng);
      for (const s of samples) {
        expect(s.x.every((v) => v >= 0 && v <= 1)).toBe(true);
        const v = f(s.x);
        if (v < best.f) best = { x: s.x, f: v };
      }
      const order = samples.map((s, i) => ({ i, v: f(s.x) })).sort((a, b) => a.v - b.v || a.i - b.i);
      state = updateCma(
        state,
        order.map((o) => samples[o.i]),
      );
    }
    return { best, state };
  };

  it('finds the bottom of a tilted, correlated bowl inside the box', () => {
    const f = (x: number[]) =>
      ((x[0] - 0.3) / 0.1) ** 2 + ((x[1] - 0.7) / 0.02) ** 2 + 40 * (x[0] - 0.3) * (x[1] - 0.7);
    const { best, state } = minimise(f, 2, 40);
    expect(best.x[0]).toBeCloseTo(0.3, 3);
    expect(best.x[1]).toBeCloseTo(0.7, 3);
    expect(spread(state)).toBeLessThan(0.01);
  });

  it('reaches a minimum at a corner of the box (mirroring does not keep it away from the edges)', () => {
    const f = (x: number[]) => (x[0] - 1.4) ** 2 + (x[1] + 0.3) ** 2 + (x[2] - 0.5) ** 2;
    const { best } = minimise(f, 3, 60);
    expect(best.x[0]).toBeGreaterThan(0.995);
    expect(best.x[1]).toBeLessThan(0.005);
    expect(best.x[2]).toBeCloseTo(0.5, 2);
  });
});

function kpis(over: Partial<Kpis>): Kpis {
  return { ...(Object.fromEntries(KPI_NAMES.map((k) => [k, 0])) as Kpis), ...over };
}

describe('distance', () => {
  it('scales a miss by the target’s se combined with the simulation’s standard error of the mean', () => {
    // giftsSent over 4 replications 90, 100, 110, 100: sd = √(200/3), se of the mean = sd / 2.
    const reference = [90, 100, 110, 100].map((g) => kpis({ giftsSent: g, payers: 10 }));
    const simSe = Math.sqrt(200 / 3) / 2;
    const [a, b, c, d] = targetScales(
      [
        { kpi: 'giftsSent', value: 120, se: 3, from: 'test' },
        { kpi: 'giftsSent', value: 120, tolerance: 0.1, from: 'test' },
        { kpi: 'giftsSent', value: 120, from: 'test' },
        { kpi: 'giftsPerPayer', value: 12, from: 'test' },
      ],
      reference,
    );
    expect(a.scale).toBeCloseTo(Math.sqrt(9 + simSe ** 2), 12);
    expect(a.basis).toBe('target and simulation');
    expect(b.scale).toBeCloseTo(Math.sqrt(144 + simSe ** 2), 12);
    expect(c.scale).toBeCloseTo(simSe, 12);
    expect(c.basis).toBe('simulation');
    // The ratio per replication: 9, 10, 11, 10 gifts per payer.
    expect(d.scale).toBeCloseTo(Math.sqrt(2 / 3) / 2, 12);
    const stats = kpiStats(reference);
    expect(stats.giftsPerPayer.mean).toBe(10);
    const fit = fitOf([a, c], stats);
    expect(fit.z[0]).toBeCloseTo(-20 / a.scale, 12);
    expect(fit.distance).toBeCloseTo((20 / a.scale) ** 2 + (20 / c.scale) ** 2, 9);
  });

  it('falls back to a relative scale with one replication and a bare target', () => {
    const [s] = targetScales(
      [{ kpi: 'payerConversion', value: 0.02, from: 'test' }],
      [kpis({ payerConversion: 0.01 })],
    );
    expect(s.scale).toBeCloseTo(RELATIVE_DEFAULT * 0.02, 15);
    expect(s.basis).toBe('relative default');
  });

  it('puts the χ² 99 % quantile where the tables do (within 1 %)', () => {
    for (const [dof, q] of [
      [1, 6.635],
      [2, 9.21],
      [3, 11.345],
      [10, 23.209],
    ]) {
      expect(Math.abs(chiSquare99(dof) / q - 1)).toBeLessThan(0.01);
    }
  });
});
