/**
 * What `giftlab run` does around the simulation for CI: KPI thresholds (`--threshold`, repeatable, plus
 * the scenario's `thresholds:` block), `--junit file`, and `--journal` (the operation log of
 * replication 0, for `giftlab replay`).
 *
 * Everything is checked before the run (a bad expression or an oversized journal exits 2 and writes
 * nothing). Thresholds are enforced after the outputs are written: report.html lists them with their
 * values, the JUnit file has a case each, and only then does a crossed one exit 99 — the outputs are
 * what the team inspects when a guardrail fails.
 */
import { relative } from 'node:path';
import { InputError, type InputProblem } from '../common/input-error.ts';
import { valueNeeds, whyNoValue } from '../experiments/kpi-value.ts';
import { exportJournal, journalProblems } from '../experiments/oplog/export.ts';
import type { RunResult } from '../experiments/result.ts';
import { dollarsExact } from '../reports/format.ts';
import { type Reproduce, runJunit } from '../reports/run-junit.ts';
import type { Scenario } from '../scenarios/schema/scenario.ts';
import { describeOutcome, evaluateThresholds, type Threshold } from '../scenarios/thresholds.ts';
import type { Io } from './commands.ts';
import type { ExitError } from './errors.ts';
import { OWN_FILES, writableOutputFile } from './output-path.ts';
import {
  collectThresholds,
  outcomeHeading,
  outcomeLines,
  thresholdFailure,
  writeJunitFile,
} from './thresholds.ts';

export interface GuardOptions {
  threshold?: string[];
  junit?: string;
  journal?: boolean;
  shard?: string;
}

export interface Guards {
  thresholds: Threshold[];
  /** The scenario as reported: its `thresholds` are every threshold of the run, flags included. */
  reported: Scenario;
}

/** Checks the flags against the scenario before anything runs. */
export function prepareGuards(
  scenario: Scenario,
  options: GuardOptions,
  fault: string | undefined,
  /** Replications of the run (the first batch of a --precision run): an interval or a spread needs 2. */
  replications: number,
  /** Where relative paths start (`--junit` is checked writable before the run, not found unwritable after). */
  cwd: string,
  /** The scenario file and the run's folder: `--junit` may be neither, nor in the folder (it is replaced). */
  paths?: { scenario: string; out: string },
): Guards {
  const problems: InputProblem[] = [];
  if (options.shard !== undefined) {
    for (const flag of ['threshold', 'junit'] as const) {
      if (options[flag] !== undefined) {
        problems.push({
          field: `--${flag}`,
          expected: 'a whole run: thresholds hold for the merged result, not a shard',
          found: `--shard ${options.shard}`,
        });
      }
    }
  }
  if (options.journal === true) problems.push(...journalProblems(scenario, { shard: options.shard, fault }));
  if (problems.length > 0) throw new InputError(problems);
  if (options.junit !== undefined)
    writableOutputFile('--junit', options.junit, cwd, {
      ...OWN_FILES.junit,
      inputs: paths === undefined ? [] : [paths.scenario],
      outside: paths === undefined ? [] : [paths.out],
    });
  // A shard computes a slice: the scenario's block is reported by the merged run's report.
  const thresholds =
    options.shard === undefined
      ? collectThresholds(options.threshold, scenario.thresholds, replications)
      : [];
  refuseThresholdsWithoutValue(scenario, thresholds);
  return { thresholds, reported: { ...scenario, thresholds: thresholds.map((t) => t.expression) } };
}

/**
 * A threshold on a KPI the scenario cannot give a value whatever the draws (a cohort KPI in a run too
 * short for its days, or without arrivals) exits 2 before anything runs: after the run it could only be
 * "absent", a guardrail that can never hold, and CI would learn that only after the whole run.
 */
function refuseThresholdsWithoutValue(scenario: Scenario, thresholds: readonly Threshold[]): void {
  const problems = thresholds.flatMap((t): InputProblem[] => {
    const why = whyNoValue(scenario, t.kpi);
    if (why === null) return [];
    const own = scenario.thresholds.indexOf(t.expression);
    return [
      {
        field: own >= 0 ? `thresholds[${own}]` : '--threshold',
        expected: `a KPI this run gives a value: ${valueNeeds(t.kpi)}`,
        found: `${t.expression}, and ${t.kpi} has no value where ${why}`,
      },
    ];
  });
  if (problems.length > 0) throw new InputError(problems);
}

export interface GuardOutcome {
  /** Lines for stdout (before the report path). */
  lines: string[];
  /** Set when a threshold was crossed. */
  failure?: ExitError;
}

/** After the run folder is written: the journal, the thresholds' verdict, the JUnit file. */
export function finishGuards(
  guards: Guards,
  out: string,
  result: RunResult,
  options: GuardOptions,
  io: Io,
  /** The commands that give the same KPIs and one replication alone, for exit 99's message and JUnit. */
  reproduce?: Reproduce,
): GuardOutcome {
  const rerun = reproduce?.run;
  const lines: string[] = [];
  if (options.journal === true) {
    const exported = exportJournal(out, guards.reported, result.replications[0].kpis);
    const show = (path: string) => relative(io.cwd, path) || path;
    const only = result.replications.length > 1 ? ' (replication 0 only)' : '';
    lines.push(
      `journal: ${exported.ops.toLocaleString('en-US')} operations, ${exported.entries.toLocaleString('en-US')} entries${only} in ${show(exported.files.ops)} and ${show(exported.files.journal)}`,
    );
    if (exported.warning !== undefined) io.stderr.write(`giftlab run: --journal: ${exported.warning}\n`);
  }
  const outcomes = evaluateThresholds(guards.thresholds, result.kpiStats);
  if (outcomes.length > 0) lines.push(outcomeHeading(outcomes), ...outcomeLines(outcomes));
  if (options.junit !== undefined)
    writeJunitFile(
      io,
      options.junit,
      runJunit(`${result.scenario}-${result.seed}`, outcomes, result.replications, reproduce),
      'run',
    );
  const crossed = outcomes.filter((o) => !o.passed);
  if (crossed.length === 0) return { lines };
  return {
    lines,
    failure: thresholdFailure(
      crossed.map((o) => `  ${describeOutcome(o, dollarsExact)}`),
      outcomes.length,
      rerun,
    ),
  };
}
