/**
 * `run --replications n --shard i/n`: a shard runs its replications (item k = replication k, dealt
 * round-robin) and keeps each one whole — KPIs and every table row — so that a merge hands the run
 * folder writers the very RunResult the unsharded run had, and they write the same CSV bytes.
 */

import type { Scenario } from '../../scenarios/schema/scenario.ts';
import type { FaultName } from '../../sim/engine/faults.ts';
import type { CheckMode } from '../invariants.ts';
import { runPool } from '../pool.ts';
import type { ReplicationResult, RunResult } from '../result.ts';
import { summarizeRun } from '../summarize.ts';
import { replicationItems } from '../work.ts';
import { hashOf } from './canonical.ts';
import { type LoadedShard, manifestHead, type ResultLine, type ShardManifest } from './folder.ts';
import { checkedGroupManifest, joinShards, summedWallSeconds } from './group.ts';
import { type Shard, shardItems } from './shard.ts';

export interface RunShardSpec {
  check: CheckMode;
  fault: FaultName | null;
}

export interface RunResultLine extends ResultLine {
  result: ReplicationResult;
}

export interface RunShardOptions {
  replications: number;
  workers: number;
  check: CheckMode;
  fault?: FaultName;
  onProgress?: (i: number, simSeconds: number, events: number) => void;
}

/** The replication numbers a shard runs. */
export function runShardItems(replications: number, shard: Shard): number[] {
  return shardItems(replications, shard);
}

export async function runShardReplications(
  scenario: Scenario,
  shard: Shard,
  options: RunShardOptions,
): Promise<RunResultLine[]> {
  const all = replicationItems(scenario, options.replications, options.check, options.fault);
  const mine = runShardItems(options.replications, shard);
  const results = await runPool(
    mine.map((k) => all[k]),
    { workers: options.workers, onProgress: options.onProgress },
  );
  return results.map((result, i) => ({ item: mine[i], result }));
}

export function runShardManifest(
  scenario: Scenario,
  shard: Shard,
  options: { replications: number; check: CheckMode; fault?: FaultName },
  inShard: number,
  wallSeconds: number,
): ShardManifest<RunShardSpec> {
  return {
    ...manifestHead('run', shard),
    scenarioName: scenario.name,
    scenarioHash: hashOf(scenario),
    seed: scenario.seed,
    replications: options.replications,
    items: { total: options.replications, inShard },
    spec: { check: options.check, fault: options.fault ?? null },
    scenario,
    wallSeconds,
  };
}

/**
 * Checks the group (exit 2 on a mismatch) and returns the unsharded run's RunResult; its wallSeconds
 * is the sum of the shards' (the only figure that differs from the unsharded run's).
 */
export function mergeRunShards(shards: readonly LoadedShard[]): {
  run: RunResult;
  scenario: Scenario;
  check: CheckMode;
} {
  const m = checkedGroupManifest<RunShardSpec>(shards, 'run');
  const lines = joinShards(shards as LoadedShard<RunShardSpec, RunResultLine>[]);
  const wallSeconds = summedWallSeconds(shards);
  const run = summarizeRun(
    m.scenario.name,
    m.scenario.seed,
    lines.map((l) => l.result),
    wallSeconds,
  );
  return { run, scenario: m.scenario, check: m.spec.check };
}
