/**
 * The CSV tables of a sweep, from a SweepResult. Deterministic: no dates, no wall times, points and
 * replications in order, numbers as JavaScript prints them — so one run and a merge of shards give
 * the same bytes.
 *
 * - sweep.csv: tidy, one row per point × KPI: point, the point's value of each varied path, kpi,
 *   mean, ci95Low, ci95High, sd (empty when n = 1), n;
 * - points.csv: point → role (grid, lhs, baseline, low, high), the tornado's moved path, the values
 *   (and for a Latin hypercube the unit coordinates the values were drawn from);
 * - replications.csv: wide, one row per point × replication with every KPI (paired comparisons);
 * - tornado.csv: paths by swing of the chosen KPI, largest first.
 */

import type { SweepResult } from '../../experiments/sweep/aggregate.ts';
import type { Scalar } from '../../experiments/sweep/vary.ts';
import { KPI_NAMES } from '../../sim/kpis.ts';
import type { Table } from '../csv/tables.ts';
import type { Cell } from '../csv/write-csv.ts';

export function cell(value: Scalar | null | undefined): Cell {
  if (value === null || value === undefined) return '';
  return typeof value === 'boolean' ? String(value) : value;
}

export function sweepTable(result: SweepResult): Table {
  const { spec } = result;
  return {
    header: ['point', ...spec.axes.map((a) => a.path), 'kpi', 'mean', 'ci95Low', 'ci95High', 'sd', 'n'],
    *rows() {
      for (const p of result.points) {
        const values = spec.points[p.id].values.map(cell);
        for (const k of KPI_NAMES) {
          const s = p.stats[k];
          // One replication has no spread: empty cells, not a zero-width interval at the mean.
          const spread = p.replications < 2 ? ['', '', ''] : [s.ci95[0], s.ci95[1], s.sd];
          yield [p.id, ...values, k, s.mean, ...spread, p.replications];
        }
      }
    },
  };
}

export function pointsTable(result: SweepResult): Table {
  const { spec } = result;
  const lhs = spec.design === 'lhs';
  return {
    header: [
      'point',
      'role',
      'moved',
      ...spec.axes.map((a) => a.path),
      ...(lhs ? spec.axes.map((a) => `unit:${a.path}`) : []),
    ],
    *rows() {
      for (const p of spec.points) {
        yield [
          p.id,
          p.role,
          p.moved === undefined ? '' : spec.axes[p.moved].path,
          ...p.values.map(cell),
          ...(lhs ? (p.unit ?? []) : []),
        ];
      }
    },
  };
}

export function replicationsTable(result: SweepResult): Table {
  const { spec } = result;
  return {
    header: ['point', 'replication', ...spec.axes.map((a) => a.path), 'events', 'violations', ...KPI_NAMES],
    *rows() {
      for (const row of result.rows) {
        yield [
          row.point,
          row.replication,
          ...spec.points[row.point].values.map(cell),
          row.events,
          row.invariants.violationCount,
          ...KPI_NAMES.map((k) => row.kpis[k]),
        ];
      }
    },
  };
}

export function tornadoTable(result: SweepResult): Table {
  return {
    header: [
      'rank',
      'path',
      'kpi',
      'lowValue',
      'baselineValue',
      'highValue',
      'kpiAtLow',
      'kpiAtBaseline',
      'kpiAtHigh',
      'delta',
      'swing',
      'deltaCi95Low',
      'deltaCi95High',
    ],
    *rows() {
      for (const [i, t] of (result.tornado ?? []).entries()) {
        yield [
          i + 1,
          t.path,
          result.spec.kpi,
          cell(t.lowValue),
          cell(t.baselineValue),
          cell(t.highValue),
          t.low.mean,
          t.baseline.mean,
          t.high.mean,
          t.delta,
          t.swing,
          t.deltaCi95?.[0] ?? '',
          t.deltaCi95?.[1] ?? '',
        ];
      }
    },
  };
}
