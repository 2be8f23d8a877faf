/**
 * Turns zod issues into `InputProblem`s — path, what was expected, what was found — the one wording
 * used for every validated input: scenario files, workload plans, target profiles.
 */
import type { z } from 'zod';
import { type InputProblem, shown } from './input-error.ts';

export type LineOf = (path: readonly PropertyKey[]) => number | undefined;

/**
 * `schema`, when given, is the one `issues` came from: an unknown field then gets the known field of
 * its mapping it was probably meant to be ("did you mean creatorShare?").
 */
export function zodProblems(
  issues: readonly z.core.$ZodIssue[],
  root: unknown,
  rootName: string,
  lineOf: LineOf = () => undefined,
  schema?: z.core.$ZodType,
): InputProblem[] {
  return tightestBounds(issues).flatMap((issue) => toProblems(issue, root, rootName, lineOf, schema));
}

/**
 * One bound per side of a number: an integer past 2^53 breaks both `.int()`'s safe range and the
 * field's own limit, and "expected <= 9007199254740991" beside "expected <= 10000000" says less.
 */
function tightestBounds(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  const bound = (i: z.core.$ZodIssue) =>
    (i.code === 'too_big' || i.code === 'too_small') && (i.origin === 'number' || i.origin === 'int')
      ? `${i.code} ${i.path.map(String).join('.')}`
      : undefined;
  const value = (i: z.core.$ZodIssue) =>
    i.code === 'too_big' ? Number(i.maximum) : i.code === 'too_small' ? -Number(i.minimum) : 0;
  return issues.filter((issue) => {
    const key = bound(issue);
    return (
      key === undefined ||
      !issues.some((other) => other !== issue && bound(other) === key && value(other) < value(issue))
    );
  });
}

function toProblems(
  issue: z.core.$ZodIssue,
  root: unknown,
  rootName: string,
  lineOf: LineOf,
  schema: z.core.$ZodType | undefined,
): InputProblem[] {
  if (issue.code === 'unrecognized_keys') {
    const known = schema === undefined ? [] : keysAt(schema, issue.path);
    return issue.keys.map((key) => {
      const path = [...issue.path, key] as PropertyKey[];
      const near = closest(key, known);
      return {
        field: path.map(String).join('.'),
        expected: near === undefined ? 'no such field (a typo?)' : `no such field (did you mean ${near}?)`,
        found: shown(valueAt(root, path).value),
        line: lineOf(path),
      };
    });
  }
  const path = issue.path as PropertyKey[];
  const found = valueAt(root, path);
  return [
    {
      field: path.length === 0 ? rootName : path.map(String).join('.'),
      expected: expectedOf(issue),
      found: found.present ? shown(found.value) : 'nothing',
      line: lineOf(path),
    },
  ];
}

function expectedOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return typeName(issue.expected);
    case 'too_small':
      return issue.origin === 'array' || issue.origin === 'string'
        ? `at least ${counted(Number(issue.minimum), issue.origin)}`
        : `${issue.inclusive ? '>=' : '>'} ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'array' || issue.origin === 'string'
        ? `at most ${counted(Number(issue.maximum), issue.origin)}`
        : `${issue.inclusive ? '<=' : '<'} ${issue.maximum}`;
    case 'invalid_value':
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      return issue.message ?? `a ${issue.format}`;
    case 'not_multiple_of':
      return `a multiple of ${issue.divisor}`;
    case 'invalid_union': {
      // A discriminated union names its tags (`options`): "one of "audience-spike", "price-change"".
      const tags = (issue as { options?: unknown[] }).options;
      if (Array.isArray(tags) && tags.length > 0)
        return `one of ${tags.map((t) => JSON.stringify(t)).join(', ')}`;
      // What each alternative wanted, once each: "a number or a string".
      const wanted = issue.errors.map((branch) => (branch[0] ? expectedOf(branch[0]) : undefined));
      const distinct = [...new Set(wanted.filter((w): w is string => w !== undefined))];
      return distinct.length > 0 ? distinct.join(' or ') : issue.message;
    }
    default:
      // Refinements: their messages are written as what is expected ("at least one motive above 0").
      return issue.message;
  }
}

/** A zod type name as a user reads it after "expected": an integer, a mapping, a list. */
function typeName(type: string): string {
  const names: Record<string, string> = {
    int: 'an integer',
    object: 'a mapping',
    record: 'a mapping',
    map: 'a mapping',
    array: 'a list',
    tuple: 'a list',
    boolean: 'true or false',
    undefined: 'nothing',
    null: 'null',
    nan: 'NaN',
  };
  return names[type] ?? `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}

/** `1 item`, `3 items`, `2,000 characters`. */
function counted(n: number, origin: string): string {
  const noun = origin === 'array' ? 'item' : 'character';
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

/** The value at `path` inside `root`, and whether it is there at all. */
export function valueAt(root: unknown, path: readonly PropertyKey[]): { present: boolean; value?: unknown } {
  let cur: unknown = root;
  for (const key of path) {
    if (typeof cur !== 'object' || cur === null || !(key in cur)) return { present: false };
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return { present: true, value: cur };
}

/** The fields the object schema at `path` knows, or none when there is no object there. */
export function keysAt(schema: z.core.$ZodType, path: readonly PropertyKey[]): string[] {
  let cur: z.core.$ZodType | undefined = unwrap(schema);
  for (const key of path) {
    if (cur === undefined) return [];
    const def = cur._zod.def as z.core.$ZodTypeDef & Record<string, unknown>;
    if (def.type === 'object') cur = (def.shape as Record<string, z.core.$ZodType>)[String(key)];
    else if (def.type === 'record') cur = def.valueType as z.core.$ZodType;
    else if (def.type === 'array') cur = def.element as z.core.$ZodType;
    else return [];
    cur = cur === undefined ? undefined : unwrap(cur);
  }
  const def = cur?._zod.def as (z.core.$ZodTypeDef & Record<string, unknown>) | undefined;
  return def?.type === 'object' ? Object.keys(def.shape as object) : [];
}

/** Through defaults, optionals and transforms to the schema that holds the shape. */
function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let cur = schema;
  // Bounded: each step goes one wrapper in, and schemas are finite trees here (no z.lazy).
  for (let depth = 0; depth < 32; depth++) {
    const def = cur._zod.def as z.core.$ZodTypeDef & Record<string, unknown>;
    if ('innerType' in def) cur = def.innerType as z.core.$ZodType;
    else if (def.type === 'pipe') cur = def.in as z.core.$ZodType;
    else return cur;
  }
  return cur;
}

/** The known name within edit distance 2 of `name` (case aside), the nearest first; undefined if none. */
export function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance (insertions, deletions, substitutions), one row at a time. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length];
}
