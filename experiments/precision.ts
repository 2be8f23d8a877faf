/**
 * Replications until precise enough (`run --precision h --kpi k`): run a first batch, then add batches
 * until every named KPI's 95 % CI half-width is at most h × |its mean|, or the cap is reached.
 *
 * Deterministic: replication i is a pure function of (scenario, i) whichever worker runs it, and the
 * stopping rule reads only the replications' KPIs — never the time, the worker count or the order of
 * completion. So the same command stops after the same number of replications on any machine, and its
 * outputs are byte for byte those of `run --replications <that number>`.
 *
 * Batches: the first is `start` replications (8 by default: a CI from fewer is itself too noisy to stop
 * on). After each, the replications the widest KPI needs are projected from its standard deviation
 * (replicationsFor); the next batch brings the run to that projection, but adds at least a quarter of
 * what has run (no dribbling of one replication at a time) and at most doubles it (a noisy early sd must
 * not send the run to the cap at once).
 */
import { assert } from '../common/assert.ts';
import { InputError } from '../common/input-error.ts';
import { limits } from '../common/limits.ts';
import type { Scenario } from '../scenarios/schema/scenario.ts';
import type { KpiName, KpiStat } from '../sim/kpis.ts';
import type { ExperimentOptions } from './experiment.ts';
import { hasValue, noValueAfterRuns, valueNeeds, whyNoValue } from './kpi-value.ts';
import { runPool } from './pool.ts';
import type { ReplicationResult, RunResult } from './result.ts';
import { t95 } from './stats.ts';
import { summarizeRun } from './summarize.ts';
import { replicationItems } from './work.ts';

export const PRECISION_START = limits.precisionStartDefault;
export const PRECISION_CAP = limits.precisionCapDefault;

/** Where one KPI stands against the target. */
export interface PrecisionKpi {
  kpi: KpiName;
  mean: number;
  /** Half the width of the 95 % CI of the mean. */
  halfWidth: number;
  /** halfWidth / |mean| (Infinity for a mean of 0 that is not known exactly). */
  relativeHalfWidth: number;
  met: boolean;
  /** Replications its current sd says the target needs (this run's count when met). */
  needed: number;
}

/** What summary.json, the report and stdout say about a `--precision` run. */
export interface PrecisionReport {
  /** h: the relative half-width asked for. */
  target: number;
  kpis: KpiName[];
  /** Replications run, after each batch (the last is the run's count). */
  batches: number[];
  cap: number;
  /** Whether every KPI met the target (false: the cap stopped the run). */
  reached: boolean;
  status: PrecisionKpi[];
}

/** Relative half-width of a KPI's CI: 0 when known exactly, Infinity for an uncertain mean of 0. */
export function relativeHalfWidth(stat: KpiStat): number {
  const half = stat.ci95[1] - stat.mean;
  if (half === 0) return 0;
  return stat.mean === 0 ? Number.POSITIVE_INFINITY : half / Math.abs(stat.mean);
}

/**
 * The fewest replications n whose 95 % CI half-width, t(n − 1) · sd / √n, is at most target × |mean|,
 * for a KPI with this sd and mean (Infinity when the mean is 0 and the sd is not).
 */
