/**
 * The crowd's quiet seconds (Crowd.quietHazard): where fewer than one transition a second is expected,
 * one exponential decides which seconds have any, and those draw ends and starts given at least one.
 * Held to the per-second binomials in closed form: with the state held fixed, a second's ends are
 * Binomial(on, endChance) and its starts Binomial(off, pStart), independent — so the chance of a quiet
 * second is e^(−hazard), of a second with both e^… products, and the means are n·p. Both ways of drawing
 * (quietHazard 0: two binomials a second) must give them, within 4 standard errors over 200,000 seconds.
 */

import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { modelParams } from '../../scenarios/model-params.ts';
import { Cohorts } from '../../sim/engine/cohorts.ts';
import { Crowd } from '../../sim/engine/crowd.ts';
import { binomialAt } from '../../sim/random/index.ts';
import { scenario } from './support.ts';

const SECONDS = 200_000;
const T = 40_000; // a second of the day whose rhythm factor is held (the state never moves)

function drawn(quietHazard: number, on: number) {
  // 300 viewers, none of whom pays: all crowd, in one market; 30-minute sessions, 24 a day.
  const params = modelParams(
    scenario({
      population: { viewers: 300, nonPayers: 'crowd' },
      viewers: { payerShare: 0, sessionsPerDay: 24, sessionMinutes: 30 },
    }),
  );
  const rng = seedrandom.xor4096(`quiet-${quietHazard}-${on}`);
  const crowd = new Crowd(params, rng, 0, new Cohorts(false, params.durationSeconds, 0));
  crowd.quietHazard = quietHazard;
  for (let i = 0; i < on; i++) crowd.starts(0, 1, rng);
  crowd.closeSecond();
  const off = params.viewers - on;
  const pStart = -Math.expm1(-params.viewerDiurnal.factorIn(T - 1) / params.sessionGapSeconds);
  const stats = { ends: 0, starts: 0, quiet: 0, both: 0 };
  for (let s = 0; s < SECONDS; s++) {
    crowd.drawSecond(T, rng);
    stats.ends += crowd.endsDue;
    stats.starts += crowd.startsDue;
    if (crowd.endsDue === 0 && crowd.startsDue === 0) stats.quiet++;
    if (crowd.endsDue > 0 && crowd.startsDue > 0) stats.both++;
  }
  return { stats, off, pEnd: crowd.endChance, pStart };
}

/** |observed − expected| within 4 standard errors of a mean of SECONDS draws with this variance. */
function near(observed: number, expected: number, variance: number, what: string): void {
  const se = Math.sqrt(variance / SECONDS);
  expect(
    Math.abs(observed - expected),
    `${what}: ${observed} against ${expected} ± ${4 * se}`,
  ).toBeLessThanOrEqual(4 * se);
}

describe.each([
  ['quiet seconds', 1],
  ['two binomials a second', 0],
])('the crowd’s transitions in a second, %s', (_, quietHazard) => {
  it.each([150, 10, 290])('with %i of 300 in a session: binomial ends and starts, independent', (on) => {
    const { stats, off, pEnd, pStart } = drawn(quietHazard, on);
    const hazard = on * -Math.log1p(-pEnd) + off * -Math.log1p(-pStart);
    expect(hazard).toBeLessThan(1); // the quiet path is the one under test
    near(stats.ends / SECONDS, on * pEnd, on * pEnd * (1 - pEnd), 'ends a second');
    near(stats.starts / SECONDS, off * pStart, off * pStart * (1 - pStart), 'starts a second');
    const none = Math.exp(-hazard);
    near(stats.quiet / SECONDS, none, none * (1 - none), 'quiet seconds');
    const both = (1 - (1 - pEnd) ** on) * (1 - (1 - pStart) ** off);
    near(stats.both / SECONDS, both, both * (1 - both), 'seconds with both');
  });
});

describe('binomialAt', () => {
  it('from a uniform past the zero term gives at least one, with the binomial’s conditional chances', () => {
    const n = 40;
    const p = 0.01;
    const logq = Math.log1p(-p);
    const zero = Math.exp(n * logq);
    const one = n * p * (1 - p) ** (n - 1);
    // u just past P(0) is 1; past P(0) + P(1) it is 2; below P(0) it is 0.
    expect(binomialAt(zero * 0.999, n, p, logq)).toBe(0);
    expect(binomialAt(zero, n, p, logq)).toBe(1);
    expect(binomialAt(zero + one * 0.999, n, p, logq)).toBe(1);
    expect(binomialAt(zero + one * 1.001, n, p, logq)).toBe(2);
    expect(binomialAt(1 - 1e-17, n, p, logq)).toBeGreaterThan(2);
  });
});
