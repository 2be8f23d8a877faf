/**
 * `giftlab run <scenario>`: simulate replications of a scenario and write its run folder (summary.json,
 * kpis.csv, timeseries.csv, creators.csv, viewers.csv, audience.csv, report.html). Flags and the
 * scenario are checked before anything runs or is written; the last line on stdout is the report's
 * path. An invariant violation lists what broke on stderr and exits 3 (the folder is still written).
 * Thresholds, `--junit` and `--journal` are cli/run-guards.ts: a crossed threshold exits 99 after the
 * folder is written.
 */
import { join, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { runExperiment } from '../experiments/experiment.ts';
import { CHECK_MODES, type CheckMode } from '../experiments/invariants.ts';
import { defaultWorkers, viewerDays } from '../experiments/pool.ts';
import type { RunResult } from '../experiments/result.ts';
import { REPORT_FILE, writeRunFolder } from '../reports/csv/run-folder.ts';
import { loadScenarioFile } from '../scenarios/load.ts';
import { modelProblems } from '../scenarios/model-params.ts';
import type { Scenario } from '../scenarios/schema/scenario.ts';
import { FAULTS, type FaultName, isFault } from '../sim/engine/faults.ts';
import type { Io } from './commands.ts';
import { EXIT, ExitError, InputError, shown } from './errors.ts';
import { checkOutFolder } from './out-folder.ts';
import { finishGuards, type GuardOptions, prepareGuards } from './run-guards.ts';

export interface RunOptions extends GuardOptions {
  seed?: number;
  replications?: number;
  workers?: number;
  set?: string[];
  out?: string;
  quiet?: boolean;
  check?: string;
  /** `i/n`: compute only shard i of the replications and write a shard folder (see cli/run-shard.ts). */
  shard?: string;
}

/** Test hook: a deliberately broken engine (see sim/engine/faults.ts). Not a user-facing option. */
export const FAULT_ENV = 'GIFTLAB_SIM_FAULT';

export async function run(file: string, options: RunOptions, io: Io): Promise<number> {
  const check = checkMode(options.check);
  const fault = faultFrom(io.env);
  const sets = [...(options.set ?? []), ...(options.seed === undefined ? [] : [`seed=${options.seed}`])];
  const path = resolve(io.cwd, file);
  const scenario = loadScenarioFile(path, { sets });
  const problems = modelProblems(scenario);
  if (problems.length > 0) throw new InputError(problems, file);
  const guards = prepareGuards(scenario, options, fault);
  const replications = options.replications ?? 1;
  if (options.shard !== undefined) {
    const { runShard } = await import('./run-shard.ts');
    return runShard(
      scenario,
      { ...options, shard: options.shard, replications, check, fault, file: path },
      io,
    );
  }
  const workers = options.workers ?? defaultWorkers(replications, viewerDays(scenario));
  const typedOut = options.out ?? join('runs', `${scenario.name}-${scenario.seed}`);
  checkOutFolder(typedOut, { flag: '--out', kind: 'run', cwd: io.cwd, inputs: [path] });
  const out = resolve(io.cwd, typedOut);

  const progress = progressBar(io, scenario, replications, options.quiet === true);
  const started = performance.now();
  let result: RunResult;
  try {
    result = await runExperiment(scenario, {
      replications,
      workers,
      check,
      fault,
      now: () => performance.now(),
      onProgress: progress.update,
    });
  } finally {
    progress.stop();
  }
  await writeRunFolder(out, result, guards.reported, check);
  const violations = result.replications.reduce((n, r) => n + r.invariants.violationCount, 0);
  const guarded = finishGuards(guards, out, result, options, io);
  if (!options.quiet) printSummary(io, result, workers, (performance.now() - started) / 1000);
  if (!options.quiet && guarded.lines.length > 0) io.stdout.write(`${guarded.lines.join('\n')}\n`);
  io.stdout.write(`${join(out, REPORT_FILE)}\n`);
  if (violations > 0) throw new ExitError(violationText(result, violations), EXIT.violation);
  if (guarded.failure !== undefined) throw guarded.failure;
  return EXIT.ok;
}

function checkMode(value: string | undefined): CheckMode {
  if (value === undefined) return 'end';
  if ((CHECK_MODES as readonly string[]).includes(value)) return value as CheckMode;
  throw new InputError({ field: '--check', expected: CHECK_MODES.join(' or '), found: shown(value) });
}

function faultFrom(env: NodeJS.ProcessEnv): FaultName | undefined {
  const name = env[FAULT_ENV];
  if (name === undefined || name === '') return undefined;
  if (isFault(name)) return name;
  throw new InputError({ field: FAULT_ENV, expected: FAULTS.join(' or '), found: shown(name) });
}

interface Progress {
  update: (index: number, simSeconds: number, events: number) => void;
  stop: () => void;
}

/** A bar on stderr when it is a terminal (simulated time done, events/s, ETA); nothing otherwise. */
function progressBar(io: Io, scenario: Scenario, replications: number, quiet: boolean): Progress {
  if (quiet || io.stderr.isTTY !== true) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: io.stderr,
      format: `${scenario.name} [{bar}] {percentage}% | {rate} events/s | ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const done = new Float64Array(replications);
  const events = new Float64Array(replications);
  const started = performance.now();
  bar.start(replications * scenario.duration, 0, { rate: '0' });
  return {
    update: (index, simSeconds, eventCount) => {
      done[index] = simSeconds;
      events[index] = eventCount;
      const seconds = (performance.now() - started) / 1000;
      const rate = seconds > 0 ? Math.round(sum(events) / seconds).toLocaleString('en-US') : '0';
      bar.update(sum(done), { rate });
    },
    stop: () => bar.stop(),
  };
}

function sum(xs: Float64Array): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

/**
 * The summary on stdout. The simulation's time is summary.json's wallSeconds (the same figure, to the
 * hundredth); writing the outputs (CSVs, the report's charts) is timed apart: `seconds` is the total.
 */
function printSummary(io: Io, run: RunResult, workers: number, seconds: number): void {
  const k = run.kpiStats;
  const dollars = (cents: number) =>
    `$${(cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  const lines = [
    `${run.scenario} (seed ${run.seed}): ${run.replications.length} replication(s) on ${workers} worker(s), ` +
      `${run.events.toLocaleString('en-US')} events simulated in ${run.wallSeconds.toFixed(2)} s, ` +
      `outputs written in ${Math.max(0, seconds - run.wallSeconds).toFixed(2)} s`,
    `  gross bookings ${dollars(k.grossBookingsCents.mean)}, net revenue ${dollars(k.netRevenueCents.mean)}, ` +
      `creator earnings ${dollars(k.creatorEarningsCents.mean)}, platform margin ${dollars(k.platformMarginCents.mean)}`,
    `  ${Math.round(k.payers.mean).toLocaleString('en-US')} payers (${(k.payerConversion.mean * 100).toFixed(2)} %), ` +
      `${Math.round(k.giftsSent.mean).toLocaleString('en-US')} gifts; invariants checked, ` +
      `${run.replications.reduce((n, r) => n + r.invariants.violationCount, 0)} violation(s)`,
  ];
  io.stdout.write(`${lines.join('\n')}\n`);
}

function violationText(run: RunResult, count: number): string {
  const shownMax = 20;
  const lines = run.replications.flatMap((r) =>
    r.invariants.violations.map(
      (v) => `  replication ${r.replication}, invariant ${v.invariant}: ${v.message}`,
    ),
  );
  const more =
    count > shownMax ? [`  … and ${count - Math.min(shownMax, lines.length)} more (see summary.json)`] : [];
  return [`${count} invariant violation(s):`, ...lines.slice(0, shownMax), ...more].join('\n');
}
