import { describe, expect, it } from 'vitest';
import { lnGamma, regularizedBeta, studentTCdf, studentTQuantile } from '../../experiments/stats.ts';
import {
  ci95OfMean,
  pairedT,
  quantileSorted,
  sampleOf,
  sdFromCi95,
  welch,
} from '../../reports/compare/stats.ts';

describe('Student t', () => {
  it('matches textbook two-sided 95 % quantiles', () => {
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.706, 3);
    expect(studentTQuantile(0.975, 4)).toBeCloseTo(2.776, 3);
    expect(studentTQuantile(0.975, 9)).toBeCloseTo(2.262, 3);
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(1.96, 2);
    expect(studentTQuantile(0.025, 9)).toBeCloseTo(-2.262, 3);
  });

  it('agrees with the printed t table the engine’s CIs use, so summary.json CIs convert back to the sd', () => {
    const table: [number, number][] = [
      [2, 4.303],
      [5, 2.571],
      [10, 2.228],
      [29, 2.045],
      [60, 2.0],
    ];
    for (const [df, t] of table) expect(studentTQuantile(0.975, df), `df ${df}`).toBeCloseTo(t, 2);
  });

  it('has a CDF that is symmetric and monotone', () => {
    expect(studentTCdf(0, 7)).toBeCloseTo(0.5, 12);
    expect(studentTCdf(1.5, 3) + studentTCdf(-1.5, 3)).toBeCloseTo(1, 12);
    expect(studentTCdf(2, 10)).toBeGreaterThan(studentTCdf(1, 10));
    expect(studentTCdf(2.228, 10)).toBeCloseTo(0.975, 3);
  });

  it('rests on a correct incomplete beta and log-gamma', () => {
    expect(regularizedBeta(0.5, 2, 2)).toBeCloseTo(0.5, 12);
    expect(regularizedBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12);
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 10);
    expect(lnGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 10);
  });
});

describe('summaries and Welch', () => {
  it('summarizes with the sample sd and a t CI', () => {
    const s = sampleOf([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(s.mean).toBe(5);
    expect(s.sd).toBeCloseTo(2.13809, 4);
    const [lo, hi] = ci95OfMean(s);
    expect(hi - 5).toBeCloseTo((2.365 * 2.13809) / Math.sqrt(8), 2);
    expect(5 - lo).toBeCloseTo(hi - 5, 12);
    expect(ci95OfMean(sampleOf([3]))).toEqual([3, 3]);
  });

  it('recovers the sd from a t-based CI', () => {
    const s = sampleOf([10, 12, 9, 14, 11]);
    expect(sdFromCi95(ci95OfMean(s), 5)).toBeCloseTo(s.sd, 6);
  });

  it('reproduces the textbook Welch example (Wikipedia, “Welch’s t-test”, example 1)', () => {
    const a1 = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4];
    const a2 = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4];
    const w = welch(sampleOf(a2), sampleOf(a1));
    expect(w.t).toBeCloseTo(-2.46, 2);
    expect(w.df).toBeCloseTo(25.0, 1);
    expect(w.p).toBeCloseTo(0.021, 3);
    expect(w.ci95[1]).toBeLessThan(0);
    expect(w.ci95[0] + w.ci95[1]).toBeCloseTo(2 * w.diff, 10);
  });

  it('pairs replications: the shared noise cancels in the differences', () => {
    const a = [100, 250, 80, 400, 120];
    const b = a.map((x, i) => x * 1.1 + [1, -1, 2, 0, -2][i]);
    const p = pairedT(a, b);
    expect(p.diff).toBeCloseTo(sampleOf(b).mean - sampleOf(a).mean, 10);
    expect(p.df).toBe(4);
    expect(p.p).toBeLessThan(0.05);
    expect(welch(sampleOf(a), sampleOf(b)).p).toBeGreaterThan(0.5);
    expect(pairedT([1, 2, 3], [1, 2, 3]).p).toBe(1);
    expect(pairedT([1, 2, 3], [2, 3, 4]).p).toBe(0);
    expect(() => pairedT([1, 2], [1])).toThrow(/differ in length/);
  });

  it('says nothing with one replication and is certain with two constant samples', () => {
    expect(Number.isNaN(welch(sampleOf([1]), sampleOf([2, 3])).p)).toBe(true);
    expect(welch(sampleOf([4, 4, 4]), sampleOf([4, 4])).p).toBe(1);
    expect(welch(sampleOf([4, 4, 4]), sampleOf([5, 5])).p).toBe(0);
  });

  it('interpolates quantiles like numpy', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4], 0.05)).toBeCloseTo(1.15, 12);
    expect(quantileSorted([7], 0.95)).toBe(7);
  });
});
