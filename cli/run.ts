/**
 * `giftlab run <scenario>`: simulate replications of a scenario and write its run folder (summary.json,
 * the CSV files of `CSV_FILES` in reports/csv/index.ts, report.html). Flags and the
 * scenario are checked before anything runs or is written; the last line on stdout is the report's
 * path. An invariant violation lists what broke on stderr and exits 3 (the folder is still written).
 * Thresholds, `--junit` and `--journal` are cli/run-guards.ts: a crossed threshold exits 99 after the
 * folder is written. `--precision h` runs replications in batches until every `--kpi`'s 95 % CI
 * half-width is at most h × |mean| (experiments/precision.ts); a target not reached by
 * `--max-replications` also exits 99 after the folder is written.
 */
import { join, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { runExperiment } from '../experiments/experiment.ts';
import { CHECK_MODES, type CheckMode } from '../experiments/invariants.ts';
import { defaultWorkers, viewerDays } from '../experiments/pool.ts';
import {
  PRECISION_CAP,
  PRECISION_START,
  type PrecisionKpi,
  type PrecisionReport,
  runToPrecision,
} from '../experiments/precision.ts';
import type { RunResult } from '../experiments/result.ts';
import { kpiOf } from '../experiments/sweep/plan.ts';
import { REPORT_FILE, writeRunFolder } from '../reports/csv/run-folder.ts';
import { demandWarnings } from '../reports/demand-warnings.ts';
import { rangeWarnings, runSkewWarnings } from '../reports/run-warnings.ts';
import { loadScenarioFile } from '../scenarios/load.ts';
import { modelProblems } from '../scenarios/model-params.ts';
import type { Scenario } from '../scenarios/schema/scenario.ts';
import type { Io } from './commands.ts';
import { EXIT, ExitError, InputError, shown } from './errors.ts';
import { etaText } from './item-progress.ts';
import { percentText } from './options.ts';
import { checkOutFolder } from './out-folder.ts';
import { FAULT_ENV, faultFrom, reproduceCommand, rerunCommand, violationReport } from './reproduce.ts';
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
  /** Relative CI half-width to reach (0.05 = ±5 % of the mean); `--replications` is then the first batch. */
  precision?: number;
  /** KPIs `--precision` holds to (default the sweep's headline KPI, platformMarginCents). */
  kpi?: string[];
  maxReplications?: number;
}

export { FAULT_ENV };

