/**
 * Records replication 0 of a scenario: the same simulation a run computes (same seed, same streams, so
 * the same operations in the same order), on a ledger that keeps its journal and logs every call.
 * Deterministic: the caller can check the recording against the run's own result.
 */

import { assert } from '../../common/assert.ts';
import { modelParams } from '../../scenarios/model-params.ts';
import type { Scenario } from '../../scenarios/schema/scenario.ts';
import { ledgerViewers } from '../../sim/engine/crowd.ts';
import { Simulation } from '../../sim/engine/simulation.ts';
import { createStreams } from '../../sim/random/streams.ts';
import { OPS_FORMAT, type OpsHeader, type SimOp } from './op.ts';
import { RecordingLedger } from './recording-ledger.ts';

export interface Recording {
  header: OpsHeader;
  ops: SimOp[];
  /** The run's ledger, journal kept: entries carry the operations' ids. */
  ledger: RecordingLedger;
}

export function recordReplication(scenario: Scenario): Recording {
  const params = modelParams(scenario);
  const ledger = new RecordingLedger(scenario.economy, {
    viewers: ledgerViewers(params),
    creators: params.creatorSlots,
  });
  const sim = new Simulation(params, ledger, createStreams(scenario.seed, 0));
  sim.run();
  const ops = ledger.ops;
  assert(ledger.entryCount === ops.filter((op) => op.result === 'ok').length, 'an entry per accepted op');
  const header: OpsHeader = {
    format: OPS_FORMAT,
    scenario: scenario.name,
    seed: scenario.seed,
    replication: 0,
    duration: scenario.duration,
    // Viewer ids run over the arrivals' slots too (a crowd's agents are fewer than its viewers).
    population: { viewers: Math.max(params.viewers, sim.viewerIds), creators: params.creatorSlots },
    economy: scenario.economy,
    ops: ops.length,
    entries: ledger.entryCount,
  };
  return { header, ops, ledger };
}
