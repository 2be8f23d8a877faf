/**
 * Which KPIs can be absent is said twice: `period: 'cohort'` in the catalogue (sim/kpis.ts: null in
 * summary.json, "by day of age" in the README) and the days of age each needs in experiments/kpi-value.ts
 * (what sweep --kpi, calibrate --target and run --precision refuse by). A cohort KPI added to the
 * catalogue alone would be taken as always valued by those three; this test names it.
 */
import { describe, expect, it } from 'vitest';
import { cohortDays } from '../../experiments/kpi-value.ts';
import { KPI_CATALOGUE } from '../../sim/kpis.ts';

describe('cohort KPIs', () => {
  it('a KPI needs days of age exactly when the catalogue says it covers cohorts', () => {
    const cohort = KPI_CATALOGUE.filter((k) => k.period === 'cohort').map((k) => k.name);
    const withDays = KPI_CATALOGUE.filter((k) => cohortDays(k.name) !== undefined).map((k) => k.name);
    expect(withDays).toEqual(cohort);
    expect(cohort.length).toBeGreaterThan(0);
  });
});
