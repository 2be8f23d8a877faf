/**
 * A generation's work: one item per candidate × replication, candidate-major (item k = the candidate's
 * place in the generation × R + r), run over the worker pool with only KPIs coming back. Replication r
 * of every candidate draws from the engine's streams `giftlab:<seed>:<r>:<family>` — common random
 * numbers. An item's result depends on the seed, candidate and replication only: never on the worker,
 * the order of completion or the shard.
 */
import { assert } from '../../common/assert.ts';
import { runPool } from '../pool.ts';
import type { WorkItem } from '../work.ts';
import { type CalibrationPlan, candidateScenario } from './plan.ts';
import type { Batch, CandidateReplication, Evaluated } from './search.ts';

/** Violations kept per replication (all are counted). */
export const VIOLATIONS_KEPT_PER_ITEM = 5;

export function batchItemCount(plan: CalibrationPlan, batch: Batch): number {
  return batch.candidates.length * plan.spec.replications;
}

export interface EvaluateOptions {
  workers: number;
  /** Item `i` of `items` has simulated `simSeconds`. */
  onProgress?: (i: number, simSeconds: number, events: number) => void;
}

/** Runs items `items` (ascending numbers within the batch) and returns their KPIs in that order. */
export async function evaluateItems(
  plan: CalibrationPlan,
  batch: Batch,
  items: readonly number[],
  options: EvaluateOptions,
): Promise<CandidateReplication[]> {
  const r = plan.spec.replications;
  const scenarios = batch.candidates.map((c) => candidateScenario(plan.scenario, plan.spec.axes, c.values));
  const work: WorkItem[] = items.map((k) => ({
    scenario: scenarios[Math.floor(k / r)],
    replication: k % r,
    check: plan.spec.check,
    keep: 'kpis',
  }));
  const results = await runPool(work, { workers: options.workers, onProgress: options.onProgress });
  return results.map((res, i) => ({
    item: items[i],
    candidate: batch.candidates[Math.floor(items[i] / r)].id,
    replication: items[i] % r,
    events: res.events,
    kpis: res.kpis,
    invariants: {
      checked: res.invariants.checked,
      violationCount: res.invariants.violationCount,
      violations: res.invariants.violations.slice(0, VIOLATIONS_KEPT_PER_ITEM),
    },
  }));
}

/** A whole generation's replications (every item, in item order) as evaluated candidates. */
export function evaluatedBatch(
  plan: CalibrationPlan,
  batch: Batch,
  lines: readonly CandidateReplication[],
): Evaluated[] {
  const r = plan.spec.replications;
  assert(lines.length === batch.candidates.length * r, 'every item of the generation');
  lines.forEach((line, k) => {
    assert(line.item === k, 'lines in item order');
  });
  return batch.candidates.map((candidate, i) => ({
    candidate,
    replications: lines.slice(i * r, (i + 1) * r),
  }));
}