export function replicationsFor(sd: number, mean: number, target: number): number {
  assert(target > 0, 'a positive target');
  // A KPI without a value (NaN: no arrivals for a cohort KPI) never gets precise: no count would do.
  if (!Number.isFinite(sd) || !Number.isFinite(mean)) return Number.POSITIVE_INFINITY;
  if (sd === 0) return 2;
  if (mean === 0) return Number.POSITIVE_INFINITY;
  const ratio = sd / (target * Math.abs(mean));
  const enough = (n: number) => t95(n - 1) * ratio <= Math.sqrt(n);
  // The normal quantile's answer is a lower bound (t > z); double past it, then bisect (monotone).
  let lo = Math.max(1, Math.floor((1.959964 * ratio) ** 2) - 1);
  if (lo >= 2 && enough(lo)) lo = 1;
  let hi = Math.max(2, lo + 1);
  while (!enough(hi)) hi *= 2;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (enough(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

export function precisionStatus(
  stats: Record<KpiName, KpiStat>,
  kpis: readonly KpiName[],
  target: number,
  replications: number,
): PrecisionKpi[] {
  return kpis.map((kpi) => {
    const s = stats[kpi];
    const relative = relativeHalfWidth(s);
    const met = replications >= 2 && relative <= target;
    return {
      kpi,
      mean: s.mean,
      halfWidth: s.ci95[1] - s.mean,
      relativeHalfWidth: relative,
      met,
      needed: met ? replications : Math.max(replications + 1, replicationsFor(s.sd, s.mean, target)),
    };
  });
}

/** The run's size after the next batch (see the header); `cap` when the projection passes it. */
export function nextReplications(current: number, status: readonly PrecisionKpi[], cap: number): number {
  const needed = Math.max(...status.map((s) => s.needed));
  const next = Math.max(current + Math.ceil(current / 4), Math.min(needed, 2 * current));
  return Math.min(cap, next);
}

/**
 * A run's options but its size, which the batches set (from `start`, at most `cap`); `onProgress`
 * numbers replications over the whole run.
 */
// The experiment's options it passes on, named: one ExperimentOptions gains is not taken here unseen.
export interface PrecisionOptions
  extends Pick<ExperimentOptions, 'workers' | 'check' | 'fault' | 'now' | 'onProgress'> {
  target: number;
  kpis: readonly KpiName[];
  start: number;
  cap: number;
  /** After each batch: the replications so far, where each KPI stands, and the next size (null: done). */
  onBatch?: (replications: number, status: PrecisionKpi[], next: number | null) => void;
}

export async function runToPrecision(
  scenario: Scenario,
  options: PrecisionOptions,
): Promise<RunResult & { precision: PrecisionReport }> {
  assert(options.start >= 2 && options.start <= options.cap, 'precision start within 2..cap');
  assert(options.kpis.length > 0, 'at least one KPI');
  const started = options.now();
  refuseKpisWithoutValue(scenario, undefined, options.kpis, 0);
  const all = replicationItems(scenario, options.cap, options.check, options.fault);
  const results: ReplicationResult[] = [];
  const batches: number[] = [];
  let size = options.start;
  for (;;) {
    const from = results.length;
    const batch = await runPool(all.slice(from, size), {
      workers: options.workers,
      onProgress: (i, s, e) => options.onProgress?.(from + i, s, e),
    });
    results.push(...batch);
    batches.push(results.length);
    const run = summarizeRun(scenario.name, scenario.seed, results, 0);
    if (from === 0) refuseKpisWithoutValue(scenario, run.kpiStats, options.kpis, results.length);
    const status = precisionStatus(run.kpiStats, options.kpis, options.target, results.length);
    const reached = status.every((s) => s.met);
    const next =
      reached || results.length >= options.cap ? null : nextReplications(results.length, status, options.cap);
    assert(next === null || next > results.length, 'each batch adds replications (the cap bounds the loop)');
    options.onBatch?.(results.length, status, next);
    if (next === null) {
      const precision = {
        target: options.target,
        kpis: [...options.kpis],
        batches,
        cap: options.cap,
        reached,
        status,
      };
      return { ...run, wallSeconds: (options.now() - started) / 1000, precision };
    }
    size = next;
  }
}

/**
 * A KPI the run gives no value (a cohort KPI where nobody arrives, or a run too short for its day of
 * age: kpi-value.ts) cannot be held to a precision: refused before anything runs where the scenario
 * says so, else after the first batch, before anything is written.
 */
function refuseKpisWithoutValue(
  scenario: Scenario,
  stats: Record<KpiName, KpiStat> | undefined,
  kpis: readonly KpiName[],
  replications: number,
): void {
  for (const k of kpis) {
    const why =
      stats === undefined ? whyNoValue(scenario, k) : hasValue(stats[k]) ? null : noValueAfterRuns(k);
    if (why === null) continue;
    throw new InputError({
      field: '--kpi',
      expected: `a KPI this run gives a value: ${valueNeeds(k)}`,
      found: `${k}, which has no value ${stats === undefined ? `where ${why}` : `in the first ${replications} replications: ${why}`}`,
    });
  }
}
