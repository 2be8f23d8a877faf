/**
 * `giftlab calibrate <scenario> --target kpi=value… --fit path=lo:hi…`: searches the --fit box for the
 * values whose simulated KPIs best match the targets (CMA-ES, then a response-surface confirmation; see
 * experiments/calibrate/), every candidate's replications through the worker pool. Writes
 * calibrated.yaml, calibration.csv, replications.csv, summary.json and report.html to
 * runs/<scenario>-calibrate-<seed>-<digest>/ or `--out`; the last line on stdout is the report's path.
 * Targets the box cannot reach are said plainly on stderr (and in the report); the exit code stays 0.
 *
 * `--shard i/n` computes only shard i of the next generation (after `--from dir`'s history, or the
 * first) and writes a shard folder; `giftlab merge` joins a generation's shards into a calibration
 * folder, which the next generation's shards take as `--from`.
 */
import os from 'node:os';
import { join, resolve } from 'node:path';
import { aggregateCalibration, type CalibrationResult } from '../experiments/calibrate/aggregate.ts';
import { evaluateItems } from '../experiments/calibrate/evaluate.ts';
import { type CalibrationPlan, planCalibration } from '../experiments/calibrate/plan.ts';
import { runCalibration } from '../experiments/calibrate/run.ts';
import { confirmationSize, type Evaluated, leastBudget, replay } from '../experiments/calibrate/search.ts';
import { calibrationShardManifest } from '../experiments/calibrate/shard-io.ts';
import { collectTargets } from '../experiments/calibrate/targets.ts';
import { writeShardFolder } from '../experiments/shards/folder.ts';
import { checkShardCount, parseShard, shardItems, shardLabel } from '../experiments/shards/shard.ts';
import { readCalibrationHistory } from '../reports/calibrate/read.ts';
import { pathLine, targetLine, warnings } from '../reports/calibrate/text.ts';
import { CALIBRATION_REPORT_FILE, writeCalibrationFolder } from '../reports/calibrate/write.ts';
import { fitDemandWarnings } from '../reports/demand-warnings.ts';
import { loadScenarioFile } from '../scenarios/load.ts';
import type { Io } from './commands.ts';
import { EXIT, ExitError, InputError } from './errors.ts';
import { itemProgress } from './item-progress.ts';
import { checkOutFolder } from './out-folder.ts';
import { checkMode } from './sweep.ts';

export interface CalibrateCliOptions {
  target?: string[];
  targets?: string;
  fit?: string[];
  replications?: number;
  budget?: number;
  seed?: number;
  set?: string[];
  workers?: number;
  out?: string;
  shard?: string;
  from?: string;
  check?: string;
  quiet?: boolean;
}

/** Replications per candidate unless `--replications` says otherwise: enough for a CI and a noise scale. */
export const DEFAULT_REPLICATIONS = 4;
/** Candidates unless `--budget` says otherwise. */
export const DEFAULT_BUDGET = 60;

export async function calibrate(file: string, options: CalibrateCliOptions, io: Io): Promise<number> {
  if (!file) throw new InputError({ field: 'scenario', expected: 'a scenario file', found: 'nothing' });
  const shard = options.shard === undefined ? undefined : parseShard(options.shard);
  const check = checkMode(options.check);
  const targets = collectTargets(
    options.target ?? [],
    options.targets === undefined
      ? undefined
      : { path: resolve(io.cwd, options.targets), shown: options.targets },
  );
  const sets = [...(options.set ?? []), ...(options.seed === undefined ? [] : [`seed=${options.seed}`])];
  const scenario = loadScenarioFile(resolve(io.cwd, file), { sets });
  const plan = planCalibration(scenario, {
    fit: options.fit ?? [],
    targets,
    sets: options.set,
    replications: options.replications ?? DEFAULT_REPLICATIONS,
    budget: options.budget ?? DEFAULT_BUDGET,
    check,
  });
  checkBudget(plan);
  for (const w of fitDemandWarnings(scenario, plan.spec.axes))
    io.stderr.write(`giftlab calibrate: warning: ${w}\n`);
  const history: Evaluated[] =
    options.from === undefined
      ? []
      : readCalibrationHistory(resolve(io.cwd, options.from), options.from, plan);
  const base = join('runs', `${scenario.name}-calibrate-${plan.spec.seed}-${plan.digest}`);
  return shard === undefined
    ? whole(plan, history, options, io, file, base)
    : sharded(plan, history, shard, options, io, file, base);
}

function checkBudget(plan: CalibrationPlan): void {
  const paths = plan.spec.axes.length;
  const least = leastBudget(paths, plan.spec.optimiser.lambda);
  if (plan.spec.budget < least) {
    throw new InputError({
      field: '--budget',
      expected: `at least ${least} candidates for ${paths} fitted path(s): ${least - confirmationSize(paths)} to search and fit a response surface, then ${confirmationSize(paths)} to confirm it`,
      found: String(plan.spec.budget),
    });
  }
}

function workersFor(options: CalibrateCliOptions, runs: number): number {
  return options.workers ?? Math.max(1, Math.min(runs, os.availableParallelism()));
}

