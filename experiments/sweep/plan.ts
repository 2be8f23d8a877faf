/**
 * A sweep, planned before anything runs: the base scenario (file, `--set`, `--seed`), the axes, the
 * design's points, and each point's scenario loaded and validated exactly as `--set` would be. Every
 * bad point is reported at once, naming the `--vary` path and the point (exit 2); nothing has run yet.
 */

import { InputError, type InputProblem, shown } from '../../common/input-error.ts';
import { limits } from '../../common/limits.ts';
import { loadScenarioFile } from '../../scenarios/load.ts';
import { DURATION_TEXT, parseDuration } from '../../scenarios/schema/common.ts';
import type { Scenario } from '../../scenarios/schema/scenario.ts';
import { DEFAULT_KPI, KPI_NAMES, type KpiName, kpiExpected } from '../../sim/kpis.ts';
import type { CheckMode } from '../invariants.ts';
import { valueNeeds, whyNoValue } from '../kpi-value.ts';
import { hashOf } from '../shards/canonical.ts';
import {
  DESIGN_FLAGS,
  type Design,
  designRng,
  gridPoints,
  lhsPoints,
  lhsRng,
  type PointValue,
  type SweepPoint,
  sampledDesigns,
  tornadoPoints,
} from './design.ts';
import { morrisPointCount, morrisPoints } from './morris.ts';
import { type PathKind, pathKind } from './path-kind.ts';
import { sobolPointCount, sobolPoints } from './sobol.ts';
import { type Axis, parseVaries, type Scalar } from './vary.ts';

/** `common` (default): every point uses replication seeds 0..r−1 — common random numbers. */
export type StreamsMode = 'common' | 'independent';
export const STREAMS_MODES: readonly StreamsMode[] = ['common', 'independent'];

export { DEFAULT_KPI };

export interface SweepAxis extends Axis {
  /** What the path holds, from the scenario schema (how LHS values are rounded). */
  type: PathKind;
  /** The base scenario's value at the path (tornado's baseline). */
  baseline: Scalar | null;
}

/** What is swept and how: everything that decides the results besides the scenario itself. */
export interface SweepSpec {
  design: Design;
  axes: SweepAxis[];
  lhsSamples: number | null;
  /** `--sobol n`: base samples (the design has n × (paths + 2) points besides the baseline). */
  sobolSamples: number | null;
  /** `--morris r`: trajectories (r × (paths + 1) points besides the baseline). */
  morrisTrajectories: number | null;
  /**
   * The point every other is compared with (sweep.csv's vsBaseline columns): the scenario as given,
   * every path at the scenario's own value — a design point with exactly those values, else a point
   * added at the end for it.
   */
  baselinePoint: number;
  replications: number;
  seed: number;
  streams: StreamsMode;
  kpi: KpiName;
  check: CheckMode;
  points: SweepPoint[];
}

export interface SweepPlan {
  spec: SweepSpec;
  /** The base scenario: the file with `--set` and `--seed`, before any `--vary` value. */
  scenario: Scenario;
  scenarioHash: string;
  /** Scenario of each point, by point id. */
  pointScenarios: Scenario[];
  /** A short digest of what is swept and how (see sweepDigest): the default folder's suffix. */
  digest: string;
}

export interface SweepPlanOptions {
  vary: readonly string[];
  sets?: readonly string[];
  seed?: number;
  lhs?: number;
  tornado?: boolean;
  sobol?: number;
  morris?: number;
  kpi?: string;
  replications: number;
  streams?: string;
  check: CheckMode;
}

export function planSweep(file: string, options: SweepPlanOptions): SweepPlan {
  const design = designOf(options);
  const kpi = kpiOf(options.kpi);
  const streams = streamsOf(options.streams);
  const axesText = parseVaries(options.vary);
  const baseSets = [...(options.sets ?? []), ...(options.seed === undefined ? [] : [`seed=${options.seed}`])];
  const scenario = loadScenarioFile(file, { sets: baseSets });
  const axes: SweepAxis[] = axesText.map((a) => ({
    ...a,
    type: pathKind(a.path),
    baseline: scalarAt(scenario, a.path),
  }));
  const { points, baselinePoint } = withBaseline(pointsOf(design, axes, options, scenario.seed), axes);
  const spec: SweepSpec = {
    design,
    axes,
    lhsSamples: design === 'lhs' ? (options.lhs as number) : null,
    sobolSamples: design === 'sobol' ? (options.sobol as number) : null,
    morrisTrajectories: design === 'morris' ? (options.morris as number) : null,
    baselinePoint,
    replications: options.replications,
    seed: scenario.seed,
    streams,
    kpi,
    check: options.check,
    points,
  };
  const pointScenarios = loadPoints(file, baseSets, scenario, spec);
  refuseKpiWithoutValue(spec, pointScenarios);
  return {
    spec,
    scenario,
    scenarioHash: hashOf(scenario),
    pointScenarios,
    digest: sweepDigest(spec, options.sets ?? []),
  };
}

/** Points listed by a problem at most (the count says how many more). */
const POINTS_NAMED = 4;

