/**
 * What two runs' scenarios differ in: their scenario.yaml files (the scenario as run, every default
 * filled) compared value by value, so that `compare` can say which assumptions moved — a KPI's change is
 * read against them. Names and descriptions are left out: they say what a scenario is, not what it does.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatProblem, InputError } from '../../common/input-error.ts';
import { isRecord } from '../../common/shape.ts';
import { readYaml } from '../../common/yaml-read.ts';
import { SCENARIO_FILE } from '../csv/run-folder.ts';

export interface ScenarioDifference {
  /** Dotted path, list items by index: `payout.creatorShare`, `events.0.factor`. */
  path: string;
  /** The value in each run (undefined: the run's scenario has no such field). */
  a: unknown;
  b: unknown;
}

const LEFT_OUT = new Set(['name', 'description']);

/**
 * The run folder's scenario.yaml as values, or why there are none: a folder written before runs kept
 * it, or a file that is not a scenario's mapping.
 */
export function readScenarioValues(dir: string): Record<string, unknown> | string {
  const file = join(dir, SCENARIO_FILE);
  if (!existsSync(file)) return `has no ${SCENARIO_FILE} (written before runs kept one)`;
  let value: unknown;
  try {
    value = readYaml(readFileSync(file, 'utf8'), file).value;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return `has a ${SCENARIO_FILE} that is not valid YAML (${formatProblem(error.problems[0])})`;
  }
  return isRecord(value) ? value : `has a ${SCENARIO_FILE} that is not a mapping`;
}

/** Every leaf where the two scenarios differ, in the order of a's fields then b's new ones. */
export function scenarioDifferences(
  a: Record<string, unknown>,
  b: Record<string, unknown>,
): ScenarioDifference[] {
  const out: ScenarioDifference[] = [];
  walk(a, b, '', out);
  return out.filter((d) => !LEFT_OUT.has(d.path));
}

function walk(a: unknown, b: unknown, path: string, out: ScenarioDifference[]): void {
  if (isBranch(a) && isBranch(b) && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const key of keys)
      walk(
        (a as Record<string, unknown>)[key],
        (b as Record<string, unknown>)[key],
        path === '' ? key : `${path}.${key}`,
        out,
      );
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ path, a, b });
}

function isBranch(v: unknown): v is object {
  return typeof v === 'object' && v !== null;
}

/** A value as a scenario file writes it, short: `0.6`, `[app, web]`, `(none)`. */
export function shownValue(v: unknown): string {
  if (v === undefined) return '(none)';
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/** One note for `compare`: the fields that differ (the first few), or that none do. */
export function differencesNote(differences: readonly ScenarioDifference[], most = 8): string {
  if (differences.length === 0)
    return 'the two scenarios are the same, seed included (scenario.yaml): a difference between the runs comes from their replications (how many), or from the giftlab versions that made them.';
  if (differences.length === 1 && differences[0].path === 'seed')
    return `the scenarios differ only in their seed (${shownValue(differences[0].a)} → ${shownValue(differences[0].b)}; scenario.yaml): any difference between the runs is noise.`;
  const shown = differences
    .slice(0, most)
    .map((d) => `${d.path} ${shownValue(d.a)} → ${shownValue(d.b)}`)
    .join('; ');
  const more = differences.length > most ? `; and ${differences.length - most} more` : '';
  const n = differences.length;
  return `the scenarios differ in ${n} field${n === 1 ? '' : 's'} (scenario.yaml, A → B): ${shown}${more}.`;
}
