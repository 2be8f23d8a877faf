/**
 * Screening by elementary effects (`sweep --morris r`, Morris 1991, with Campolongo et al.'s μ*): cheap
 * enough for many paths, it ranks them rather than apportioning variance.
 *
 * Design: r trajectories, each of D + 1 points on a grid of MORRIS_LEVELS levels per path (0, 1/3, 2/3
 * and 1 of its range). A trajectory starts at a random grid point and moves one path at a time, in a
 * random order, by Δ = levels / (2 (levels − 1)) = 2/3 of the range, up or down as its start allows:
 * each path moves exactly once per trajectory. Drawn from the stream `giftlab:<seed>:sweep:morris`;
 * points are numbered trajectory by trajectory, step by step.
 *
 * The elementary effect of a step is the KPI's change over the path's change, the latter as a share of
 * the path's range (measured on the values the scenario received, after rounding): for a linear KPI
 * y = c·x over lo:hi every effect is c·(hi − lo). Per path over its r effects: μ (mean), μ* (mean of
 * absolute values: how much the path matters), σ (their standard deviation: non-linearity or
 * interaction with other paths), and a percentile bootstrap 95 % CI of μ* over the trajectories (stream
 * `giftlab:<seed>:sweep:morris-bootstrap`). A list of values (a path that is not a number) moves by its
 * unit coordinate instead.
 *
 * Replication noise. Each point is a mean over R replications, so each effect carries the noise of a
 * difference of two means: none when the step changes nothing that is drawn (common random numbers
 * cancel it), fresh noise when it does (a path that moves creators' streams reshuffles every later
 * draw). With R ≥ 2 it is measured step by step: the effect replication by replication, its variance
 * over the replications / R, is the noise variance of the effect (unbiased). Per path: the effect's
 * noise sd, √(mean over trajectories), in the KPI's unit per whole range — μ* of a path whose effects
 * are pure noise comes out near 0.8 of it — and the path's noise share, Σ_t noise / Σ_t effect² (the
 * share of its effects' mean square that is noise); per KPI the noise share over every path's effects.
 * μ* and σ are not corrected (|effect| has no unbiased noise correction): the shares say how far to
 * trust them.
 */
import { assert } from '../../common/assert.ts';
import { limits } from '../../common/limits.ts';
import type { Rng } from '../../sim/random/streams.ts';
import { describe } from '../stats.ts';
import { checkSampledAxes, mapUnit, type SweepPoint } from './design.ts';
import type { PathKind } from './path-kind.ts';
import { percentileCi } from './sobol.ts';
import type { Axis } from './vary.ts';

/** Grid levels per path (even, so that every level has a partner Δ away). */
export const MORRIS_LEVELS = 4;
/** The jump, in units of a path's range. */
export const MORRIS_DELTA = MORRIS_LEVELS / (2 * (MORRIS_LEVELS - 1));
/** Bootstrap resamples behind μ*'s CI. */
export const MORRIS_RESAMPLES = 1000;

export function morrisPointCount(trajectories: number, dims: number): number {
  return trajectories * (dims + 1);
}

