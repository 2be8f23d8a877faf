/**
 * The survival curve (sim/model/survival.ts) against an independent reading of its definition: S by
 * log-linear interpolation written out here, its integrals by the trapezoid rule.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Survival } from '../../sim/model/survival.ts';

const DAY = 86_400;

/** S(age) as the scenario states it: ln S linear between (0, 1) and the points, the last slope going on. */
function shareByHand(points: { ageSeconds: number; share: number }[], age: number): number {
  const knots = [{ ageSeconds: 0, share: 1 }, ...points];
  let i = 0;
  while (i < knots.length - 2 && age >= knots[i + 1].ageSeconds) i++;
  const a = knots[i];
  const b = knots[i + 1];
  const slope = (Math.log(b.share) - Math.log(a.share)) / (b.ageSeconds - a.ageSeconds);
  return Math.exp(Math.log(a.share) + slope * (age - a.ageSeconds));
}

/** ∫ S from `from` to `to` by Simpson's rule on each stretch between knots (S is smooth within one). */
function areaByHand(points: { ageSeconds: number; share: number }[], from: number, to: number): number {
  const cuts = [from, ...points.map((p) => p.ageSeconds).filter((a) => a > from && a < to), to];
  let sum = 0;
  for (let c = 0; c + 1 < cuts.length; c++) {
    const steps = 2_000;
    const h = (cuts[c + 1] - cuts[c]) / steps;
    let part = 0;
    for (let i = 0; i <= steps; i++) {
      const w = i === 0 || i === steps ? 1 : i % 2 === 1 ? 4 : 2;
      part += w * shareByHand(points, cuts[c] + i * h);
    }
    sum += (part * h) / 3;
  }
  return sum;
}

/** 1 to 4 points, rising in age (days), shares falling and ending below 1. */
const curves = fc
  .array(
    fc.tuple(fc.double({ min: 0.2, max: 40, noNaN: true }), fc.double({ min: 0.3, max: 0.95, noNaN: true })),
    {
      minLength: 1,
      maxLength: 4,
    },
  )
  .map((steps) => {
    let day = 0;
    let share = 1;
    return steps.map(([dd, ratio]) => {
      day += dd;
      share *= ratio;
      return { ageSeconds: day * DAY, share };
    });
  });

describe('survival curve', () => {
  it('S goes through its points and matches the interpolation', () => {
    fc.assert(
      fc.property(curves, fc.double({ min: 0, max: 200, noNaN: true }), (points, day) => {
        const s = new Survival(points);
        for (const p of points) expect(s.share(p.ageSeconds)).toBeCloseTo(p.share, 10);
        expect(s.share(day * DAY)).toBeCloseTo(shareByHand(points, day * DAY), 10);
      }),
    );
  });

  it('a lifetime drawn at u is the age where S falls to u', () => {
    fc.assert(
      fc.property(curves, fc.double({ min: 1e-6, max: 1, noNaN: true }), (points, u) => {
        const age = new Survival(points).lifetime(u);
        expect(Number.isFinite(age)).toBe(true);
        expect(shareByHand(points, age)).toBeCloseTo(u, 9);
      }),
    );
  });

  it('the mean lifetime is the area under S', () => {
    fc.assert(
      fc.property(curves, (points) => {
        const s = new Survival(points);
        const knots = [{ ageSeconds: 0, share: 1 }, ...points];
        const [a, b] = knots.slice(-2);
        // Beyond the last point S decays at the last stretch's rate h: what is left after H is S(H) / h.
        const h = Math.log(a.share / b.share) / (b.ageSeconds - a.ageSeconds);
        const horizon = b.ageSeconds + 10 * DAY;
        const area = areaByHand(points, 0, horizon) + shareByHand(points, horizon) / h;
        expect(s.meanSeconds / area).toBeCloseTo(1, 4);
      }),
      { numRuns: 20 },
    );
  });

  it('in steady state, the time left r at u leaves a share u of the area under S beyond r', () => {
    fc.assert(
      fc.property(curves, fc.double({ min: 0.01, max: 0.99, noNaN: true }), (points, u) => {
        const s = new Survival(points);
        const r = s.residual(u);
        expect(areaByHand(points, 0, r) / s.meanSeconds).toBeCloseTo(1 - u, 3);
      }),
      { numRuns: 20 },
    );
  });

  it('the share of a steady state with more than r left is the area under S beyond r, over the mean; residual inverts it', () => {
    fc.assert(
      fc.property(curves, fc.double({ min: 0, max: 120, noNaN: true }), (points, day) => {
        const s = new Survival(points);
        const r = day * DAY;
        const share = s.residualShare(r);
        expect(share).toBeCloseTo(1 - areaByHand(points, 0, r) / s.meanSeconds, 3);
        if (share > 1e-9 && share < 1)
          expect(s.residual(share) / Math.max(r, 1)).toBeCloseTo(r / Math.max(r, 1), 4);
      }),
      { numRuns: 20 },
    );
    expect(new Survival([{ ageSeconds: DAY, share: 0.5 }]).residualShare(0)).toBe(1);
    const flat = new Survival([
      { ageSeconds: DAY, share: 0.5 },
      { ageSeconds: 7 * DAY, share: 0.5 },
    ]);
    expect(flat.residualShare(30 * DAY)).toBe(1); // an infinite mean: nobody present ever leaves
  });

  it('one point is a constant hazard: memoryless, the time left is drawn like a new lifetime', () => {
    const s = new Survival([{ ageSeconds: DAY, share: 0.5 }]);
    expect(s.meanSeconds).toBeCloseTo(DAY / Math.LN2, 6);
    for (const u of [0.9, 0.5, 0.1, 0.01]) {
      expect(s.lifetime(u)).toBeCloseTo((DAY * Math.log(1 / u)) / Math.LN2, 6);
      expect(s.residual(u)).toBeCloseTo(s.lifetime(u), 6);
    }
  });

  it('a curve that ends flat keeps the rest for good, and the viewers present at the start never leave', () => {
    const s = new Survival([
      { ageSeconds: DAY, share: 0.5 },
      { ageSeconds: 7 * DAY, share: 0.5 },
    ]);
    expect(s.lifetime(0.6)).toBeCloseTo(DAY * (Math.log(1 / 0.6) / Math.LN2), 6);
    expect(s.lifetime(0.4)).toBe(Number.POSITIVE_INFINITY);
    expect(s.meanSeconds).toBe(Number.POSITIVE_INFINITY);
    expect(s.residual(0.3)).toBe(Number.POSITIVE_INFINITY);
  });
});
