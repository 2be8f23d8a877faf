/**
 * Reads a run folder as `giftlab run` writes it — summary.json and kpis.csv — into per-KPI samples
 * (mean, standard deviation, replications, 95 % CI) that `compare` can test. Every problem with a
 * folder is collected and reported at once as bad input (exit 2), naming the file and what is missing.
 *
 * summary.json (ARCHITECTURE.md): `scenario`, `seed`, `replications`, `events`, `wallSeconds`, `kpis` (each a
 * number, or `{ mean, ci95: [lo, hi] }` with replications, optionally `sd`) and `invariants`.
 * kpis.csv: read for per-replication values when it has them, in either shape:
 *   tidy — columns `kpi` and `value` (or `mean`), optionally `replication`;
 *   wide — one column per KPI, optionally a `replication` column, one row per replication.
 * Rows whose replication is not a number (`mean`, `all`, empty) are summary rows and are skipped. With a
 * replication column there is a row for each replication summary.json counts; a cell is a number or empty
 * (an absent KPI). A corrupt file is bad input: passed over, it would turn the paired test into Welch's.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { csvRecords } from '../../common/csv-read.ts';
import { InputError, type InputProblem, shown } from '../../common/input-error.ts';
import { isRecord } from '../../common/shape.ts';
import { readScenarioValues } from './scenario-diff.ts';
import { ci95OfMean, type Sample, sampleOf, sdFromCi95 } from './stats.ts';

export interface KpiSample extends Sample {
  ci95: [number, number];
  /** Where the spread came from: replication values, a stated sd, the CI's width, or nothing (n = 1). */
  source: 'replications' | 'sd' | 'ci95' | 'single';
  /** The values per replication, in replication order, when kpis.csv has them. */
  values?: number[];
}

/** What a run folder's summary.json says, as readSummary checks it (its KPIs still raw). */
interface Summary {
  scenario: string;
  seed: number;
  replications: number;
  /** The `--set`s the run was made with (summary.json `overrides`; none in folders from before it). */
  overrides: string[];
  /** Simulated seconds (null in folders written before summary.json had it). */
  durationSeconds: number | null;
  events: number | null;
  wallSeconds: number | null;
  kpis: Record<string, unknown>;
  invariants: { checked: number; violations: number } | null;
}

/** The summary with its KPIs read into samples (kpis.csv's values where it has them). */
export interface RunFolder extends Omit<Summary, 'kpis'> {
  dir: string;
  kpis: Map<string, KpiSample>;
  /** The scenario as run (scenario.yaml), or why the folder has none to compare (readScenarioValues). */
  scenarioValues: Record<string, unknown> | string;
}

/**
 * Reads the run folder `dir`; `label` (runA, runB) and `display` (the path as the user typed it) name it
 * in messages.
 */
export function readRunFolder(dir: string, label: string, display: string = dir): RunFolder {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new InputError({
      field: label,
      expected: 'a run folder written by `giftlab run`',
      found: `no folder ${shown(display)}`,
    });
  }
  const problems: InputProblem[] = [];
  const summaryFile = join(dir, 'summary.json');
  const csvFile = join(dir, 'kpis.csv');
  if (!existsSync(summaryFile)) {
    const hint = existsSync(join(dir, 'sweep.csv'))
      ? ' (this looks like a sweep folder; compare takes run folders)'
      : '';
    problems.push({
      field: `${label} summary.json`,
      expected: `summary.json in ${display}${hint}`,
      found: 'no such file',
    });
  }
  if (!existsSync(csvFile))
    problems.push({ field: `${label} kpis.csv`, expected: `kpis.csv in ${display}`, found: 'no such file' });
  if (problems.length > 0) throw new InputError(problems, `${label} (${display})`);
  const summary = readSummary(summaryFile, `${label} summary.json`, problems);
  const csv = readKpisCsv(csvFile, `${label} kpis.csv`, problems);
  const perReplication = csv.byKpi;
  if (summary === null || problems.length > 0) throw new InputError(problems, `${label} (${display})`);
  // A replication column says the file has every replication's row: none, or too few, is a cut file.
  if (csv.replications !== undefined && csv.replications !== summary.replications)
    problems.push({
      field: `${label} kpis.csv`,
      expected: `a row for each of the ${summary.replications} replications summary.json says`,
      found: `${csv.replications}`,
    });
  const kpis = new Map<string, KpiSample>();
  for (const [name, raw] of Object.entries(summary.kpis)) {
    const sample = toSample(
      name,
      raw,
      summary.replications,
      perReplication.get(name),
      `${label} summary.json`,
      problems,
    );
    if (sample !== null) kpis.set(name, sample);
  }
  // Only KPIs that summary.json names: kpis.csv may carry other columns (seed, events) per replication.
  const counts = new Set(
    [...kpis.keys()].map((k) => perReplication.get(k)?.length ?? 0).filter((n) => n > 0),
  );
  if (counts.size === 1) {
    const n = [...counts][0];
    if (n > 1 && n !== summary.replications)
      problems.push({
        field: `${label} kpis.csv`,
        expected: `${summary.replications} replication rows per KPI, as summary.json says`,
        found: `${n}`,
      });
  } else if (counts.size > 1) {
    problems.push({
      field: `${label} kpis.csv`,
      expected: 'the same number of replication rows for every KPI',
      found: [...counts].join(', '),
    });
  }
  if (kpis.size === 0)
    problems.push({ field: `${label} summary.json kpis`, expected: 'at least one KPI', found: 'none' });
  if (problems.length > 0) throw new InputError(problems, `${label} (${display})`);
  return { dir, ...summary, kpis, scenarioValues: readScenarioValues(dir) };
}