export async function run(file: string, options: RunOptions, io: Io): Promise<number> {
  const check = checkMode(options.check);
  const fault = faultFrom(io.env);
  const sets = [...(options.set ?? []), ...(options.seed === undefined ? [] : [`seed=${options.seed}`])];
  const path = resolve(io.cwd, file);
  const scenario = loadScenarioFile(path, { sets });
  const problems = modelProblems(scenario);
  if (problems.length > 0) throw new InputError(problems, file);
  const precision = precisionPlan(options);
  const replications = options.replications ?? (precision === undefined ? 1 : PRECISION_START);
  const typedOut = options.out ?? join('runs', `${scenario.name}-${scenario.seed}`);
  const guards = prepareGuards(scenario, options, fault, replications, io.cwd, {
    scenario: path,
    out: typedOut,
  });
  for (const w of demandWarnings(scenario)) io.stderr.write(`giftlab run: warning: ${w}\n`);
  if (options.shard !== undefined) {
    const { runShard } = await import('./run-shard.ts');
    return runShard(
      scenario,
      { ...options, shard: options.shard, replications, check, fault, file: path, typedFile: file },
      io,
    );
  }
  if (precision !== undefined && replications > precision.cap) {
    throw new InputError({
      field: '--replications',
      expected: `a first batch within --max-replications (${precision.cap})`,
      found: String(replications),
    });
  }
  const workers = options.workers ?? defaultWorkers(replications, viewerDays(scenario));
  checkOutFolder(typedOut, { flag: '--out', kind: 'run', cwd: io.cwd, inputs: [path] });
  const out = resolve(io.cwd, typedOut);

  const quiet = options.quiet === true;
  const progress = progressBar(io, scenario, replications, quiet, precision?.cap);
  const started = performance.now();
  let result: RunResult;
  try {
    const common = { workers, check, fault, now: () => performance.now(), onProgress: progress.update };
    result =
      precision === undefined
        ? await runExperiment(scenario, { ...common, replications })
        : await runToPrecision(scenario, {
            ...common,
            ...precision,
            start: replications,
            onBatch: (n, status, next) => {
              if (next !== null) progress.grow(next);
              if (!quiet) io.stderr.write(`${batchLine(n, status, precision.target, next)}\n`);
            },
          });
  } finally {
    progress.stop();
  }
  await writeRunFolder(out, result, guards.reported, check);
  const violations = result.replications.reduce((n, r) => n + r.invariants.violationCount, 0);
  const recipe = { file, sets: options.set ?? [], seed: scenario.seed, check, fault, out: typedOut };
  const rerun = rerunCommand(recipe, result.replications.length, options.threshold ?? []);
  const guarded = finishGuards(guards, out, result, options, io, {
    run: rerun,
    replication: (k) => reproduceCommand(recipe, k),
  });
  if (!options.quiet) printSummary(io, result, workers, (performance.now() - started) / 1000);
  for (const w of [...runSkewWarnings(result), ...rangeWarnings(result)])
    io.stderr.write(`giftlab run: warning: ${w}\n`);
  if (!options.quiet && guarded.lines.length > 0) io.stdout.write(`${guarded.lines.join('\n')}\n`);
  if (!options.quiet && result.precision !== undefined)
    io.stdout.write(`${precisionText(result.precision)}\n`);
  io.stdout.write(`${join(out, REPORT_FILE)}\n`);
  if (violations > 0) {
    throw new ExitError(violationReport(result.replications, recipe), EXIT.violation);
  }
  const unmet = result.precision?.reached === false ? precisionFailure(result.precision) : undefined;
  if (guarded.failure !== undefined && unmet !== undefined)
    throw new ExitError(`${guarded.failure.message}\n${unmet.message}`, EXIT.threshold);
  if (guarded.failure !== undefined) throw guarded.failure;
  if (unmet !== undefined) throw unmet;
  return EXIT.ok;
}

/** `--precision`, `--kpi` and `--max-replications`, checked together before anything runs. */
function precisionPlan(
  options: RunOptions,
): { target: number; kpis: ReturnType<typeof kpiOf>[]; cap: number } | undefined {
  if (options.precision === undefined) {
    for (const [flag, given] of [
      ['--kpi', options.kpi !== undefined],
      ['--max-replications', options.maxReplications !== undefined],
    ] as const) {
      if (given)
        throw new InputError({ field: flag, expected: '--precision h with it', found: 'no --precision' });
    }
    return undefined;
  }
  if (options.shard !== undefined) {
    throw new InputError({
      field: '--precision',
      expected: 'a whole run (how many replications it takes is known only as they come in)',
      found: `--shard ${options.shard}`,
    });
  }
  if (options.replications !== undefined && options.replications < 2) {
    throw new InputError({
      field: '--replications',
      expected: 'a first batch of at least 2 with --precision (one replication has no interval)',
      found: String(options.replications),
    });
  }
  const kpis = [...new Set((options.kpi ?? [undefined]).map(kpiOf))];
  return { target: options.precision, kpis, cap: options.maxReplications ?? PRECISION_CAP };
}

/** `grossBookingsCents ±4.71 %` for each KPI, with ✓/✗ against the target. */
function standing(status: readonly PrecisionKpi[], target: number): string {
  return status
    .map((s) => {
      const rel = Number.isFinite(s.relativeHalfWidth)
        ? `±${(s.relativeHalfWidth * 100).toFixed(2)} %`
        : '±∞ (mean 0)';
      return `${s.kpi} ${rel} ${s.relativeHalfWidth <= target ? '✓' : '✗'}`;
    })
    .join(', ');
}

