/**
 * A sweep's work: one item per point × replication, point-major (item k = point × replications +
 * replication), run over the worker pool with only KPIs coming back. Replication seeds:
 *
 * - `common` streams (the default): replication r of every point draws from the engine's streams
 *   `giftlab:<seed>:<r>:<family>` — the same random numbers at every point, so the difference between
 *   two points is the parameters' doing, not the luck of the draw (common random numbers);
 * - `independent` streams: replication r of point p uses the engine's replication p × R + r instead.
 *
 * Either way an item's streams depend on the seed, point and replication only: never on the worker,
 * the order of completion or the shard.
 */

import type { FaultName } from '../../sim/engine/faults.ts';
import type { InvariantId, Violation } from '../../sim/invariants/types.ts';
import type { KpiName, Kpis } from '../../sim/kpis.ts';
import { runPool } from '../pool.ts';
import type { ResultLine } from '../shards/folder.ts';
import type { WorkItem } from '../work.ts';
import type { SweepPlan, SweepSpec } from './plan.ts';

/** Violations kept per replication (all are counted). */
export const VIOLATIONS_KEPT_PER_ITEM = 5;

export interface SweepItem {
  point: number;
  replication: number;
}

/** One replication of one point, as a sweep keeps it (and as a shard's results.jsonl holds it). */
export interface ReplicationKpis extends ResultLine {
  point: number;
  replication: number;
  events: number;
  kpis: Kpis;
  invariants: { checked: InvariantId[]; violationCount: number; violations: Violation[] };
}

export function itemCount(spec: SweepSpec): number {
  return spec.points.length * spec.replications;
}

export function sweepItem(spec: SweepSpec, k: number): SweepItem {
  return { point: Math.floor(k / spec.replications), replication: k % spec.replications };
}

export function workItem(plan: SweepPlan, k: number, fault?: FaultName): WorkItem {
  const { point, replication } = sweepItem(plan.spec, k);
  return {
    scenario: plan.pointScenarios[point],
    replication: runReplicationOf(plan.spec, point, replication),
    check: plan.spec.check,
    keep: 'kpis',
    ...(fault === undefined ? {} : { fault }),
  };
}

/** The replication of `giftlab run` whose streams a point's replication draws (see the top of this file). */
export function runReplicationOf(spec: SweepSpec, point: number, replication: number): number {
  return spec.streams === 'common' ? replication : point * spec.replications + replication;
}

export interface RunItemsOptions {
  workers: number;
  /** Item `i` of `items` (not its number k) has simulated `simSeconds`; it is done at its scenario's duration. */
  onProgress?: (i: number, simSeconds: number, events: number) => void;
  /** A deliberately broken engine (the CLI's GIFTLAB_SIM_FAULT test hook). */
  fault?: FaultName;
}

/** Runs the items numbered `items` (ascending) and returns their KPIs in that order. */
export async function runSweepItems(
  plan: SweepPlan,
  items: readonly number[],
  options: RunItemsOptions,
): Promise<ReplicationKpis[]> {
  const work = items.map((k) => workItem(plan, k, options.fault));
  const results = await runPool(work, { workers: options.workers, onProgress: options.onProgress });
  return results.map((r, i) => {
    const { point, replication } = sweepItem(plan.spec, items[i]);
    return {
      item: items[i],
      point,
      replication,
      events: r.events,
      kpis: r.kpis,
      invariants: {
        checked: r.invariants.checked,
        violationCount: r.invariants.violationCount,
        violations: r.invariants.violations.slice(0, VIOLATIONS_KEPT_PER_ITEM),
      },
    };
  });
}

export type { KpiName };
