/**
 * One KPI catalogue (sim/kpis.ts): the README's table, summary.schema.json, summary.json's keys and the
 * report's KPI table all come from it; the per-day KPIs are the run's figures over its days.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cohortDays, whyNoValue } from '../../experiments/kpi-value.ts';
import { runReplication } from '../../experiments/replication.ts';
import { summarizeRun } from '../../experiments/summarize.ts';
import { summaryJson } from '../../experiments/summary-json.ts';
import { KPI_GROUPS, kpiSection } from '../../reports/html/sections.ts';
import { README_FILE, SUMMARY_SCHEMA_FILE, summarySchemaText, withKpiTable } from '../../reports/kpi-docs.ts';
import { loadScenarioFile } from '../../scenarios/load.ts';
import { benchmarkText, KPI_CATALOGUE, KPI_NAMES } from '../../sim/kpis.ts';
import { scenario } from '../sim/support.ts';

describe('the KPI catalogue, written out', () => {
  it('the README table and summary.schema.json are what npm run schema generates today', () => {
    const readme = readFileSync(README_FILE, 'utf8');
    expect(withKpiTable(readme)).toBe(readme);
    expect(readFileSync(SUMMARY_SCHEMA_FILE, 'utf8')).toBe(summarySchemaText());
    for (const k of KPI_CATALOGUE) expect(readme).toContain(`| \`${k.name}\` |`);
  });

  it('names each KPI once; a rate says per day in its name and its period', () => {
    expect(new Set(KPI_NAMES).size).toBe(KPI_NAMES.length);
    for (const k of KPI_CATALOGUE) expect(k.name.includes('PerDay')).toBe(k.period === 'day');
    for (const k of KPI_CATALOGUE) expect(k.name.endsWith('Cents')).toBe(k.unit === 'cents');
  });

  it("a cohort KPI's reading names the longest run without a value, as the rule that refuses it does", () => {
    // launch-90d has arrivals from its first second, so only the run's length can leave a KPI absent.
    const lasting = (days: number) =>
      loadScenarioFile('scenarios/launch-90d.yaml', { sets: [`duration=${days * 86_400}`] });
    const said = KPI_CATALOGUE.flatMap((k) => {
      const m = /in runs (\S+) (\d+) days( or less)?/.exec(k.reading);
      return m === null ? [] : [{ kpi: k.name, words: m[0], days: Number(m[2]) }];
    });
    expect(said.map((s) => s.kpi)).toEqual([
      'retentionD1',
      'retentionD7',
      'retentionD30',
      'payerConversionD30',
    ]);
    for (const { kpi, words, days } of said) {
      expect(words, kpi).toBe(`in runs of ${days} days or less`);
      expect(cohortDays(kpi), kpi).toBe(days);
      expect(whyNoValue(lasting(days), kpi), kpi).toBe(`the run lasts ${days}d`);
      expect(whyNoValue(lasting(days + 1), kpi), kpi).toBeNull();
    }
  });

  // Half a day: a payer's figures per day are twice the run's.
  const run = summarizeRun(
    'simple',
    7,
    [0, 1].map((i) => runReplication(scenario({ duration: 43_200 }), i)),
    1,
  );

  it("summary.json has exactly the schema's KPIs; the per-day ones are the run's over its days", () => {
    const schema = JSON.parse(summarySchemaText());
    const summary = summaryJson(run, 'end');
    expect(Object.keys(summary.kpis)).toEqual(schema.properties.kpis.required);
    expect(Object.keys(schema.properties.kpis.properties)).toEqual([...KPI_NAMES]);
    for (const r of run.replications) {
      const k = r.kpis;
      expect(k.payers).toBeGreaterThan(0);
      expect(k.arppuPerDayCents).toBeCloseTo(2 * k.arppuCents, 9);
      expect(k.giftsPerPayerPerDay).toBeCloseTo((2 * k.giftsSent) / k.payers, 9);
      expect(k.breakageShare).toBe(k.unspentCoins / k.coinsPurchased);
    }
  });

  it('breakage is the share of the coins sold still held at the end', () => {
    // One 70-coin pack a day and 30-coin gifts: a payer that bought holds 10 or 40 coins at the end.
    const k = runReplication(scenario({}, { gifts: [{ id: 'thirty', coins: 30 }] }), 0).kpis;
    expect(k.unspentCoins).toBeGreaterThan(0);
    expect(k.breakageShare).toBeGreaterThanOrEqual(10 / 70);
    expect(k.breakageShare).toBe(k.unspentCoins / k.coinsPurchased);
  });

  it("the report's KPI table labels each KPI with what it covers and what it measures", () => {
    const html = kpiSection(run);
    expect(html).toMatch(
      /<th title="gross bookings ÷ paying viewer-days[^"]*">ARPPU per day <code>arppuPerDayCents<\/code><\/th><td>per day<\/td>/,
    );
    expect(html).toContain('ARPPU over the run <code>arppuCents</code></th><td>over the run</td>');
    expect(html).toContain('<code>unspentCoins</code></th><td>at the end</td>');
  });

  it("the report's KPI table shows every KPI once, each in a named group (cohort KPIs under new viewers, none under 'Other')", () => {
    expect(KPI_GROUPS.flatMap(([, names]) => names).sort()).toEqual([...KPI_NAMES].sort());
    const html = kpiSection(run);
    for (const k of KPI_NAMES) expect(html.split(`<code>${k}</code>`).length - 1, k).toBe(1);
    const groups = [...html.matchAll(/<tr class="group"><th[^>]*>([^<]*)<\/th>/g)].map((m) => m[1]);
    expect(groups).toEqual(KPI_GROUPS.map(([g]) => g));
    expect(groups).not.toContain('Other');
    const cohorts = html.slice(html.indexOf('New viewers, by day of age'));
    for (const k of KPI_CATALOGUE.filter((c) => c.period === 'cohort'))
      expect(cohorts).toContain(`<code>${k.name}</code>`);
  });
});

describe('the README’s retention benchmarks', () => {
  it('are the table’s (RETENTION_BENCHMARKS), not figures written out apart from it', () => {
    const readme = readFileSync(README_FILE, 'utf8');
    const said = `app benchmarks (${([1, 7, 30] as const).map(benchmarkText).join(', ')})`;
    expect(readme).toContain(said);
    // Every "D<n> a–b %" the README writes is one the table gives.
    const table = new Set(([1, 7, 30] as const).map(benchmarkText));
    for (const [found] of readme.matchAll(/D(?:1|7|30) \d+–\d+ %/g))
      expect(table.has(found), found).toBe(true);
  });
});
