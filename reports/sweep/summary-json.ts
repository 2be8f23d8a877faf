/**
 * summary.json of a sweep: the `--set` overrides of the file (so that the sweep can be run again from
 * its folder), what was swept and how (design, paths and their values, seed, streams, replications per
 * point, points, the baseline point), the points where `--kpi` has no value, the tornado's ranking, the
 * Sobol indices or Morris statistics of `--kpi` with its replication noise (every KPI's are in
 * sobol.csv / morris.csv),
 * invariants, and the wall time — the one figure that differs between a run and a merge of shards (a
 * merge reports the sum of its shards' wall times).
 */

import type { SweepResult, TornadoRow } from '../../experiments/sweep/aggregate.ts';
import { MORRIS_LEVELS } from '../../experiments/sweep/morris.ts';
import type { MorrisRow, SobolRow } from '../../experiments/sweep/sensitivity.ts';
import type { Scalar } from '../../experiments/sweep/vary.ts';
import type { InvariantId, Violation } from '../../sim/invariants/types.ts';

export interface SweepSummaryJson {
  kind: 'sweep';
  scenario: string;
  scenarioHash: string;
  /**
   * The `--set` overrides (and `--seed`, as `seed=…`) applied to the file before any `--vary`, in order
   * (Scenario.overrides, as a run's summary.json has them); empty when the sweep ran the file as written.
   */
  overrides: string[];
  /** What the sweep warned of on stderr before it ran, for reading its results (also atop the report). */
  warnings: string[];
  seed: number;
  design: string;
  lhsSamples: number | null;
  sobolSamples: number | null;
  morrisTrajectories: number | null;
  morrisLevels: number | null;
  /** The point sweep.csv's vsBaseline columns subtract: the scenario as given. */
  baselinePoint: number;
  vary: {
    path: string;
    values: string;
    kind: string;
    type: string;
    baseline: Scalar | null;
    grid: Scalar[];
  }[];
  replications: number;
  streams: string;
  points: number;
  runs: number;
  kpi: string;
  /** Points at which `kpi` has no value (a cohort KPI without arrivals early enough): empty cells. */
  kpiAbsentAt: number[];
  events: number;
  tornado:
    | Pick<
        TornadoRow,
        'path' | 'lowValue' | 'baselineValue' | 'highValue' | 'delta' | 'swing' | 'deltaCi95'
      >[]
    | null;
  /**
   * Sobol indices of `kpi` by path (NaN, an index of a KPI that never varies, as null), with the KPI's
   * replication noise share and the noise-corrected indices (null with one replication per point).
   */
  sobol: Omit<SobolRow, 'axis' | 'kpi'>[] | null;
  /** Morris statistics of `kpi` by path, with the noise shares and effect noise sd (null with one replication). */
  morris: Omit<MorrisRow, 'axis' | 'kpi'>[] | null;
  invariants: {
    mode: string;
    checked: InvariantId[];
    violationCount: number;
    violations: (Violation & { point: number; replication: number })[];
  };
  wallSeconds: number;
}

export function sweepSummaryJson(result: SweepResult, wallSeconds: number): SweepSummaryJson {
  const { spec } = result;
  return {
    kind: 'sweep',
    scenario: result.scenario.name,
    scenarioHash: result.scenarioHash,
    overrides: [...(result.scenario.overrides ?? [])],
    warnings: [...result.warnings],
    seed: spec.seed,
    design: spec.design,
    lhsSamples: spec.lhsSamples,
    sobolSamples: spec.sobolSamples,
    morrisTrajectories: spec.morrisTrajectories,
    morrisLevels: spec.design === 'morris' ? MORRIS_LEVELS : null,
    baselinePoint: spec.baselinePoint,
    vary: spec.axes.map((a) => ({
      path: a.path,
      values: a.text,
      kind: a.kind,
      type: a.type,
      baseline: a.baseline,
      grid: a.values,
    })),
    replications: spec.replications,
    streams: spec.streams,
    points: spec.points.length,
    runs: result.rows.length,
    kpi: spec.kpi,
    kpiAbsentAt: [...result.kpiAbsent],
    events: result.events,
    tornado:
      result.tornado?.map((t) => ({
        path: t.path,
        lowValue: t.lowValue,
        baselineValue: t.baselineValue,
        highValue: t.highValue,
        delta: t.delta,
        swing: t.swing,
        deltaCi95: t.deltaCi95,
      })) ?? null,
    sobol:
      result.sobol?.filter((r) => r.kpi === spec.kpi).map(({ axis: _a, kpi: _k, ...row }) => row) ?? null,
    morris:
      result.morris?.filter((r) => r.kpi === spec.kpi).map(({ axis: _a, kpi: _k, ...row }) => row) ?? null,
    invariants: { mode: spec.check, ...result.invariants },
    wallSeconds,
  };
}
