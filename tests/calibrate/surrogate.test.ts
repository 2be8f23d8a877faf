/**
 * The response surface on cases computed by hand: a quadratic truth is reproduced exactly, and on a
 * distance with independent Gaussian misses the profile interval of each path is its estimate ± √3.841
 * scales — the 95 % interval the uncertainty rule promises.
 */
import { describe, expect, it } from 'vitest';
import type { TargetScale } from '../../experiments/calibrate/distance.ts';
import type { Scored } from '../../experiments/calibrate/search.ts';
import type { StatisticName } from '../../experiments/calibrate/statistics.ts';
import { STATISTIC_NAMES } from '../../experiments/calibrate/statistics.ts';
import { analyseSurrogate, fitSurrogate, predict, REACH } from '../../experiments/calibrate/surrogate.ts';
import type { KpiStat } from '../../sim/kpis.ts';

/** Candidates on a grid of the unit square whose statistics' means are `means(u)`. */
function grid(
  means: (u: number[]) => Partial<Record<StatisticName, number>>,
  step = 0.1,
  [from, to] = [0, 1],
): Scored[] {
  const out: Scored[] = [];
  for (let a = from; a <= to + 1e-9; a += step) {
    for (let b = from; b <= to + 1e-9; b += step) {
      const unit = [a, b];
      const m = means(unit);
      const stats = Object.fromEntries(
        STATISTIC_NAMES.map((k): [StatisticName, KpiStat] => [k, { mean: m[k] ?? 0, ci95: [0, 0], sd: 0 }]),
      ) as Record<StatisticName, KpiStat>;
      out.push({
        candidate: { id: out.length, generation: 0, unit, values: unit },
        replications: [],
        stats,
        fit: { distance: 0, z: [], absent: [] },
        confirming: false,
      });
    }
  }
  return out;
}

function scale(kpi: StatisticName, value: number, s: number): TargetScale {
  return { kpi, value, targetSe: s, simulationSe: 0, scale: s, basis: 'target' };
}

describe('response surface', () => {
  it('reproduces a quadratic truth exactly, wherever it is centred', () => {
    const f = (u: number[]) => 1 + 2 * u[0] - u[1] + 0.5 * u[0] ** 2 + 3 * u[0] * u[1];
    const g = (u: number[]) => 3 - u[0] + 4 * u[1] ** 2;
    const cands = grid((u) => ({ giftsSent: f(u), payers: g(u) }));
    const scales = [scale('giftsSent', 0, 1), scale('payers', 0, 1)];
    for (const centre of [
      [0.5, 0.5],
      [0.1, 0.9],
    ]) {
      const s = fitSurrogate(cands, scales, centre);
      expect(s).not.toBeNull();
      for (const u of [
        [0.33, 0.71],
        [0.9, 0.05],
      ]) {
        const [pf, pg] = predict(s!, u);
        expect(pf).toBeCloseTo(f(u), 5);
        expect(pg).toBeCloseTo(g(u), 5);
      }
    }
  });

  it('gives each path the interval of Δdistance ≤ 3.841: estimate ± 1.96 scales', () => {
    const cands = grid((u) => ({ giftsSent: u[0], payers: u[1] }), 0.05);
    const scales = [scale('giftsSent', 0.4, 0.1), scale('payers', 0.6, 0.05)];
    const s = fitSurrogate(cands, scales, [0.4, 0.6]);
    const a = analyseSurrogate(s!, scales, 42);
    expect(a.optimum[0]).toBeCloseTo(0.4, 3);
    expect(a.optimum[1]).toBeCloseTo(0.6, 3);
    expect(a.distance).toBeCloseTo(0, 5);
    const half = Math.sqrt(3.841);
    expect(a.intervals[0].lo).toBeCloseTo(0.4 - 0.1 * half, 2);
    expect(a.intervals[0].hi).toBeCloseTo(0.4 + 0.1 * half, 2);
    expect(a.intervals[1].lo).toBeCloseTo(0.6 - 0.05 * half, 2);
    expect(a.intervals[1].hi).toBeCloseTo(0.6 + 0.05 * half, 2);
    expect(a.intervals.every((iv) => !iv.clipped)).toBe(true);
  });

  it('widens a path the targets trade off against another, up to the box', () => {
    // One target on u0 + u1: the distance is flat along u0 + u1 = 1; only the box bounds each path.
    const cands = grid((u) => ({ giftsSent: u[0] + u[1] }), 0.05);
    const scales = [scale('giftsSent', 1, 0.05)];
    const a = analyseSurrogate(fitSurrogate(cands, scales, [0.5, 0.5])!, scales, 42);
    expect(a.intervals[0].lo).toBeLessThan(0.01);
    expect(a.intervals[0].hi).toBeGreaterThan(0.99);
    expect(a.intervals[0].clipped).toBe(false);
  });

  it('stops an interval REACH past the candidates, and says it is clipped there', () => {
    // Candidates only in [0.3, 0.7]²: the surface is trusted to 0.2 and 0.8, not to the box's ends.
    const cands = grid((u) => ({ giftsSent: u[0] + u[1] }), 0.05, [0.3, 0.7]);
    const scales = [scale('giftsSent', 1, 0.05)];
    const s = fitSurrogate(cands, scales, [0.5, 0.5])!;
    expect(s.region.lo[0]).toBeCloseTo(0.3 - REACH, 9);
    const a = analyseSurrogate(s, scales, 42);
    expect(a.intervals[0].lo).toBeCloseTo(0.3 - REACH, 6);
    expect(a.intervals[0].hi).toBeCloseTo(0.7 + REACH, 6);
    expect(a.intervals[0].clipped).toBe(true);
  });
});
