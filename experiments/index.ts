export { type ExperimentOptions, runExperiment } from './experiment.ts';
export { gini, lorenz, topShare } from './inequality.ts';
export { CHECK_MODES, type CheckMode, checkReplication } from './invariants.ts';
export { computeKpis } from './kpis.ts';
export { type PoolOptions, runPool } from './pool.ts';
export { type ReplicationOptions, runReplication } from './replication.ts';
export type {
  AudienceBin,
  CreatorRow,
  IntervalRow,
  LorenzCurve,
  ReplicationResult,
  RunResult,
  ViewerRow,
} from './result.ts';
export { describe, t95 } from './stats.ts';
export { summarizeRun } from './summarize.ts';
export { type KpiSummary, type SummaryJson, summaryJson } from './summary-json.ts';
export { replicationItems, runWorkItem, type WorkItem } from './work.ts';
