/**
 * A calibration's evaluated candidates joined into what its outputs show: the best candidate, an
 * uncertainty range per fitted path, each target against the fitted KPI, the targets the box could not
 * reach (and which bound stood in the way), and the search's progress by generation. Pure: the same
 * history gives the same numbers, bit for bit, whichever process (one run, or a merge of shards)
 * gathered it.
 *
 * The best candidate is the confirming generation's first: the response surface's optimum, simulated —
 * unless its simulated distance is more than WITHIN_NOISE above the lowest any candidate reached (the
 * surface misled), then that lowest candidate. The uncertainty rule: each path's range is the surface's
 * profile interval (the values at which some setting of the other paths keeps the surface's distance
 * within WITHIN_NOISE — χ²₁ at 95 % — of its least), widened to hold the best value. The surface pools
 * the noise of dozens of candidates; a range read off single candidates ("within noise of the lowest
 * distance", also reported as candidateRange) starts from the luckiest draw and is too narrow.
 */
import { assert } from '../../common/assert.ts';
import { InputError } from '../../common/input-error.ts';
import type { Scenario } from '../../scenarios/schema/scenario.ts';
import type { KpiStat } from '../../sim/kpis.ts';
import { type InvariantTotals, totalsOf } from '../invariant-totals.ts';
import { hasValue, noValueAfterRuns, valueNeeds } from '../kpi-value.ts';
import { chiSquare99, feasible, MISS_Z, type TargetScale, WITHIN_NOISE } from './distance.ts';
import type { FitAxis } from './fit-box.ts';
import { pathValueAt } from './fit-box.ts';
import type { CalibrationPlan, CalibrationSpec } from './plan.ts';
import {
  type Batch,
  type Evaluated,
  plannedSurrogate,
  replay,
  type Scored,
  type StopReason,
} from './search.ts';
import type { StatisticName } from './statistics.ts';
import { predict, type Surrogate } from './surrogate.ts';

/** A fitted value within this share of the box's width from an end sits "at" that bound. */
export const AT_BOUND = 0.01;

export const CALIBRATION_VIOLATIONS_SHOWN = 20;

export type Bound = 'lower' | 'upper';

export interface FittedPath {
  path: string;
  lo: number;
  hi: number;
  start: number;
  best: number;
  /**
   * The uncertainty range: the response surface's profile interval (distance within WITHIN_NOISE of its
   * optimum), widened to hold `best`; without a surface, `candidateRange`.
   */
  range: [number, number];
  rangeFrom: 'surface' | 'candidates';
  /** An end of `range` is the edge of the explored region, not of the noise: the range may be wider. */
  clipped: boolean;
  /** Span of the path over the evaluated candidates within WITHIN_NOISE of the lowest distance. */
  candidateRange: [number, number];
  /** Set when the best value sits at an end of the box. */
  atBound: Bound | null;
}

/** A fitted path at an end of the box, in some candidate. */
export interface BoundHit {
  path: string;
  bound: Bound;
  value: number;
}

export interface TargetOutcome {
  kpi: StatisticName;
  value: number;
  scale: TargetScale;
  /** The best candidate's KPI: mean and 95 % CI over its replications. */
  fitted: KpiStat;
  /** (fitted mean − target) / scale. */
  z: number;
  /** Within MISS_Z standard errors. */
  reached: boolean;
  /** The lowest and highest means any candidate produced, and which candidates. */
  span: { min: number; minCandidate: number; max: number; maxCandidate: number };
  /** For a target not reached: the candidate that came closest to it, and its paths at a bound. */
  closest: { candidate: number; mean: number; bounds: BoundHit[] } | null;
}

export interface GenerationProgress {
  generation: number;
  candidates: number;
  /** Smallest distance in this generation, and over every generation so far. */
  best: number;
  bestSoFar: number;
  /** The search distribution's centre after this generation, as path values (in `--fit` order). */
  mean: number[];
  /** Its step size in box widths. */
  sigma: number;
}

export interface Misfit {
  /** Degrees of freedom left: targets − fitted paths. */
  dof: number;
  distance: number;
  /** χ² 99 % quantile: a best distance above it is a model that cannot match all targets at once. */
  limit: number;
  fits: boolean;
}

