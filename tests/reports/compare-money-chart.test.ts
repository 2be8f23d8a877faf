/**
 * compare.html's money chart draws the cash flow's totals only: a per-payer or per-viewer KPI in cents
 * (ARPPU per day, LTV D30) would be a few dollars drawn beside thousands. It used to take every cents KPI
 * but `arppuCents`, so each later per-payer KPI slipped in.
 */
import { describe, expect, it } from 'vitest';
import { compareKpi } from '../../reports/compare/compare.ts';
import type { KpiSample } from '../../reports/compare/run-folder.ts';
import { moneyChartRows } from '../../reports/compare/write-html.ts';
import { CASH_FLOW_KPIS, KPI_CATALOGUE } from '../../sim/kpis.ts';

const sample = (mean: number): KpiSample => ({ n: 1, mean, sd: 0, ci95: [mean, mean], source: 'single' });

describe('compare.html money chart', () => {
  const rows = KPI_CATALOGUE.map((k) => compareKpi(k.name, sample(100), sample(120)));

  it('holds the cash-flow totals, in the table order', () => {
    expect(moneyChartRows(rows).map((r) => r.kpi)).toEqual(
      rows.map((r) => r.kpi).filter((k) => (CASH_FLOW_KPIS as readonly string[]).includes(k)),
    );
    expect(new Set(moneyChartRows(rows).map((r) => r.kpi))).toEqual(new Set(CASH_FLOW_KPIS));
  });

  it('leaves out cents per payer or per viewer', () => {
    const drawn = moneyChartRows(rows).map((r) => r.kpi);
    for (const k of ['arppuCents', 'arppuPerDayCents', 'ltvD30Cents']) expect(drawn).not.toContain(k);
  });
});
