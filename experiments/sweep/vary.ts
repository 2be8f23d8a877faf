/**
 * `--vary path=…` flags: a scenario path and the values a sweep gives it. Three forms:
 *
 * - a list `path=v1,v2,…` — each value read as YAML like `--set` reads it (`0.4`, `true`, `6h`);
 * - a range `path=lo:hi:step` — lo, lo + step, … up to hi (inclusive when it lands on hi);
 * - a continuous range `path=lo:hi` — only where a design samples it (`--lhs`, or `--tornado`'s ends).
 *
 * Every problem names the flag and the path (`--vary payout.creatorShare: expected …, found …`).
 */
import { InputError, shown } from '../../common/input-error.ts';
import { limits } from '../../common/limits.ts';
import { readYamlValue } from '../../common/yaml-read.ts';
import { dottedPath, parsePath } from '../../scenarios/overrides.ts';

/** A value a path can take in a sweep. */
export type Scalar = number | string | boolean;

export type AxisKind = 'list' | 'range' | 'continuous';

export interface Axis {
  /** Scenario path as in `--set`, dotted (`packs[0]` is kept as `packs.0`). */
  path: string;
  /** What followed `=`, as typed. */
  text: string;
  kind: AxisKind;
  /** The grid values (list, range); for a continuous range its two ends. */
  values: Scalar[];
  /** Ranges only. */
  lo?: number;
  hi?: number;
  /** `range` only. */
  step?: number;
}

export const VARY_FORMS =
  'path=v1,v2,… or path=lo:hi:step (path=lo:hi with --lhs, --tornado, --sobol or --morris)';

const NUMBER = String.raw`[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?`;
const RANGE = new RegExp(`^\\s*(${NUMBER})\\s*:\\s*(${NUMBER})\\s*(?::\\s*(${NUMBER})\\s*)?$`);

/** Scenario fields that label a run without changing it. */
const LABELS: readonly string[] = ['name', 'description'];

export function parseVary(text: string): Axis {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new InputError({ field: '--vary', expected: VARY_FORMS, found: shown(text) });
  // One reader of paths with --set: `packs[0]` and `packs.0` are the same path, kept dotted.
  const path = dottedPath(parsePath(text.slice(0, eq), '--vary'));
  const body = text.slice(eq + 1);
  const field = `--vary ${path}`;
  if (body.trim() === '') throw new InputError({ field, expected: VARY_FORMS, found: 'no values' });
  // A label's points are one run under several names.
  if (LABELS.includes(path))
    throw new InputError({
      field,
      expected:
        'a field the model reads (name and description only label a run: every point would be the same)',
      found: path,
    });
  const range = RANGE.exec(body);
  return range === null ? listAxis(path, body, field) : rangeAxis(path, body, range, field);
}

function listAxis(path: string, body: string, field: string): Axis {
  const parts = body.split(',');
  if (parts.length > limits.sweepPointsMax) {
    throw new InputError({
      field,
      expected: `at most ${limits.sweepPointsMax} values`,
      found: `${parts.length}`,
    });
  }
  const values = parts.map((part, i) => {
    if (part.trim() === '') {
      throw new InputError({
        field,
        expected: 'a value between every pair of commas',
        found: `an empty value (#${i + 1})`,
      });
    }
    const value = readYamlValue(part, field, 'YAML scalar values');
    if (typeof value !== 'number' && typeof value !== 'string' && typeof value !== 'boolean') {
      throw new InputError({ field, expected: 'a number, string or true/false', found: shown(part.trim()) });
    }
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new InputError({ field, expected: 'a finite number', found: shown(part.trim()) });
    }
    return value;
  });
  // A value twice is a point twice: the same runs, labelled as two.
  const twice = values.findIndex((v, i) => values.indexOf(v) !== i);
  if (twice >= 0)
    throw new InputError({
      field,
      expected: 'each value once',
      found: `${shown(parts[twice].trim())} again (#${twice + 1})`,
    });
  return { path, text: body, kind: 'list', values };
}

function rangeAxis(path: string, body: string, m: RegExpExecArray, field: string): Axis {
  const lo = Number(m[1]);
  const hi = Number(m[2]);
  if (!(lo <= hi)) throw new InputError({ field, expected: 'lo:hi with lo <= hi', found: shown(body) });
  if (m[3] === undefined) return { path, text: body, kind: 'continuous', values: [lo, hi], lo, hi };
  const step = Number(m[3]);
  if (!(step > 0)) throw new InputError({ field, expected: 'a step > 0', found: shown(m[3]) });
  const steps = Math.floor((hi - lo) / step + 1e-9);
  if (steps + 1 > limits.sweepPointsMax) {
    throw new InputError({
      field,
      expected: `at most ${limits.sweepPointsMax} values`,
      found: `${steps + 1} (${body})`,
    });
  }
  const digits = Math.max(decimals(m[1]), decimals(m[2]), decimals(m[3]));
  const values: number[] = [];
  for (let k = 0; k <= steps; k++) values.push(roundTo(lo + k * step, digits));
  return { path, text: body, kind: 'range', values, lo, hi, step };
}

/** Decimal places a number was typed with (`0.05` → 2, `1e-3` → 3), so grid values print as typed. */
export function decimals(text: string): number {
  const [mantissa, exponent] = text.toLowerCase().split('e');
  const frac = mantissa.includes('.') ? mantissa.split('.')[1].length : 0;
  return Math.min(12, Math.max(0, frac - Number(exponent ?? 0)));
}

/** Rounds to `digits` decimal places, away from binary noise (0.1 + 0.2 → 0.3). */
export function roundTo(x: number, digits: number): number {
  return Number(x.toFixed(digits));
}

/** Parses every flag; a path given twice is an error (which values would win?). */
export function parseVaries(texts: readonly string[]): Axis[] {
  if (texts.length === 0)
    throw new InputError({ field: '--vary', expected: `at least one ${VARY_FORMS}`, found: 'none' });
  return eachPathOnce('--vary', texts.map(parseVary));
}

/** `axes` when no path comes twice (--vary's, --fit's: which values would win?), else exit 2 naming it. */
export function eachPathOnce<A extends { path: string }>(flag: string, axes: A[]): A[] {
  const seen = new Set<string>();
  for (const a of axes) {
    if (seen.has(a.path))
      throw new InputError({ field: `${flag} ${a.path}`, expected: 'each path once', found: 'twice' });
    seen.add(a.path);
  }
  return axes;
}
