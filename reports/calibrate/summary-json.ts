/**
 * summary.json of a calibration: what was fitted and aimed at, the best values with an uncertainty range
 * per path (and the rule that made it), each target against the fitted KPI with its CI, what could not
 * be reached, the search's course, invariants, and the wall time — the one figure that differs between a
 * calibration and a merge of its shards (a merge reports the sum of its shards' wall times).
 */
import type { CalibrationResult, FittedPath, Misfit } from '../../experiments/calibrate/aggregate.ts';
import { WITHIN_NOISE } from '../../experiments/calibrate/distance.ts';
import { confirmationSize } from '../../experiments/calibrate/search.ts';
import type { InvariantId, Violation } from '../../sim/invariants/types.ts';
import type { KpiStat } from '../../sim/kpis.ts';
import { roleOf } from './tables.ts';
import { warnings } from './text.ts';

export const UNCERTAINTY_RULE = `each path's range is the profile interval of a quadratic response surface fitted to the candidates near the best (tricube-weighted least squares of each target's mean): the values at which some setting of the other paths keeps the surface's distance within ${WITHIN_NOISE} (χ² with 1 degree of freedom, 95 %) of its least; the candidates within ${WITHIN_NOISE} of the lowest simulated distance give candidateRange, a check`;

export interface CalibrationSummaryJson {
  kind: 'calibration';
  status: CalibrationResult['status'];
  scenario: string;
  /** The `--set` overrides the scenario was calibrated with, in order (as a run's summary.json has them). */
  overrides: string[];
  scenarioHash: string;
  seed: number;
  replications: number;
  budget: number;
  evaluations: number;
  runs: number;
  generations: number;
  stopped: CalibrationResult['stopped'];
  optimiser: { method: string; lambda: number; sigma0: number; start: number[]; confirmation: number };
  uncertainty: { rule: string; withinNoise: number; candidatesWithinNoise: number };
  fit: (FittedPath & { text: string })[];
  targets: {
    kpi: string;
    value: number;
    se: number | null;
    tolerance: number | null;
    from: string;
    scale: number;
    scaleBasis: string;
    targetSe: number;
    simulationSe: number;
    fitted: KpiStat;
    z: number;
    reached: boolean;
  }[];
  best: { candidate: number; generation: number; role: string; distance: number };
  misfit: Misfit | null;
  warnings: string[];
  next: { generation: number; candidates: number } | null;
  events: number;
  invariants: {
    mode: string;
    checked: InvariantId[];
    violationCount: number;
    violations: (Violation & { candidate: number; replication: number })[];
  };
  wallSeconds: number;
}

export function calibrationSummaryJson(
  result: CalibrationResult,
  wallSeconds: number,
): CalibrationSummaryJson {
  const { spec, best } = result;
  return {
    kind: 'calibration',
    status: result.status,
    scenario: result.scenario.name,
    overrides: [...(result.scenario.overrides ?? [])],
    scenarioHash: result.scenarioHash,
    seed: spec.seed,
    replications: spec.replications,
    budget: spec.budget,
    evaluations: result.candidates.length,
    runs: result.candidates.length * spec.replications,
    generations: result.progress.length,
    stopped: result.stopped,
    optimiser: {
      method: 'CMA-ES over the box, then one generation planned from a quadratic response surface',
      lambda: spec.optimiser.lambda,
      sigma0: spec.optimiser.sigma0,
      start: spec.optimiser.start,
      confirmation: confirmationSize(spec.axes.length),
    },
    uncertainty: {
      rule: UNCERTAINTY_RULE,
      withinNoise: WITHIN_NOISE,
      candidatesWithinNoise: result.withinNoise.length,
    },
    fit: result.paths.map((p, d) => ({ ...p, text: spec.axes[d].text })),
    targets: result.targets.map((t, k) => ({
      kpi: t.kpi,
      value: t.value,
      se: spec.targets[k].se ?? null,
      tolerance: spec.targets[k].tolerance ?? null,
      from: spec.targets[k].from,
      scale: t.scale.scale,
      scaleBasis: t.scale.basis,
      targetSe: t.scale.targetSe,
      simulationSe: t.scale.simulationSe,
      fitted: t.fitted,
      z: t.z,
      reached: t.reached,
    })),
    best: {
      candidate: best.candidate.id,
      generation: best.candidate.generation,
      role: roleOf(best),
      distance: best.fit.distance,
    },
    misfit: result.misfit,
    warnings: warnings(result),
    next:
      result.next === null
        ? null
        : { generation: result.next.generation, candidates: result.next.candidates.length },
    events: result.events,
    invariants: { mode: spec.check, ...result.invariants },
    wallSeconds,
  };
}
