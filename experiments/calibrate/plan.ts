/**
 * A calibration, planned before anything runs: the base scenario (file, `--set`, `--seed`), the fitted
 * paths' box, the targets, and what the search will do (replications per candidate, the budget of
 * candidates, the optimiser's settings and starting point). Every candidate's scenario is built from the
 * base as `--set` would build it and validated by the same schema; the box's ends are checked now, so a
 * range the scenario cannot take (a share above 1, a withdrawal threshold below the minimum) exits 2
 * before the first simulation.
 */
import { InputError, type InputProblem, shown } from '../../common/input-error.ts';
import { validateScenario } from '../../scenarios/load.ts';
import { applySets } from '../../scenarios/overrides.ts';
import { scenarioInput } from '../../scenarios/scenario-yaml.ts';
import type { Scenario } from '../../scenarios/schema/scenario.ts';
import type { CheckMode } from '../invariants.ts';
import { valueNeeds, whyNoValue } from '../kpi-value.ts';
import { hashOf } from '../shards/canonical.ts';
import { scalarAt } from '../sweep/plan.ts';
import { defaultLambda } from './cmaes.ts';
import { type FitAxis, parseFits, pathValueAt, unitOf } from './fit-box.ts';
import type { Target } from './targets.ts';

/** The optimiser's first step size, in widths of the box: a third of it either way. */
export const SIGMA0 = 0.3;

export interface OptimiserSpec {
  method: 'cma-es';
  /** Candidates per generation. */
  lambda: number;
  sigma0: number;
  /** Where the search starts, in unit coordinates: the scenario's own values, or the box's centre. */
  start: number[];
}

/** Everything besides the scenario that decides a calibration's results. */
export interface CalibrationSpec {
  axes: FitAxis[];
  targets: Target[];
  replications: number;
  /** Candidates evaluated at most. */
  budget: number;
  seed: number;
  check: CheckMode;
  optimiser: OptimiserSpec;
}

export interface CalibrationPlan {
  spec: CalibrationSpec;
  /** The file with `--set` and `--seed`, before any fitted value. */
  scenario: Scenario;
  scenarioHash: string;
  /** Six hex digits telling calibrations of one scenario and seed apart (the default folder's suffix). */
  digest: string;
}

export interface CalibrationOptions {
  fit: readonly string[];
  targets: Target[];
  sets?: readonly string[];
  replications: number;
  budget: number;
  check: CheckMode;
}

export function planCalibration(scenario: Scenario, options: CalibrationOptions): CalibrationPlan {
  const axes = parseFits(options.fit);
  checkTargets(options.targets);
  const start = axes.map((a) => {
    const own = scalarAt(scenario, a.path);
    return typeof own === 'number' && own >= a.lo && own <= a.hi ? unitOf(a, own) : 0.5;
  });
  const spec: CalibrationSpec = {
    axes,
    targets: options.targets,
    replications: options.replications,
    budget: options.budget,
    seed: scenario.seed,
    check: options.check,
    optimiser: { method: 'cma-es', lambda: defaultLambda(axes.length), sigma0: SIGMA0, start },
  };
  checkBox(scenario, spec);
  const digest = hashOf({
    fit: axes.map((a) => [a.path, a.text]),
    targets: options.targets.map((t) => [t.kpi, t.value, t.se ?? null, t.tolerance ?? null]),
    replications: spec.replications,
    budget: spec.budget,
    check: spec.check,
    sets: options.sets ?? [],
  }).slice('sha256:'.length, 'sha256:'.length + 6);
  return { spec, scenario, scenarioHash: hashOf(scenario), digest };
}

/** A target of 0 has no relative scale: it needs its own standard error or tolerance. */
function checkTargets(targets: readonly Target[]): void {
  const problems: InputProblem[] = targets
    .filter((t) => t.value === 0 && t.se === undefined)
    .map((t) => ({
      field: `--target ${t.kpi}`,
      expected:
        'a target other than 0, or one with its se (in a --targets file): a miss of 0 has no relative size',
      found: `0 (from ${t.from})`,
    }));
  if (problems.length > 0) throw new InputError(problems);
}

