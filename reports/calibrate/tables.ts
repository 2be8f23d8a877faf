/**
 * The CSV tables of a calibration. Deterministic: no dates, no wall times, candidates in evaluation
 * order, numbers as JavaScript prints them — so a calibration and a merge of its shards give the same
 * bytes, and a calibration folder can be read back exactly (`--from`).
 *
 * - calibration.csv: one row per evaluated candidate: its generation and role, the fitted paths'
 *   values, the distance, whether it is within noise of the best, each target's standardised miss and
 *   95 % CI, then the mean of every KPI and ratio over its replications;
 * - replications.csv: one row per candidate × replication with every KPI (what `--from` reads back).
 */
import type { CalibrationResult } from '../../experiments/calibrate/aggregate.ts';
import type { Scored } from '../../experiments/calibrate/search.ts';
import { STATISTIC_NAMES } from '../../experiments/calibrate/statistics.ts';
import { KPI_NAMES } from '../../sim/kpis.ts';
import type { Table } from '../csv/tables.ts';
import type { Cell } from '../csv/write-csv.ts';

export type CandidateRole = 'start' | 'search' | 'confirm';

export function roleOf(c: Scored): CandidateRole {
  return c.candidate.id === 0 ? 'start' : c.confirming ? 'confirm' : 'search';
}

export function calibrationTable(result: CalibrationResult): Table {
  const { spec } = result;
  const within = new Set(result.withinNoise);
  const targets = spec.targets.map((t) => t.kpi);
  return {
    header: [
      'candidate',
      'generation',
      'role',
      ...spec.axes.map((a) => a.path),
      'distance',
      'withinNoise',
      'best',
      ...targets.map((k) => `z:${k}`),
      ...targets.flatMap((k) => [`ci95Low:${k}`, `ci95High:${k}`]),
      ...STATISTIC_NAMES,
    ],
    *rows() {
      for (const c of result.candidates) {
        yield [
          c.candidate.id,
          c.candidate.generation,
          roleOf(c),
          ...c.candidate.values,
          // An infeasible candidate (a target KPI without a value) has no distance: an empty cell.
          Number.isFinite(c.fit.distance) ? c.fit.distance : '',
          String(within.has(c.candidate.id)),
          String(c === result.best),
          ...c.fit.z,
          ...targets.flatMap((k): Cell[] => (spec.replications < 2 ? ['', ''] : c.stats[k].ci95)),
          ...STATISTIC_NAMES.map((k) => c.stats[k].mean),
        ];
      }
    },
  };
}

export const REPLICATION_COLUMNS = ['candidate', 'generation', 'replication'] as const;

export function replicationsTable(result: CalibrationResult): Table {
  const { spec } = result;
  return {
    header: [...REPLICATION_COLUMNS, ...spec.axes.map((a) => a.path), 'events', 'violations', ...KPI_NAMES],
    *rows() {
      for (const c of result.candidates) {
        for (const r of c.replications) {
          yield [
            c.candidate.id,
            c.candidate.generation,
            r.replication,
            ...c.candidate.values,
            r.events,
            r.invariants.violationCount,
            ...KPI_NAMES.map((k) => r.kpis[k]),
          ];
        }
      }
    },
  };
}
