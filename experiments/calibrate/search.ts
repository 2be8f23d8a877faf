/**
 * The search as a pure function of what has been evaluated: `nextBatch(spec, history)` replays the
 * optimiser over the evaluated candidates (same seeded draws, same rankings) and returns the next
 * generation to evaluate, or null when the budget is spent or the search has converged. Nothing else
 * is state: a calibration continues from its own calibration folder, and shards of one generation
 * agree on what that generation is, because each computes it from the same history.
 *
 * Generation 0 starts at the scenario's own values (or the box's centre) and its first candidate is
 * that point itself: the reference whose replications set the distance's noise scale (distance.ts).
 * CMA-ES generations follow until the budget less one confirming generation is spent (or the search
 * converges); the confirming generation is planned, not drawn: a quadratic response surface is fitted
 * to the candidates (surrogate.ts) and its optimum and the ends of each path's interval are simulated.
 * Every candidate runs the same replication seeds 0..R−1 (common random numbers), so differences
 * between candidates are the parameters', not the luck of the draw.
 */
import seedrandom from 'seedrandom';
import { InputError } from '../../common/input-error.ts';
import type { InvariantId, Violation } from '../../sim/invariants/types.ts';
import type { KpiStat, Kpis } from '../../sim/kpis.ts';
import type { Rng } from '../../sim/random/streams.ts';
import { type CmaSample, type CmaState, initCma, sampleCma, spread, updateCma } from './cmaes.ts';
import { type Fit, fitOf, kpiStats, type TargetScale, targetScales } from './distance.ts';
import { pathValueAt } from './fit-box.ts';
import type { CalibrationSpec } from './plan.ts';
import type { StatisticName } from './statistics.ts';
import {
  analyseSurrogate,
  featureCount,
  fitSurrogate,
  type Surrogate,
  type SurrogateFit,
} from './surrogate.ts';

/**
 * The search stops early once its distribution has shrunk below this (in box widths): its candidates
 * would differ by less than the paths' rounding (4 decimals), the same simulations again.
 */
export const CONVERGED_SPREAD = 1e-4;

export interface Candidate {
  /** 0-based, in evaluation order (calibration.csv's `candidate`). */
  id: number;
  generation: number;
  /** Unit-box coordinates as drawn. */
  unit: number[];
  /** The fitted paths' values (rounded for each path), in `--fit` order. */
  values: number[];
}

/** One replication of one candidate, as a shard's results.jsonl holds it. */
export interface CandidateReplication {
  /** Work item within its generation: candidate's place in the generation × R + replication. */
  item: number;
  candidate: number;
  replication: number;
  events: number;
  kpis: Kpis;
  invariants: { checked: InvariantId[]; violationCount: number; violations: Violation[] };
}

export interface Evaluated {
  candidate: Candidate;
  replications: CandidateReplication[];
}

export interface Scored extends Evaluated {
  stats: Record<StatisticName, KpiStat>;
  fit: Fit;
  /** A candidate of the final generation, planned from the response surface rather than drawn. */
  confirming: boolean;
}

export interface Batch {
  generation: number;
  candidates: Candidate[];
}

export type StopReason = 'budget' | 'converged';

export interface Replay {
  /** The next generation to evaluate, or null when the search is over. */
  next: Batch | null;
  stopped: StopReason | null;
  /** The evaluated candidates with their KPIs and distances (empty before generation 0 ran). */
  scored: Scored[];
  scales: TargetScale[] | null;
  /** The optimiser's state after each completed generation (for the report's convergence chart). */
  states: CmaState[];
}

export function calibrationRng(seed: number): Rng {
  return seedrandom.xor4096(`giftlab:${seed}:calibrate`);
}

/** Candidates of the final, confirming generation: the surrogate's optimum and both ends of each path's interval. */
export function confirmationSize(paths: number): number {
  return 1 + 2 * paths;
}

/**
 * The smallest budget that searches and confirms: a generation, and at least two candidates per
 * coefficient of the response surface, before the confirming generation.
 */
export function leastBudget(paths: number, lambda: number): number {
  return Math.max(lambda, 2 * featureCount(paths)) + confirmationSize(paths);
}

/** The surface the confirmation is planned from: fitted around the search's centre, then re-centred once. */
export function plannedSurrogate(
  spec: CalibrationSpec,
  scored: readonly Scored[],
  scales: readonly TargetScale[],
  centre: readonly number[],
): { surrogate: Surrogate; analysis: SurrogateFit } | null {
  let surrogate = fitSurrogate(scored, scales, centre);
  if (surrogate === null) return null;
  let analysis = analyseSurrogate(surrogate, scales, spec.seed);
  const again = fitSurrogate(scored, scales, analysis.optimum);
  if (again === null) return { surrogate, analysis };
  surrogate = again;
  analysis = analyseSurrogate(surrogate, scales, spec.seed);
  return { surrogate, analysis };
}