/** The --out folder (as typed, or the default) once checkOutFolder allows it, resolved against the cwd. */
function outFolder(
  typedOut: string,
  kind: 'calibration' | 'calibration shard',
  io: Io,
  file: string,
): string {
  checkOutFolder(typedOut, { flag: '--out', kind, cwd: io.cwd, inputs: [resolve(io.cwd, file)] });
  return resolve(io.cwd, typedOut);
}

async function whole(
  plan: CalibrationPlan,
  from: Evaluated[],
  options: CalibrateCliOptions,
  io: Io,
  file: string,
  base: string,
): Promise<number> {
  const out = outFolder(options.out ?? base, 'calibration', io, file);
  const r = plan.spec.replications;
  const workers = workersFor(options, plan.spec.optimiser.lambda * r);
  const durations = new Array(plan.spec.budget * r).fill(shortestDuration(plan));
  const progress = itemProgress(io, `${plan.scenario.name} calibration`, durations, options.quiet === true);
  const started = performance.now();
  let history: Evaluated[];
  try {
    history = await runCalibration(plan, { workers, from, onProgress: progress.update });
  } finally {
    progress.stop();
  }
  const wallSeconds = (performance.now() - started) / 1000;
  const result = aggregateCalibration(plan, history);
  await writeCalibrationFolder(out, result, wallSeconds);
  for (const w of warnings(result)) io.stderr.write(`giftlab calibrate: ${w}\n`);
  if (!options.quiet) io.stdout.write(summaryText(result, plan.digest, workers, wallSeconds));
  io.stdout.write(`${join(out, CALIBRATION_REPORT_FILE)}\n`);
  return finish(result.invariants.violationCount);
}

/** The progress bar's yardstick: a candidate's run is done at its duration, the shortest one may fit. */
function shortestDuration(plan: CalibrationPlan): number {
  const axis = plan.spec.axes.find((a) => a.path === 'duration');
  return axis === undefined ? plan.scenario.duration : Math.min(plan.scenario.duration, Math.ceil(axis.lo));
}

async function sharded(
  plan: CalibrationPlan,
  history: Evaluated[],
  shard: NonNullable<ReturnType<typeof parseShard>>,
  options: CalibrateCliOptions,
  io: Io,
  file: string,
  base: string,
): Promise<number> {
  const batch = replay(plan.spec, history).next;
  if (batch === null) {
    throw new InputError({
      field: options.from === undefined ? '--shard' : `--from ${options.from}`,
      expected: 'a calibration with a generation left to compute',
      found: 'a complete calibration (its summary.json says done)',
    });
  }
  const r = plan.spec.replications;
  const total = batch.candidates.length * r;
  checkShardCount(shard, total, `runs (generation ${batch.generation}: candidates × replications)`);
  const items = shardItems(total, shard);
  const out = outFolder(
    options.out ?? `${base}.gen-${batch.generation}.${shardLabel(shard)}`,
    'calibration shard',
    io,
    file,
  );
  const workers = workersFor(options, items.length);
  const label = `${plan.scenario.name} calibration, generation ${batch.generation}, ${shard.index}/${shard.count}`;
  const progress = itemProgress(
    io,
    label,
    new Array(items.length).fill(shortestDuration(plan)),
    options.quiet === true,
  );
  const started = performance.now();
  let lines: Awaited<ReturnType<typeof evaluateItems>>;
  try {
    lines = await evaluateItems(plan, batch, items, { workers, onProgress: progress.update });
  } finally {
    progress.stop();
  }
  const wallSeconds = (performance.now() - started) / 1000;
  await writeShardFolder(
    out,
    calibrationShardManifest(plan, history, batch, shard, items.length, wallSeconds),
    lines,
  );
  if (!options.quiet) {
    io.stdout.write(
      `${plan.scenario.name} calibration ${plan.digest}, generation ${batch.generation} (${batch.candidates.length} candidates × ${r} replications), shard ${shard.index}/${shard.count}: ${lines.length} run(s) on ${workers} worker(s) in ${wallSeconds.toFixed(1)} s; merge all ${shard.count} shard folders with giftlab merge\n`,
    );
  }
  io.stdout.write(`${out}\n`);
  return finish(lines.reduce((n, l) => n + l.invariants.violationCount, 0));
}

function finish(violations: number): number {
  if (violations > 0) {
    throw new ExitError(
      `${violations} invariant violation(s) in the calibration (see summary.json)`,
      EXIT.violation,
    );
  }
  return EXIT.ok;
}

function summaryText(result: CalibrationResult, digest: string, workers: number, seconds: number): string {
  const { spec } = result;
  const runs = result.candidates.length * spec.replications;
  const stopped = result.stopped === 'converged' ? 'the search converged' : 'the budget was spent';
  const lines = [
    `${result.scenario.name} calibration ${digest} (seed ${spec.seed}): ${result.candidates.length} candidates × ${spec.replications} replications = ${runs} runs on ${workers} worker(s), ${result.events.toLocaleString('en-US')} events in ${seconds.toFixed(1)} s; ${stopped}`,
    ...result.paths.map((p) => `  ${pathLine(p)}`),
    ...result.targets.map((t) => `  ${targetLine(t, result.spec.replications)}`),
    `  best: candidate ${result.best.candidate.id}, distance ${result.best.fit.distance.toFixed(2)}; invariants checked in every run, ${result.invariants.violationCount} violation(s)`,
  ];
  return `${lines.join('\n')}\n`;
}
