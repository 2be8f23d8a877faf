/**
 * `giftlab sweep <scenario> --vary path=… …`: run a scenario over a grid, a Latin hypercube (`--lhs n`),
 * one path at a time (`--tornado`), a Saltelli design for Sobol indices (`--sobol n`) or Morris
 * trajectories (`--morris r`), with replications per point, over the worker pool. Writes sweep.csv,
 * points.csv, replications.csv, tornado.csv / sobol.csv / morris.csv, summary.json and report.html to
 * runs/<scenario>-sweep-<seed>-<digest>/ (the digest tells sweeps of one scenario apart, see
 * sweepDigest) or `--out`; the last line on stdout is the report's path. With `--shard i/n` it
 * computes only its slice of the runs and writes a shard folder for `giftlab merge`.
 */
import { join, resolve } from 'node:path';
import { CHECK_MODES, type CheckMode } from '../experiments/invariants.ts';
import { noValueAfterRuns } from '../experiments/kpi-value.ts';
import { defaultWorkers, viewerDays } from '../experiments/pool.ts';
import { writeShardFolder } from '../experiments/shards/folder.ts';
import {
  checkShardCount,
  parseShard,
  type Shard,
  shardItems,
  shardLabel,
} from '../experiments/shards/shard.ts';
import { aggregateSweep, type SweepResult } from '../experiments/sweep/aggregate.ts';
import { planSweep, pointLabel, pointSets, pointsText, type SweepPlan } from '../experiments/sweep/plan.ts';
import {
  itemCount,
  type ReplicationKpis,
  runReplicationOf,
  runSweepItems,
  sweepItem,
} from '../experiments/sweep/run-items.ts';
import { rankedMorrisRows, rankedSobolRows } from '../experiments/sweep/sensitivity.ts';
import { sweepShardManifest } from '../experiments/sweep/shard-io.ts';
import { elasticityWithoutPriceWarnings, sweepDemandWarnings } from '../reports/demand-warnings.ts';
import { kpiValue } from '../reports/format.ts';
import { valueText } from '../reports/html/sweep-charts.ts';
import { NO_POINT_DIFFERS, rangeText } from '../reports/html/sweep-report.ts';
import { noiseLines } from '../reports/html/sweep-sensitivity.ts';
import { sweepResultVerdict } from '../reports/sweep/verdict.ts';
import { SWEEP_REPORT_FILE, writeSweepFolder } from '../reports/sweep/write.ts';
import { INVARIANTS } from '../sim/invariants/types.ts';
import type { KpiName } from '../sim/kpis.ts';
import type { Io } from './commands.ts';
import { EXIT, ExitError, InputError, shown } from './errors.ts';
import { itemProgress } from './item-progress.ts';
import { checkOutFolder } from './out-folder.ts';
import { faultFrom, type RunRecipe, reproduceCommand } from './reproduce.ts';
import {
  judgeSweep,
  refuseThresholdsWithoutValue,
  type SweepGuardOptions,
  sweepThresholds,
} from './sweep-thresholds.ts';

export interface SweepCliOptions extends SweepGuardOptions {
  vary?: string[];
  lhs?: number;
  tornado?: boolean;
  sobol?: number;
  morris?: number;
  kpi?: string;
  replications?: number;
  workers?: number;
  seed?: number;
  set?: string[];
  shard?: string;
  out?: string;
  streams?: string;
  check?: string;
  quiet?: boolean;
}

/** On stderr when every point is one random draw: a ranking or a best point may be luck. */
export const ONE_REPLICATION_WARNING =
  'one replication per point: differences may be noise; use --replications (8 or more for a tornado)';

