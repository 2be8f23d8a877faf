/** Joins replications (in index order) into a RunResult: each KPI's mean, 95 % CI and sd across them. */
import { assert } from '../common/assert.ts';
import { KPI_NAMES, type KpiName, type KpiStat } from '../sim/kpis.ts';
import type { ReplicationResult, RunResult } from './result.ts';
import { describe } from './stats.ts';

export function summarizeRun(
  scenario: string,
  seed: number,
  replications: ReplicationResult[],
  wallSeconds: number,
): RunResult {
  assert(replications.length > 0, 'a run has at least one replication');
  replications.forEach((r, i) => {
    assert(i === 0 || r.replication > replications[i - 1].replication, 'replications out of order');
  });
  const kpiStats = {} as Record<KpiName, KpiStat>;
  for (const name of KPI_NAMES) kpiStats[name] = describe(replications.map((r) => r.kpis[name]));
  return {
    scenario,
    seed,
    replications,
    kpiStats,
    events: replications.reduce((sum, r) => sum + r.events, 0),
    wallSeconds,
  };
}
