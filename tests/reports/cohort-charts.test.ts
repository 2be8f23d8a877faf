/**
 * The cohort charts: their numbers pool cohorts and replications by day of age as the hand computation
 * below does, and the report draws them only when viewers arrived during the run.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../experiments/result.ts';
import { ratioCi95, describe as stat } from '../../experiments/stats.ts';
import { cohortRevenue, ltvCurve, retentionCurve } from '../../reports/html/charts/cohorts.ts';
import { buildHtmlReport } from '../../reports/html/report.ts';
import type { CohortRow } from '../../sim/engine/cohorts.ts';
import { benchmarkText, kpiInfo, RETENTION_BENCHMARKS } from '../../sim/kpis.ts';
import { baselineScenario, buildRunFixture } from '../support/run-fixture.ts';
import { visibleTexts } from '../support/svg-labels.ts';
import { giftlab, read, tempDir } from '../sweep/support.ts';

function row(
  cohortDay: number,
  ageDay: number,
  newViewers: number,
  active: number,
  gross: number,
  cum: number,
): CohortRow {
  return {
    cohortDay,
    ageDay,
    newViewers,
    activeViewers: active,
    payers: 0,
    grossCents: gross,
    cumulativeGrossPerViewerCents: cum,
    newPayers: 0,
  };
}

function withCohorts(cohorts: CohortRow[][]): {
  run: RunResult;
  scenario: ReturnType<typeof baselineScenario>;
} {
  const scenario = baselineScenario();
  const run = buildRunFixture(scenario, { replications: cohorts.length, scale: 0.02 });
  run.replications.forEach((r, i) => {
    r.cohorts = cohorts[i];
  });
  return { run, scenario };
}

function values(spec: unknown): Record<string, number>[] {
  return (spec as { data: { values: Record<string, number>[] } }).data.values;
}

describe('cohort charts', () => {
  // Replication 0: cohort 0 (100 viewers) lived ages 0–1, cohort 1 (50) age 0; replication 1: cohort 0 (50) ages 0–1.
  const input = withCohorts([
    [row(0, 0, 100, 100, 1000, 10), row(0, 1, 100, 40, 500, 15), row(1, 0, 50, 50, 100, 2)],
    [row(0, 0, 50, 50, 250, 5), row(0, 1, 50, 10, 0, 5)],
  ]);

  it('retention by age pools active ÷ new viewers over the cohorts that lived to that age', () => {
    // The band (two replications: 40 of 100 and 10 of 50 at age 1) is clipped to 0–100 %.
    expect(values(retentionCurve(input).spec)).toEqual([
      { ageDay: 0, retention: 1, lo: 1, hi: 1 },
      { ageDay: 1, retention: 50 / 150, lo: 0, hi: 1 },
    ]);
  });

  it('the retention band is the pooled ratio’s CI, centred on the line when replications differ in size', () => {
    // 40 of 100 and 30 of 50 active at age 1 (0.4 and 0.6: their mean 0.5 is not the line's 70 / 150),
    // and twice more: narrow enough not to be clipped.
    const sizes = [100, 50, 100, 50, 100, 50];
    const unequal = withCohorts(
      sizes.map((n, r) => [row(0, 0, n, n, 0, 0), row(0, 1, n, n === 100 ? 40 + (r % 3) : 30, 0, 0)]),
    );
    const age1 = values(retentionCurve(unequal).spec)[1];
    const active = [40, 30, 42, 30, 41, 30];
    expect(age1.retention).toBeCloseTo(213 / 450, 12);
    const [lo, hi] = ratioCi95(active, sizes) as [number, number];
    expect(age1.lo).toBeCloseTo(lo, 12);
    expect(age1.hi).toBeCloseTo(hi, 12);
    expect((age1.lo + age1.hi) / 2).toBeCloseTo(age1.retention, 12);
  });

  it('with replications, retention and LTV carry the 95 % CI of the mean over replications as a band', () => {
    // The launch-90d report drew both curves as a bare mean of 4 replications while its LTV D30 was ±23 %.
    const four = withCohorts(
      [20, 25, 30, 35].map((gross, r) => [
        row(0, 0, 100, 100, 100 * gross, gross),
        row(0, 1, 100, 40 + r, 0, gross),
      ]),
    );
    const ltv = values(ltvCurve(four).spec);
    const [lo, hi] = stat([20, 25, 30, 35]).ci95;
    expect(ltv[1].lo).toBeCloseTo(lo / 100, 12);
    expect(ltv[1].hi).toBeCloseTo(hi / 100, 12);
    const retention = values(retentionCurve(four).spec);
    expect(retention[1].lo).toBeCloseTo(stat([0.4, 0.41, 0.42, 0.43]).ci95[0], 12);
    const marks = (spec: unknown) =>
      (spec as { layer: { mark: { type: string } }[] }).layer.map((l) => l.mark.type);
    expect(marks(ltvCurve(four).spec)).toEqual(['area', 'line']);
    expect(ltvCurve(four).reading).toContain('the band is the 95 % CI of the mean over replications');
    // One replication: no interval to draw, and the reading does not promise one.
    const one = withCohorts([[row(0, 0, 100, 100, 500, 5), row(0, 1, 100, 40, 0, 5)]]);
    expect(values(retentionCurve(one).spec)[1]).toEqual({ ageDay: 1, retention: 0.4 });
    expect(marks(retentionCurve(one).spec)).toEqual(['rule', 'text', 'line']); // D1's benchmark, then the curve
    expect(retentionCurve(one).reading).not.toContain('band');
  });

  it('the retention curve shows the public benchmarks at the days it reaches (D1, D7, D30), and says them', () => {
    const ages = (last: number) =>
      withCohorts([Array.from({ length: last + 1 }, (_, a) => row(0, a, 100, a === 0 ? 100 : 30, 0, 0))]);
    const layers = (spec: unknown) =>
      (spec as { layer: { mark: { type: string }; data?: { values: Record<string, unknown>[] } }[] }).layer;
    const tenDays = retentionCurve(ages(10));
    const bars = layers(tenDays.spec).find((l) => l.mark.type === 'rule');
    expect(bars?.data?.values).toEqual([
      { ageDay: 1, low: 0.25, high: 0.48, label: 'D1 25–48 %' },
      { ageDay: 7, low: 0.12, high: 0.28, label: 'D7 12–28 %' },
    ]);
    expect(tenDays.reading).toContain(
      'Grey bars: public app benchmarks for new users, D1 25–48 %, D7 12–28 % (',
    );
    expect(
      layers(retentionCurve(ages(30)).spec).find((l) => l.mark.type === 'rule')?.data?.values,
    ).toHaveLength(3);
    // A curve that stops at day 0 reaches no benchmark: nothing drawn, nothing said.
    const none = retentionCurve(ages(0));
    expect(layers(none.spec).map((l) => l.mark.type)).toEqual(['line']);
    expect(none.reading).not.toContain('benchmarks');
    // The KPI catalogue reads its figures from the same table.
    expect(kpiInfo('retentionD30')?.reading).toContain(`(${benchmarkText(30)})`);
    expect(benchmarkText(30)).toBe('D30 6–14 %');
    expect(RETENTION_BENCHMARKS.map((b) => b.day)).toEqual([1, 7, 30]);
  });

  it("LTV by age adds each age's bookings per new viewer of the cohorts that lived to it, in dollars", () => {
    const ltv = values(ltvCurve(input).spec);
    const day0 = (1000 + 100 + 250) / 200;
    expect(ltv[0].ltv).toBeCloseTo(day0 / 100, 12);
    expect(ltv[1].ltv).toBeCloseTo((day0 + (500 + 0) / 150) / 100, 12);
  });

  it('LTV never falls with age, whichever cohorts lived to it (the review saw $1.68 at day 35, $0.88 at 36)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ days: fc.integer({ min: 1, max: 8 }), size: fc.integer({ min: 1, max: 500 }) }),
          { minLength: 1, maxLength: 6 },
        ),
        fc.array(fc.nat(5000), { minLength: 48, maxLength: 48 }),
        (cohorts, grosses) => {
          const rows = cohorts.flatMap((c, k) => {
            let cum = 0; // cohorts.csv's cumulative bookings per viewer, consistent with its days
            return Array.from({ length: c.days }, (_, age) => {
              const gross = grosses[(k * 8 + age) % 48];
              cum += gross / c.size;
              return row(k, age, c.size, c.size, gross, cum);
            });
          });
          const ltv = values(ltvCurve(withCohorts([rows])).spec).map((r) => r.ltv);
          for (let i = 1; i < ltv.length; i++) expect(ltv[i]).toBeGreaterThanOrEqual(ltv[i - 1]);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('the age axis ends at the last age drawn, not at a rounded-up day with no point', () => {
    const x = (ltvCurve(input).spec as { encoding: { x: { scale: { domain: number[] } } } }).encoding.x;
    expect(x.scale.domain).toEqual([0, 1]);
  });

  it('an age lived by cohorts holding under a tenth of the arrivals is left out', () => {
    const thin = withCohorts([
      [
        row(0, 0, 1000, 1000, 0, 0),
        row(0, 1, 1000, 300, 0, 0),
        row(1, 0, 50, 50, 0, 0),
        row(1, 2, 99, 9, 0, 0),
      ],
    ]);
    expect(values(retentionCurve(thin).spec).map((r) => r.ageDay)).toEqual([0, 1]);
  });

  it('the revenue triangle has one cell per cohort and age, bookings per new viewer pooled over replications', () => {
    const cells = values(cohortRevenue(input).spec);
    expect(cells).toHaveLength(3);
    expect(cells.find((c) => c.cohortDay === 0 && c.ageDay === 0)?.perViewer).toBeCloseTo(
      1250 / 150 / 100,
      12,
    );
    expect(cells.find((c) => c.cohortDay === 0 && c.ageDay === 1)?.perViewer).toBeCloseTo(
      500 / 150 / 100,
      12,
    );
  });

  it('the report draws the three charts only when viewers arrived', async () => {
    const html = await buildHtmlReport(input.run, input.scenario);
    for (const id of ['retention-curve', 'cohort-revenue', 'ltv-curve'])
      expect(html).toContain(`data-chart="${id}"><svg `);
    // The revenue triangle's colours stop at the 95th percentile: the legend's top label says "or more".
    const legend = visibleTexts(html, 'cohort-revenue').filter((l) => /^\$\d/.test(l));
    expect(legend.at(-1)).toMatch(/^\$[\d,.]+ or more$/);
    expect(legend.filter((l) => l.endsWith('or more'))).toHaveLength(1);
    const none = withCohorts([[], []]);
    const plain = await buildHtmlReport(none.run, none.scenario);
    expect(plain).not.toContain('retention-curve');
  });

  it('a short launch run from the CLI writes cohorts.csv and draws the charts', async () => {
    const out = tempDir('cohort-charts');
    const r = await giftlab([
      'run',
      'scenarios/launch-90d.yaml',
      '--set',
      'population.viewers=2000',
      '--set',
      'duration=10d',
      '--replications',
      '2',
      '--out',
      out,
    ]);
    expect(r.code, r.err).toBe(0);
    expect(read(out, 'cohorts.csv').split('\n')[0]).toContain('cohortDay,ageDay,newViewers');
    const html = read(out, 'report.html');
    for (const id of ['retention-curve', 'cohort-revenue', 'ltv-curve'])
      expect(html).toContain(`data-chart="${id}"><svg `);
  });
});