export interface CalibrationResult {
  spec: CalibrationSpec;
  scenario: Scenario;
  scenarioHash: string;
  candidates: Scored[];
  best: Scored;
  /** Ids of the candidates within noise of the best (the best included). */
  withinNoise: number[];
  paths: FittedPath[];
  targets: TargetOutcome[];
  misfit: Misfit | null;
  progress: GenerationProgress[];
  /** 'in progress' after a merge of one generation's shards when budget is left. */
  status: 'done' | 'in progress';
  stopped: StopReason | null;
  /** The next generation to evaluate (in progress only). */
  next: Batch | null;
  events: number;
  invariants: InvariantTotals<{ candidate: number; replication: number }>;
}

export function aggregateCalibration(
  plan: CalibrationPlan,
  history: readonly Evaluated[],
): CalibrationResult {
  const { spec } = plan;
  const run = replay(spec, history);
  assert(run.scored.length === history.length, 'the replay scores every evaluated candidate');
  assert(run.scored.length > 0 && run.scales !== null, 'at least one generation evaluated');
  const candidates = run.scored;
  const scales = run.scales;
  refuseWithoutFeasible(candidates);
  const lowest = candidates.reduce((b, c) => (c.fit.distance < b.fit.distance ? c : b));
  const confirmed = candidates.find((c) => c.confirming);
  // The surface's optimum, once simulated, is the estimate — unless the simulation disowns it.
  const best =
    confirmed !== undefined && confirmed.fit.distance <= lowest.fit.distance + WITHIN_NOISE
      ? confirmed
      : lowest;
  const within = candidates.filter((c) => c.fit.distance <= lowest.fit.distance + WITHIN_NOISE);
  const surface = plannedSurrogate(spec, candidates, scales, best.candidate.unit);
  const paths = spec.axes.map((a, d): FittedPath => {
    const values = within.map((c) => c.candidate.values[d]);
    const own = best.candidate.values[d];
    const candidateRange: [number, number] = [Math.min(...values), Math.max(...values)];
    const iv = surface?.analysis.intervals[d];
    const range: [number, number] =
      iv === undefined
        ? candidateRange
        : [Math.min(own, pathValueAt(a, iv.lo)), Math.max(own, pathValueAt(a, iv.hi))];
    return {
      path: a.path,
      lo: a.lo,
      hi: a.hi,
      start: candidates[0].candidate.values[d],
      best: own,
      range,
      rangeFrom: iv === undefined ? 'candidates' : 'surface',
      clipped: iv?.clipped ?? false,
      candidateRange,
      atBound: boundOf(a, own),
    };
  });
  const targets = scales.map((scale, k) =>
    outcome(spec, candidates, best, scale, k, surface?.surrogate ?? null),
  );
  const dof = spec.targets.length - spec.axes.length;
  const limit = dof >= 1 ? chiSquare99(dof) : 0;
  const rows = candidates.flatMap((c) => c.replications);
  return {
    spec,
    scenario: plan.scenario,
    scenarioHash: plan.scenarioHash,
    candidates,
    best,
    withinNoise: within.map((c) => c.candidate.id),
    paths,
    targets,
    misfit: dof >= 1 ? { dof, distance: best.fit.distance, limit, fits: best.fit.distance <= limit } : null,
    progress: progressOf(spec, candidates, run.states),
    status: run.next === null ? 'done' : 'in progress',
    stopped: run.stopped,
    next: run.next,
    ...totalsOf(
      rows,
      (r) => ({ candidate: r.candidate, replication: r.replication }),
      CALIBRATION_VIOLATIONS_SHOWN,
    ),
  };
}

/**
 * Infeasible candidates (a target KPI without a value: kpi-value.ts) are ranked last and reported; a
 * calibration none of whose candidates is feasible has nothing to fit and is refused (exit 2), as the
 * box check refuses up front what the scenario alone says (plan.ts).
 */
