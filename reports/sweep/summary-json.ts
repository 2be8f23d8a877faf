/**
 * summary.json of a sweep: what was swept and how (design, paths and their values, seed, streams,
 * replications per point, points), the tornado's ranking when there is one, invariants, and the wall
 * time — the one figure that differs between a run and a merge of shards (a merge reports the sum of
 * its shards' wall times).
 */

import type { SweepResult, TornadoRow } from '../../experiments/sweep/aggregate.ts';
import type { Scalar } from '../../experiments/sweep/vary.ts';
import type { InvariantId, Violation } from '../../sim/invariants/types.ts';

export interface SweepSummaryJson {
  kind: 'sweep';
  scenario: string;
  scenarioHash: string;
  seed: number;
  design: string;
  lhsSamples: number | null;
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
  events: number;
  tornado:
    | Pick<
        TornadoRow,
        'path' | 'lowValue' | 'baselineValue' | 'highValue' | 'delta' | 'swing' | 'deltaCi95'
      >[]
    | null;
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
    seed: spec.seed,
    design: spec.design,
    lhsSamples: spec.lhsSamples,
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
    invariants: { mode: spec.check, ...result.invariants },
    wallSeconds,
  };
}
