/**
 * Designs of experiments: which points (one value per varied path) a sweep runs. (The global
 * sensitivity designs, `sobol` and `morris`, live in sobol.ts and morris.ts; they sample ranges as
 * `lhs` does, through checkSampledAxes and mapUnit below.)
 *
 * - `grid`: the full factorial product, first `--vary` slowest (row-major), in that order.
 * - `lhs`: a Latin hypercube of n points — in every dimension, each of the n equal-width strata of
 *   [0, 1) holds exactly one point; a point's unit coordinate maps onto the path's range (continuous
 *   and rounded for the path, snapped to a step's grid, or onto a list's values in equal shares: lists
 *   only for paths that are not numbers, such as a curve's name; a list of numbers is refused).
 * - `tornado`: one at a time — the baseline (every path at the scenario's own value), then for each
 *   path in order its low (first value) and its high (last value) with the others at baseline.
 *
 * Pure and seeded: the same axes, n and seed give the same points on every machine.
 */
import seedrandom from 'seedrandom';
import { assert } from '../../common/assert.ts';
import { InputError } from '../../common/input-error.ts';
import { limits } from '../../common/limits.ts';
import type { Rng } from '../../sim/random/streams.ts';
import { type PathKind, roundForPath } from './path-kind.ts';
import type { Axis, Scalar } from './vary.ts';

export type Design = 'grid' | 'lhs' | 'tornado' | 'sobol' | 'morris';
export const DESIGNS: readonly Design[] = ['grid', 'lhs', 'tornado', 'sobol', 'morris'];

/** The flag that asks for a design (for messages). */
export const DESIGN_FLAGS: Record<Design, string> = {
  grid: '--vary alone (a grid)',
  lhs: '--lhs',
  tornado: '--tornado',
  sobol: '--sobol',
  morris: '--morris',
};

/** What each sampled design's flag takes, as its usage says it. */
const DESIGN_ARGUMENTS: Record<Exclude<Design, 'grid'>, string> = {
  lhs: ' n',
  tornado: '',
  sobol: ' n',
  morris: ' r',
};

/** The sampled designs' flags in words, for messages: `--lhs n, --tornado, --sobol n or --morris r`. */
export function sampledDesigns(): string {
  const all = (Object.keys(DESIGN_ARGUMENTS) as (keyof typeof DESIGN_ARGUMENTS)[]).map(
    (d) => `${DESIGN_FLAGS[d]}${DESIGN_ARGUMENTS[d]}`,
  );
  return `${all.slice(0, -1).join(', ')} or ${all.at(-1)}`;
}

/**
 * `baseline`: the scenario as given (a tornado's centre, or the point a sweep adds to compare every
 * point with); `sobol-A`/`sobol-B`/`sobol-AB`: rows of Saltelli's matrices; `morris`: a trajectory's step.
 */
export type PointRole =
  | 'grid'
  | 'lhs'
  | 'baseline'
  | 'low'
  | 'high'
  | 'sobol-A'
  | 'sobol-B'
  | 'sobol-AB'
  | 'morris';

/** A point's value at a path; null only at an added baseline point whose scenario has no value there. */
export type PointValue = Scalar | null;

export interface SweepPoint {
  /** 0-based, the point's place in the sweep (and in sweep.csv). */
  id: number;
  /** One value per axis, in `--vary` order. */
  values: PointValue[];
  role: PointRole;
  /**
   * Tornado low/high: the axis moved off its baseline; Sobol AB: the axis taken from B; Morris: the
   * axis moved from the trajectory's previous step.
   */
  moved?: number;
  /** Sampled designs: the point's coordinate in [0, 1] per axis, before mapping and rounding. */
  unit?: number[];
  /** Sobol: the base sample (row of A and B); Morris: the trajectory. */
  sample?: number;
  /** Morris: the step along its trajectory (0 = its start). */
  step?: number;
}

export function gridPoints(axes: readonly Axis[]): SweepPoint[] {
  for (const a of axes) {
    if (a.kind === 'continuous') {
      throw new InputError({
        field: `--vary ${a.path}`,
        expected: `lo:hi:step or a list for a grid (a continuous lo:hi needs ${sampledDesigns()})`,
        found: a.text,
      });
    }
  }
  const total = axes.reduce((n, a) => n * a.values.length, 1);
  if (total > limits.sweepPointsMax) {
    throw new InputError({
      field: '--vary',
      expected: `a grid of at most ${limits.sweepPointsMax} points (or --lhs n)`,
      found: `${axes.map((a) => a.values.length).join(' × ')} = ${total} points`,
    });
  }
  const points: SweepPoint[] = [];
  for (let id = 0; id < total; id++) {
    let rest = id;
    const values: Scalar[] = new Array(axes.length);
    for (let d = axes.length - 1; d >= 0; d--) {
      const k = axes[d].values.length;
      values[d] = axes[d].values[rest % k];
      rest = Math.floor(rest / k);
    }
    points.push({ id, values, role: 'grid' });
  }
  return points;
}

