/**
 * summary.json of a run, as ARCHITECTURE.md states it: scenario, seed, replications, events, wallSeconds,
 * kpis (a number with one replication, else { mean, ci95: [lo, hi], sd }) and invariants (which were
 * checked, how many violations, the violations themselves with their replication).
 */
import type { InvariantId, Violation } from '../sim/invariants/types.ts';
import { KPI_NAMES, type KpiName } from '../sim/kpis.ts';
import type { CheckMode } from './invariants.ts';
import type { RunResult } from './result.ts';

export type KpiSummary = number | { mean: number; ci95: [number, number]; sd: number };

export interface SummaryJson {
  scenario: string;
  seed: number;
  replications: number;
  events: number;
  wallSeconds: number;
  eventsPerSecond: number;
  kpis: Record<KpiName, KpiSummary>;
  invariants: {
    mode: CheckMode;
    checked: InvariantId[];
    entries: number;
    violationCount: number;
    violations: (Violation & { replication: number })[];
  };
}

export function summaryJson(run: RunResult, mode: CheckMode): SummaryJson {
  const single = run.replications.length === 1;
  const kpis = {} as Record<KpiName, KpiSummary>;
  for (const k of KPI_NAMES) {
    const s = run.kpiStats[k];
    kpis[k] = single ? s.mean : { mean: s.mean, ci95: s.ci95, sd: s.sd };
  }
  const checked = new Set<InvariantId>();
  for (const r of run.replications) for (const id of r.invariants.checked) checked.add(id);
  return {
    scenario: run.scenario,
    seed: run.seed,
    replications: run.replications.length,
    events: run.events,
    wallSeconds: run.wallSeconds,
    eventsPerSecond: run.wallSeconds > 0 ? Math.round(run.events / run.wallSeconds) : 0,
    kpis,
    invariants: {
      mode,
      checked: [...checked].sort((a, b) => a - b),
      entries: run.replications.reduce((n, r) => n + r.invariants.entries, 0),
      violationCount: run.replications.reduce((n, r) => n + r.invariants.violationCount, 0),
      violations: run.replications.flatMap((r) =>
        r.invariants.violations.map((v) => ({ replication: r.replication, ...v })),
      ),
    },
  };
}