/** Unit coordinates of one trajectory: D + 1 points, and the path each step moved. */
export function morrisTrajectory(dims: number, rng: Rng): { unit: number[]; moved?: number }[] {
  const half = MORRIS_LEVELS / 2;
  // Each path's pair of levels Δ apart, and which of the two it starts at.
  const low = Array.from({ length: dims }, () => Math.floor(rng() * half) / (MORRIS_LEVELS - 1));
  const up = Array.from({ length: dims }, () => rng() < 0.5);
  const order = Array.from({ length: dims }, (_, d) => d);
  for (let i = dims - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const at = (moved: ReadonlySet<number>) =>
    low.map((l, d) => snap(up[d] !== moved.has(d) ? l : l + MORRIS_DELTA));
  const done = new Set<number>();
  const steps: { unit: number[]; moved?: number }[] = [{ unit: at(done) }];
  for (const d of order) {
    done.add(d);
    steps.push({ unit: at(done), moved: d });
  }
  return steps;
}

/** A grid level, exactly: k / (levels − 1), free of the additions' rounding. */
function snap(u: number): number {
  return Math.round(u * (MORRIS_LEVELS - 1)) / (MORRIS_LEVELS - 1);
}

export function morrisPoints(
  axes: readonly Axis[],
  kinds: readonly PathKind[],
  trajectories: number,
  rng: Rng,
): SweepPoint[] {
  const dims = axes.length;
  const total = morrisPointCount(trajectories, dims);
  assert(Number.isSafeInteger(trajectories) && trajectories >= 2, 'Morris trajectories out of bounds');
  assert(total <= limits.sweepPointsMax, 'Morris design too large (checked by the plan)');
  checkSampledAxes(axes, kinds, 'morris', total);
  const points: SweepPoint[] = [];
  for (let t = 0; t < trajectories; t++) {
    for (const [step, s] of morrisTrajectory(dims, rng).entries()) {
      points.push({
        id: points.length,
        role: 'morris',
        sample: t,
        step,
        ...(s.moved === undefined ? {} : { moved: s.moved }),
        unit: s.unit,
        values: axes.map((axis, d) => mapUnit(axis, kinds[d], s.unit[d])),
      });
    }
  }
  return points;
}

/**
 * The elementary effects of one output: effects[path][trajectory]. `y` gives the output at a point id;
 * points that are not Morris steps are ignored.
 */
export function elementaryEffects(
  points: readonly SweepPoint[],
  axes: readonly Axis[],
  kinds: readonly PathKind[],
  trajectories: number,
  y: (id: number) => number,
): number[][] {
  return perStep(points, axes, kinds, trajectories, (from, to, move) => (y(to) - y(from)) / move);
}

/**
 * The noise variance of each elementary effect: noise[path][trajectory], the variance over the
 * replications of the step's effect replication by replication, / R. `ys` gives a point's replications
 * (in replication order, R ≥ 2 of them at every point); null with one replication (no noise to measure).
 */
export function effectNoise(
  points: readonly SweepPoint[],
  axes: readonly Axis[],
  kinds: readonly PathKind[],
  trajectories: number,
  ys: (id: number) => readonly number[],
): number[][] | null {
  const first = points.find((p) => p.role === 'morris');
  if (first === undefined || ys(first.id).length < 2) return null;
  return perStep(points, axes, kinds, trajectories, (from, to, move) => {
    const a = ys(from);
    const b = ys(to);
    assert(a.length === b.length, 'as many replications at every point');
    const R = a.length;
    const d = b.map((x, r) => (x - a[r]) / move);
    const mean = d.reduce((s, x) => s + x, 0) / R;
    return d.reduce((s, x) => s + (x - mean) ** 2, 0) / (R - 1) / R;
  });
}

/** One figure per step of every trajectory, by moved path: `of(from id, to id, the path's move)`. */
function perStep(
  points: readonly SweepPoint[],
  axes: readonly Axis[],
  kinds: readonly PathKind[],
  trajectories: number,
  of: (from: number, to: number, move: number) => number,
): number[][] {
  const out = axes.map(() => new Array<number>(trajectories).fill(Number.NaN));
  let previous: SweepPoint | undefined;
  for (const p of points) {
    if (p.role !== 'morris') continue;
    if (p.step !== 0 && previous !== undefined) {
      const d = p.moved as number;
      assert(previous.sample === p.sample && previous.step === (p.step as number) - 1, 'trajectory order');
      out[d][p.sample as number] = of(previous.id, p.id, moveOf(axes[d], kinds[d], previous, p, d));
    }
    previous = p;
  }
  assert(
    out.every((e) => e.every((x) => !Number.isNaN(x))),
    'one effect per path and trajectory',
  );
  return out;
}

/** How far a step moved path d, as a share of its range (or of the unit interval for a list). */
function moveOf(axis: Axis, kind: PathKind, from: SweepPoint, to: SweepPoint, d: number): number {
  const unit = (to.unit as number[])[d] - (from.unit as number[])[d];
  if (axis.kind === 'list' || kind === 'other') return unit;
  const dx =
    ((to.values[d] as number) - (from.values[d] as number)) / ((axis.hi as number) - (axis.lo as number));
  // Rounding to the path's precision cannot erase a 2/3-of-the-range move, but a coarse step grid might.
  return dx === 0 ? unit : dx;
}

export interface MorrisStats {
  /** Mean elementary effect (signed: the direction, when it does not change). */
  mu: number;
  /** Mean absolute elementary effect: how much the path matters, in KPI units per its whole range. */
  muStar: number;
  muStarCi95: [number, number];
  /** Spread of the effects: non-linearity or interaction with other paths. */
  sigma: number;
  /** Effects behind the figures (r). */
  effects: number;
  /** The output's noise share over every path's effects; NaN with one replication. */
  noiseShare: number;
  /** This path's: the share of its effects' mean square that is replication noise; NaN with one replication. */
  pathNoiseShare: number;
  /** The sd of the noise in one of its effects (KPI unit per whole range); NaN with one replication. */
  effectNoiseSd: number;
}

/**
 * μ, μ*, σ and μ*'s bootstrap CI for each output and path: effects[output][path][trajectory]; given
 * the effects' noise variances (noise[output], as effectNoise gives them, or null), the noise shares
 * and noise sd. The resampled trajectories are the same for every output and path.
 */
export function morrisStats(
  effects: readonly number[][][],
  resamples: number,
  rng: Rng,
  noise?: readonly (number[][] | null)[],
): MorrisStats[][] {
  assert(effects.length > 0 && effects[0].length > 0, 'effects of at least one output and path');
  const r = effects[0][0].length;
  const boot = effects.map((paths) => paths.map(() => new Float64Array(resamples)));
  const rows = new Int32Array(r);
  for (let b = 0; b < resamples; b++) {
    for (let j = 0; j < r; j++) rows[j] = Math.floor(rng() * r);
    effects.forEach((paths, k) => {
      paths.forEach((ee, d) => {
        let sum = 0;
        for (const j of rows) sum += Math.abs(ee[j]);
        boot[k][d][b] = sum / r;
      });
    });
  }
  return effects.map((paths, k) => {
    const nk = noise?.[k] ?? null;
    const total = (xs: readonly number[]) => xs.reduce((sum, x) => sum + x, 0);
    const squares = (ee: readonly number[]) => total(ee.map((x) => x * x));
    const ratio = (num: number, den: number) => (nk === null || !(den > 0) ? Number.NaN : num / den);
    const noiseShare = ratio(nk === null ? 0 : total(nk.map(total)), total(paths.map(squares)));
    return paths.map((ee, d) => {
      const s = describe(ee);
      const muStar = ee.reduce((sum, x) => sum + Math.abs(x), 0) / r;
      return {
        mu: s.mean,
        muStar,
        muStarCi95: percentileCi(boot[k][d], muStar),
        sigma: s.sd,
        effects: r,
        noiseShare,
        pathNoiseShare: ratio(nk === null ? 0 : total(nk[d]), squares(ee)),
        effectNoiseSd: nk === null ? Number.NaN : Math.sqrt(total(nk[d]) / r),
      };
    });
  });
}