/**
 * The stream a sampled design (or its bootstrap) draws from, keyed like the engine's streams (see
 * sim/random/streams.ts): `giftlab:<seed>:sweep:<what>`.
 */
export function designRng(seed: number, what: string): Rng {
  return seedrandom.xor4096(`giftlab:${seed}:sweep:${what}`);
}

export function lhsRng(seed: number): Rng {
  return designRng(seed, 'lhs');
}

/**
 * Axes a sampled design (LHS, Sobol, Morris) can draw from: a numeric path over a range with some
 * width, or a list of values for a path that is not a number (a curve's name: dealt out in equal shares).
 */
export function checkSampledAxes(
  axes: readonly Axis[],
  kinds: readonly PathKind[],
  design: 'lhs' | 'sobol' | 'morris',
  points: number,
): void {
  assert(kinds.length === axes.length, 'one kind per axis');
  const flag = DESIGN_FLAGS[design];
  const what = {
    lhs: 'a Latin hypercube samples ranges',
    sobol: 'Saltelli sampling draws from ranges',
    morris: 'Morris trajectories step through ranges',
  }[design];
  axes.forEach((a, d) => {
    if (a.kind !== 'list' && kinds[d] === 'other') {
      throw new InputError({
        field: `--vary ${a.path}`,
        expected: 'a numeric scenario path for a range (or a list of values)',
        found: a.text,
      });
    }
    // A sampled design draws from ranges; a list of numbers would only be dealt out again and again.
    if (a.kind === 'list' && kinds[d] !== 'other') {
      throw new InputError({
        field: `--vary ${a.path}`,
        expected: `a range lo:hi or lo:hi:step with ${flag} (${what}: a list of numbers would repeat its ${a.values.length === 1 ? 'value' : `${a.values.length} values`} over ${points} points; without ${flag} a grid runs each once)`,
        found: a.text,
      });
    }
    if (a.kind !== 'list' && !((a.lo as number) < (a.hi as number))) {
      throw new InputError({
        field: `--vary ${a.path}`,
        expected: `a range lo:hi with lo < hi for ${flag} (an empty range has nothing to sample)`,
        found: a.text,
      });
    }
    if (a.kind === 'list' && a.values.length < 2) {
      throw new InputError({
        field: `--vary ${a.path}`,
        expected: `at least two values for ${flag} (one value does not vary)`,
        found: a.text,
      });
    }
  });
}

export function lhsPoints(
  axes: readonly Axis[],
  kinds: readonly PathKind[],
  n: number,
  rng: Rng,
): SweepPoint[] {
  assert(Number.isSafeInteger(n) && n >= 1 && n <= limits.sweepPointsMax, 'LHS size out of bounds');
  checkSampledAxes(axes, kinds, 'lhs', n);
  const unit = axes.map(() => stratified(n, rng));
  return Array.from({ length: n }, (_, id) => ({
    id,
    role: 'lhs' as const,
    unit: axes.map((_, d) => unit[d][id]),
    values: axes.map((a, d) => mapUnit(a, kinds[d], unit[d][id])),
  }));
}

/** n draws in [0, 1), one in each stratum [j/n, (j+1)/n), in a random order (Fisher–Yates). */
export function stratified(n: number, rng: Rng): number[] {
  const order = Array.from({ length: n }, (_, j) => j);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order.map((j) => (j + rng()) / n);
}

/** A unit coordinate in [0, 1] as a value of the axis (1 is the range's upper end, a list's last value). */
export function mapUnit(axis: Axis, kind: PathKind, u: number): Scalar {
  assert(u >= 0 && u <= 1, 'unit coordinate in [0, 1]');
  if (axis.kind === 'list')
    return axis.values[Math.min(axis.values.length - 1, Math.floor(u * axis.values.length))];
  const lo = axis.lo as number;
  const hi = axis.hi as number;
  const x = lo + u * (hi - lo);
  if (axis.kind === 'continuous') return roundForPath(x, kind);
  // A stepped range: the nearest value of its grid.
  const grid = axis.values as number[];
  const k = Math.min(grid.length - 1, Math.max(0, Math.round((x - lo) / (axis.step as number))));
  return grid[k];
}

/** Baseline, then low and high of each axis in order. */
export function tornadoPoints(axes: readonly Axis[], baseline: readonly Scalar[]): SweepPoint[] {
  assert(baseline.length === axes.length, 'one baseline value per axis');
  const points: SweepPoint[] = [{ id: 0, values: [...baseline], role: 'baseline' }];
  axes.forEach((a, d) => {
    if (a.values.length < 2) {
      throw new InputError({
        field: `--vary ${a.path}`,
        expected: 'a low and a high value for --tornado (its first and last)',
        found: a.text,
      });
    }
    for (const role of ['low', 'high'] as const) {
      const values = [...baseline];
      values[d] = role === 'low' ? a.values[0] : a.values[a.values.length - 1];
      points.push({ id: points.length, values, role, moved: d });
    }
  });
  return points;
}
