/**
 * cohorts.csv's newPayers: the viewers of a cohort whose first purchase fell on each day of age, so that
 * conversion by age can be added up from the file. One cohort whose every viewer has lived 30 days gives
 * payerConversionD30 exactly.
 */
import { describe, expect, it } from 'vitest';
import { runReplication } from '../../experiments/replication.ts';
import { loadScenarioFile } from '../../scenarios/load.ts';
import { LTV_DAYS } from '../../sim/engine/cohorts.ts';

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
});
