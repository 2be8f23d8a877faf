/**
 * A sweep's shard folders: the manifest a `sweep --shard i/n` writes, and the check that a set of
 * them is one sweep, joined back into the rows the unsharded sweep computed.
 */

import type { Scenario } from '../../scenarios/schema/scenario.ts';
import { type LoadedShard, manifestHead, type ShardManifest } from '../shards/folder.ts';
import { checkedGroupManifest, joinShards, summedWallSeconds } from '../shards/group.ts';
import type { Shard } from '../shards/shard.ts';
import { aggregateSweep, type SweepResult } from './aggregate.ts';
import type { SweepPlan, SweepSpec } from './plan.ts';
import { itemCount, type ReplicationKpis } from './run-items.ts';

export function sweepShardManifest(
  plan: SweepPlan,
  shard: Shard,
  inShard: number,
  wallSeconds: number,
  warnings: readonly string[] = [],
): ShardManifest<SweepSpec> {
  return {
    ...manifestHead('sweep', shard),
    scenarioName: plan.scenario.name,
    scenarioHash: plan.scenarioHash,
    seed: plan.spec.seed,
    replications: plan.spec.replications,
    items: { total: itemCount(plan.spec), inShard },
    spec: plan.spec,
    scenario: plan.scenario,
    wallSeconds,
    warnings: [...warnings],
  };
}

/** Checks the group (exit 2 on a mismatch) and returns what the unsharded sweep would, and the summed wall time. */
export function mergeSweepShards(shards: readonly LoadedShard[]): {
  result: SweepResult;
  wallSeconds: number;
} {
  const m = checkedGroupManifest<SweepSpec>(shards, 'sweep');
  const rows = joinShards(shards as LoadedShard<SweepSpec, ReplicationKpis>[]);
  const result = aggregateSweep(
    {
      spec: m.spec,
      scenario: m.scenario as Scenario,
      scenarioHash: m.scenarioHash,
      // One plan's warnings (every shard's are the same); a shard written before they were kept has none.
      warnings: shards.map((s) => s.manifest.warnings).find((w) => w !== undefined) ?? [],
    },
    rows,
  );
  return { result, wallSeconds: summedWallSeconds(shards) };
}
