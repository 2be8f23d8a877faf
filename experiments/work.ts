/**
 * A unit of work for the pool: one replication of one scenario. Runs, sweep points and shards are all
 * lists of these; whatever computes them, results come back in the list's order.
 */
import type { Scenario } from '../scenarios/schema/scenario.ts';
import type { FaultName } from '../sim/engine/faults.ts';
import type { CheckMode } from './invariants.ts';
import { runReplication } from './replication.ts';
import type { ReplicationResult } from './result.ts';

export interface WorkItem {
  scenario: Scenario;
  replication: number;
  check: CheckMode;
  fault?: FaultName;
  /** `kpis`: only KPIs, events and invariants leave the worker (sweeps); the tables are dropped. */
  keep?: 'all' | 'kpis';
}

export function runWorkItem(
  item: WorkItem,
  onProgress?: (simSeconds: number, events: number) => void,
): ReplicationResult {
  const result = runReplication(item.scenario, item.replication, {
    check: item.check,
    fault: item.fault,
    onProgress,
  });
  if (item.keep !== 'kpis') return result;
  const none = { x: [], y: [], gini: 0 };
  return {
    ...result,
    timeseries: [],
    creators: [],
    viewers: [],
    audience: [],
    packs: [],
    gifts: [],
    cohorts: [],
    lorenz: { creatorEarnings: none, payerSpend: none },
  };
}

/** The items of a plain run: replications 0..n−1 of one scenario. */
export function replicationItems(
  scenario: Scenario,
  replications: number,
  check: CheckMode,
  fault?: FaultName,
): WorkItem[] {
  return Array.from({ length: replications }, (_, replication) => ({ scenario, replication, check, fault }));
}
