/**
 * A sweep's per-replication KPIs joined into what its outputs show: each point's mean, 95 % CI and sd
 * per KPI (the run's own `describe`) and its difference from the baseline point with a 95 % CI (paired
 * over replications under common random numbers), for a tornado each path's low/high swing of the
 * chosen KPI, and for `--sobol` / `--morris` the sensitivity of every KPI to every path.
 * Pure: the same rows in the same order give the same numbers, bit for bit, whichever process (one
 * run, or a merge of shards) gathered them.
 */

import { assert } from '../../common/assert.ts';
import { InputError } from '../../common/input-error.ts';
import type { Scenario } from '../../scenarios/schema/scenario.ts';
import { KPI_NAMES, type KpiName, type KpiStat, kpiInfo } from '../../sim/kpis.ts';
import { type InvariantTotals, totalsOf } from '../invariant-totals.ts';
import { hasValue, noValueAfterRuns, valueNeeds } from '../kpi-value.ts';
import { describe, differenceCi, tooSkewed } from '../stats.ts';
import type { SweepSpec } from './plan.ts';
import type { ReplicationKpis } from './run-items.ts';
import { type MorrisRow, morrisRows, type SobolRow, sobolRows } from './sensitivity.ts';
import type { Scalar } from './vary.ts';

/** A point's KPI less the baseline point's: the mean difference and its 95 % CI (null with one replication). */
export interface Difference {
  mean: number;
  ci95: [number, number] | null;
}

export interface PointSummary {
  id: number;
  replications: number;
  events: number;
  violationCount: number;
  stats: Record<KpiName, KpiStat>;
  /** This point minus the baseline point (spec.baselinePoint), per KPI. */
  vsBaseline: Record<KpiName, Difference>;
}

export interface TornadoRow {
  /** Index of the axis (in `--vary` order). */
  axis: number;
  path: string;
  lowValue: Scalar;
  baselineValue: Scalar;
  highValue: Scalar;
  low: KpiStat;
  baseline: KpiStat;
  high: KpiStat;
  /** high − low of the KPI's means: its sign says which way the path pushes the KPI. */
  delta: number;
  /** |delta|: what the tornado sorts by. */
  swing: number;
  /** 95 % CI of delta: paired over replications with common streams, Welch-like otherwise; null with one. */
  deltaCi95: [number, number] | null;
}

export interface SweepResult {
  spec: SweepSpec;
  scenario: Scenario;
  scenarioHash: string;
  points: PointSummary[];
  /** Every replication of every point, point-major. */
  rows: ReplicationKpis[];
  /** Tornado only: paths sorted by swing, largest first (ties in `--vary` order). */
  tornado: TornadoRow[] | null;
  /** `--sobol` only: indices per KPI and path. */
  sobol: SobolRow[] | null;
  /** `--morris` only: elementary-effect statistics per KPI and path. */
  morris: MorrisRow[] | null;
  /**
   * Points at which `--kpi` has no value (kpi-value.ts: a cohort KPI where no viewer arrived early
   * enough in some replication), in id order; never every point (refused: exit 2).
   */
  kpiAbsent: number[];
  /**
   * What the sweep said on stderr before it ran about reading its results (one replication a point, an
   * elasticity above 0 or at the reference prices): summary.json and the report repeat it.
   */
  warnings: string[];
  events: number;
  invariants: InvariantTotals<{ point: number; replication: number }>;
}

export const SWEEP_VIOLATIONS_SHOWN = 20;

/**
 * Points whose replications are too few for how skewed a KPI is across them (Cochran's rule, n > 25 G1²,
 * experiments/stats.ts; run and compare say the same of theirs, reports/run-warnings.ts): one line, the
 * KPIs most demanding first. Computed from the rows, so a merged sweep says what the unsharded one does.
 */
function skewedPoints(spec: SweepSpec, rows: readonly ReplicationKpis[]): string[] {
  const r = spec.replications;
  const byKpi = new Map<string, { points: number; needed: number }>();
  const flaggedPoints = new Set<number>();
  for (const p of spec.points) {
    const reps = rows.slice(p.id * r, (p.id + 1) * r);
    for (const k of KPI_NAMES) {
      const xs = reps.map((row) => row.kpis[k]);
      if (!xs.every(Number.isFinite)) continue;
      const s = tooSkewed(xs);
      if (s === null) continue;
      flaggedPoints.add(p.id);
      const seen = byKpi.get(k) ?? { points: 0, needed: 0 };
      byKpi.set(k, { points: seen.points + 1, needed: Math.max(seen.needed, s.needed) });
    }
  }
  if (byKpi.size === 0) return [];
  const kpis = [...byKpi].sort((a, b) => b[1].needed - a[1].needed);
  const named = kpis
    .slice(0, 6)
    .map(
      ([k, v]) =>
        `${kpiInfo(k)?.label ?? k} (${k}, at ${v.points} point${v.points === 1 ? '' : 's'}, up to about ${v.needed.toLocaleString('en-US')} needed)`,
    )
    .join(', ');
  const more = kpis.length > 6 ? ` and ${kpis.length - 6} more` : '';
  return [
    `few replications for how skewed some KPIs are across them at ${flaggedPoints.size} of ${spec.points.length} points (a few big payers drive them): ${named}${more}; each point has ${r} — their 95 % CIs are likely narrower than they say. Add replications before acting on them. G1 is the skewness of a point's replications; a 95 % CI holds when there are more than 25 × G1² of them (Cochran's rule).`,
  ];
}