export async function sweep(file: string, options: SweepCliOptions, io: Io): Promise<number> {
  const fault = faultFrom(io.env);
  if (!file) throw new InputError({ field: 'scenario', expected: 'a scenario file', found: 'nothing' });
  const shard = options.shard === undefined ? undefined : parseShard(options.shard);
  const thresholds = sweepThresholds(options, io.cwd);
  const plan = planSweep(resolve(io.cwd, file), {
    vary: options.vary ?? [],
    sets: options.set,
    seed: options.seed,
    lhs: options.lhs,
    tornado: options.tornado === true,
    sobol: options.sobol,
    morris: options.morris,
    kpi: options.kpi,
    replications: options.replications ?? 1,
    streams: options.streams,
    check: checkMode(options.check),
  });
  refuseThresholdsWithoutValue(thresholds, plan);
  const total = itemCount(plan.spec);
  if (shard !== undefined) checkShardCount(shard, total, 'runs (points × replications)');
  const items = shard === undefined ? Array.from({ length: total }, (_, k) => k) : shardItems(total, shard);
  const workers = options.workers ?? defaultWorkers(items.length, viewerDays(plan.scenario));
  const base = join('runs', `${plan.scenario.name}-sweep-${plan.spec.seed}-${plan.digest}`);
  const typedOut = options.out ?? (shard === undefined ? base : `${base}.${shardLabel(shard)}`);
  checkOutFolder(typedOut, {
    flag: '--out',
    kind: shard === undefined ? 'sweep' : 'sweep shard',
    cwd: io.cwd,
    inputs: [resolve(io.cwd, file)],
  });
  const out = resolve(io.cwd, typedOut);
  // Said now, and kept for summary.json and the report (a merge of shards repeats them from shard.json).
  const warnings = [
    ...(plan.spec.replications === 1 ? [ONE_REPLICATION_WARNING] : []),
    ...sweepDemandWarnings(plan.pointScenarios),
    ...elasticityWithoutPriceWarnings(
      plan.spec.axes,
      plan.spec.points,
      plan.pointScenarios,
      plan.spec.design,
    ),
  ];
  for (const w of warnings) io.stderr.write(`giftlab sweep: warning: ${w}\n`);

  const durations = items.map((k) => plan.pointScenarios[sweepItem(plan.spec, k).point].duration);
  const label = `${plan.scenario.name} sweep${shard === undefined ? '' : ` ${shard.index}/${shard.count}`}`;
  const progress = itemProgress(io, label, durations, options.quiet === true);
  const started = performance.now();
  let rows: ReplicationKpis[];
  try {
    rows = await runSweepItems(plan, items, { workers, onProgress: progress.update, fault });
  } finally {
    progress.stop();
  }
  const wallSeconds = (performance.now() - started) / 1000;
  const violations = rows.reduce((n, r) => n + r.invariants.violationCount, 0);
  let failure: ExitError | undefined;
  if (shard !== undefined) {
    await writeShardFolder(out, sweepShardManifest(plan, shard, items.length, wallSeconds, warnings), rows);
    if (!options.quiet) io.stdout.write(`${shardLine(plan, shard, rows, workers, wallSeconds)}\n`);
    io.stdout.write(`${out}\n`);
  } else {
    const result = aggregateSweep({ ...plan, warnings }, rows);
    // What the replications themselves show (too few for their skew), after the run.
    for (const w of result.warnings.slice(warnings.length)) io.stderr.write(`giftlab sweep: warning: ${w}\n`);
    await writeSweepFolder(out, result, wallSeconds);
    const judged = judgeSweep(thresholds, result, options, io);
    if (!options.quiet) io.stdout.write(summaryText(result, plan.digest, workers, wallSeconds));
    if (!options.quiet && judged.lines.length > 0) io.stdout.write(`${judged.lines.join('\n')}\n`);
    io.stdout.write(`${join(out, SWEEP_REPORT_FILE)}\n`);
    failure = judged.failure;
  }
  if (violations > 0) {
    const recipe = { file, sets: options.set ?? [], seed: plan.spec.seed, check: plan.spec.check, fault };
    throw new ExitError(sweepViolationReport(plan, rows, recipe), EXIT.violation);
  }
  if (failure !== undefined) throw failure;
  return EXIT.ok;
}

export function checkMode(value: string | undefined): CheckMode {
  if (value === undefined) return 'end';
  if ((CHECK_MODES as readonly string[]).includes(value)) return value as CheckMode;
  throw new InputError({ field: '--check', expected: CHECK_MODES.join(' or '), found: shown(value) });
}

function runsText(plan: SweepPlan, runs: number, workers: number, seconds: number, events: number): string {
  const s = plan.spec;
  return (
    `${s.points.length} point(s) × ${s.replications} replication(s); ${runs} run(s) on ${workers} worker(s), ` +
    `${events.toLocaleString('en-US')} events in ${seconds.toFixed(1)} s` +
    (seconds > 0 ? ` (${(runs / seconds).toFixed(1)} runs/s)` : '')
  );
}

function shardLine(
  plan: SweepPlan,
  shard: Shard,
  rows: ReplicationKpis[],
  workers: number,
  seconds: number,
): string {
  const events = rows.reduce((n, r) => n + r.events, 0);
  return `${plan.scenario.name} sweep ${plan.digest}, shard ${shard.index}/${shard.count} (seed ${plan.spec.seed}): ${runsText(plan, rows.length, workers, seconds, events)}; merge all ${shard.count} shard folders with giftlab merge`;
}

