/**
 * Reads a calibration folder back into the history it was computed from, for `calibrate --from dir`:
 * replications.csv holds every candidate × replication's KPIs exactly (numbers as JavaScript prints
 * them read back as the same doubles), summary.json says whose calibration it is. A folder of another
 * scenario, or one whose runs broke an invariant, is refused (exit 2); the replay then checks that every
 * candidate is the one this calibration would have drawn.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvRecords } from '../../common/csv-read.ts';
import { InputError, shown } from '../../common/input-error.ts';
import type { CalibrationPlan } from '../../experiments/calibrate/plan.ts';
import type { CandidateReplication, Evaluated } from '../../experiments/calibrate/search.ts';
import type { InvariantId } from '../../sim/invariants/types.ts';
import { KPI_NAMES, type Kpis } from '../../sim/kpis.ts';
import { REPLICATION_COLUMNS } from './tables.ts';
import { CALIBRATION_REPLICATIONS_FILE } from './write.ts';

function readText(path: string, field: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError({
      field,
      expected: 'a calibration folder (written by giftlab calibrate or merge)',
      found: code === 'ENOENT' ? 'no such file' : String(code),
    });
  }
}

export function readCalibrationHistory(dir: string, typed: string, plan: CalibrationPlan): Evaluated[] {
  const field = `--from ${typed}`;
  let summary: {
    kind?: unknown;
    scenarioHash?: unknown;
    replications?: unknown;
    budget?: unknown;
    stopped?: unknown;
    invariants?: { checked?: unknown; violationCount?: unknown };
  };
  try {
    summary = JSON.parse(readText(join(dir, 'summary.json'), field));
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError({ field, expected: 'a summary.json of JSON', found: (error as Error).message });
  }
  if (summary.kind !== 'calibration') {
    throw new InputError({
      field,
      expected: 'a calibration folder',
      found: `a summary.json of kind ${shown(summary.kind)}`,
    });
  }
  if (summary.scenarioHash !== plan.scenarioHash) {
    throw new InputError({
      field,
      expected: `a calibration of this scenario (${plan.scenario.name}, with the same --set and --seed)`,
      found: 'another scenario',
    });
  }
  // Each candidate of the history carries its replications: another count can never continue it.
  if (typeof summary.replications === 'number' && summary.replications !== plan.spec.replications) {
    throw new InputError({
      field: '--replications',
      expected: `${summary.replications}, the replications per candidate of the calibration in ${field}`,
      found: String(plan.spec.replications),
    });
  }
  // A search the budget stopped was confirmed where that budget ran out: another budget plans its
  // confirming generation elsewhere, so the history cannot be this calibration's.
  if (
    summary.stopped === 'budget' &&
    typeof summary.budget === 'number' &&
    summary.budget !== plan.spec.budget
  ) {
    throw new InputError({
      field: '--budget',
      expected: `${summary.budget}, the budget of the calibration in ${field} (it is done: its budget was spent and its last generation confirmed; a calibration with another budget starts afresh, without --from)`,
      found: String(plan.spec.budget),
    });
  }
  if (summary.invariants?.violationCount !== 0) {
    throw new InputError({
      field,
      expected: 'a calibration whose runs kept every invariant',
      found: `${shown(summary.invariants?.violationCount)} violation(s)`,
    });
  }
  const checked = (
    Array.isArray(summary.invariants.checked) ? summary.invariants.checked : []
  ) as InvariantId[];
  const { header, records } = csvRecords(readText(join(dir, CALIBRATION_REPLICATIONS_FILE), field));
  const paths = plan.spec.axes.map((a) => a.path);
  const expected = [...REPLICATION_COLUMNS, ...paths, 'events', 'violations', ...KPI_NAMES];
  if (header.join(',') !== expected.join(',')) {
    throw new InputError({
      field: `${field}/${CALIBRATION_REPLICATIONS_FILE}`,
      expected: `the columns of a calibration of ${paths.join(', ')}`,
      found: shown(header.join(',')),
    });
  }
  const number = (text: string, line: number, column: string): number => {
    const v = Number(text);
    if (text === '' || !Number.isFinite(v)) {
      throw new InputError({
        field: `${field}/${CALIBRATION_REPLICATIONS_FILE} (line ${line}, column ${column})`,
        expected: 'a number',
        found: shown(text),
      });
    }
    return v;
  };
  const byCandidate = new Map<number, Evaluated>();
  const firstOfGeneration = new Map<number, number>();
  records.forEach((rec, i) => {
    const line = i + 2;
    const id = number(rec.candidate, line, 'candidate');
    const generation = number(rec.generation, line, 'generation');
    if (!firstOfGeneration.has(generation)) firstOfGeneration.set(generation, id);
    const replication = number(rec.replication, line, 'replication');
    let e = byCandidate.get(id);
    if (e === undefined) {
      e = {
        candidate: { id, generation, unit: [], values: paths.map((p) => number(rec[p], line, p)) },
        replications: [],
      };
      byCandidate.set(id, e);
    }
    // An empty KPI cell is an absent KPI (a cohort KPI of a run too short to measure it), as written.
    const kpi = (k: string) => (rec[k] === '' ? Number.NaN : number(rec[k], line, k));
    const kpis = Object.fromEntries(KPI_NAMES.map((k) => [k, kpi(k)])) as Kpis;
    const row: CandidateReplication = {
      item: (id - (firstOfGeneration.get(generation) as number)) * plan.spec.replications + replication,
      candidate: id,
      replication,
      events: number(rec.events, line, 'events'),
      kpis,
      invariants: { checked, violationCount: 0, violations: [] },
    };
    e.replications.push(row);
  });
  const history = [...byCandidate.values()].sort((a, b) => a.candidate.id - b.candidate.id);
  history.forEach((e, i) => {
    if (e.candidate.id !== i) {
      throw new InputError({
        field: `${field}/${CALIBRATION_REPLICATIONS_FILE}`,
        expected: `candidates 0 to ${history.length - 1}`,
        found: `candidate ${i} missing`,
      });
    }
  });
  return history;
}
