/**
 * Calibration recovers known truth (the acceptance): simulate the baseline with two changed
 * paths — gifts per hour 2.5 → 3.5, payer share 0.05 → 0.035 — under another seed, take its KPIs as
 * targets (with their standard errors), and calibrate the unchanged baseline over those two paths. Both
 * fitted values must land within 20 % of the truth and inside their reported ranges. The starting point
 * (the baseline's own values) is more than 20 % off on both paths, so a search that does not move fails.
 * Small enough for CI (10,000 viewers, one day, 30 candidates × 4 replications); `npm run bench --
 * calibrate` runs a bigger case.
 */
import { expect, it } from 'vitest';
import { calibrateKnownTruth, giftsAndPayersCase } from './known-truth.ts';

it('recovers gifts per hour and payer share within 20 % and inside the reported ranges', async () => {
  const c = giftsAndPayersCase(['population.viewers=10000', 'population.creators=100'], {
    truthReplications: 8,
    replications: 4,
    budget: 30,
  });
  const r = await calibrateKnownTruth(c);
  expect(r.code, r.err).toBe(0);
  expect(r.seed).not.toBe(c.truthSeed);
  expect(r.evaluations).toBe(30);
  for (const f of r.recovered) {
    expect(Math.abs(f.start / f.truth - 1), `${f.path} starts off the truth`).toBeGreaterThan(0.2);
    expect(Math.abs(f.best / f.truth - 1), `${f.path}: fitted ${f.best}, truth ${f.truth}`).toBeLessThan(0.2);
    expect(f.range[0], `${f.path} range ${f.range}`).toBeLessThanOrEqual(f.truth);
    expect(f.range[1], `${f.path} range ${f.range}`).toBeGreaterThanOrEqual(f.truth);
    // A range, not a point: the targets carry noise.
    expect(f.range[1]).toBeGreaterThan(f.range[0]);
  }
  expect(r.allReached).toBe(true);
});
