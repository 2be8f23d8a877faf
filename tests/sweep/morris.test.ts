/**
 * Morris screening against closed forms: the trajectories (each path moves once, by Δ, on the level
 * grid), μ* of a linear function (|coefficient| × range, exactly, σ = 0), an interaction (σ > 0), a
 * path that does nothing (μ* = 0), and a list-valued path.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { designRng } from '../../experiments/sweep/design.ts';
import {
  elementaryEffects,
  MORRIS_DELTA,
  MORRIS_LEVELS,
  MORRIS_RESAMPLES,
  morrisPointCount,
  morrisPoints,
  morrisStats,
  morrisTrajectory,
} from '../../experiments/sweep/morris.ts';
import type { PathKind } from '../../experiments/sweep/path-kind.ts';
import { type Axis, parseVary } from '../../experiments/sweep/vary.ts';

function statsOf(axes: Axis[], kinds: PathKind[], r: number, seed: number, f: (x: unknown[]) => number) {
  const points = morrisPoints(axes, kinds, r, designRng(seed, 'morris'));
  const effects = elementaryEffects(points, axes, kinds, r, (id) => f(points[id].values));
  return morrisStats([effects], MORRIS_RESAMPLES, designRng(seed, 'morris-bootstrap'))[0];
}

describe('Morris trajectories', () => {
  const levels = Array.from({ length: MORRIS_LEVELS }, (_, k) => k / (MORRIS_LEVELS - 1));

  test.prop([fc.integer({ min: 1, max: 8 }), fc.nat()])(
    'D + 1 points on the level grid; each step moves one path by Δ, and every path moves exactly once',
    (dims, seed) => {
      const steps = morrisTrajectory(dims, designRng(seed, 'morris'));
      expect(steps).toHaveLength(dims + 1);
      for (const s of steps) for (const u of s.unit) expect(levels).toContain(u);
      const moved = steps.slice(1).map((s) => s.moved as number);
      expect([...moved].sort((a, b) => a - b)).toEqual(Array.from({ length: dims }, (_, d) => d));
      for (let k = 1; k < steps.length; k++) {
        const d = steps[k].moved as number;
        steps[k].unit.forEach((u, i) => {
          const change = Math.abs(u - steps[k - 1].unit[i]);
          expect(change).toBeCloseTo(i === d ? MORRIS_DELTA : 0, 12);
        });
      }
    },
  );

  it('numbers r × (D + 1) points trajectory by trajectory, with the moved path named', () => {
    const axes = [parseVary('p.a=0:1'), parseVary('p.b=0:1')];
    const points = morrisPoints(axes, ['number', 'number'], 3, designRng(1, 'morris'));
    expect(points).toHaveLength(morrisPointCount(3, 2));
    expect(points.map((p) => [p.sample, p.step])).toEqual([
      [0, 0],
      [0, 1],
      [0, 2],
      [1, 0],
      [1, 1],
      [1, 2],
      [2, 0],
      [2, 1],
      [2, 2],
    ]);
    expect(points.every((p) => p.role === 'morris')).toBe(true);
    expect(points.filter((p) => p.step === 0).every((p) => p.moved === undefined)).toBe(true);
  });
});

describe('Morris statistics of closed-form functions', () => {
  it('a linear function: μ* = |coefficient| × range for each path, μ signed, σ = 0; an unused path 0', () => {
    const axes = [parseVary('p.a=0.3:0.7'), parseVary('p.b=1000:50000'), parseVary('p.c=-2:2')];
    const kinds: PathKind[] = ['number', 'integer', 'number'];
    const c = [-40, 0.002, 0];
    const stats = statsOf(axes, kinds, 12, 5, (x) => c.reduce((y, ci, d) => y + ci * (x[d] as number), 0));
    const ranges = [0.4, 49_000, 4];
    stats.forEach((s, d) => {
      expect(s.muStar).toBeCloseTo(Math.abs(c[d]) * ranges[d], 9);
      expect(s.mu).toBeCloseTo(c[d] * ranges[d], 9);
      expect(s.sigma).toBeCloseTo(0, 9);
      expect(s.muStarCi95[0]).toBeCloseTo(s.muStar, 9);
      expect(s.muStarCi95[1]).toBeCloseTo(s.muStar, 9);
      expect(s.effects).toBe(12);
    });
  });

  it('an interaction y = x·z over [0, 1]²: both paths matter and their effects spread (σ > 0)', () => {
    const axes = [parseVary('p.x=0:1'), parseVary('p.z=0:1')];
    const stats = statsOf(axes, ['number', 'number'], 40, 9, (x) => (x[0] as number) * (x[1] as number));
    for (const s of stats) {
      // An effect of x is z (a grid level of z: 0, 1/3, 2/3 or 1): the mean is about 1/2.
      expect(s.muStar).toBeGreaterThan(0.3);
      expect(s.muStar).toBeLessThan(0.7);
      expect(s.sigma).toBeGreaterThan(0.2);
      expect(s.muStarCi95[0]).toBeLessThan(s.muStar);
      expect(s.muStarCi95[1]).toBeGreaterThan(s.muStar);
    }
  });

  it('a list-valued path moves by its unit coordinate', () => {
    const axes = [parseVary('audienceEffect.curve=flat,rising')];
    const stats = statsOf(axes, ['other'], 6, 2, (x) => (x[0] === 'rising' ? 10 : 0));
    // flat/rising split the unit interval in halves; a step of Δ = 2/3 always crosses 1/2.
    expect(stats[0].muStar).toBeCloseTo(10 / MORRIS_DELTA, 9);
  });
});
