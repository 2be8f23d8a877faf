/**
 * Arrivals and churn in closed form. Viewers who are always watching (sessions of four hours, one
 * second apart) are active on a day exactly when they have not left: so with a constant arrival rate λ
 * and survival S, a run at day d holds V0 × P(time left > d) + λ × ∫_0^d S viewers, and a cohort's
 * retention on day N is S(N). Nobody pays, so only sessions are simulated — one agent per viewer, or
 * with `population.nonPayers: crowd` all of them counted as a crowd (crowd.ts: arrival classes, and
 * each member's leaving second queued), which must meet the same closed forms.
 */
import { describe, expect, it } from 'vitest';
import { runReplication } from '../../experiments/replication.ts';
import { describe as ci } from '../../experiments/stats.ts';
import { scenario } from '../sim/support.ts';

const V0 = 300;
const RATE = 100;
const POINTS = [
  { day: 1, share: 0.6 },
  { day: 7, share: 0.3 },
  { day: 30, share: 0.1 },
];
const REPLICATIONS = 6;

/** S(age in days), written out: ln S linear between (0, 1) and the points, the last slope going on. */
function S(day: number): number {
  const knots = [{ day: 0, share: 1 }, ...POINTS];
  let i = 0;
  while (i < knots.length - 2 && day >= knots[i + 1].day) i++;
  const slope = Math.log(knots[i + 1].share / knots[i].share) / (knots[i + 1].day - knots[i].day);
  return knots[i].share * Math.exp(slope * (day - knots[i].day));
}

/** ∫ S over [from, to] days (trapezoid, fine steps). */
function area(from: number, to: number): number {
  const steps = 20_000;
  const h = (to - from) / steps;
  let sum = 0;
  for (let i = 0; i <= steps; i++) sum += (i === 0 || i === steps ? 0.5 : 1) * S(from + i * h);
  return sum * h;
}

const MEAN_DAYS = area(0, 400);

const MODES = ['agents', 'crowd'] as const;

function expectWithinCi(values: number[], expected: number, what: string): void {
  const stat = ci(values);
  expect(
    expected,
    `${what}: ${stat.mean} (95 % CI ${stat.ci95[0]} – ${stat.ci95[1]})`,
  ).toBeGreaterThanOrEqual(stat.ci95[0]);
  expect(expected, `${what}: ${stat.mean} (95 % CI ${stat.ci95[0]} – ${stat.ci95[1]})`).toBeLessThanOrEqual(
    stat.ci95[1],
  );
}

describe.each(MODES)('constant arrivals and a survival curve, in closed form (%s)', (nonPayers) => {
  const s = scenario({
    duration: '32d',
    intervalSeconds: '1d',
    population: { viewers: V0, nonPayers },
    viewers: { payerShare: 0, sessionsPerDay: 6, sessionMinutes: 240 },
    lifecycle: { arrivalsPerDay: RATE, survival: POINTS },
  });
  const runs = Array.from({ length: REPLICATIONS }, (_, i) => runReplication(s, i));

  it.each([2, 10, 31])('viewers present at the start of day %i: V0 × P(time left > d) + λ × ∫_0^d S', (d) => {
    const expected = (V0 * area(d, 400)) / MEAN_DAYS + RATE * area(0, d);
    expectWithinCi(
      runs.map((r) => r.timeseries[d].activeViewers),
      expected,
      `day ${d}`,
    );
  });

  it.each([
    ['retentionD1', 1],
    ['retentionD7', 7],
    ['retentionD30', 30],
  ] as const)('%s is S(%i)', (kpi, day) => {
    expectWithinCi(
      runs.map((r) => r.kpis[kpi]),
      S(day),
      kpi,
    );
  });

  it('arrivals come at λ a day, and every new viewer is active on its day 0', () => {
    expectWithinCi(
      runs.map((r) => r.kpis.viewers - V0),
      RATE * 32,
      'arrivals',
    );
    for (const r of runs) {
      const day0 = r.cohorts.filter((c) => c.ageDay === 0);
      expect(day0.length).toBe(31); // cohorts 0..30: each has lived its day 0 by day 32
      for (const c of day0) expect(c.activeViewers).toBe(c.newViewers);
    }
  });

  it('without churn nobody leaves, and without arrivals nobody comes', () => {
    const noChurn = runReplication(
      scenario({
        duration: '3d',
        intervalSeconds: '1d',
        population: { viewers: V0, nonPayers },
        viewers: { payerShare: 0, sessionsPerDay: 6, sessionMinutes: 240 },
        lifecycle: { arrivalsPerDay: RATE },
      }),
      0,
    );
    const arrived = noChurn.kpis.viewers - V0;
    expect(arrived).toBeGreaterThan(0);
    expect(noChurn.timeseries[2].viewersActive).toBe(noChurn.kpis.viewers - countArrivedOn(noChurn, 2));
    const noArrivals = runReplication(
      scenario({
        duration: '3d',
        intervalSeconds: '1d',
        population: { viewers: V0, nonPayers },
        viewers: { payerShare: 0, sessionsPerDay: 6, sessionMinutes: 240 },
        lifecycle: { survival: POINTS },
      }),
      0,
    );
    expect(noArrivals.kpis.viewers).toBe(V0);
    expect(noArrivals.cohorts).toEqual([]);
    expect(Number.isNaN(noArrivals.kpis.retentionD1)).toBe(true);
    expect(noArrivals.timeseries[2].viewersActive).toBeLessThan(V0);
  });
});