export function replay(spec: CalibrationSpec, history: readonly Evaluated[]): Replay {
  const { optimiser, axes, budget } = spec;
  const rng = calibrationRng(spec.seed);
  const searchBudget = budget - confirmationSize(axes.length);
  let state = initCma(optimiser.start, optimiser.sigma0, optimiser.lambda);
  const states: CmaState[] = [];
  const scored: Scored[] = [];
  let scales: TargetScale[] | null = null;
  let stopped: StopReason | null = null;
  const over = () => ({ next: null, stopped, scored, scales, states });
  for (let generation = 0; ; generation++) {
    const first = scored.length;
    if (stopped === null && first >= searchBudget) stopped = 'budget';
    if (stopped === null && generation > 0 && spread(state) < CONVERGED_SPREAD) stopped = 'converged';
    let samples: CmaSample[] | null = null;
    let units: number[][];
    if (stopped === null) {
      samples = sampleCma(state, rng, Math.min(optimiser.lambda, searchBudget - first));
      if (generation === 0) samples[0] = { x: [...optimiser.start], y: optimiser.start.map(() => 0) };
      units = samples.map((smp) => smp.x);
    } else {
      // The search is over: one confirming generation, unless it ran already or there is no surface.
      if (scored.some((c) => c.candidate.generation === generation - 1 && c.confirming)) return over();
      const planned = scales === null ? null : plannedSurrogate(spec, scored, scales, state.mean);
      if (planned === null) return over();
      const a = planned.analysis;
      units = [a.optimum, ...a.intervals.flatMap((iv) => [iv.atLo, iv.atHi])];
    }
    const candidates = units.map((u, i) => ({
      id: first + i,
      generation,
      unit: u,
      values: u.map((x, d) => pathValueAt(axes[d], x)),
    }));
    if (history.length === first)
      return { next: { generation, candidates }, stopped: null, scored, scales, states };
    const evaluated = history.slice(first, first + candidates.length);
    checkHistory(candidates, evaluated, spec.replications);
    scales ??= targetScales(
      spec.targets,
      evaluated[0].replications.map((r) => r.kpis),
    );
    const generationScored = evaluated.map((e, i) => ({
      ...score({ candidate: candidates[i], replications: e.replications }, scales as TargetScale[]),
      confirming: samples === null,
    }));
    scored.push(...generationScored);
    if (samples !== null && samples.length === optimiser.lambda)
      state = updateCma(state, ranked(samples, generationScored));
    states.push(state);
  }
}

function score(e: Evaluated, scales: readonly TargetScale[]): Omit<Scored, 'confirming'> {
  const stats = kpiStats(e.replications.map((r) => r.kpis));
  return { ...e, stats, fit: fitOf(scales, stats) };
}

/** The generation's samples, best (smallest distance) first; ties in draw order. */
function ranked(samples: readonly CmaSample[], scored: readonly Omit<Scored, 'confirming'>[]): CmaSample[] {
  const order = scored
    .map((_, i) => i)
    .sort((a, b) => scored[a].fit.distance - scored[b].fit.distance || a - b);
  return order.map((i) => samples[i]);
}

/** The history must be this calibration's own: same candidates, whole generations, every replication. */
function checkHistory(candidates: readonly Candidate[], evaluated: readonly Evaluated[], r: number): void {
  const field = '--from';
  const same = 'the same calibration: scenario, --fit, --target, --replications, --budget, --seed';
  if (evaluated.length < candidates.length) {
    throw new InputError({
      field,
      expected: `whole generations of ${same} (its generation ${candidates[0].generation} has ${candidates.length} candidates)`,
      found: `${evaluated.length} of them`,
    });
  }
  candidates.forEach((c, i) => {
    const e = evaluated[i].candidate;
    if (e.id !== c.id || e.values.some((v, d) => v !== c.values[d])) {
      throw new InputError({
        field,
        expected: `candidate ${c.id} at ${c.values.join(', ')} (${same})`,
        found: `candidate ${e.id} at ${e.values.join(', ')}`,
      });
    }
    if (evaluated[i].replications.length !== r) {
      throw new InputError({
        field,
        expected: `${r} replications of candidate ${c.id} (${same})`,
        found: `${evaluated[i].replications.length}`,
      });
    }
  });
}
