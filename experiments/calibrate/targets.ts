/**
 * What a calibration aims at: observed KPI values, from `--target kpi=value` flags and a `--targets`
 * YAML file, each optionally with its uncertainty:
 *
 *   targets:
 *     payerConversion: 0.031                     # a value alone
 *     giftsSent: { value: 1450, se: 40 }         # with its standard error, in the KPI's unit
 *     arppuCents: { value: 450, tolerance: 0.1 } # a miss of 10 % of the value counts as one standard error
 *
 * A KPI may be named once (in the file or a flag, not both). Every problem names the flag or the file's
 * field and line, what was expected and what was found (exit 2).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { InputError, type InputProblem, shown } from '../../common/input-error.ts';
import { isRecord } from '../../common/shape.ts';
import { zodProblems } from '../../common/zod-problems.ts';
import { parseYaml } from '../../scenarios/load.ts';
import { kpiExpected, kpiInfo } from '../../sim/kpis.ts';
import { isStatistic, RATIOS, STATISTIC_NAMES, type StatisticName } from './statistics.ts';

export interface Target {
  /** A KPI, or one of the ratios of statistics.ts. */
  kpi: StatisticName;
  value: number;
  /** Standard error of the observed value, in the KPI's unit. */
  se?: number;
  /** Relative tolerance: a miss of tolerance × |value| counts as one standard error. */
  tolerance?: number;
  /** Where it came from, for messages: `--target` or `targets.yaml line 3`. */
  from: string;
}

const NUMBER = /^\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?\s*$/;

function kpiProblem(field: string, name: string, line?: number): InputProblem {
  return {
    field,
    expected: kpiExpected(
      name,
      STATISTIC_NAMES,
      `a KPI or a ratio (${RATIOS.map((r) => r.name).join(', ')})`,
    ),
    found: shown(name),
    line,
  };
}

/** One `--target kpi=value` flag. */
export function parseTargetFlag(text: string): Target {
  const eq = text.indexOf('=');
  if (eq <= 0) {
    throw new InputError({
      field: '--target',
      expected: 'kpi=value, e.g. payerConversion=0.03',
      found: shown(text),
    });
  }
  const kpi = text.slice(0, eq).trim();
  const body = text.slice(eq + 1);
  if (!isStatistic(kpi)) throw new InputError(kpiProblem(`--target ${kpi}`, kpi));
  const value = Number(body);
  if (!NUMBER.test(body) || !Number.isFinite(value)) {
    throw new InputError({ field: `--target ${kpi}`, expected: 'a finite number', found: shown(body) });
  }
  return { kpi, value, from: '--target' };
}

const entrySchema = z.union([
  z.number(),
  z
    .strictObject({
      value: z.number(),
      se: z.number().positive().optional().describe('standard error of the value, in its unit'),
      tolerance: z.number().positive().optional().describe('relative: a miss of this share of the value'),
    })
    .refine((e) => e.se === undefined || e.tolerance === undefined, 'se or tolerance, not both'),
]);

const fileSchema = z.strictObject({ targets: z.record(z.string(), entrySchema) });

/** Reads a `--targets` file. */
export function readTargetsFile(file: string, shownName = file): Target[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError({
      field: '--targets',
      expected: 'a readable YAML file',
      found: `${shownName}: ${code === 'ENOENT' ? 'no such file' : code}`,
    });
  }
  const parsed = parseYaml(text, shownName, '--targets');
  // Every mistake at once: the names (read from the file as it is) with the shape's.
  const raw = (parsed.value as { targets?: unknown } | null)?.targets;
  const names = isRecord(raw) ? Object.keys(raw) : [];
  const problems: InputProblem[] = names
    .filter((kpi) => !isStatistic(kpi))
    .map((kpi) => kpiProblem(`targets.${kpi}`, kpi, parsed.lineOf(['targets', kpi])));
  const result = fileSchema.safeParse(parsed.value);
  if (!result.success) {
    throw new InputError(
      [...problems, ...zodProblems(result.error.issues, parsed.value, '(targets file)', parsed.lineOf)],
      shownName,
    );
  }
  const targets: Target[] = [];
  for (const [kpi, entry] of Object.entries(result.data.targets)) {
    const line = parsed.lineOf(['targets', kpi]);
    if (!isStatistic(kpi)) continue; // named above
    const from = `${shownName}${line === undefined ? '' : ` line ${line}`}`;
    targets.push(typeof entry === 'number' ? { kpi, value: entry, from } : { kpi, ...entry, from });
  }
  if (problems.length > 0) throw new InputError(problems, shownName);
  return targets;
}

/** The flags' and the file's targets together, each KPI once, in the catalogue's order. */
export function collectTargets(flags: readonly string[], file?: { path: string; shown: string }): Target[] {
  const all = [
    ...(file === undefined ? [] : readTargetsFile(file.path, file.shown)),
    ...flags.map(parseTargetFlag),
  ];
  if (all.length === 0) {
    throw new InputError(
      file === undefined
        ? { field: '--target', expected: 'at least one kpi=value (or a --targets file)', found: 'none' }
        : {
            field: '--targets',
            expected: 'at least one target under targets:',
            found: `none in ${file.shown}`,
          },
    );
  }
  const seen = new Map<StatisticName, Target>();
  const problems: InputProblem[] = [];
  for (const t of all) {
    const earlier = seen.get(t.kpi);
    if (earlier !== undefined) {
      throw new InputError({
        field: `--target ${t.kpi}`,
        expected: 'each KPI once',
        found: `${t.kpi} from ${earlier.from} and ${t.from}`,
      });
    }
    seen.set(t.kpi, t);
    const range = possibleRange(t.kpi);
    if (range !== undefined && (t.value < range.min || t.value > range.max)) {
      problems.push({
        field: t.from === '--target' ? `--target ${t.kpi}` : `targets.${t.kpi}`,
        expected: `a value a run can give: ${range.text}`,
        found: t.from === '--target' ? `${t.value}` : `${t.value} (${t.from})`,
      });
    }
  }
  // Every impossible value at once, as the file's other mistakes are.
  if (problems.length > 0) throw new InputError(problems);
  return STATISTIC_NAMES.flatMap((k) => seen.get(k) ?? []);
}

/** The values a KPI can take by its unit (shares and Gini 0–1, counts and coins ≥ 0); money may be negative. */
/**
 * The values a run can give a target: shares in [0, 1]; counts, coins and money at least 0 — every sum of
 * cents a run reports is paid, charged or earned, except the platform margin, which creators' earnings
 * can push below 0; the ratios are quotients of such counts. An `arppuCents=-5` used to run.
 */
function possibleRange(kpi: string): { min: number; max: number; text: string } | undefined {
  const unit = kpiInfo(kpi)?.unit;
  if (unit === 'share' || unit === 'gini') return { min: 0, max: 1, text: `a ${unit} from 0 to 1` };
  if (unit === 'count' || unit === 'coins')
    return { min: 0, max: Number.POSITIVE_INFINITY, text: `${unit} ≥ 0` };
  if (unit === 'cents' && kpi !== 'platformMarginCents')
    return { min: 0, max: Number.POSITIVE_INFINITY, text: 'cents ≥ 0' };
  if (unit === undefined && RATIOS.some((r) => r.name === kpi))
    return { min: 0, max: Number.POSITIVE_INFINITY, text: 'a ratio ≥ 0' };
  return undefined;
}
