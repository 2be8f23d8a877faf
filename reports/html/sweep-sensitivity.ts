/**
 * The sweep report's global-sensitivity charts, for `--kpi`: Sobol indices (each path's first- and
 * total-order index side by side, with bootstrap 95 % CIs) and Morris screening (each path's μ* with
 * its CI against σ). Every KPI's figures are in sobol.csv / morris.csv.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { SweepResult } from '../../experiments/sweep/aggregate.ts';
import { MORRIS_LEVELS } from '../../experiments/sweep/morris.ts';
import { count, kpiLabel, kpiValue } from '../format.ts';
import type { Chart } from './charts/chart.ts';
import { axisFormat, axisTitle, shown } from './sweep-charts.ts';
import { FULL_WIDTH, INK, MEANING } from './theme.ts';

const FIRST = 'first order (S1): alone';
const TOTAL = 'total order (ST): with interactions';

export function sobolChart(result: SweepResult): Chart {
  const { spec } = result;
  const kpi = spec.kpi;
  const rows = (result.sobol ?? [])
    .filter((r) => r.kpi === kpi)
    .sort((a, b) => b.st - a.st || a.axis - b.axis);
  const title = `Sobol indices: what explains the variance of ${kpiLabel(kpi).toLowerCase()}`;
  const reading = `What share of the variance of ${kpiLabel(kpi).toLowerCase()} over the ranges does each path explain, alone and with its interactions?`;
  if (result.kpiAbsent.length > 0) {
    return {
      id: 'sobol',
      title,
      reading,
      spec: null,
      note: absentNote(result, 'Sobol indices', 'sobol.csv'),
    };
  }
  if (rows.length === 0 || rows.every((r) => !Number.isFinite(r.st))) {
    return {
      id: 'sobol',
      title,
      reading,
      spec: null,
      note: `${kpiLabel(kpi)} takes one value at every point of the design: there is no variance to apportion.`,
    };
  }
  const bars = rows.flatMap((r) => [
    { path: r.path, index: FIRST, value: r.s1, lo: r.s1Ci95[0], hi: r.s1Ci95[1], text: r.s1.toFixed(2) },
    { path: r.path, index: TOTAL, value: r.st, lo: r.stCi95[0], hi: r.stCi95[1], text: r.st.toFixed(2) },
  ]);
  const ends = bars.flatMap((b) => [b.lo, b.hi, b.value]).filter(Number.isFinite);
  const domain = [Math.min(0, ...ends), Math.max(1, ...ends)];
  const y = {
    field: 'path',
    type: 'nominal' as const,
    sort: rows.map((r) => r.path),
    title: null,
    axis: { labelColor: INK.text, labelLimit: 300 },
  };
  const yOffset = { field: 'index', type: 'nominal' as const, sort: [FIRST, TOTAL] };
  const x = {
    type: 'quantitative' as const,
    title: 'share of the variance (0–1); whiskers: bootstrap 95 % CI',
    scale: { domain, nice: false, zero: false },
    axis: { format: '.1f', grid: true, tickCount: 10 },
  };
  const chartSpec = {
    width: FULL_WIDTH - 300,
    height: { step: 16 },
    layer: [
      {
        data: { values: bars },
        mark: { type: 'bar', opacity: 0.9 },
        encoding: {
          y,
          yOffset,
          x: { field: 'value', ...x },
          x2: { datum: 0 },
          color: {
            field: 'index',
            type: 'nominal',
            title: null,
            scale: { domain: [FIRST, TOTAL], range: ['#93c5fd', MEANING.band] },
            legend: { orient: 'top', labelLimit: 400 },
          },
        },
      },
      {
        data: { values: bars },
        mark: { type: 'rule', color: INK.text, strokeWidth: 1.2 },
        encoding: { y, yOffset, x: { field: 'lo', ...x }, x2: { field: 'hi' } },
      },
      {
        data: { values: bars },
        mark: { type: 'text', align: 'left', dx: 4, fontSize: 10, color: INK.muted },
        encoding: { y, yOffset, x: { field: 'hi', ...x }, text: { field: 'text' } },
      },
      {
        data: { values: [{ zero: 0 }] },
        mark: { type: 'rule', color: INK.domain },
        encoding: { x: { field: 'zero', type: 'quantitative' } },
      },
    ],
  } as TopLevelSpec;
  const top = rows[0];
  const n = spec.sobolSamples ?? 0;
  return {
    id: 'sobol',
    title,
    reading,
    spec: chartSpec,
    note:
      `Saltelli's design: ${count(n)} base samples × (${spec.axes.length} paths + 2) = ${count(n * (spec.axes.length + 2))} points over the --vary ranges, ` +
      `each the mean of ${spec.replications === 1 ? 'one replication' : `${spec.replications} replications`} with the same seeds at every point. ` +
      `S1 (Saltelli 2010) is the share a path explains alone, ST (Jansen) with every interaction it takes part in; ` +
      `ST near 0 means the path does not move the KPI over its range, ST well above S1 that it acts through interactions. ` +
      `Estimates carry sampling noise (an index can come out a little below 0 or above 1): raise --sobol to narrow the whiskers. ` +
      `Largest: ${top.path} (ST ${top.st.toFixed(2)}).`,
  };
}

export function morrisChart(result: SweepResult): Chart {
  const { spec } = result;
  const kpi = spec.kpi;
  const rows = (result.morris ?? [])
    .filter((r) => r.kpi === kpi)
    .sort((a, b) => b.muStar - a.muStar || a.axis - b.axis);
  const points = rows.map((r) => ({
    path: r.path,
    muStar: shown(kpi, r.muStar),
    lo: shown(kpi, r.muStarCi95[0]),
    hi: shown(kpi, r.muStarCi95[1]),
    sigma: shown(kpi, r.sigma),
  }));
  const x = {
    type: 'quantitative' as const,
    title: `μ*: mean |elementary effect| over a path's whole range (${axisTitle(kpi)}); whiskers: 95 % CI`,
    scale: { zero: true, nice: true },
    axis: { format: axisFormat(kpi), grid: true },
  };
  const y = {
    field: 'sigma',
    type: 'quantitative' as const,
    title: `σ of the effects (${axisTitle(kpi)})`,
    scale: { zero: true, nice: true },
    axis: { format: axisFormat(kpi), grid: true },
  };
  const chartSpec = {
    width: FULL_WIDTH - 200,
    height: 280,
    data: { values: points },
    layer: [
      {
        mark: { type: 'rule', color: INK.faint, strokeWidth: 1.5 },
        encoding: { y, x: { field: 'lo', ...x }, x2: { field: 'hi' } },
      },
      {
        mark: { type: 'circle', size: 80, color: MEANING.band, opacity: 1 },
        encoding: { y, x: { field: 'muStar', ...x } },
      },
      {
        mark: { type: 'text', align: 'left', dx: 7, dy: -7, fontSize: 11, color: INK.text },
        encoding: { y, x: { field: 'muStar', ...x }, text: { field: 'path' } },
      },
    ],
  } as TopLevelSpec;
  const top = rows[0];
  const r = spec.morrisTrajectories ?? 0;
  return {
    id: 'morris',
    title: `Morris screening: which paths move ${kpiLabel(kpi).toLowerCase()}`,
    reading: `Which paths move ${kpiLabel(kpi).toLowerCase()} at all (right), and which act non-linearly or through other paths (up)?`,
    spec: rows.length === 0 ? null : chartSpec,
    note:
      `${count(r)} trajectories × (${spec.axes.length} paths + 1) = ${count(r * (spec.axes.length + 1))} points on a ${MORRIS_LEVELS}-level grid of each range; ` +
      `each step moves one path by 2/3 of its range and its elementary effect is the change of the KPI per whole range. ` +
      `μ* near 0: the path does not matter over its range; σ large against μ*: its effect depends on where the other paths are. ` +
      `A screening, not a variance split: use --sobol on the paths that matter.` +
      (top === undefined ? '' : ` Largest: ${top.path} (μ* ${kpiValue(kpi, top.muStar)}).`) +
      (result.kpiAbsent.length > 0 ? ` ${absentNote(result, 'elementary effects', 'morris.csv')}` : ''),
  };
}

/** Why a sensitivity chart of --kpi is empty: it has no value at some point of the design. */
function absentNote(result: SweepResult, what: string, file: string): string {
  const n = result.kpiAbsent.length;
  return `No chart: ${kpiLabel(result.spec.kpi)} has no value at ${count(n)} of ${count(result.spec.points.length)} points (listed at the top), and ${what} need a value at every point of the design. ${file} has every other KPI's.`;
}