/** Points listed on stdout at most where --kpi has no value (summary.json's kpiAbsentAt has them all). */
const ABSENT_NAMED = 6;

/** The summary; `digest` names the sweep (it is the default folder's suffix). */
function summaryText(result: SweepResult, digest: string, workers: number, seconds: number): string {
  const { spec } = result;
  const kpi: KpiName = spec.kpi;
  const value = (x: number) => (Number.isNaN(x) ? 'no value' : kpiValue(kpi, x));
  const lines = [
    `${result.scenario.name} sweep ${digest} (seed ${spec.seed}, ${spec.design}): ${runsText({ spec } as SweepPlan, result.rows.length, workers, seconds, result.events)}`,
  ];
  const absent = result.kpiAbsent;
  if (absent.length > 0) {
    lines.push(
      `  ${kpi} has no value at ${absent.length} of ${spec.points.length} points (${noValueAfterRuns(kpi)}): ${pointsText(spec, absent, ABSENT_NAMED)}; their ${kpi} cells in sweep.csv are empty`,
    );
  }
  const unranked = `it has no value at ${absent.length === 1 ? 'a point' : 'some points'} of the design; ${spec.design}.csv has every other KPI's`;
  if (result.tornado) {
    const ranked = result.tornado.filter((t) => !Number.isNaN(t.swing));
    const baseline = result.tornado[0]?.baseline.mean ?? 0;
    lines.push(`  tornado of ${kpi} (baseline ${value(baseline)}), by swing:`);
    ranked.forEach((t, i) => {
      lines.push(
        `  ${String(i + 1).padStart(3)}. ${t.path} ${valueText(t.lowValue)} → ${valueText(t.highValue)}: ` +
          `${kpiValue(kpi, t.low.mean)} → ${kpiValue(kpi, t.high.mean)} (swing ${kpiValue(kpi, t.swing)})`,
      );
    });
    const left = result.tornado.filter((t) => Number.isNaN(t.swing)).map((t) => t.path);
    if (left.length > 0) lines.push(`  not ranked, ${kpi} has no value at an end: ${left.join(', ')}`);
  } else if (result.sobol) {
    lines.push(`  Sobol indices of ${kpi} (first order S1, total ST, 95 % bootstrap CIs), by ST:`);
    const rows = rankedSobolRows(result.sobol, kpi);
    if (absent.length > 0) lines.push(`  none for ${kpi}: ${unranked}`);
    else if (rows.every((r) => Number.isNaN(r.st)))
      lines.push(`  ${kpi} takes one value at every point: no variance to share`);
    else {
      for (const r of rows) {
        // Raw estimates, never clipped; less the replication noise when it could be measured.
        const corrected = Number.isFinite(r.stCorrected)
          ? `; less the noise ST ${indexText(r.stCorrected)} [${indexText(r.stCorrectedCi95[0])}, ${indexText(r.stCorrectedCi95[1])}], S1 ${indexText(r.s1Corrected)} [${indexText(r.s1CorrectedCi95[0])}, ${indexText(r.s1CorrectedCi95[1])}]`
          : '';
        lines.push(
          `  ${r.path}: ST ${indexText(r.st)} [${indexText(r.stCi95[0])}, ${indexText(r.stCi95[1])}], S1 ${indexText(r.s1)} [${indexText(r.s1Ci95[0])}, ${indexText(r.s1Ci95[1])}]${corrected}`,
        );
      }
      for (const line of noiseLines(result).lines) lines.push(`  ${line}`);
    }
  } else if (result.morris) {
    lines.push(
      `  Morris screening of ${kpi} (μ*: mean |effect| over each path's whole range; σ: spread), by μ*:`,
    );
    const rows = rankedMorrisRows(result.morris, kpi);
    if (absent.length > 0) lines.push(`  none for ${kpi}: ${unranked}`);
    for (const r of rows) {
      const noise = Number.isFinite(r.effectNoiseSd)
        ? `; noise sd of an effect ${kpiValue(kpi, r.effectNoiseSd)} (${pathNoiseText(r.pathNoiseShare)})`
        : '';
      lines.push(
        `  ${r.path}: μ* ${kpiValue(kpi, r.muStar)} [${kpiValue(kpi, r.muStarCi95[0])}, ${kpiValue(kpi, r.muStarCi95[1])}], μ ${kpiValue(kpi, r.mu)}, σ ${kpiValue(kpi, r.sigma)}${noise}`,
      );
    }
    for (const line of noiseLines(result).lines) lines.push(`  ${line}`);
  } else {
    // The report's verdict: which extremes stand out of the replications' noise (reports/sweep/verdict.ts).
    const verdict = sweepResultVerdict(result);
    const { highest, lowest } = verdict;
    const at = (id: number) => `point ${id} (${describePoint(spec, id)})`;
    lines.push(
      `  ${kpi}: highest ${kpiValue(kpi, result.points[highest].stats[kpi].mean)} at ${at(highest)}`,
    );
    lines.push(`  ${kpi}: lowest ${kpiValue(kpi, result.points[lowest].stats[kpi].mean)} at ${at(lowest)}`);
    if (verdict.rangeVerdict === 'noise' || verdict.rangeVerdict === 'differs')
      lines.push(
        `  ${rangeText(kpi, verdict, spec.streams === 'common', result.points.length - result.kpiAbsent.length)}${verdict.rangeVerdict === 'noise' ? `: ${NO_POINT_DIFFERS}` : ''}`,
      );
  }
  const base = result.points[spec.baselinePoint];
  lines.push(
    `  baseline (the scenario as given) is point ${base.id}: ${kpi} ${value(base.stats[kpi].mean)}; sweep.csv's vsBaseline columns give every point's difference from it`,
  );
  const v = result.invariants.violationCount;
  lines.push(`  invariants checked in every run, ${v} violation(s)`);
  return `${lines.join('\n')}\n`;
}

