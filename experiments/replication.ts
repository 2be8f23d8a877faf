/**
 * One replication as a pure function: (scenario, replication index, options) → ReplicationResult. Its
 * random streams are keyed by the scenario's seed and the index, so the same inputs give the same
 * result in any process, on any worker, in any order — the unit that runs, sweeps and shards map over.
 */

import { modelParams } from '../scenarios/model-params.ts';
import type { Scenario } from '../scenarios/schema/scenario.ts';
import { ledgerViewers } from '../sim/engine/crowd.ts';
import { createLedger, type FaultName, traderFaults } from '../sim/engine/faults.ts';
import { Simulation } from '../sim/engine/simulation.ts';
import { JournalChecker } from '../sim/invariants/journal-checker.ts';
import { createStreams } from '../sim/random/streams.ts';
import { lorenz } from './inequality.ts';
import { type CheckMode, checkReplication } from './invariants.ts';
import { computeKpis, sortedCreatorDiamonds, sortedPayerSpend } from './kpis.ts';
import type { ReplicationResult } from './result.ts';
import { audienceRows, creatorRows, giftRows, intervalRows, packRows, viewerRows } from './rows.ts';

export interface ReplicationOptions {
  /** `end` (default): the ledger's state after the run; `all`: also every entry as it is written. */
  check?: CheckMode;
  /** A deliberately broken engine, for tests of the checks. */
  fault?: FaultName;
  /** False: a slot per viewer of the run, departed or not (tests that reuse changes no output). */
  reuseSlots?: boolean;
  /** The crowd's quiet-second hazard (0: two binomials every second, the draws before quiet seconds). */
  crowdQuietHazard?: number;
  onProgress?: (simSeconds: number, events: number) => void;
}

export function runReplication(
  scenario: Scenario,
  replication: number,
  options: ReplicationOptions = {},
): ReplicationResult {
  const params = modelParams(scenario);
  const checker = options.check === 'all' ? new JournalChecker({ economy: scenario.economy }) : undefined;
  const ledger = createLedger(
    scenario.economy,
    {
      journal: checker !== undefined,
      idempotency: false,
      viewers: ledgerViewers(params),
      creators: params.creatorSlots,
      onEntry: checker === undefined ? undefined : (entry) => checker.push(entry),
    },
    options.fault,
  );
  const sim = new Simulation(params, ledger, createStreams(scenario.seed, replication), {
    onProgress: options.onProgress,
    faults: traderFaults(options.fault),
    reuseSlots: options.reuseSlots,
    crowdQuietHazard: options.crowdQuietHazard,
  });
  sim.run();
  const invariants = checkReplication(ledger, checker);
  const creatorDiamonds = sortedCreatorDiamonds(ledger, sim.creators);
  const outcomes = sim.outcomes();
  const payerSpend = sortedPayerSpend(outcomes);
  const result: ReplicationResult = {
    replication,
    seed: scenario.seed,
    events: sim.events,
    kpis: computeKpis(
      ledger,
      sim.viewerCount,
      creatorDiamonds,
      payerSpend,
      sim.recorder.payerDays(params.durationSeconds),
      sim.cohorts.kpis(),
    ),
    timeseries: intervalRows(sim.recorder, scenario.economy, params.intervalSeconds),
    creators: creatorRows(ledger, sim.creators, sim.creatorLives, params.durationSeconds),
    viewers: viewerRows(ledger, outcomes, params.crowd ? sim.crowdViewers : undefined),
    audience: audienceRows(sim.recorder, params.curve, sim.curveCorrection),
    packs: packRows(sim.recorder, scenario.economy),
    gifts: giftRows(sim.recorder, scenario.economy),
    cohorts: sim.cohorts.rows(),
    lorenz: { creatorEarnings: lorenz(creatorDiamonds), payerSpend: lorenz(payerSpend) },
    invariants,
  };
  // Every row above is built (none keeps a view of the engine's columns): the next replication on this
  // thread reuses them rather than faulting in fresh pages.
  sim.recycle();
  return result;
}
