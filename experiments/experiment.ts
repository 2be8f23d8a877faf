/**
 * A run: n replications of one scenario over the pool, joined into a RunResult. The clock comes in
 * from the caller (the CLI), so the simulation itself never reads the time.
 */
import type { Scenario } from '../scenarios/schema/scenario.ts';
import type { FaultName } from '../sim/engine/faults.ts';
import type { CheckMode } from './invariants.ts';
import { runPool } from './pool.ts';
import type { RunResult } from './result.ts';
import { summarizeRun } from './summarize.ts';
import { replicationItems } from './work.ts';

export interface ExperimentOptions {
  replications: number;
  workers: number;
  check: CheckMode;
  fault?: FaultName;
  /** Milliseconds from some origin (performance.now at the CLI); only used for wallSeconds. */
  now: () => number;
  onProgress?: (index: number, simSeconds: number, events: number) => void;
}

export async function runExperiment(scenario: Scenario, options: ExperimentOptions): Promise<RunResult> {
  const started = options.now();
  const items = replicationItems(scenario, options.replications, options.check, options.fault);
  const results = await runPool(items, { workers: options.workers, onProgress: options.onProgress });
  return summarizeRun(scenario.name, scenario.seed, results, (options.now() - started) / 1000);
}
