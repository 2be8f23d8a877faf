/**
 * cohorts.csv's newPayers: the viewers of a cohort whose first purchase fell on each day of age, so that
 * conversion by age can be added up from the file. One cohort whose every viewer has lived 30 days gives
 * payerConversionD30 exactly; so do the cohorts of steady arrivals in a run that ends mid-day, where an
 * arrival's own 30 days can be over while its cohort's last arrival's are not (the KPIs count the
 * cohorts the file has rows for), and the retention KPIs add up from its active viewers.
 */
import { describe, expect, it } from 'vitest';
import { runReplication } from '../../experiments/replication.ts';
import { loadScenarioFile } from '../../scenarios/load.ts';
import { LTV_DAYS, RETENTION_DAYS } from '../../sim/engine/cohorts.ts';

describe("a cohort's new payers by day of age", () => {
  it('add up to payerConversionD30 for a cohort all of whose viewers lived 30 days, and never exceed payers', () => {
    // Arrivals only from a burst on day 0 (hours 1 to 21), and 32 days: every arrival's 30 days are over.
    const scenario = loadScenarioFile('scenarios/launch-90d.yaml', {
      sets: [
        'population.viewers=2000',
        'lifecycle.arrivalsPerDay=0',
        'events[0].at=1h',
        'events[0].for=20h',
        'events[0].viewers=3000',
        'duration=32d',
      ],
    });
    const r = runReplication(scenario, 0);
    const rows = r.cohorts;
    expect(new Set(rows.map((c) => c.cohortDay))).toEqual(new Set([0]));
    const newViewers = rows[0].newViewers;
    expect(newViewers).toBeGreaterThan(2000);
    for (const c of rows) expect(c.newPayers).toBeLessThanOrEqual(c.payers);
    const within = rows.filter((c) => c.ageDay < LTV_DAYS).reduce((s, c) => s + c.newPayers, 0);
    expect(within).toBeGreaterThan(0);
    expect(within / newViewers).toBeCloseTo(r.kpis.payerConversionD30, 12);
    // A viewer's first purchase is counted once: over every age, no more than the cohort's viewers.
    expect(rows.reduce((s, c) => s + c.newPayers, 0)).toBeLessThanOrEqual(newViewers);
  });

  it('add up from the file to every cohort KPI when arrivals are steady and the run ends mid-day', () => {
    for (const nonPayers of ['agents', 'crowd']) {
      const scenario = loadScenarioFile('scenarios/launch-90d.yaml', {
        sets: [
          'population.viewers=1000',
          'lifecycle.arrivalsPerDay=150',
          'events=[]',
          'duration=33.5d',
          `population.nonPayers=${nonPayers}`,
        ],
      });
      const r = runReplication(scenario, 0);
      const rows = r.cohorts;
      // Cohorts whose every arrival has lived `days` days: the ones with a row at age days − 1.
      const cohortsWith = (age: number) =>
        new Set(rows.filter((c) => c.ageDay === age).map((c) => c.cohortDay));
      const sum = (
        cohorts: Set<number>,
        f: (c: (typeof rows)[number]) => number,
        ages: (a: number) => boolean,
      ) => rows.filter((c) => cohorts.has(c.cohortDay) && ages(c.ageDay)).reduce((s, c) => s + f(c), 0);
      const ltv = cohortsWith(LTV_DAYS - 1);
      // Days 0-2: a cohort every one of whose arrivals has lived 30 days by day 33.5 (0, 1, 2).
      expect([...ltv]).toEqual([0, 1, 2]);
      const viewers = sum(
        ltv,
        (c) => c.newViewers,
        (a) => a === 0,
      );
      expect(viewers).toBeGreaterThan(300);
      expect(
        sum(
          ltv,
          (c) => c.newPayers,
          (a) => a < LTV_DAYS,
        ) / viewers,
        nonPayers,
      ).toBeCloseTo(r.kpis.payerConversionD30, 12);
      expect(
        sum(
          ltv,
          (c) => c.grossCents,
          (a) => a < LTV_DAYS,
        ) / viewers,
        nonPayers,
      ).toBeCloseTo(r.kpis.ltvD30Cents, 9);
      const retention = [r.kpis.retentionD1, r.kpis.retentionD7, r.kpis.retentionD30];
      RETENTION_DAYS.forEach((day, i) => {
        const cohorts = cohortsWith(day);
        const n = sum(
          cohorts,
          (c) => c.newViewers,
          (a) => a === 0,
        );
        const active = sum(
          cohorts,
          (c) => c.activeViewers,
          (a) => a === day,
        );
        expect(active / n, `${nonPayers} D${day}`).toBeCloseTo(retention[i], 12);
      });
    }
  });
});