function refuseWithoutFeasible(candidates: readonly Scored[]): void {
  if (candidates.some((c) => feasible(c.fit))) return;
  const kpis = [...new Set(candidates.flatMap((c) => c.fit.absent))];
  throw new InputError(
    kpis.map((kpi) => ({
      field: `--target ${kpi}`,
      expected: `a target KPI the candidates in the --fit box give a value: ${valueNeeds(kpi)}`,
      found: `${kpi}, which got no value in ${candidates.filter((c) => c.fit.absent.includes(kpi)).length} of the ${candidates.length} candidates evaluated (${noValueAfterRuns(kpi)}), and no candidate gave every target a value`,
    })),
  );
}

export function boundOf(axis: FitAxis, value: number): Bound | null {
  const width = axis.hi - axis.lo;
  if (value - axis.lo <= AT_BOUND * width) return 'lower';
  if (axis.hi - value <= AT_BOUND * width) return 'upper';
  return null;
}

function outcome(
  spec: CalibrationSpec,
  candidates: readonly Scored[],
  best: Scored,
  scale: TargetScale,
  k: number,
  surrogate: Surrogate | null,
): TargetOutcome {
  const kpi = scale.kpi;
  // Over the candidates that gave the KPI a value (the best did: it is feasible).
  const valued = candidates.filter((c) => hasValue(c.stats[kpi]));
  const means = valued.map((c) => c.stats[kpi].mean);
  const lo = means.indexOf(Math.min(...means));
  const hi = means.indexOf(Math.max(...means));
  const z = best.fit.z[k];
  const reached = Math.abs(z) <= MISS_Z;
  let closest: TargetOutcome['closest'] = null;
  if (!reached) {
    const gaps = means.map((m) => Math.abs(m - scale.value));
    const c = valued[gaps.indexOf(Math.min(...gaps))];
    const bounds = spec.axes.flatMap((a, d) => {
      const bound = boundOf(a, c.candidate.values[d]);
      if (bound === null || !pushesTowards(surrogate, k, c.candidate.unit, d, bound, scale)) return [];
      return [{ path: a.path, bound, value: c.candidate.values[d] }];
    });
    closest = { candidate: c.candidate.id, mean: c.stats[kpi].mean, bounds };
  }
  return {
    kpi,
    value: scale.value,
    scale,
    fitted: best.stats[kpi],
    z,
    reached,
    span: {
      min: means[lo],
      minCandidate: valued[lo].candidate.id,
      max: means[hi],
      maxCandidate: valued[hi].candidate.id,
    },
    closest,
  };
}

/**
 * Would moving path d past its bound move target k towards its value, by a standard error or more over
 * the box's width? Read off the response surface's slope at u; without a surface, every bound counts.
 * A path that does not move the KPI (noise aside) is then not blamed for it.
 */
function pushesTowards(
  surrogate: Surrogate | null,
  k: number,
  u: readonly number[],
  d: number,
  bound: Bound,
  scale: TargetScale,
): boolean {
  if (surrogate === null) return true;
  const h = 0.01;
  const at = (x: number) =>
    predict(
      surrogate,
      u.map((v, j) => (j === d ? x : v)),
    )[k];
  const slope = (at(u[d] + h) - at(u[d] - h)) / (2 * h);
  const outward = bound === 'upper' ? slope : -slope;
  const needed = scale.value - at(u[d]);
  return Math.sign(outward) === Math.sign(needed) && Math.abs(slope) >= scale.scale;
}

function progressOf(
  spec: CalibrationSpec,
  candidates: readonly Scored[],
  states: ReturnType<typeof replay>['states'],
): GenerationProgress[] {
  const out: GenerationProgress[] = [];
  let bestSoFar = Number.POSITIVE_INFINITY;
  for (const [g, state] of states.entries()) {
    const own = candidates.filter((c) => c.candidate.generation === g);
    const best = Math.min(...own.map((c) => c.fit.distance));
    bestSoFar = Math.min(bestSoFar, best);
    out.push({
      generation: g,
      candidates: own.length,
      best,
      bestSoFar,
      mean: state.mean.map((u, d) => spec.axes[d].lo + u * (spec.axes[d].hi - spec.axes[d].lo)),
      sigma: state.sigma,
    });
  }
  return out;
}
