/**
 * The box a calibration searches: `--fit path=lo:hi` flags, one per fitted scenario path. Any numeric
 * path of the scenario schema may be fitted (the model's paths change; this reads the schema, so a new
 * numeric field can be fitted the day it exists). Each problem names the flag and the path: a path that
 * is not a number, a range that is empty or inverted, a path given twice (exit 2).
 *
 * Candidates live in the unit box [0, 1]^n (what the optimiser sees); `pathValueAt` maps a unit coordinate
 * onto the path's range, rounded as the path needs (whole numbers for integer paths, 4 decimals else).
 */
import { InputError, shown } from '../../common/input-error.ts';
import { limits } from '../../common/limits.ts';
import { dottedPath, parsePath } from '../../scenarios/overrides.ts';
import { type PathKind, pathKind, roundForPath } from '../sweep/path-kind.ts';
import { eachPathOnce } from '../sweep/vary.ts';

export interface FitAxis {
  path: string;
  /** What followed `=`, as typed. */
  text: string;
  lo: number;
  hi: number;
  kind: Exclude<PathKind, 'other'>;
}

const NUMBER = String.raw`[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?`;
const RANGE = new RegExp(`^\\s*(${NUMBER})\\s*:\\s*(${NUMBER})\\s*$`);
export const FIT_FORM = 'path=lo:hi, e.g. viewers.payerShare=0.02:0.08';

export function parseFit(text: string): FitAxis {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new InputError({ field: '--fit', expected: FIT_FORM, found: shown(text) });
  // One reader of paths with --set and --vary: `packs[0]` and `packs.0` are the same path, kept dotted.
  const path = dottedPath(parsePath(text.slice(0, eq).trim(), '--fit'));
  const body = text.slice(eq + 1);
  const field = `--fit ${path}`;
  const kind = pathKind(path);
  if (kind === 'other') {
    throw new InputError({
      field,
      expected:
        'a path the scenario schema holds a number at (e.g. viewers.payerShare, viewers.giftsPerHour)',
      found: shown(path),
    });
  }
  const m = RANGE.exec(body);
  if (m === null) throw new InputError({ field, expected: 'lo:hi, two numbers', found: shown(body) });
  const lo = Number(m[1]);
  const hi = Number(m[2]);
  if (!(lo < hi)) {
    throw new InputError({
      field,
      expected: 'lo:hi with lo < hi',
      found: `${shown(body)}, ${lo === hi ? 'an empty' : 'an inverted'} range`,
    });
  }
  if (kind === 'integer' && Math.floor(hi) - Math.ceil(lo) < 1) {
    throw new InputError({
      field,
      expected: 'a range holding at least two whole numbers (an integer path)',
      found: shown(body),
    });
  }
  return { path, text: body, lo, hi, kind };
}

export function parseFits(texts: readonly string[]): FitAxis[] {
  if (texts.length === 0)
    throw new InputError({ field: '--fit', expected: `at least one ${FIT_FORM}`, found: 'none' });
  if (texts.length > limits.fitPathsMax) {
    throw new InputError({
      field: '--fit',
      expected: `at most ${limits.fitPathsMax} paths at once (the response surface needs two candidates per coefficient)`,
      found: `${texts.length}`,
    });
  }
  return eachPathOnce('--fit', texts.map(parseFit));
}

/** The path's value at unit coordinate u ∈ [0, 1], rounded for the path and kept inside [lo, hi]. */
export function pathValueAt(axis: FitAxis, u: number): number {
  const x = roundForPath(axis.lo + u * (axis.hi - axis.lo), axis.kind);
  const [lo, hi] = axis.kind === 'integer' ? [Math.ceil(axis.lo), Math.floor(axis.hi)] : [axis.lo, axis.hi];
  return Math.min(hi, Math.max(lo, x));
}

/** The unit coordinate of a value (clamped into the box). */
export function unitOf(axis: FitAxis, value: number): number {
  return Math.min(1, Math.max(0, (value - axis.lo) / (axis.hi - axis.lo)));
}
