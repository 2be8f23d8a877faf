/**
 * The sweep report's charts, as the run report's `Chart`s (same figure markup, theme and renderer):
 * a tornado of the chosen KPI's swings, and one chart per varied path showing how the KPI (with gross
 * bookings and creator earnings beside it) responds across the sweep — each point's own mean and CI
 * above, its difference from the baseline point with a paired CI below. (The Sobol and Morris charts
 * are in sweep-sensitivity.ts.)
 */
import type { TopLevelSpec } from 'vega-lite';
import { reportLimits } from '../../common/limits.ts';
import type { SweepResult, TornadoRow } from '../../experiments/sweep/aggregate.ts';
import type { PointValue } from '../../experiments/sweep/design.ts';
import type { KpiName } from '../../sim/kpis.ts';
import { centsToDollars, count, kpiLabel, kpiLabelInText, kpiUnit, kpiValue } from '../format.ts';
import { beyondNoise } from '../sweep/verdict.ts';
import type { Chart, LayerItem } from './charts/chart.ts';
import { FULL_WIDTH, INK, MEANING, UNSIGNED_ZERO } from './theme.ts';

/** Panels of a path chart: the sweep's KPI first, then money KPIs analysts look at next. */
export function panelKpis(kpi: KpiName): KpiName[] {
  const extra: KpiName[] = ['grossBookingsCents', 'creatorEarningsCents', 'platformMarginCents'];
  return [kpi, ...extra.filter((k) => k !== kpi)].slice(0, 3);
}

/** A KPI value in the unit its axis shows: dollars for cents, else as it is. */
export function shown(kpi: KpiName, value: number): number {
  return kpiUnit(kpi) === 'cents' ? centsToDollars(value) : value;
}

/**
 * A difference of two shares is drawn in percentage points: a conversion 1 point lower read −1.0% on
 * the axis, as if it had fallen by a hundredth of itself.
 */
function inPoints(kpi: KpiName): boolean {
  return kpiUnit(kpi) === 'share' && !kpi.endsWith('Gini');
}

/** A difference as drawn: dollars, percentage points for a share, else the KPI's own unit. */
function shownDelta(kpi: KpiName, value: number): number {
  return inPoints(kpi) ? value * 100 : shown(kpi, value);
}

export function axisFormat(kpi: KpiName): string {
  const unit = kpiUnit(kpi);
  if (unit === 'cents') return '$,.2~f';
  if (unit === 'share') return kpi.endsWith('Gini') ? '.3f' : '.1%';
  return ',.4~g';
}

export function axisTitle(kpi: KpiName): string {
  const unit = kpiUnit(kpi);
  return unit === 'cents'
    ? 'US dollars'
    : unit === 'share'
      ? kpi.endsWith('Gini')
        ? 'Gini'
        : 'share'
      : 'count';
}

/** A point's value as text; null (an added baseline whose scenario has no value at the path) as a dash. */
export function valueText(value: PointValue): string {
  if (value === null) return '—';
  return typeof value === 'string' ? value : String(value);
}

/**
 * Points that show path `d`: all of the other designs'; a tornado's baseline and the two ends of `d`.
 * Never a point without a value at `d` (an added baseline whose scenario has none).
 */
function pointsFor(result: SweepResult, d: number): number[] {
  const { spec } = result;
  const shownPoints =
    spec.design === 'tornado'
      ? spec.points.filter((p) => p.role === 'baseline' || p.moved === d)
      : spec.points;
  return shownPoints.filter((p) => p.values[d] !== null).map((p) => p.id);
}

/** How the other paths move while path d is read off a chart, by design. */
function howText(result: SweepResult): string {
  const { spec } = result;
  const others = spec.axes.length - 1;
  const paths = others === 1 ? 'path' : 'paths';
  switch (spec.design) {
    case 'tornado':
      return 'the other paths at their baseline values';
    case 'lhs':
      return `the other ${paths} varying at the same time (Latin hypercube): the line is a least-squares fit`;
    case 'sobol':
      return `the other ${paths} varying at the same time (Saltelli's design for Sobol indices): the line is a least-squares fit`;
    case 'morris':
      return `the other ${paths} varying at the same time (Morris trajectories on a 4-level grid): the line is a least-squares fit`;
    default:
      return others > 0
        ? `dots for every grid point, the line through the mean over the other ${paths} (main effect)`
        : 'one point per value';
  }
}

