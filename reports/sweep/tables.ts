/**
 * The CSV tables of a sweep, from a SweepResult. Deterministic: no dates, no wall times, points and
 * replications in order, numbers as JavaScript prints them — so one run and a merge of shards give
 * the same bytes.
 *
 * - sweep.csv: tidy, one row per point × KPI: point, the point's value of each varied path, kpi,
 *   mean, ci95Low, ci95High, sd (empty when n = 1), n, then vsBaseline (the point's mean less the
 *   baseline point's) and its 95 % CI (paired over replications under common random numbers);
 * - points.csv: point → role (grid, lhs, baseline, low, high, sobol-A, sobol-B, sobol-AB, morris), the
 *   moved path (a tornado end's, a Sobol AB point's column from B, a Morris step's), the values (and for
 *   sampled designs the unit coordinates the values were drawn from; Sobol and Morris add the base
 *   sample or trajectory, Morris the step);
 * - replications.csv: wide, one row per point × replication with every KPI (paired comparisons);
 * - tornado.csv: paths by swing of the chosen KPI, largest first;
 * - sobol.csv: KPI × path: S1 and ST with bootstrap 95 % CIs (empty when the KPI never varies), then
 *   (added after them, the columns before unchanged) noiseShare — the KPI's replication noise as a share
 *   of the variance of its point means, the same on each of its rows —, STNoise (the part of the path's
 *   ST that is that noise: what it absorbed) and S1Corrected / STCorrected with their CIs, the indices
 *   less the noise; these eight are empty with one replication per point (the noise cannot be
 *   separated), the corrected ones also when nothing but noise is left;
 * - morris.csv: KPI × path: μ*, its bootstrap 95 % CI, μ and σ of the elementary effects, the number of
 *   trajectories, then (added after them) noiseShare (the KPI's noise share of its effects' mean
 *   square), pathNoiseShare (the same share of this path's effects) and effectNoiseSd (the noise sd of
 *   one of its effects, KPI units per whole range); empty with one replication per point.
 */

import type { SweepResult } from '../../experiments/sweep/aggregate.ts';
import type { PointValue } from '../../experiments/sweep/design.ts';
import { KPI_NAMES } from '../../sim/kpis.ts';
import type { Table } from '../csv/tables.ts';
import type { Cell } from '../csv/write-csv.ts';

export function cell(value: PointValue | undefined): Cell {
  if (value === null || value === undefined) return '';
  return typeof value === 'boolean' ? String(value) : value;
}

export function sweepTable(result: SweepResult): Table {
  const { spec } = result;
  return {
    header: [
      'point',
      ...spec.axes.map((a) => a.path),
      'kpi',
      'mean',
      'ci95Low',
      'ci95High',
      'sd',
      'n',
      'vsBaseline',
      'vsBaselineCi95Low',
      'vsBaselineCi95High',
    ],
    *rows() {
      for (const p of result.points) {
        const values = spec.points[p.id].values.map(cell);
        for (const k of KPI_NAMES) {
          const s = p.stats[k];
          // One replication has no spread: empty cells, not a zero-width interval at the mean.
          const spread = p.replications < 2 ? ['', '', ''] : [s.ci95[0], s.ci95[1], s.sd];
          const d = p.vsBaseline[k];
          yield [p.id, ...values, k, s.mean, ...spread, p.replications, d.mean, ...(d.ci95 ?? ['', ''])];
        }
      }
    },
  };
}

export function pointsTable(result: SweepResult): Table {
  const { spec } = result;
  const sampled = spec.design === 'lhs' || spec.design === 'sobol' || spec.design === 'morris';
  const sample =
    spec.design === 'sobol' ? ['sample'] : spec.design === 'morris' ? ['trajectory', 'step'] : [];
  return {
    header: [
      'point',
      'role',
      'moved',
      ...sample,
      ...spec.axes.map((a) => a.path),
      ...(sampled ? spec.axes.map((a) => `unit:${a.path}`) : []),
    ],
    *rows() {
      for (const p of spec.points) {
        yield [
          p.id,
          p.role,
          p.moved === undefined ? '' : spec.axes[p.moved].path,
          ...(sample.length === 0 ? [] : [p.sample ?? '']),
          ...(sample.length === 2 ? [p.step ?? ''] : []),
          ...p.values.map(cell),
          // The added baseline point was not drawn: no unit coordinates.
          ...(sampled ? (p.unit ?? spec.axes.map(() => '')) : []),
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

/** A number for a CSV cell: NaN and infinities (an index of a KPI that never varies) as empty cells. */
function finite(x: number): Cell {
  return Number.isFinite(x) ? x : '';
}

export function sobolTable(result: SweepResult): Table {
  return {
    header: [
      'path',
      'kpi',
      'S1',
      'S1Ci95Low',
      'S1Ci95High',
      'ST',
      'STCi95Low',
      'STCi95High',
      'noiseShare',
      'STNoise',
      'S1Corrected',
      'S1CorrectedCi95Low',
      'S1CorrectedCi95High',
      'STCorrected',
      'STCorrectedCi95Low',
      'STCorrectedCi95High',
    ],
    *rows() {
      for (const r of result.sobol ?? []) {
        yield [
          r.path,
          r.kpi,
          ...[r.s1, ...r.s1Ci95, r.st, ...r.stCi95].map(finite),
          ...[
            r.noiseShare,
            r.stNoise,
            r.s1Corrected,
            ...r.s1CorrectedCi95,
            r.stCorrected,
            ...r.stCorrectedCi95,
          ].map(finite),
        ];
      }
    },
  };
}

export function morrisTable(result: SweepResult): Table {
  return {
    header: [
      'path',
      'kpi',
      'muStar',
      'muStarCi95Low',
      'muStarCi95High',
      'mu',
      'sigma',
      'trajectories',
      'noiseShare',
      'pathNoiseShare',
      'effectNoiseSd',
    ],
    *rows() {
      for (const r of result.morris ?? []) {
        yield [
          r.path,
          r.kpi,
          ...[r.muStar, ...r.muStarCi95, r.mu, r.sigma].map(finite),
          r.effects,
          ...[r.noiseShare, r.pathNoiseShare, r.effectNoiseSd].map(finite),
        ];
      }
    },
  };
}