/** `point 3 (payout.creatorShare=0.4, duration=5d)`: a point by its id and values, for messages. */
export function pointLabel(spec: SweepSpec, id: number): string {
  const values = spec.axes.map((a, d) => {
    const v = spec.points[id].values[d];
    return v === null ? `${a.path} as in the scenario` : `${a.path}=${String(v)}`;
  });
  return `point ${id}${values.length === 0 ? '' : ` (${values.join(', ')})`}`;
}

/** The first `named` points of `ids` by label, then how many more. */
export function pointsText(spec: SweepSpec, ids: readonly number[], named: number): string {
  const more = ids.length > named ? ` and ${ids.length - named} more` : '';
  return `${ids
    .slice(0, named)
    .map((id) => pointLabel(spec, id))
    .join(', ')}${more}`;
}

/**
 * `--kpi` must be a KPI every point can give a value (kpi-value.ts): a cohort KPI at a point where
 * nobody arrives, or that ends before the days it reads are over, is refused before anything runs.
 */
function refuseKpiWithoutValue(spec: SweepSpec, scenarios: readonly Scenario[]): void {
  const byReason = new Map<string, number[]>();
  scenarios.forEach((s, id) => {
    const why = whyNoValue(s, spec.kpi);
    if (why !== null) byReason.set(why, [...(byReason.get(why) ?? []), id]);
  });
  if (byReason.size === 0) return;
  const all = scenarios.length;
  const where = (ids: number[]) => {
    if (ids.length === all) return all === 1 ? '' : ', at every point';
    return `, at ${ids.length} of ${all} points: ${pointsText(spec, ids, POINTS_NAMED)}`;
  };
  throw new InputError({
    field: '--kpi',
    expected: `a KPI every point of the sweep gives a value: ${valueNeeds(spec.kpi)}`,
    found: `${spec.kpi}, which has no value where ${[...byReason].map(([why, ids]) => `${why}${where(ids)}`).join('; ')}`,
  });
}

/**
 * Six hex digits that tell sweeps of one scenario and seed apart, so that their default folders do not
 * overwrite each other: from the design, the varied paths and their values, the replications, streams,
 * KPI and check mode, and the `--set` overrides. The same command gives the same digest on any machine;
 * the seed is already in the folder's name.
 */
export function sweepDigest(spec: SweepSpec, sets: readonly string[]): string {
  const what = {
    design: spec.design,
    vary: spec.axes.map((a) => [a.path, a.text]),
    lhsSamples: spec.lhsSamples,
    // Left out when null, so that the digests of the designs that came before them did not change.
    sobolSamples: spec.sobolSamples ?? undefined,
    morrisTrajectories: spec.morrisTrajectories ?? undefined,
    replications: spec.replications,
    streams: spec.streams,
    kpi: spec.kpi,
    check: spec.check,
    sets,
  };
  return hashOf(what).slice('sha256:'.length, 'sha256:'.length + 6);
}

function designOf(options: SweepPlanOptions): Design {
  const asked: [Design, boolean][] = [
    ['lhs', options.lhs !== undefined],
    ['tornado', options.tornado === true],
    ['sobol', options.sobol !== undefined],
    ['morris', options.morris !== undefined],
  ];
  const chosen = asked.filter(([, on]) => on).map(([d]) => d);
  if (chosen.length > 1) {
    const flags = chosen.map((d) => DESIGN_FLAGS[d]);
    throw new InputError({
      field: flags[1],
      expected: `one design: ${sampledDesigns()}`,
      found: flags.join(' and '),
    });
  }
  return chosen[0] ?? 'grid';
}

export function kpiOf(text: string | undefined): KpiName {
  if (text === undefined) return DEFAULT_KPI;
  if ((KPI_NAMES as readonly string[]).includes(text)) return text as KpiName;
  throw new InputError({ field: '--kpi', expected: kpiExpected(text), found: shown(text) });
}

function streamsOf(text: string | undefined): StreamsMode {
  if (text === undefined) return 'common';
  if ((STREAMS_MODES as readonly string[]).includes(text)) return text as StreamsMode;
  throw new InputError({ field: '--streams', expected: STREAMS_MODES.join(' or '), found: shown(text) });
}

function pointsOf(design: Design, axes: SweepAxis[], options: SweepPlanOptions, seed: number): SweepPoint[] {
  const kinds = axes.map((a) => a.type);
  if (design === 'lhs') return lhsPoints(axes, kinds, options.lhs as number, lhsRng(seed));
  if (design === 'sobol') {
    const n = options.sobol as number;
    checkDesignSize('--sobol', sobolPointCount(n, axes.length), `${n} × (${axes.length} paths + 2)`);
    return sobolPoints(axes, kinds, n, designRng(seed, 'sobol'));
  }
  if (design === 'morris') {
    const r = options.morris as number;
    checkDesignSize('--morris', morrisPointCount(r, axes.length), `${r} × (${axes.length} paths + 1)`);
    return morrisPoints(axes, kinds, r, designRng(seed, 'morris'));
  }
  if (design === 'grid') return gridPoints(axes);
  const baseline = axes.map((a) => {
    if (a.baseline === null) {
      throw new InputError({
        field: `--vary ${a.path}`,
        expected: 'a path the scenario gives a number, string or true/false (the baseline of --tornado)',
        found: 'no such value in the resolved scenario',
      });
    }
    return a.baseline;
  });
  return tornadoPoints(axes, baseline);
}

