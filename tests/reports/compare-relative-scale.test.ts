/**
 * The scale of compare.html's "How B differs" chart. A review saw it run from −500 % to +600 %: one
 * noisy KPI's CI (creator payouts withdrawn, −451 % … +546 %) set it, and payers' −32 % was a few
 * pixels. The scale covers 0, every point estimate and every CI no wider than READABLE_CI_WIDTH.
 */
import { describe, expect, it } from 'vitest';
import {
  clipCi,
  READABLE_CI_WIDTH,
  type RelativeBar,
  readableCi,
  relativeScale,
} from '../../reports/compare/relative-scale.ts';

/** What a scale must hold, whatever bars it is for. */
function expectReadable(bars: RelativeBar[], maxIntervals: number) {
  const { domain, ticks } = relativeScale(bars, maxIntervals);
  expect(ticks).toContain(0);
  expect(ticks[0]).toBe(domain[0]);
  expect(ticks.at(-1)).toBe(domain[1]);
  expect(ticks.length - 1).toBeLessThanOrEqual(maxIntervals);
  const step = ticks[1] - ticks[0];
  for (let i = 1; i < ticks.length; i++) expect(ticks[i] - ticks[i - 1]).toBeCloseTo(step, 9);
  for (const b of bars) {
    expect(domain[0]).toBeLessThanOrEqual(b.rel);
    expect(domain[1]).toBeGreaterThanOrEqual(b.rel);
    if (readableCi(b)) {
      expect(domain[0]).toBeLessThanOrEqual(b.lo!);
      expect(domain[1]).toBeGreaterThanOrEqual(b.hi!);
    }
  }
  return { domain, ticks, step };
}

describe("the relative chart's scale", () => {
  it('is set by the point estimates and the readable CIs, not by a CI wider than the bound', () => {
    const payers = { rel: -0.32, lo: -0.38, hi: -0.26 };
    const payouts = { rel: 0.475, lo: -4.51, hi: 5.46 };
    expect(readableCi(payers)).toBe(true);
    expect(readableCi(payouts)).toBe(false);
    const { domain, step } = expectReadable([payers, payouts], 8);
    // lo −0.38, hi 0.475: a step of 0.1 gives −0.4 … +0.5 (9 intervals, more than 8); 0.2 gives −0.4 … +0.6.
    expect(step).toBeCloseTo(0.2, 12);
    expect(domain).toEqual([-0.4, 0.6]);
    // Had the wide CI set it, payers' bar would be under 4 % of the axis; it is 32 % of it.
    expect(Math.abs(payers.rel) / (domain[1] - domain[0])).toBeGreaterThan(0.3);
  });

  it('takes a CI exactly as wide as the bound, and none wider', () => {
    const edge = { rel: 0.1, lo: 0.1 - READABLE_CI_WIDTH / 2, hi: 0.1 + READABLE_CI_WIDTH / 2 };
    expect(readableCi(edge)).toBe(true);
    const wider = { rel: 0.1, lo: edge.lo - 0.01, hi: edge.hi };
    expect(readableCi(wider)).toBe(false);
    expect(relativeScale([edge], 8).domain[0]).toBeLessThanOrEqual(edge.lo);
    expect(relativeScale([wider], 8).domain[0]).toBeGreaterThanOrEqual(0);
  });

  it('rounds out to a step of 1, 2, 2.5 or 5 × a power of ten with 0 a tick, when every bar is on one side', () => {
    // lo 0 (0 is always in), hi 0.62: 0.1 gives 7 intervals, at most 8.
    const { domain, ticks, step } = expectReadable([{ rel: 0.31, lo: 0.12, hi: 0.62 }], 8);
    expect(step).toBeCloseTo(0.1, 12);
    expect(domain).toEqual([0, 0.7]);
    expect(ticks).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
    // Fewer intervals allowed: 0.62 / 0.25 rounds up to 3 of 0.25.
    expect(expectReadable([{ rel: 0.31, lo: 0.12, hi: 0.62 }], 3).domain).toEqual([0, 0.75]);
    expect(expectReadable([{ rel: -0.031, lo: -0.05, hi: -0.012 }], 8).domain).toEqual([-0.05, 0]);
  });

  it('shows ±10 % when nothing moved, and ignores a single replication’s missing CI', () => {
    expect(relativeScale([{ rel: 0, lo: 0, hi: 0 }], 8).domain).toEqual([-0.1, 0.1]);
    expectReadable([{ rel: 0.2, lo: null, hi: null }], 8);
    expect(() => relativeScale([], 0)).toThrow(/maxIntervals/);
  });
});

describe('a whisker that runs off the chart', () => {
  it('is held to the edge and marked on the side it runs off', () => {
    expect(clipCi({ rel: 0.475, lo: -4.51, hi: 5.46 }, [-1, 1.5])).toEqual({
      lo: -1,
      hi: 1.5,
      offLow: true,
      offHigh: true,
    });
    expect(clipCi({ rel: 0.3, lo: 0.1, hi: 2 }, [-1, 1.5])).toEqual({
      lo: 0.1,
      hi: 1.5,
      offLow: false,
      offHigh: true,
    });
    expect(clipCi({ rel: 0.3, lo: 0.1, hi: 0.5 }, [-1, 1.5])).toEqual({
      lo: 0.1,
      hi: 0.5,
      offLow: false,
      offHigh: false,
    });
    expect(clipCi({ rel: 0.3, lo: null, hi: null }, [-1, 1.5]).offHigh).toBe(false);
  });
});