export function pathChart(result: SweepResult, d: number): Chart {
  const { spec } = result;
  const axis = spec.axes[d];
  const all = pointsFor(result, d);
  const ids = all.slice(0, reportLimits.sweepChartPointsMax);
  const numeric = ids.every((id) => typeof spec.points[id].values[d] === 'number');
  const r = spec.replications;
  const kpis = panelKpis(spec.kpi);
  const panels = kpis.map((kpi) => panel(result, d, ids, kpi, numeric));
  const differences = kpis.map((kpi) => differencePanel(result, d, ids, kpi, numeric));
  const row = (items: ConcatItem[]) => ({ hconcat: items, spacing: 28 });
  const spec_ = {
    vconcat: [row(panels), row(differences)],
    spacing: 24,
    resolve: { scale: { y: 'independent' } },
  } as TopLevelSpec;
  const base = spec.baselinePoint;
  const drawn =
    ids.length < all.length
      ? ` The first ${count(ids.length)} points are drawn; sweep.csv has all ${count(spec.points.length)}.`
      : '';
  const paired =
    spec.streams === 'common'
      ? 'paired over replications: every point drew the same random numbers (common random numbers), so their shared noise cancels and an effect every replication shows is certain even where the upper intervals overlap'
      : 'Welch intervals: with --streams independent the points share no draws';
  return {
    id: `path-${d + 1}`,
    title: `${kpiLabel(spec.kpi)} by ${axis.path}`,
    reading: `How do ${kpis.map((k) => kpiLabelInText(k)).join(', ')} respond to ${axis.path}, and by how much do they differ from the scenario as given?`,
    spec: spec_,
    note:
      `${r === 1 ? 'One replication per point: no confidence intervals (use --replications 5 or more).' : `Upper row: means of ${r} replications per point with 95 % CIs (vertical bars).`} ` +
      `Lower row: each point minus the baseline (point ${base}, the scenario as given; the line at 0)${r === 1 ? '' : `, with 95 % CIs ${paired}`}. ` +
      `${capital(howText(result))}.${drawn}`,
  };
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** One panel of an hconcat. */
type ConcatItem = Extract<TopLevelSpec, { hconcat: unknown }>['hconcat'][number];

function panel(result: SweepResult, d: number, ids: number[], kpi: KpiName, numeric: boolean): ConcatItem {
  const { spec } = result;
  // A point without a value of this KPI (kpi-value.ts) is left out: the report's top note names it.
  const valued = ids.filter((id) => !Number.isNaN(result.points[id].stats[kpi].mean));
  const rows = valued.map((id) => {
    const s = result.points[id].stats[kpi];
    return {
      x: numeric ? spec.points[id].values[d] : valueText(spec.points[id].values[d]),
      mean: shown(kpi, s.mean),
      lo: shown(kpi, s.ci95[0]),
      hi: shown(kpi, s.ci95[1]),
      role: spec.points[id].role,
    };
  });
  const { x } = xEncoding(result, d, numeric);
  const y = {
    type: 'quantitative' as const,
    title: axisTitle(kpi),
    scale: { zero: false },
    axis: { format: axisFormat(kpi), grid: true },
  };
  const many = ids.length > spec.axes[d].values.length;
  const layers: LayerItem[] = [
    {
      data: { values: rows },
      mark: { type: 'rule', color: many ? INK.faint : MEANING.band, strokeWidth: many ? 1 : 2, opacity: 0.8 },
      encoding: { x, y: { field: 'lo', ...y }, y2: { field: 'hi' } },
    } as LayerItem,
    {
      data: { values: rows },
      mark: {
        type: 'circle',
        size: many ? 28 : 60,
        color: many ? INK.faint : MEANING.band,
        opacity: many ? 0.8 : 1,
      },
      encoding: { x, y: { field: 'mean', ...y } },
    } as LayerItem,
    trendLayer(result, rows, x, y),
  ];
  return {
    title: kpiLabel(kpi),
    width: Math.floor((FULL_WIDTH - 140) / 3),
    height: 200,
    layer: layers,
  } as ConcatItem;
}

/** The x channel of a path chart's panels: the path's values, on a scale or in their listed order. */
function xEncoding(result: SweepResult, d: number, numeric: boolean): { x: Record<string, unknown> } {
  const axis = result.spec.axes[d];
  if (numeric) {
    return {
      x: {
        field: 'x',
        type: 'quantitative',
        title: axis.path,
        scale: { zero: false, nice: false, padding: 12 },
      },
    };
  }
  return {
    x: {
      field: 'x',
      type: 'ordinal',
      title: axis.path,
      sort: axis.values.map(valueText),
      axis: { labelAngle: 0 },
    },
  };
}

/** Panel of a path chart's lower row: each point's mean difference from the baseline, with its CI. */
function differencePanel(
  result: SweepResult,
  d: number,
  ids: number[],
  kpi: KpiName,
  numeric: boolean,
): ConcatItem {
  const { spec } = result;
  const valued = ids.filter((id) => !Number.isNaN(result.points[id].vsBaseline[kpi].mean));
  const rows = valued.map((id) => {
    const diff = result.points[id].vsBaseline[kpi];
    const ci = diff.ci95 ?? [diff.mean, diff.mean];
    return {
      x: numeric ? spec.points[id].values[d] : valueText(spec.points[id].values[d]),
      mean: shownDelta(kpi, diff.mean),
      lo: shownDelta(kpi, ci[0]),
      hi: shownDelta(kpi, ci[1]),
    };
  });
  const { x } = xEncoding(result, d, numeric);
  const points = inPoints(kpi);
  const y = {
    type: 'quantitative' as const,
    title: `− baseline (${points ? 'percentage points' : axisTitle(kpi)})`,
    axis: {
      format: kpiUnit(kpi) === 'cents' ? '+$,.2~f' : points ? '+.2~f' : axisFormat(kpi),
      grid: true,
      labelExpr: UNSIGNED_ZERO,
    },
  };
  const many = ids.length > spec.axes[d].values.length;
  const color = many ? INK.faint : MEANING.band;
  return {
    title: `${kpiLabel(kpi)} − baseline`,
    width: Math.floor((FULL_WIDTH - 140) / 3),
    height: 140,
    layer: [
      {
        data: { values: [{ zero: 0 }] },
        mark: { type: 'rule', color: INK.text, strokeWidth: 1 },
        encoding: { y: { field: 'zero', type: 'quantitative' } },
      },
      {
        data: { values: rows },
        mark: { type: 'rule', color, strokeWidth: many ? 1 : 2, opacity: 0.8 },
        encoding: { x, y: { field: 'lo', ...y }, y2: { field: 'hi' } },
      },
      {
        data: { values: rows },
        mark: { type: 'circle', size: many ? 28 : 60, color, opacity: many ? 0.8 : 1 },
        encoding: { x, y: { field: 'mean', ...y } },
      },
      trendLayer(result, rows, x, y),
    ],
  } as ConcatItem;
}

function trendLayer(
  result: SweepResult,
  rows: { x: unknown; mean: number }[],
  x: Record<string, unknown>,
  y: Record<string, unknown>,
): LayerItem {
  const line = { type: 'line', color: MEANING.band, strokeWidth: 2 };
  const sampled =
    result.spec.design === 'lhs' || result.spec.design === 'sobol' || result.spec.design === 'morris';
  if (sampled && x.type === 'quantitative') {
    return {
      data: { values: rows },
      transform: [{ regression: 'mean', on: 'x' }],
      mark: line,
      encoding: { x, y: { field: 'mean', ...y } },
    } as LayerItem;
  }
  return {
    data: { values: rows },
    mark: { ...line, point: { size: 40, color: MEANING.band } },
    encoding: { x, y: { field: 'mean', aggregate: 'mean', ...y } },
  } as LayerItem;
}

/** A tornado swing against its 95 % CI: what its bars' opacity and the note say. */
const SWING_VERDICTS = ['beyond noise (95 % CI)', 'within noise (CI includes 0)', 'no CI (one replication)'];

/**
 * A swing's verdict: beyond the replications' noise when its 95 % CI (high − low) leaves 0 out, within
 * it when the CI includes 0 (a zero-width CI at 0, an elasticity's at the reference prices, too), none
 * without a CI.
 */
export function swingVerdict(ci: readonly [number, number] | null): string {
  const beyond = beyondNoise(ci);
  return beyond === null ? SWING_VERDICTS[2] : beyond ? SWING_VERDICTS[0] : SWING_VERDICTS[1];
}

/**
 * The tornado note's sentence on noise: the whiskers, and the paths whose swing is within it (faint), so
 * their order is not read as a ranking.
 */
export function swingNote(result: SweepResult, rows: readonly TornadoRow[]): string {
  if (result.spec.replications < 2)
    return 'One replication a point: no CI, so no swing can be told from noise.';
  const how =
    result.spec.streams === 'common' ? 'paired over replications (common random numbers)' : 'Welch, unpaired';
  const within = rows.filter((t) => beyondNoise(t.deltaCi95) === false).map((t) => t.path);
  const said =
    within.length === 0
      ? 'Every swing is beyond the noise.'
      : within.length === rows.length
        ? "No swing is beyond the replications' noise (every CI includes 0): more replications, or wider ranges, before ranking them."
        : `Faint: the swing${within.length === 1 ? '' : 's'} of ${within.join(', ')}, whose CI includes 0 — within the replications' noise, ${within.length === 1 ? 'its place' : 'their places'} in the order not a finding.`;
  return `Right: high − low with its 95 % CI (whisker; ${how}). ${said}`;
}

const SWING_PANEL_WIDTH = 200;

/** The tornado's right panel: each path's high − low with its 95 % CI as a whisker, 0 marked; rows as the bars'. */
function swingPanel(
  result: SweepResult,
  rows: readonly TornadoRow[],
  label: (t: TornadoRow) => string,
  y: Record<string, unknown>,
): Record<string, unknown> {
  const kpi = result.spec.kpi;
  const data = rows.map((t) => {
    const ci = t.deltaCi95 ?? [t.delta, t.delta];
    return {
      path: label(t),
      delta: shownDelta(kpi, t.delta),
      lo: shownDelta(kpi, ci[0]),
      hi: shownDelta(kpi, ci[1]),
      swing: swingVerdict(t.deltaCi95),
    };
  });
  const points = inPoints(kpi);
  const x = {
    type: 'quantitative' as const,
    title: `high − low (${points ? 'percentage points' : axisTitle(kpi)}), 95 % CI`,
    axis: {
      format: kpiUnit(kpi) === 'cents' ? '+$,.2~f' : points ? '+.2~f' : axisFormat(kpi),
      grid: true,
      tickCount: 4,
      labelExpr: UNSIGNED_ZERO,
    },
  };
  const opacity = {
    field: 'swing',
    type: 'ordinal' as const,
    sort: SWING_VERDICTS,
    scale: { type: 'ordinal', domain: SWING_VERDICTS, range: [0.9, 0.25, 0.9] },
    legend: null,
  };
  const row = { ...y, axis: null };
  return {
    width: SWING_PANEL_WIDTH,
    layer: [
      {
        data: { values: [{ zero: 0 }] },
        mark: { type: 'rule', color: INK.text, strokeWidth: 1 },
        encoding: { x: { field: 'zero', type: 'quantitative' } },
      },
      {
        data: { values: data },
        mark: { type: 'bar', color: INK.text, size: 2 },
        encoding: { y: row, x: { field: 'lo', ...x }, x2: { field: 'hi' }, opacity },
      },
      {
        data: { values: data },
        mark: { type: 'tick', color: INK.text, thickness: 2, size: 14 },
        encoding: { y: row, x: { field: 'delta', ...x }, opacity },
      },
    ],
  };
}

export function tornadoChart(result: SweepResult): Chart {
  const { spec } = result;
  // A path whose swing has no value (--kpi absent at an end or at the baseline) has no bar: named below.
  const all = result.tornado ?? [];
  const rows = all.filter((t) => !Number.isNaN(t.swing));
  const left = all.filter((t) => Number.isNaN(t.swing)).map((t) => t.path);
  const kpi = spec.kpi;
  const label = (t: (typeof rows)[number]) =>
    `${t.path}: ${valueText(t.lowValue)} → ${valueText(t.highValue)}`;
  const bars = rows.flatMap((t) =>
    (['low', 'high'] as const).map((end) => {
      const swing = swingVerdict(t.deltaCi95);
      const stat = end === 'low' ? t.low : t.high;
      const to = shown(kpi, stat.mean);
      const from = shown(kpi, t.baseline.mean);
      return {
        path: label(t),
        end: end === 'low' ? 'low value (first)' : 'high value (last)',
        from,
        to,
        side: to > from ? 'right' : to < from ? 'left' : 'none',
        text: kpiValue(kpi, stat.mean),
        swing,
      };
    }),
  );
  const order = rows.map(label);
  const baseline = rows.length > 0 ? shown(kpi, rows[0].baseline.mean) : 0;
  // Room either side for the end labels.
  const ends = bars.flatMap((b) => [b.from, b.to]);
  const lo = Math.min(...ends, baseline);
  const hi = Math.max(...ends, baseline);
  const pad = (hi - lo || Math.abs(baseline) || 1) * 0.2;
  const y = {
    field: 'path',
    type: 'nominal' as const,
    sort: order,
    title: null,
    axis: { labelColor: INK.text, labelLimit: 300 },
  };
  const xTitle = `${kpiLabel(kpi)} (${axisTitle(kpi)})`;
  // The two ends side by side in each path's band, not drawn over each other: when both land on the
  // same side of the baseline, the shorter bar would otherwise hide under the longer one.
  const yOffset = {
    field: 'end',
    type: 'nominal' as const,
    sort: ['low value (first)', 'high value (last)'],
    scale: { paddingInner: 0.1 },
  };
  const text = (side: 'left' | 'right'): LayerItem =>
    ({
      data: { values: bars },
      transform: [{ filter: `datum.side == '${side}'` }],
      mark: {
        type: 'text',
        align: side === 'right' ? 'left' : 'right',
        dx: side === 'right' ? 6 : -6,
        fontSize: 11,
        color: INK.muted,
      },
      encoding: { y, yOffset, x: { field: 'to', type: 'quantitative' }, text: { field: 'text' } },
    }) as LayerItem;
  const tornado = {
    width: FULL_WIDTH - 260 - SWING_PANEL_WIDTH,
    // With yOffset the step is one end's bar: two of them and the padding make a path's band.
    height: { step: 18 },
    layer: [
      {
        data: { values: bars },
        mark: { type: 'bar', opacity: 0.9 },
        encoding: {
          y,
          yOffset,
          x: {
            field: 'from',
            type: 'quantitative',
            title: xTitle,
            scale: { domain: [lo - pad, hi + pad], nice: false, zero: false },
            axis: { format: axisFormat(kpi), grid: true, tickCount: 8 },
          },
          x2: { field: 'to' },
          color: {
            field: 'end',
            type: 'nominal',
            title: 'path at its',
            scale: { domain: ['low value (first)', 'high value (last)'], range: [MEANING.band, '#f59e0b'] },
          },
          opacity: {
            field: 'swing',
            type: 'ordinal',
            sort: SWING_VERDICTS,
            title: 'swing high − low',
            scale: { type: 'ordinal', domain: SWING_VERDICTS, range: [0.9, 0.25, 0.9] },
            legend: { values: SWING_VERDICTS.filter((v) => bars.some((b) => b.swing === v)) },
          },
        },
      },
      {
        data: { values: [{ baseline }] },
        mark: { type: 'rule', color: INK.text, strokeWidth: 1.5 },
        encoding: { x: { field: 'baseline', type: 'quantitative' } },
      },
      text('right'),
      text('left'),
    ],
  };
  const chartSpec = {
    hconcat: [tornado, swingPanel(result, rows, label, y)],
    spacing: 40,
    resolve: { scale: { y: 'shared', opacity: 'independent' }, legend: { opacity: 'independent' } },
  } as TopLevelSpec;
  const top = rows[0];
  const missing =
    left.length === 0
      ? ''
      : ` No bar for ${left.join(', ')}: ${kpiLabel(kpi)} has no value at an end (see the Points table).`;
  const title = `Tornado: what moves ${kpiLabelInText(kpi)} the most`;
  const reading = `Which assumptions move ${kpiLabelInText(kpi)} the most between their low and high values, and in which direction?`;
  if (top !== undefined && Number.isNaN(top.baseline.mean)) {
    // Every bar starts at the baseline: without its value there is nothing to draw, though swings rank.
    return {
      id: 'tornado',
      title,
      reading,
      spec: null,
      note: `No chart: ${kpiLabel(kpi)} has no value at the baseline (the scenario as given), where every bar starts. The tornado table ranks the paths by swing |high − low|.${missing}`,
    };
  }
  return {
    id: 'tornado',
    title,
    reading,
    spec: rows.length === 0 ? null : chartSpec,
    note:
      top === undefined
        ? `${all.length === 0 ? 'No paths to rank.' : 'No path to rank.'}${missing}`
        : `One path at a time, the others at the scenario's values (baseline ${kpiValue(kpi, top.baseline.mean)}, the vertical line); bars end at the KPI with the path at its low (first, upper bar) and high (last, lower bar) value. Sorted by swing |high − low|; the largest is ${top.path} (${kpiValue(kpi, top.swing)}). ${swingNote(result, rows)}${missing}`,
  };
}