/** Viewers who arrived after day `d` began (not there to be active at its start). */
function countArrivedOn(r: ReturnType<typeof runReplication>, d: number): number {
  return r.cohorts.filter((c) => c.cohortDay > d && c.ageDay === 0).reduce((n, c) => n + c.newViewers, 0);
}

describe.each(MODES)('days of age in closed form (%s)', (nonPayers) => {
  // No churn, two half-hour sessions a day on a flat clock: on a day of age a viewer is active when in
  // a session as it starts (the on/off process's share `on`) or when its gap ends within the day, so
  // retention on any day N ≥ 1 is on + (1 − on) × (1 − e^(−day / mean gap)), in whole-second hazards.
  const m = 1800;
  const g = 86_400 / 2 - m;
  const onMean = 1 / -Math.expm1(-1 / m);
  const offMean = 1 / -Math.expm1(-1 / g);
  const on = onMean / (onMean + offMean);
  const expected = on + (1 - on) * -Math.expm1(-86_400 / offMean);
  // Three times the replications: day 7 is over for the first two days' arrivals only, and D1's CI is
  // ±0.001 at 12 (the crowd's quiet seconds, at 200 replications: D1 0.88097 [0.88068, 0.88126]).
  const runs = Array.from({ length: 3 * REPLICATIONS }, (_, i) =>
    runReplication(
      scenario({
        duration: '10d',
        intervalSeconds: '1d',
        population: { viewers: V0, nonPayers },
        viewers: { payerShare: 0, sessionsPerDay: 2, sessionMinutes: m / 60 },
        lifecycle: { arrivalsPerDay: 3000 },
      }),
      i,
    ),
  );

  it.each(['retentionD1', 'retentionD7'] as const)('%s is on + (1 − on)(1 − e^(−day / gap))', (kpi) => {
    expectWithinCi(
      runs.map((r) => r.kpis[kpi]),
      expected,
      kpi,
    );
  });

  it('and so is each cohort’s share active on a day of age', () => {
    const share = (r: (typeof runs)[number], cohortDay: number, ageDay: number) => {
      const c = r.cohorts.find((x) => x.cohortDay === cohortDay && x.ageDay === ageDay);
      return c === undefined ? Number.NaN : c.activeViewers / c.newViewers;
    };
    expectWithinCi(
      runs.map((r) => share(r, 1, 1)),
      expected,
      'cohort of day 1 on its day 1',
    );
    expectWithinCi(
      runs.map((r) => share(r, 2, 5)),
      expected,
      'cohort of day 2 on its day 5',
    );
  });
});
