/**
 * A calibration's shard folders. A calibration is adaptive — each generation is drawn from what the
 * ones before it scored — so it shards a generation at a time: `calibrate --shard i/n [--from dir]`
 * computes shard i of the next generation's candidates × replications (every shard replays the same
 * history, so all agree on what that generation is), and `merge` joins the shards with the history
 * into a calibration folder one generation further on. Repeat with `--from` that folder until
 * summary.json says done. The history travels in each shard's manifest, so merge needs nothing else.
 */
import { InputError } from '../../common/input-error.ts';
import type { Scenario } from '../../scenarios/schema/scenario.ts';
import { type LoadedShard, manifestHead, type ShardManifest } from '../shards/folder.ts';
import { checkedGroupManifest, joinShards, summedWallSeconds } from '../shards/group.ts';
import type { Shard } from '../shards/shard.ts';
import { aggregateCalibration, type CalibrationResult } from './aggregate.ts';
import { evaluatedBatch } from './evaluate.ts';
import type { CalibrationPlan, CalibrationSpec } from './plan.ts';
import { type Batch, type CandidateReplication, type Evaluated, replay } from './search.ts';

export interface CalibrationShardSpec {
  calibration: CalibrationSpec;
  digest: string;
  /** The generation this group of shards computes. */
  generation: number;
  /** Every candidate evaluated before it. */
  history: Evaluated[];
}

export function calibrationShardManifest(
  plan: CalibrationPlan,
  history: readonly Evaluated[],
  batch: Batch,
  shard: Shard,
  inShard: number,
  wallSeconds: number,
): ShardManifest<CalibrationShardSpec> {
  return {
    ...manifestHead('calibration', shard),
    scenarioName: plan.scenario.name,
    scenarioHash: plan.scenarioHash,
    seed: plan.spec.seed,
    replications: plan.spec.replications,
    items: { total: batch.candidates.length * plan.spec.replications, inShard },
    spec: {
      calibration: plan.spec,
      digest: plan.digest,
      generation: batch.generation,
      history: [...history],
    },
    scenario: plan.scenario,
    wallSeconds,
  };
}

/** Checks the group (exit 2 on a mismatch) and returns the calibration one generation on, and the summed wall time. */
export function mergeCalibrationShards(shards: readonly LoadedShard[]): {
  result: CalibrationResult;
  wallSeconds: number;
} {
  const m = checkedGroupManifest<CalibrationShardSpec>(shards, 'calibration');
  const plan: CalibrationPlan = {
    spec: m.spec.calibration,
    scenario: m.scenario as Scenario,
    scenarioHash: m.scenarioHash,
    digest: m.spec.digest,
  };
  const batch = replay(plan.spec, m.spec.history).next;
  if (batch === null || batch.generation !== m.spec.generation) {
    throw new InputError({
      field: shards[0].shown,
      expected: `generation ${m.spec.generation} of the calibration its history leads to`,
      found: batch === null ? 'a history that is already complete' : `generation ${batch.generation}`,
    });
  }
  const lines = joinShards(shards as LoadedShard<CalibrationShardSpec, CandidateReplication>[]);
  const history = [...m.spec.history, ...evaluatedBatch(plan, batch, lines)];
  return {
    result: aggregateCalibration(plan, history),
    wallSeconds: summedWallSeconds(shards),
  };
}
