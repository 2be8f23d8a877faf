/**
 * Loads a scenario file: YAML → `extends` merged → `--set` overrides → zod (defaults filled) → the
 * integer economy. Every problem is reported at once with its path, what was expected, what was
 * found and, where the file has it, the line; nothing is half-loaded.
 */
import { isUtf8 } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { isMap, isSeq } from 'yaml';
import { InputError, type InputProblem, shown } from '../common/input-error.ts';
import { isRecord } from '../common/shape.ts';
import { inLineOrder, readYaml } from '../common/yaml-read.ts';
import { valueAt, zodProblems } from '../common/zod-problems.ts';
import { assertEconomy } from '../sim/economy/types.ts';
import { applySets, parseSet, type SetOverride } from './overrides.ts';
import { resolveScenario, type Scenario, scenarioSchema } from './schema/scenario.ts';

export interface LoadOptions {
  /** `path=value` overrides, applied after `extends` and before validation. */
  sets?: readonly string[];
  /** What the file is blamed as when it cannot be read: its flag (`--scenario`), or `scenario` (an argument). */
  field?: string;
}

interface Parsed {
  value: Record<string, unknown>;
  lineOf: (path: readonly PropertyKey[]) => number | undefined;
}

export function loadScenarioFile(file: string, options: LoadOptions = {}): Scenario {
  const raw = readRaw(file, new Set(), undefined, options.field);
  const sets = (options.sets ?? []).map(parseSet);
  const merged = applySets(raw.value, sets);
  const setPaths = sets.map((s) => s.path.join('.'));
  const lineOf = (path: readonly PropertyKey[]) => (fromSet(path, setPaths) ? undefined : raw.lineOf(path));
  try {
    const scenario = validateScenario(merged, basename(file).replace(/\.ya?ml$/i, ''), lineOf, file);
    return sets.length === 0 ? scenario : { ...scenario, overrides: sets.map((s) => s.text) };
  } catch (error) {
    if (!(error instanceof InputError) || sets.length === 0) throw error;
    throw new InputError(
      error.problems.map((p) => withSetOrigin(p, sets, raw.value)),
      file,
    );
  }
}

/**
 * A problem about a value a `--set` gave says so: the file is not to blame. A value the file has but
 * a `--set` changed inside names the file's line and the `--set`s.
 */
function withSetOrigin(p: InputProblem, sets: readonly SetOverride[], file: unknown): InputProblem {
  const own = sets.filter((s) => within(s.path.join('.'), p.field)).at(-1);
  if (own !== undefined) return { ...p, from: `from --set ${setText(own)}` };
  const inside = sets.filter((s) => s.path.join('.').startsWith(`${p.field}.`));
  if (inside.length === 0) return p;
  const texts = inside.map((s) => `--set ${setText(s)}`).join(', ');
  if (!valueAt(file, p.field.split('.')).present) return { ...p, line: undefined, from: `from ${texts}` };
  return { ...p, from: `with ${texts}` };
}

function within(outer: string, inner: string): boolean {
  return inner === outer || inner.startsWith(`${outer}.`);
}

function setText(set: SetOverride): string {
  return set.text.length > 60 ? `${set.text.slice(0, 57)}...` : set.text;
}

/** Validates an already-parsed scenario object (tests and `--set` use this too). */
export function validateScenario(
  value: unknown,
  fallbackName: string,
  lineOf: (path: readonly PropertyKey[]) => number | undefined = () => undefined,
  source?: string,
): Scenario {
  const result = scenarioSchema.safeParse(value);
  if (!result.success)
    throw new InputError(
      inLineOrder(zodProblems(result.error.issues, value, '(scenario)', lineOf, scenarioSchema)),
      source,
    );
  const scenario = resolveScenario(result.data, fallbackName);
  assertEconomy(scenario.economy);
  return scenario;
}

/** Where an `extends:` pointed from: the extending file, its line, and the path as written. */
interface ExtendsRef {
  file: string;
  line: number | undefined;
  text: string;
}

function readRaw(file: string, seen: Set<string>, via?: ExtendsRef, field = 'scenario'): Parsed {
  const path = resolve(file);
  // The scenario named on the command line is blamed as its flag or argument; a file reached through
  // `extends:` on that line of the file that extends it.
  const fail = (expected: string, found: string) =>
    via === undefined
      ? new InputError({ field, expected, found })
      : new InputError(
          { field: 'extends', expected, found: `${shown(via.text)} (${path}): ${found}`, line: via.line },
          via.file,
        );
  // An empty name (an unset shell variable) would read the working directory: said as what it is.
  if (file.trim() === '') throw fail('a readable YAML file', 'an empty path');
  if (seen.has(path)) throw fail('no cycle of extends', 'a file already on the chain');
  seen.add(path);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const found = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory' : String(code);
    throw fail('a readable YAML file', via === undefined ? `${file}: ${found}` : found);
  }
  // A binary file would parse into dozens of YAML errors quoting its bytes: one problem instead.
  if (bytes.includes(0) || !isUtf8(bytes)) {
    // No NUL but not UTF-8: text saved in another encoding (Latin-1, say), which can be converted.
    const found = bytes.includes(0)
      ? 'binary data'
      : 'text not in UTF-8 (another encoding: save it as UTF-8)';
    if (via !== undefined) throw fail('a YAML text file', found);
    throw new InputError({ field, expected: 'a YAML text file', found }, file);
  }
  const parsed = parseYaml(bytes.toString('utf8'), file);
  const parent = parsed.value.extends;
  if (parent === undefined) return parsed;
  const line = parsed.lineOf(['extends']);
  if (typeof parent !== 'string')
    throw new InputError({ field: 'extends', expected: 'a file path', found: shown(parent), line }, file);
  const base = readRaw(resolve(dirname(path), parent), seen, { file, line, text: parent });
  const { extends: _drop, ...own } = parsed.value;
  const { name: _baseName, description: _baseDescription, ...inherited } = base.value;
  return { value: deepMerge(inherited, own), lineOf: (p) => parsed.lineOf(p) };
}

/** A YAML file whose top must be a mapping; `what` names it in that error (a scenario, a targets file). */
export function parseYaml(text: string, file: string, what = 'scenario'): Parsed {
  const { value, doc, lineCounter } = readYaml(text, file);
  if (!isRecord(value)) {
    const found = doc.contents === null ? 'an empty file' : shown(value);
    throw new InputError({ field: what, expected: 'a YAML mapping at the top', found }, file);
  }
  // The line of the value at `path`, or of the mapping that should have held it; never a guess further up.
  const lineOf = (path: readonly PropertyKey[]): number | undefined => {
    for (let n = path.length; n >= Math.max(1, path.length - 1); n--) {
      const node = doc.getIn(path.slice(0, n) as unknown[], true) as
        | { range?: [number, number, number] }
        | undefined;
      if (node !== undefined && isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  return { value: value as Record<string, unknown>, lineOf };
}

function isNode(node: unknown): boolean {
  return typeof node === 'object' && node !== null && ('range' in node || isMap(node) || isSeq(node));
}

function fromSet(path: readonly PropertyKey[], setPaths: readonly string[]): boolean {
  const dotted = path.map(String).join('.');
  return setPaths.some((p) => dotted === p || dotted.startsWith(`${p}.`));
}

/** Maps merge key by key; lists and scalars from `over` replace those of `base`. */
export function deepMerge(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prev = out[key];
    out[key] = isRecord(prev) && isRecord(value) ? deepMerge(prev, value) : value;
  }
  return out;
}