function describePoint(spec: SweepResult['spec'], id: number): string {
  const values = spec.axes.map((a, d) => `${a.path}=${valueText(spec.points[id].values[d])}`).join(', ');
  // The baseline a sweep adds beside its design is not one of the design's points: say so.
  return spec.points[id].role === 'baseline' && spec.design !== 'tornado'
    ? `${values}: the scenario as given, added beside the design`
    : values;
}

/** A path's noise against its effects: a share, or past 1 a multiple (its effects are no larger than noise). */
export function pathNoiseText(share: number): string {
  if (!Number.isFinite(share)) return "– of its effects' mean square";
  return share > 1
    ? `${share.toFixed(1)}× its effects' mean square: they are no larger than noise`
    : `${share.toFixed(2)} of its effects' mean square`;
}

/** A Sobol index to three decimals (NaN, a KPI that never varies, as a dash). */
function indexText(x: number): string {
  return Number.isFinite(x) ? x.toFixed(3) : '–';
}

/**
 * The exit-3 message of a sweep whose simulation broke an invariant: a few violations per failing point ×
 * replication, each invariant in words, and for the first few a `giftlab run` that computes that point's
 * replication alone (its --sets, the same seed, and the run replication whose streams it drew).
 */
function sweepViolationReport(plan: SweepPlan, rows: readonly ReplicationKpis[], recipe: RunRecipe): string {
  const failing = rows.filter((r) => r.invariants.violationCount > 0);
  const count = failing.reduce((n, r) => n + r.invariants.violationCount, 0);
  const lines: string[] = [];
  for (const r of failing) {
    if (lines.length >= SWEEP_LINES_SHOWN) break;
    for (const v of r.invariants.violations.slice(0, 3))
      lines.push(`  point ${r.point}, replication ${r.replication}, invariant ${v.invariant}: ${v.message}`);
  }
  const ids = [...new Set(failing.flatMap((r) => r.invariants.violations.map((v) => v.invariant)))].sort(
    (a, b) => a - b,
  );
  const reruns = failing.slice(0, 3).map((r) => {
    const sets = [...recipe.sets, ...pointSets(plan.spec, plan.spec.points[r.point])];
    const k = runReplicationOf(plan.spec, r.point, r.replication);
    return `  ${pointLabel(plan.spec, r.point)}, replication ${r.replication}: ${reproduceCommand({ ...recipe, sets }, k)}`;
  });
  return [
    `${count} invariant violation(s) in ${failing.length} of ${rows.length} point × replication runs of the sweep (all in summary.json):`,
    ...lines.slice(0, SWEEP_LINES_SHOWN),
    'broken:',
    ...ids.map((id) => `  invariant ${id}: ${INVARIANTS[id]}`),
    'to reproduce one alone:',
    ...reruns,
  ].join('\n');
}

const SWEEP_LINES_SHOWN = 12;
