/**
 * `giftlab run --journal`: after the run folder is written, replication 0 is simulated once more on a
 * recording ledger and its operation log and journal are written beside the other outputs. The
 * recording must agree with the run's own replication 0 (same seed, same streams); a disagreement is a
 * bug, not bad input. Only small populations are accepted: see `limits.ts`.
 */

import { assert } from '../../common/assert.ts';
import { InputError, type InputProblem } from '../../common/input-error.ts';
import { DAY_SECONDS, oplogLimits } from '../../common/limits.ts';
import { creatorSlots } from '../../scenarios/model-params.ts';
import type { Scenario } from '../../scenarios/schema/scenario.ts';
import type { Kpis } from '../../sim/kpis.ts';
import { writeOpLog } from './files.ts';
import { type Recording, recordReplication } from './record.ts';

/** What stands in the way of recording this scenario, before anything runs (empty: nothing). */
export function journalProblems(scenario: Scenario, how: { shard?: string; fault?: string }): InputProblem[] {
  const problems: InputProblem[] = [];
  const { viewers, creators } = scenario.population;
  // Arrivals become users too: their expected number (the run draws it) counts against the limit.
  const days = scenario.duration / DAY_SECONDS;
  const bursts = scenario.events.reduce((n, e) => n + (e.kind === 'acquisition-burst' ? e.viewers : 0), 0);
  const arrivals = Math.round(scenario.lifecycle.arrivalsPerDay * days + bursts);
  if (viewers + arrivals > oplogLimits.viewersMax) {
    problems.push({
      field: arrivals > 0 ? 'population.viewers + lifecycle.arrivalsPerDay' : 'population.viewers',
      expected: `at most ${oplogLimits.viewersMax.toLocaleString('en-US')} viewers in all with --journal (each viewer becomes a target user on replay)`,
      found:
        arrivals > 0
          ? `${viewers.toLocaleString('en-US')} + about ${arrivals.toLocaleString('en-US')} arriving`
          : viewers.toLocaleString('en-US'),
    });
  }
  const joins = creatorSlots(scenario) - creators;
  if (creators + joins > oplogLimits.creatorsMax) {
    problems.push({
      field: joins > 0 ? 'population.creators + lifecycle.creators.joinsPerDay' : 'population.creators',
      expected: `at most ${oplogLimits.creatorsMax.toLocaleString('en-US')} creators in all with --journal`,
      found:
        joins > 0
          ? `${creators.toLocaleString('en-US')} + ${joins.toLocaleString('en-US')} joining`
          : creators.toLocaleString('en-US'),
    });
  }
  if (how.shard !== undefined) {
    problems.push({
      field: '--journal',
      expected: 'a run without --shard (replication 0 is recorded)',
      found: `--shard ${how.shard}`,
    });
  }
  if (how.fault !== undefined) {
    problems.push({ field: '--journal', expected: 'a sound engine', found: `the test fault ${how.fault}` });
  }
  return problems;
}

export interface ExportedJournal {
  ops: number;
  entries: number;
  files: { ops: string; journal: string };
  /** Set when the log is large enough for replay to take minutes. */
  warning?: string;
}

/** Records replication 0 and writes `ops.jsonl` and `journal.jsonl` into `dir` (an existing run folder). */
export function exportJournal(dir: string, scenario: Scenario, replication0: Kpis): ExportedJournal {
  const recording = recordReplication(scenario);
  assertSameRun(recording, replication0);
  const ops = recording.ops.length;
  if (ops > oplogLimits.opsMax) {
    throw new InputError({
      field: '--journal',
      expected: `at most ${oplogLimits.opsMax.toLocaleString('en-US')} operations (a smaller population or duration)`,
      found: `${ops.toLocaleString('en-US')} operations in replication 0`,
    });
  }
  const files = writeOpLog(dir, recording);
  const warning =
    ops > oplogLimits.opsWarn
      ? `${ops.toLocaleString('en-US')} operations: replay sends one request each (minutes against a local server)`
      : undefined;
  return { ops, entries: recording.header.entries, files, warning };
}

function assertSameRun(recording: Recording, kpis: Kpis): void {
  const t = recording.ledger.totals;
  assert(
    t.gifts === kpis.giftsSent &&
      t.coinsPurchased === kpis.coinsPurchased &&
      t.coinsSpent === kpis.coinsSpent,
    `the recorded replication differs from the run's (gifts ${t.gifts} vs ${kpis.giftsSent}): the engine is not deterministic`,
  );
}