export function aggregateSweep(
  base: { spec: SweepSpec; scenario: Scenario; scenarioHash: string; warnings?: readonly string[] },
  rows: readonly ReplicationKpis[],
): SweepResult {
  const { spec } = base;
  const r = spec.replications;
  assert(rows.length === spec.points.length * r, 'one row per point × replication');
  rows.forEach((row, k) => {
    assert(
      row.item === k && row.point === Math.floor(k / r) && row.replication === k % r,
      'rows in item order',
    );
  });
  const of = (id: number) => rows.slice(id * r, (id + 1) * r);
  const paired = spec.streams === 'common';
  const baseline = of(spec.baselinePoint);
  const points = spec.points.map((p) =>
    summarizePoint(p.id, p.id === spec.baselinePoint ? baseline : of(p.id), baseline, paired),
  );
  const kpiAbsent = points.filter((p) => !hasValue(p.stats[spec.kpi])).map((p) => p.id);
  if (kpiAbsent.length === points.length) {
    // Nothing to show of --kpi: refused as `run --precision --kpi` refuses it, before anything is written.
    throw new InputError({
      field: '--kpi',
      expected: `a KPI every point of the sweep gives a value: ${valueNeeds(spec.kpi)}`,
      found: `${spec.kpi}, which got no value at any of the ${points.length} point(s): ${noValueAfterRuns(spec.kpi)}`,
    });
  }
  return {
    ...base,
    warnings: [...(base.warnings ?? []), ...skewedPoints(spec, rows)],
    points,
    rows: [...rows],
    tornado: spec.design === 'tornado' ? tornadoRows(spec, rows) : null,
    sobol: sobolRows(spec, points, rows),
    morris: morrisRows(spec, points, rows),
    kpiAbsent,
    ...totalsOf(rows, (row) => ({ point: row.point, replication: row.replication }), SWEEP_VIOLATIONS_SHOWN),
  };
}

function summarizePoint(
  id: number,
  rows: readonly ReplicationKpis[],
  baseline: readonly ReplicationKpis[],
  paired: boolean,
): PointSummary {
  const stats = {} as Record<KpiName, KpiStat>;
  const vsBaseline = {} as Record<KpiName, Difference>;
  for (const k of KPI_NAMES) {
    const values = rows.map((row) => row.kpis[k]);
    const base = baseline.map((row) => row.kpis[k]);
    stats[k] = describe(values);
    const b = describe(base);
    vsBaseline[k] =
      rows === baseline
        ? Number.isNaN(stats[k].mean)
          ? { mean: Number.NaN, ci95: null } // absent at the baseline: no difference to show
          : { mean: 0, ci95: rows.length < 2 ? null : [0, 0] }
        : { mean: stats[k].mean - b.mean, ci95: differenceCi(values, base, paired) };
  }
  return {
    id,
    replications: rows.length,
    events: rows.reduce((n, row) => n + row.events, 0),
    violationCount: rows.reduce((n, row) => n + row.invariants.violationCount, 0),
    stats,
    vsBaseline,
  };
}

function tornadoRows(spec: SweepSpec, rows: readonly ReplicationKpis[]): TornadoRow[] {
  const r = spec.replications;
  const values = (id: number) => rows.slice(id * r, (id + 1) * r).map((row) => row.kpis[spec.kpi]);
  const base = spec.points.find((p) => p.role === 'baseline');
  assert(base !== undefined, 'a tornado has a baseline point');
  const baseline = describe(values(base.id));
  const out = spec.axes.map((axis, d): TornadoRow => {
    const lowPoint = spec.points.find((p) => p.role === 'low' && p.moved === d);
    const highPoint = spec.points.find((p) => p.role === 'high' && p.moved === d);
    assert(lowPoint !== undefined && highPoint !== undefined, 'a tornado has low and high per path');
    const lows = values(lowPoint.id);
    const highs = values(highPoint.id);
    const low = describe(lows);
    const high = describe(highs);
    const delta = high.mean - low.mean;
    return {
      axis: d,
      path: axis.path,
      // A tornado's points all have values (tornadoPoints refuses a path without a baseline).
      lowValue: lowPoint.values[d] as Scalar,
      baselineValue: base.values[d] as Scalar,
      highValue: highPoint.values[d] as Scalar,
      low,
      baseline,
      high,
      delta,
      swing: Math.abs(delta),
      deltaCi95: differenceCi(highs, lows, spec.streams === 'common'),
    };
  });
  // A path whose swing has no value (--kpi absent at an end or at the baseline) comes last.
  const key = (t: TornadoRow) => (Number.isNaN(t.swing) ? -1 : t.swing);
  return out.sort((a, b) => key(b) - key(a) || a.axis - b.axis);
}