function batchLine(n: number, status: readonly PrecisionKpi[], target: number, next: number | null): string {
  const then = next === null ? '' : `; running to ${next}`;
  return `giftlab run: precision after ${n} replications (target ±${percentText(target)} of the mean): ${standing(status, target)}${then}`;
}

/** The stdout line (summary.json's `precision` and the report say the same). */
export function precisionText(p: PrecisionReport): string {
  const how = `95 % CI half-width within ±${percentText(p.target)} of the mean`;
  const batches = p.batches.join(' → ');
  const n = p.batches.at(-1) as number;
  if (p.reached)
    return `precision: ${how} after ${n} replications (batches ${batches}): ${standing(p.status, p.target)}`;
  return `precision: NOT reached within --max-replications ${p.cap} (batches ${batches}): ${standing(p.status, p.target)}`;
}

/** Exit 99 after the outputs: the run stopped at the cap short of the target. */
function precisionFailure(p: PrecisionReport): ExitError {
  const short = p.status.filter((s) => !s.met);
  const lines = short.map((s) => {
    const rel = Number.isFinite(s.relativeHalfWidth)
      ? `±${(s.relativeHalfWidth * 100).toFixed(2)} %`
      : 'unbounded (its mean is 0)';
    const more = Number.isFinite(s.needed)
      ? `about ${s.needed.toLocaleString('en-US')} replications would do`
      : 'no number of replications will do';
    return `  ${s.kpi}: ${rel} of its mean after ${p.cap} replications; ${more}`;
  });
  return new ExitError(
    [
      `precision not reached (exit 99): the 95 % CI half-width of ${short.length} KPI(s) is above ±${percentText(p.target)} of the mean at --max-replications ${p.cap} (the outputs hold all ${p.cap} replications):`,
      ...lines,
      '  raise --max-replications, loosen --precision, or name a KPI whose mean is not near 0',
    ].join('\n'),
    EXIT.threshold,
  );
}

function checkMode(value: string | undefined): CheckMode {
  if (value === undefined) return 'end';
  if ((CHECK_MODES as readonly string[]).includes(value)) return value as CheckMode;
  throw new InputError({ field: '--check', expected: CHECK_MODES.join(' or '), found: shown(value) });
}

interface Progress {
  update: (index: number, simSeconds: number, events: number) => void;
  stop: () => void;
  /** The run will have n replications (a `--precision` batch). */
  grow: (n: number) => void;
}

/** A bar on stderr when it is a terminal (simulated time done, events/s, ETA); nothing otherwise. */
function progressBar(
  io: Io,
  scenario: Scenario,
  replications: number,
  quiet: boolean,
  slots = replications,
): Progress {
  if (quiet || io.stderr.isTTY !== true) return { update: () => {}, stop: () => {}, grow: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: io.stderr,
      format: `${scenario.name} [{bar}] {percentage}% | {rate} events/s | ETA {left}`,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  // One slot per replication the run may reach (`--precision` grows the bar batch by batch).
  const done = new Float64Array(slots);
  const events = new Float64Array(slots);
  const started = performance.now();
  let total = replications * scenario.duration;
  bar.start(total, 0, { rate: '0', left: '…' });
  return {
    update: (index, simSeconds, eventCount) => {
      done[index] = simSeconds;
      events[index] = eventCount;
      const seconds = (performance.now() - started) / 1000;
      const rate = seconds > 0 ? Math.round(sum(events) / seconds).toLocaleString('en-US') : '0';
      bar.update(sum(done), { rate, left: etaText(seconds, sum(done), total) });
    },
    stop: () => bar.stop(),
    grow: (n) => {
      total = n * scenario.duration;
      bar.setTotal(total);
    },
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