function readSummary(file: string, field: string, problems: InputProblem[]): Summary | null {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    problems.push({ field, expected: 'valid JSON', found: (error as Error).message.split('\n')[0] });
    return null;
  }
  if (!isRecord(json)) {
    problems.push({ field, expected: 'a JSON object', found: shown(json) });
    return null;
  }
  const s = json;
  const before = problems.length;
  if (typeof s.scenario !== 'string')
    problems.push({ field: `${field} scenario`, expected: 'a scenario name', found: shown(s.scenario) });
  if (!Number.isInteger(s.seed))
    problems.push({ field: `${field} seed`, expected: 'an integer seed', found: shown(s.seed) });
  if (!Number.isInteger(s.replications) || (s.replications as number) < 1)
    problems.push({
      field: `${field} replications`,
      expected: 'an integer ≥ 1',
      found: shown(s.replications),
    });
  if (!isRecord(s.kpis))
    problems.push({ field: `${field} kpis`, expected: 'an object of KPI values', found: shown(s.kpis) });
  if (problems.length > before) return null;
  return {
    scenario: s.scenario as string,
    seed: s.seed as number,
    replications: s.replications as number,
    overrides: Array.isArray(s.overrides)
      ? s.overrides.filter((o): o is string => typeof o === 'string')
      : [],
    durationSeconds: typeof s.durationSeconds === 'number' ? s.durationSeconds : null,
    events: typeof s.events === 'number' ? s.events : null,
    wallSeconds: typeof s.wallSeconds === 'number' ? s.wallSeconds : null,
    kpis: s.kpis as Record<string, unknown>,
    invariants: invariantsOf(s.invariants),
  };
}

function invariantsOf(raw: unknown): { checked: number; violations: number } | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  const size = (v: unknown) => (Array.isArray(v) ? v.length : typeof v === 'number' ? v : 0);
  const violations = typeof r.violationCount === 'number' ? r.violationCount : size(r.violations);
  return { checked: size(r.checked), violations };
}

function toSample(
  name: string,
  raw: unknown,
  replications: number,
  values: number[] | undefined,
  field: string,
  problems: InputProblem[],
): KpiSample | null {
  // An absent KPI (null: a cohort KPI the run was too short to measure) is not compared.
  const absent = raw === null || (typeof raw === 'object' && (raw as { mean?: unknown }).mean === null);
  const single = typeof raw === 'number' && Number.isFinite(raw);
  const o = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const ci = o.ci95;
  const ciOk =
    Array.isArray(ci) && ci.length === 2 && ci.every((x) => typeof x === 'number' && Number.isFinite(x));
  // Checked even when kpis.csv has the replications: a corrupt summary.json is not passed over.
  if (!absent && !single && (typeof o.mean !== 'number' || !Number.isFinite(o.mean) || !ciOk)) {
    problems.push({
      field: `${field} kpis.${name}`,
      expected: 'a number or { mean, ci95: [lo, hi] }',
      found: shown(raw),
    });
    return null;
  }
  if (values !== undefined && values.length > 1) return fromValues(values);
  if (absent) return null;
  if (single) return { mean: raw, sd: 0, n: 1, ci95: [raw, raw], source: 'single' };
  const mean = o.mean as number;
  const ci95: [number, number] = [(ci as number[])[0], (ci as number[])[1]];
  const n = typeof o.n === 'number' ? o.n : replications;
  if (n < 2) return { mean, sd: 0, n: 1, ci95, source: 'single' };
  if (typeof o.sd === 'number' && Number.isFinite(o.sd)) return { mean, sd: o.sd, n, ci95, source: 'sd' };
  return { mean, sd: sdFromCi95(ci95, n), n, ci95, source: 'ci95' };
}

