/** How sure the numbers are: each replication, the mean and its 95 % CI, for the money KPIs and relative to the mean for all. */
import type { TopLevelSpec } from 'vega-lite';
import { CASH_FLOW_KPIS, KPI_NAMES } from '../../../sim/kpis.ts';
import { centsToDollars, kpiLabel, kpiUnit } from '../../format.ts';
import { INK, MEANING, relativeAxis } from '../theme.ts';
import type { Chart, ChartInput } from './chart.ts';

const REL_WIDTH = 520;

export function replicationCis(input: ChartInput): Chart {
  const { run } = input;
  const n = run.replications.length;
  const base = {
    id: 'replication-cis',
    title: 'Replication means with 95 % confidence intervals',
    reading:
      'How much would these numbers move with another random seed, and are there enough replications to trust them?',
  };
  if (n < 2) {
    return {
      ...base,
      spec: null,
      note: 'This run has a single replication, so there are no confidence intervals to draw: every figure above is one random draw. Run with --replications 5 (or more) to see how much the KPIs move between seeds.',
    };
  }
  const money = CASH_FLOW_KPIS;
  const moneyLabels = money.map(kpiLabel);
  const dots = money.flatMap((k) =>
    run.replications.map((r) => ({ kpi: kpiLabel(k), value: centsToDollars(r.kpis[k]) })),
  );
  const cis = money.map((k) => ({
    kpi: kpiLabel(k),
    mean: centsToDollars(run.kpiStats[k].mean),
    lo: centsToDollars(run.kpiStats[k].ci95[0]),
    hi: centsToDollars(run.kpiStats[k].ci95[1]),
  }));
  const varying = KPI_NAMES.filter((k) => run.kpiStats[k].mean !== 0 && run.kpiStats[k].sd > 0);
  const relLabels = varying.map(kpiLabel);
  const relDots = varying.flatMap((k) =>
    run.replications.map((r) => ({ kpi: kpiLabel(k), rel: r.kpis[k] / run.kpiStats[k].mean - 1 })),
  );
  const relCis = varying.map((k) => {
    const s = run.kpiStats[k];
    return {
      kpi: kpiLabel(k),
      lo: s.ci95[0] / s.mean - 1,
      hi: s.ci95[1] / s.mean - 1,
      unit: kpiUnit(k),
      half: `±${(((s.ci95[1] - s.ci95[0]) / 2 / Math.abs(s.mean)) * 100).toFixed(1)} %`,
    };
  });
  const y = (sort: string[]) => ({
    field: 'kpi',
    type: 'nominal' as const,
    sort,
    title: null,
    axis: { labelColor: INK.text, labelLimit: 220, labelPadding: 8 },
  });
  const spec: TopLevelSpec = {
    vconcat: [
      {
        title: `Money KPIs in US $: dots are the ${n} replications, bars the 95 % CI of the mean, the diamond the mean`,
        width: 560,
        height: { step: 30 },
        layer: [
          {
            data: { values: dots },
            mark: { type: 'circle', size: 36, color: INK.faint, opacity: 0.7 },
            encoding: {
              y: y(moneyLabels),
              x: {
                field: 'value',
                type: 'quantitative',
                title: 'US dollars',
                axis: { format: '$,.0f', grid: true },
              },
            },
          },
          {
            data: { values: cis },
            mark: { type: 'rule', color: MEANING.band, strokeWidth: 4, opacity: 0.55 },
            encoding: { y: y(moneyLabels), x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } },
          },
          {
            data: { values: cis },
            mark: { type: 'point', shape: 'diamond', size: 110, color: MEANING.band, filled: true },
            encoding: { y: y(moneyLabels), x: { field: 'mean', type: 'quantitative' } },
          },
        ],
      },
      {
        title: 'Every KPI relative to its mean (right: CI half-width): the narrower, the more settled',
        width: REL_WIDTH,
        height: { step: 22 },
        layer: [
          {
            data: { values: [{ zero: 0 }] },
            mark: { type: 'rule', color: INK.domain },
            encoding: { x: { field: 'zero', type: 'quantitative' } },
          },
          {
            data: { values: relDots },
            mark: { type: 'circle', size: 28, color: INK.faint, opacity: 0.7 },
            encoding: {
              y: y(relLabels),
              x: {
                field: 'rel',
                type: 'quantitative',
                title: 'difference from the mean (%)',
                axis: relativeAxis(REL_WIDTH),
              },
            },
          },
          {
            data: { values: relCis },
            mark: { type: 'rule', color: MEANING.band, strokeWidth: 4, opacity: 0.55 },
            encoding: { y: y(relLabels), x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } },
          },
          {
            data: { values: relCis },
            mark: { type: 'text', align: 'left', dx: 10, fontSize: 11, color: INK.muted },
            encoding: { y: y(relLabels), x: { value: REL_WIDTH }, text: { field: 'half' } },
          },
        ],
      },
    ],
    spacing: 36,
  };
  // A KPI without a value (a cohort KPI of a run nobody arrived in) is absent, not flat.
  const absent = KPI_NAMES.filter((k) => Number.isNaN(run.kpiStats[k].mean)).length;
  const flat = KPI_NAMES.length - varying.length - absent;
  return {
    ...base,
    spec,
    ...(flat + absent > 0 ? { note: flatNote(flat, absent) } : {}),
  };
}

/**
 * The note under the chart for the KPIs left out of its lower panel: `flat` that did not vary (1 KPI …
 * is, 3 KPIs … are), and `absent` that have no value in this run.
 */
export function flatNote(flat: number, absent = 0): string {
  const [kpis, are] = flat === 1 ? ['KPI', 'is'] : ['KPIs', 'are'];
  const none =
    absent === 0
      ? ''
      : `${absent} ${absent === 1 ? 'KPI has' : 'KPIs have'} no value in this run (cohort KPIs: nobody arrived, or the run is too short to measure them)`;
  if (flat === 0) return `${none} and ${absent === 1 ? 'is' : 'are'} left out of the lower panel.`;
  const varied = `${flat} ${kpis} did not vary between replications (or ${are} zero)`;
  return none === ''
    ? `${varied} and ${are} left out of the lower panel.`
    : `${varied}, and ${none}: both are left out of the lower panel.`;
}