/** The scenario of a candidate: the base with each fitted path at its value, validated. */
export function candidateScenario(
  base: Scenario,
  axes: readonly FitAxis[],
  values: readonly number[],
): Scenario {
  const spec = scenarioInput(base);
  const sets = axes.map((a, d) => ({
    path: a.path.split('.'),
    value: values[d],
    text: `${a.path}=${values[d]}`,
  }));
  try {
    return validateScenario(applySets(spec, sets), base.name);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const at = axes.map((a, d) => `${a.path}=${values[d]}`).join(', ');
    throw new InputError(error.problems.map((p) => fitProblem(p, axes, at)));
  }
}

function fitProblem(p: InputProblem, axes: readonly FitAxis[], at: string): InputProblem {
  const axis = axes.find(
    (a) => p.field === a.path || p.field.startsWith(`${a.path}.`) || a.path.startsWith(`${p.field}.`),
  );
  const field = axis === undefined ? p.field : `--fit ${axis.path}`;
  const unknown = axis !== undefined && /^no such field/.test(p.expected);
  const expected = p.expected.replace(/^no such field/, 'a path of the scenario');
  return { field, expected, found: unknown ? shown(axis.path) : `${p.found} (at ${at})` };
}

/**
 * Each path's ends with the others at the start, and every corner of a small box, must validate — and
 * give every target KPI a value (kpi-value.ts: a cohort KPI needs viewers who arrive and a run long
 * enough for the days it reads; a distance to a KPI without a value cannot be computed).
 */
function checkBox(base: Scenario, spec: CalibrationSpec): void {
  const { axes } = spec;
  const start = spec.optimiser.start.map((u, d) => pathValueAt(axes[d], u));
  const points: number[][] = [];
  axes.forEach((a, d) => {
    for (const end of [a.lo, a.hi])
      points.push(start.map((v, i) => (i === d ? pathValueAt(a, unitOf(a, end)) : v)));
  });
  if (axes.length <= 6) {
    for (let mask = 0; mask < 2 ** axes.length; mask++)
      points.push(axes.map((a, d) => pathValueAt(a, (mask >> d) & 1)));
  }
  const problems: InputProblem[] = [];
  const seen = new Set<string>();
  const add = (p: InputProblem) => {
    const key = `${p.field}|${p.expected}`;
    if (!seen.has(key) && problems.length < 12) problems.push(p);
    seen.add(key);
  };
  const scenarios: [number[], Scenario][] = [];
  for (const values of points) {
    try {
      scenarios.push([values, candidateScenario(base, axes, values)]);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      error.problems.forEach(add);
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  for (const t of spec.targets) {
    // The scenario itself first: a reason that holds whatever the fitted values is said once, as such.
    const own = whyNoValue(base, t.kpi);
    const found = (why: string, where: string) =>
      `${t.kpi}, which has no value where ${why}${where}${t.from === '--target' ? '' : ` (the target from ${t.from})`}`;
    const field = `--target ${t.kpi}`;
    const expected = `a target KPI every candidate in the --fit box gives a value: ${valueNeeds(t.kpi)}`;
    if (own !== null && scenarios.every(([, s]) => whyNoValue(s, t.kpi) !== null)) {
      add({ field, expected, found: found(own, '') });
      continue;
    }
    for (const [values, s] of scenarios) {
      const why = whyNoValue(s, t.kpi);
      if (why === null) continue;
      const at = axes.map((a, d) => `${a.path}=${values[d]}`).join(', ');
      add({ field, expected, found: found(why, `, at ${at} in the --fit box`) });
      break;
    }
  }
  if (problems.length > 0) throw new InputError(problems);
}

export type { FitAxis, Target };
