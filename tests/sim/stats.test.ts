/** Summary statistics and concentration measures used by the KPIs and summary.json. */
import { describe, expect, it } from 'vitest';
import { gini, lorenz, topShare } from '../../experiments/inequality.ts';
import { runReplication } from '../../experiments/replication.ts';
import { ratioCi95, describe as stats, t95 } from '../../experiments/stats.ts';
import { summarizeRun } from '../../experiments/summarize.ts';
import { summaryJson } from '../../experiments/summary-json.ts';
import { LEDGER_STATE_INVARIANTS } from '../../sim/invariants/types.ts';
import { scenario } from './support.ts';

const sorted = (xs: number[]) => Float64Array.from(xs).sort();

describe('statistics', () => {
  it('mean, sd and a Student-t 95 % CI', () => {
    const s = stats([1, 2, 3, 4, 5]);
    expect(s.mean).toBe(3);
    expect(s.sd).toBeCloseTo(Math.sqrt(2.5));
    expect(s.ci95[1] - s.mean).toBeCloseTo((2.776 * Math.sqrt(2.5)) / Math.sqrt(5));
    expect(stats([7])).toEqual({ mean: 7, ci95: [7, 7], sd: 0 });
    expect(t95(1000)).toBeCloseTo(1.962, 2);
    expect(t95(31)).toBeLessThan(t95(30));
  });

  it('a pooled ratio’s 95 % CI over replications (linearized)', () => {
    // Equal denominators: the CI of the mean of the ratios.
    const equal = ratioCi95([1, 3, 8], [2, 2, 2]) as [number, number];
    const ofRatios = stats([0.5, 1.5, 4]).ci95;
    expect(equal[0]).toBeCloseTo(ofRatios[0], 12);
    expect(equal[1]).toBeCloseTo(ofRatios[1], 12);
    // By hand: R = 6 / 4 = 1.5; residuals 1 − 1.5 × 1 = −0.5 and 5 − 1.5 × 3 = 0.5; s_e² = 0.5;
    // se = √(0.5 / 2) / 2 = 0.25; half-width t95(1) × 0.25.
    const [lo, hi] = ratioCi95([1, 5], [1, 3]) as [number, number];
    expect((lo + hi) / 2).toBeCloseTo(1.5, 12);
    expect((hi - lo) / 2).toBeCloseTo(t95(1) * 0.25, 12);
    // Proportional replications: no spread at all. One replication, or nothing watched: no CI.
    expect(ratioCi95([2, 4, 6], [1, 2, 3])).toEqual([2, 2]);
    expect(ratioCi95([2], [1])).toBeNull();
    expect(ratioCi95([0, 0], [0, 0])).toBeNull();
  });

  it('Gini, Lorenz and top shares', () => {
    expect(gini(sorted([5, 5, 5, 5]))).toBeCloseTo(0);
    expect(gini(sorted([0, 0, 0, 10]))).toBeCloseTo(0.75);
    expect(topShare(sorted([1, 1, 1, 1, 1, 1, 1, 1, 1, 91]), 0.1)).toBeCloseTo(0.91);
    expect(topShare(sorted([]), 0.01)).toBe(0);
    const l = lorenz(sorted([1, 2, 3, 4]), 4);
    expect(l.x).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(l.y).toEqual([0, 0.1, 0.3, 0.6, 1]);
  });

  it('summary.json: numbers with one replication, { mean, ci95, sd } with several', () => {
    const s = scenario({ population: { viewers: 300 } });
    const [a, b] = [runReplication(s, 0), runReplication(s, 1)];
    const one = summaryJson(summarizeRun('simple', 7, [a], 1.5), 'end');
    expect(one.kpis.grossBookingsCents).toBe(99 * a.kpis.payers); // a 99-cent pack a day each
    expect(one.invariants).toMatchObject({
      mode: 'end',
      checked: LEDGER_STATE_INVARIANTS,
      violationCount: 0,
    });
    const many = summaryJson(summarizeRun('simple', 7, [a, b], 1.5), 'end');
    const gross = [a.kpis.grossBookingsCents, b.kpis.grossBookingsCents];
    expect(many.kpis.grossBookingsCents).toEqual(stats(gross));
    expect(stats(gross).sd).toBeLessThan(0.01 * stats(gross).mean);
    expect(many).toMatchObject({ scenario: 'simple', seed: 7, replications: 2, wallSeconds: 1.5 });
    // A run of the file as written says so; a run with --sets names them, in order.
    expect(one.overrides).toEqual([]);
    expect(summaryJson(summarizeRun('simple', 7, [a], 1.5), 'end', ['a.b=1', 'c=2']).overrides).toEqual([
      'a.b=1',
      'c=2',
    ]);
  });
});