function checkDesignSize(flag: string, points: number, how: string): void {
  if (points <= limits.sweepPointsMax) return;
  throw new InputError({
    field: flag,
    expected: `a design of at most ${limits.sweepPointsMax.toLocaleString('en-US')} points`,
    found: `${how} = ${points.toLocaleString('en-US')} points`,
  });
}

/**
 * The design's points and the baseline (the scenario as given): a point whose every value is the
 * scenario's own is the baseline (a tornado's first point, a grid's point on the scenario's values);
 * without one, a baseline point is added at the end, costing one point's replications.
 */
export function withBaseline(
  points: SweepPoint[],
  axes: readonly SweepAxis[],
): { points: SweepPoint[]; baselinePoint: number } {
  const own = points.find(
    (p) =>
      p.role === 'baseline' ||
      axes.every((a, d) => a.baseline !== null && sameValue(p.values[d], a.baseline)),
  );
  if (own !== undefined) return { points, baselinePoint: own.id };
  const values: PointValue[] = axes.map((a) => a.baseline);
  const id = points.length;
  return { points: [...points, { id, values, role: 'baseline' }], baselinePoint: id };
}

/** The resolved scenario's scalar at a dotted path, or null. */
/**
 * Whether a point's value is the scenario's own: equal, or a duration text (`10d`) for the seconds the
 * scenario holds (it keeps durations in seconds), so `--vary duration=5d,10d` finds a 10-day baseline.
 */
function sameValue(value: unknown, baseline: Scalar): boolean {
  if (value === baseline) return true;
  return (
    typeof value === 'string' &&
    typeof baseline === 'number' &&
    DURATION_TEXT.test(value) &&
    parseDuration(value) === baseline
  );
}

export function scalarAt(scenario: Scenario, path: string): Scalar | null {
  let cur: unknown = scenario;
  for (const key of path.split('.')) {
    if (typeof cur !== 'object' || cur === null || !Object.hasOwn(cur, key)) return null;
    cur = (cur as Record<string, unknown>)[key];
  }
  return typeof cur === 'number' || typeof cur === 'string' || typeof cur === 'boolean' ? cur : null;
}

/** `path=value` texts that give a point its values (none for the baseline, one for a tornado end). */
export function pointSets(spec: SweepSpec, point: SweepPoint): string[] {
  const set = (d: number) => `${spec.axes[d].path}=${JSON.stringify(point.values[d])}`;
  // The scenario as given: nothing to set (a value it lacks stays lacking).
  if (point.role === 'baseline') return [];
  // A tornado end moves one path; the others keep the scenario's own values (nothing to set).
  if ((point.role === 'low' || point.role === 'high') && point.moved !== undefined) return [set(point.moved)];
  return spec.axes.map((_, d) => set(d));
}

function loadPoints(file: string, baseSets: readonly string[], base: Scenario, spec: SweepSpec): Scenario[] {
  const problems: InputProblem[] = [];
  const seen = new Set<string>();
  const scenarios: Scenario[] = [];
  for (const point of spec.points) {
    const sets = pointSets(spec, point);
    if (sets.length === 0) {
      scenarios.push(base);
      continue;
    }
    try {
      scenarios.push(loadScenarioFile(file, { sets: [...baseSets, ...sets] }));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      for (const p of error.problems.map((q) => pointProblem(q, spec, point))) {
        const key = `${p.field}|${p.expected}`;
        if (!seen.has(key) && problems.length < 12) problems.push(p);
        seen.add(key);
      }
    }
  }
  if (problems.length > 0) throw new InputError(problems, file);
  return scenarios;
}

/** A scenario problem at a point, named by the `--vary` path it comes from where there is one. */
function pointProblem(p: InputProblem, spec: SweepSpec, point: SweepPoint): InputProblem {
  const at = `sweep point ${point.id}`;
  // A problem applying the point's --set (a list index out of range) names its path after `--set `.
  const field = p.field.replace(/^--set /, '');
  const d = spec.axes.findIndex(
    (a) => field === a.path || field.startsWith(`${a.path}.`) || a.path.startsWith(`${field}.`),
  );
  if (d >= 0) {
    // A path that is not the scenario's: what was found is the path, not the value it was given.
    const unknown = /^no such field/.test(p.expected);
    const expected = p.expected.replace(/^no such field/, 'a path of the scenario');
    const found = unknown ? shown(spec.axes[d].path) : `${p.found} (${at})`;
    return { field: `--vary ${spec.axes[d].path}`, expected, found };
  }
  const values = spec.axes.map((a, i) => `${a.path}=${JSON.stringify(point.values[i])}`).join(', ');
  return { field: p.field, expected: p.expected, found: `${p.found} (${at}: ${values})`, from: p.from };
}

export type { Axis, Scalar };
