/**
 * Multi-day runs: the previous model's days are alike, a year of arrivals and departures keeps every
 * invariant, and a lifecycle run's files do not depend on the worker count or on sharding.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runReplication } from '../../experiments/replication.ts';
import { describe as ci } from '../../experiments/stats.ts';
import { CSV_FILES } from '../../reports/csv/index.ts';
import { loadScenarioFile } from '../../scenarios/load.ts';
import { INVARIANT_TABLE } from '../../sim/invariants/types.ts';
import { giftlab, read, tempDir } from '../sweep/support.ts';
import { SMALL_STEADY_SETS } from './support.ts';

const dir = tempDir('lifecycle');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SMALL = ['population.viewers=3000', 'population.creators=30', 'intervalSeconds=1d'];

describe('no arrivals and no churn over several days', () => {
  it("each day's purchases and gifts are a one-day run's, within its 95 % CI", () => {
    const reps = [0, 1, 2, 3, 4, 5];
    const oneDay = loadScenarioFile('scenarios/baseline.yaml', { sets: SMALL });
    const threeDays = loadScenarioFile('scenarios/baseline.yaml', { sets: [...SMALL, 'duration=3d'] });
    const day = reps.map((i) => runReplication(oneDay, i).timeseries[0]);
    const days = reps.map((i) => runReplication(threeDays, i).timeseries);
    for (const k of ['purchases', 'gifts'] as const) {
      const stat = ci(day.map((row) => row[k]));
      for (const d of [1, 2]) {
        const mean = days.reduce((sum, rows) => sum + rows[d][k], 0) / days.length;
        expect(mean, `${k} on day ${d} against ${stat.ci95}`).toBeGreaterThanOrEqual(stat.ci95[0]);
        expect(mean, `${k} on day ${d} against ${stat.ci95}`).toBeLessThanOrEqual(stat.ci95[1]);
      }
    }
  });

  it('on a flat day, the viewers active each day are those in a session at its start or starting one', () => {
    // Sessions are on/off with exponential gaps G (s) and lengths M: a viewer is on at a given second
    // with probability M / (M + G), and one that is off starts a session within a day with 1 − e^(−day/G).
    const s = loadScenarioFile('scenarios/baseline.yaml', {
      sets: [...SMALL, 'duration=3d', 'viewers.diurnal.amplitude=0'],
    });
    const M = s.viewers.sessionMinutes * 60;
    const G = 86_400 / s.viewers.sessionsPerDay - M;
    const on = M / (M + G);
    const expected = 3000 * (on + (1 - on) * (1 - Math.exp(-86_400 / G)));
    const runs = [0, 1, 2, 3, 4, 5].map((i) => runReplication(s, i).timeseries);
    for (const d of [0, 1, 2]) {
      const stat = ci(runs.map((rows) => rows[d].viewersActive));
      expect(expected, `day ${d}: ${stat.mean} (${stat.ci95})`).toBeGreaterThanOrEqual(stat.ci95[0]);
      expect(expected, `day ${d}: ${stat.mean} (${stat.ci95})`).toBeLessThanOrEqual(stat.ci95[1]);
    }
  });
});

describe('a year of arrivals and departures', () => {
  const year = loadScenarioFile('scenarios/steady-365d.yaml', {
    sets: SMALL_STEADY_SETS,
  });
  const r = runReplication(year, 0, { check: 'all' });

  it('keeps every invariant, on every entry and at the end', () => {
    expect(r.invariants.violations).toEqual([]);
    expect(r.invariants.checked).toEqual(
      INVARIANT_TABLE.filter((i) => !i.needs.includes('acks')).map((i) => i.id),
    );
    expect(r.invariants.entries).toBeGreaterThan(1000);
  });

  it('counts its cohorts whole: new viewers are the arrivals, and cohorts spend no more than the run', () => {
    const arrivals = r.kpis.viewers - 300;
    expect(arrivals).toBeGreaterThan(300 * 20);
    const byCohort = new Map(r.cohorts.map((c) => [c.cohortDay, c.newViewers]));
    // Cohorts of the last day have lived no whole day: they have no rows.
    const lastDayArrivals = arrivals - [...byCohort.values()].reduce((a, b) => a + b, 0);
    expect(lastDayArrivals).toBeGreaterThanOrEqual(0);
    expect(lastDayArrivals).toBeLessThan(60);
    const cohortGross = r.cohorts.reduce((sum, c) => sum + c.grossCents, 0);
    expect(cohortGross).toBeGreaterThan(0);
    expect(cohortGross).toBeLessThanOrEqual(r.kpis.grossBookingsCents);
    expect(r.kpis.retentionD30).toBeGreaterThan(0);
    expect(r.kpis.retentionD30).toBeLessThan(r.kpis.retentionD7);
    expect(r.kpis.retentionD7).toBeLessThan(r.kpis.retentionD1);
  });
});

describe('determinism of a lifecycle run', () => {
  const RUN = [
    'run',
    'scenarios/launch-90d.yaml',
    '--set',
    'population.viewers=300',
    '--set',
    'population.creators=20',
    '--set',
    'lifecycle.arrivalsPerDay=40',
    '--set',
    'events[0].viewers=500',
    '--set',
    'duration=40d',
    '--replications',
    '3',
    '--quiet',
  ];

  it('writes the same files on 1 or 2 workers, and merged from shards', async () => {
    const one = join(dir, 'one');
    const two = join(dir, 'two');
    expect((await giftlab([...RUN, '--workers', '1', '--out', one])).code).toBe(0);
    expect((await giftlab([...RUN, '--workers', '2', '--out', two])).code).toBe(0);
    const shards = [1, 2].map((i) => join(dir, `shard-${i}`));
    for (const [i, out] of shards.entries())
      expect((await giftlab([...RUN, '--shard', `${i + 1}/2`, '--out', out])).code).toBe(0);
    const merged = join(dir, 'merged');
    expect((await giftlab(['merge', ...shards, '--out', merged])).code).toBe(0);
    expect(read(one, 'cohorts.csv').split('\n').length).toBeGreaterThan(100);
    for (const f of CSV_FILES) {
      expect(read(two, f), f).toBe(read(one, f));
      expect(read(merged, f), f).toBe(read(one, f));
    }
  });
});
