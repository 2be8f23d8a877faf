/**
 * k6 `options` for a workload: one named scenario per profile (open-model executors for throughput) and
 * the thresholds that are the run's pass/fail contract, per `op` tag. Pure, so that Node tests check
 * the exact options the script exports.
 */
import { PHASES, PROFILE_TABLE } from './profiles.ts';
import { COUNT_ONLY, CUSTOM_METRICS } from './summary.ts';
import { runTags } from './tags.ts';
import { OP_TAGS, type OpTag, type Slo, type TargetProfile, type Workload } from './types.ts';

/** Rates go to k6 per minute, so that fractional rates (a quiet plan) keep a 1/60 s⁻¹ resolution. */
export const TIME_UNIT = '1m';

export function perMinute(perSecond: number): number {
  return Math.max(1, Math.round(perSecond * 60));
}

/** A k6 duration in whole milliseconds (`1500ms`): stages keep their sub-second lengths. */
export function millis(ms: number): string {
  return `${Math.max(1, Math.round(ms))}ms`;
}

export type Scenario = Record<string, unknown>;

export interface K6Options {
  scenarios: Record<string, Scenario>;
  thresholds: Record<string, string[]>;
  summaryTrendStats: string[];
  /** `setup()` and `handleSummary()` write little; keep the defaults bounded anyway. */
  setupTimeout: string;
  teardownTimeout: string;
  discardResponseBodies: boolean;
  tags: Record<string, string>;
}

export function buildScenarios(w: Workload): Record<string, Scenario> {
  const spec = PROFILE_TABLE[w.profile];
  const exec = spec.exec;
  const vus = Math.max(1, w.vus);
  const duration = millis(w.durationSeconds * 1000);
  const open = { preAllocatedVUs: vus, maxVUs: vus, exec, timeUnit: TIME_UNIT, gracefulStop: '10s' };
  switch (spec.executor) {
    case 'per-vu-iterations':
      return {
        [w.profile]: {
          executor: spec.executor,
          vus,
          iterations: Math.max(1, w.iterations),
          exec,
          maxDuration: duration,
        },
      };
    case 'constant-arrival-rate':
      return {
        [w.profile]: { executor: spec.executor, rate: perMinute(w.rate.perSecond), duration, ...open },
      };
    case 'ramping-arrival-rate':
      return {
        [w.profile]: {
          executor: spec.executor,
          startRate: perMinute(w.rate.perSecond),
          stages: w.stages.map((s) => ({ target: perMinute(s.target), duration: millis(s.durationMs) })),
          ...open,
        },
      };
  }
}

/** Which op tags a profile's thresholds cover. */
export function opsOf(w: Workload): OpTag[] {
  if (!PROFILE_TABLE[w.profile].economy) return [...OP_TAGS];
  return OP_TAGS.filter((op) => op !== 'withdrawal' || (w.streams?.checks ?? 0) > 0);
}

export function buildThresholds(w: Workload, target: TargetProfile): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const judge = PROFILE_TABLE[w.profile].slo;
  const factor = judge.latencyFactor;
  for (const op of opsOf(w)) {
    const slo = sloFor(w, target.slo[op], typeof factor === 'number' ? factor : 1);
    out[`http_reqs{op:${op}}`] = [COUNT_ONLY];
    out[`http_req_failed{op:${op}}`] = [`rate<=${slo.errorRate}`];
    out[`checks{op:${op}}`] = [`rate>=${slo.checksRate}`];
    if (typeof factor === 'number') {
      // A profile about correctness under contention shows its latencies without judging them.
      out[`http_req_duration{op:${op}}`] =
        factor === 0 ? ['max>=0'] : [`p(95)<${slo.p95Ms}`, `p(99)<${slo.p99Ms}`];
      continue;
    }
    // In phases (spike): the whole run's latency is shown, each phase's judged by its own factor —
    // the SLOs themselves before and after the spike (the recovery), looser only during it.
    out[`http_req_duration{op:${op}}`] = ['max>=0'];
    for (const phase of PHASES) {
      const limits = sloFor(w, target.slo[op], factor[phase]);
      out[`http_req_duration{op:${op},phase:${phase}}`] = [`p(95)<${limits.p95Ms}`, `p(99)<${limits.p99Ms}`];
    }
  }
  out.checks = [`rate>=${judge.exact ? 1 : Math.min(...opsOf(w).map((op) => target.slo[op].checksRate))}`];
  // Load that was asked for and not sent is a failed test, not a quieter one.
  out.dropped_iterations = ['count<1'];
  // k6 counts an iteration that threw as delivered: one that sent nothing would pass every threshold
  // over no samples (a runner whose streams do not match its execution segment threw on each one).
  out[CUSTOM_METRICS.iterationErrors] = ['count<1'];
  // A gift the stream covered, refused for funds, is a backend's mistake, whatever the SLOs let fail.
  if (PROFILE_TABLE[w.profile].economy && target.operations.gift.insufficient !== undefined)
    out[CUSTOM_METRICS.coveredRefusals] = ['count<1'];
  if (w.asked.judged) out.iterations = [`count>=${deliveredCount(w)}`];
  for (const metric of Object.keys(w.thresholds)) {
    out[metric] = (out[metric] ?? []).concat(w.thresholds[metric]);
  }
  return out;
}

/** The fewest iterations that pass: the asked arrivals times the delivered share, rounded up. */
export function deliveredCount(w: Pick<Workload, 'asked'>): number {
  return Math.ceil(w.asked.arrivals * w.asked.deliveredMin - 1e-9);
}

/** The profile's way of judging an SLO: exact (no failures, every check) and a latency factor. */
function sloFor(w: Workload, slo: Slo, factor: number): Slo {
  const judge = PROFILE_TABLE[w.profile].slo;
  const latency = factor === 0 ? 1 : factor;
  return {
    errorRate: judge.exact ? 0 : slo.errorRate,
    checksRate: judge.exact ? 1 : slo.checksRate,
    p95Ms: slo.p95Ms * latency,
    p99Ms: slo.p99Ms * latency,
  };
}

export function buildOptions(w: Workload, target: TargetProfile): K6Options {
  return {
    scenarios: buildScenarios(w),
    thresholds: buildThresholds(w, target),
    summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(95)', 'p(99)', 'count'],
    setupTimeout: '60s',
    teardownTimeout: '60s',
    discardResponseBodies: false,
    tags: runTags(w),
  };
}
