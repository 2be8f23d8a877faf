/**
 * Turns zod issues into `InputProblem`s — path, what was expected, what was found — the one wording
 * used for every validated input: scenario files, workload plans, target profiles.
 */
import type { z } from 'zod';
import { type InputProblem, shown } from './input-error.ts';

export type LineOf = (path: readonly PropertyKey[]) => number | undefined;

export function zodProblems(
  issues: readonly z.core.$ZodIssue[],
  root: unknown,
  rootName: string,
  lineOf: LineOf = () => undefined,
): InputProblem[] {
  return issues.flatMap((issue) => toProblems(issue, root, rootName, lineOf));
}

function toProblems(
  issue: z.core.$ZodIssue,
  root: unknown,
  rootName: string,
  lineOf: LineOf,
): InputProblem[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const path = [...issue.path, key] as PropertyKey[];
      return {
        field: path.map(String).join('.'),
        expected: 'no such field (a typo?)',
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
      return issue.expected === 'object'
        ? 'a mapping'
        : issue.expected === 'array'
          ? 'a list'
          : `a ${issue.expected}`;
    case 'too_small':
      return issue.origin === 'array'
        ? `at least ${issue.minimum} item(s)`
        : `${issue.inclusive ? '>=' : '>'} ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'array'
        ? `at most ${issue.maximum} item(s)`
        : `${issue.inclusive ? '<=' : '<'} ${issue.maximum}`;
    case 'invalid_value':
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      return issue.message ?? `a ${issue.format}`;
    case 'not_multiple_of':
      return `a multiple of ${issue.divisor}`;
    default:
      return issue.message;
  }
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