function fromValues(values: readonly number[]): KpiSample {
  const s = sampleOf(values);
  return { ...s, ci95: ci95OfMean(s), source: s.n > 1 ? 'replications' : 'single', values: [...values] };
}

/** Cells that are not numbers listed before the rest are only counted. */
const BAD_CELLS_SHOWN = 5;

/** What kpis.csv holds: values per replication by KPI, and how many replication rows (none: a summary file). */
interface KpisCsv {
  byKpi: Map<string, number[]>;
  /** Replications with a row; undefined without a replication column (a summary only). */
  replications: number | undefined;
}

/**
 * Per-replication values by KPI, from either CSV shape; none when the file has only summary rows. A file
 * in neither shape, or a cell that is neither a number nor empty (an absent KPI), is a problem with its
 * line: a corrupt file must not quietly turn the paired test into Welch's.
 */
function readKpisCsv(file: string, field: string, problems: InputProblem[]): KpisCsv {
  const none: KpisCsv = { byKpi: new Map(), replications: undefined };
  const { header, records } = csvRecords(readFileSync(file, 'utf8'));
  const byKpi = new Map<string, [number, number][]>();
  if (header.length === 0) {
    problems.push({ field, expected: 'a header row', found: 'an empty file' });
    return none;
  }
  const tidy = header.includes('kpi');
  if (!tidy && !header.includes('replication')) {
    problems.push({
      field,
      expected: 'a header with a replication column and one per KPI, or kpi and value columns',
      found: shown(header.join(',')),
      line: 1,
    });
    return none;
  }
  const valueColumn = header.includes('value') ? 'value' : header.includes('mean') ? 'mean' : null;
  if (tidy && valueColumn === null) {
    problems.push({
      field,
      expected: 'a `value` or `mean` column next to `kpi`',
      found: header.join(','),
      line: 1,
    });
    return none;
  }
  // Rows whose replication is not a number (mean, ci95Low, sd, …) are summary rows.
  const replicationOf = (r: Record<string, string>) =>
    /^\d+$/.test(r.replication ?? '') ? Number(r.replication) : null;
  let bad = 0;
  // A data row's line: the header is line 1 (the writer puts no blank lines or line breaks in cells).
  const push = (kpi: string, replication: number, text: string, line: number) => {
    if (text === '' || text === 'NaN') return; // an absent KPI, as writeCsv writes it or as JavaScript does
    const v = Number(text);
    if (!Number.isFinite(v)) {
      if (bad++ < BAD_CELLS_SHOWN)
        problems.push({
          field: `${field} ${kpi}`,
          expected: 'a number, or nothing (an absent KPI)',
          found: shown(text),
          line,
        });
      return;
    }
    const list = byKpi.get(kpi) ?? [];
    list.push([replication, v]);
    byKpi.set(kpi, list);
  };
  // Without a replication column a file holds one row per KPI (or one row): the summary, not replications.
  if (!header.includes('replication')) return none;
  const replications = new Set<number>();
  records.forEach((r, i) => {
    const rep = replicationOf(r);
    if (rep === null) return;
    replications.add(rep);
    if (valueColumn !== null && tidy) push(r.kpi, rep, r[valueColumn], i + 2);
    else for (const h of header) if (h !== 'replication' && h !== 'seed') push(h, rep, r[h], i + 2);
  });
  if (bad > BAD_CELLS_SHOWN)
    problems.push({
      field,
      expected: 'numbers',
      found: `${bad - BAD_CELLS_SHOWN} more cells that are not (${BAD_CELLS_SHOWN} listed)`,
    });
  const out = new Map<string, number[]>();
  for (const [kpi, pairs] of byKpi)
    out.set(
      kpi,
      pairs.sort((x, y) => x[0] - y[0]).map((p) => p[1]),
    );
  return { byKpi: out, replications: replications.size };
}
