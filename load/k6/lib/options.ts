/**
 * k6 `options` for a workload: one named scenario per profile (open-model executors for throughput) and
 * the thresholds that are the run's pass/fail contract, per `op` tag. Pure, so that Node tests check
 * the exact options the script exports.
 */
import { COUNT_ONLY } from './summary.ts';
import {
  type LoadProfile,
  OP_TAGS,
  type OpTag,
  type Slo,
  type TargetProfile,
  type Workload,
} from './types.ts';

/** Exec functions the script exports, by profile. */
export const EXEC: Record<LoadProfile, string> = {
  smoke: 'smoke',
  steady: 'economy',
  spike: 'economy',
  soak: 'economy',
  race: 'race',
};

/** Spike shape: fractions of the duration and multiples of the base rate (10× at the top). */
export const SPIKE_FACTOR = 10;
const SPIKE_STAGES: readonly [number, number][] = [
  [0.2, 1],
  [0.1, SPIKE_FACTOR],
  [0.2, SPIKE_FACTOR],
  [0.1, 1],
  [0.4, 1],
];

/** Rates go to k6 per minute, so that fractional rates (a quiet plan) keep a 1/60 s⁻¹ resolution. */
export const TIME_UNIT = '1m';

export function perMinute(perSecond: number): number {
  return Math.max(1, Math.round(perSecond * 60));
}

export function seconds(s: number): string {
  return `${Math.max(1, Math.round(s))}s`;
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
  const exec = EXEC[w.profile];
  const vus = Math.max(1, w.vus);
  const open = { preAllocatedVUs: vus, maxVUs: vus, exec, timeUnit: TIME_UNIT, gracefulStop: '10s' };
  switch (w.profile) {
    case 'smoke':
      return {
        smoke: {
          executor: 'per-vu-iterations',
          vus,
          iterations: Math.max(1, w.iterations),
          exec,
          maxDuration: '2m',
        },
      };
    case 'steady':
    case 'soak':
      if (w.stages.length === 0) {
        return {
          [w.profile]: {
            executor: 'constant-arrival-rate',
            rate: perMinute(w.rate.intents),
            duration: seconds(w.durationSeconds),
            ...open,
          },
        };
      }
      return { [w.profile]: ramping(w, open) };
    case 'spike':
      return { spike: ramping({ ...w, stages: spikeStages(w) }, open) };
    case 'race':
      return {
        race: {
          executor: 'constant-arrival-rate',
          rate: perMinute(w.race.rate),
          duration: seconds(w.durationSeconds),
          ...open,
        },
      };
  }
}

function ramping(w: Workload, open: Record<string, unknown>): Scenario {
  return {
    executor: 'ramping-arrival-rate',
    startRate: perMinute(w.stages[0]?.target ?? w.rate.intents),
    stages: w.stages.map((s) => ({ target: perMinute(s.target), duration: seconds(s.durationSeconds) })),
    ...open,
  };
}

/** Base rate, a ramp to 10× and back, then the base again to see the recovery. */
export function spikeStages(w: Workload): { target: number; durationSeconds: number }[] {
  return SPIKE_STAGES.map(([share, factor]) => ({
    target: w.rate.intents * factor,
    durationSeconds: Math.max(1, w.durationSeconds * share),
  }));
}

/** Which op tags a profile's thresholds cover. */
export function opsOf(w: Workload): OpTag[] {
  if (w.profile === 'smoke' || w.profile === 'race') return [...OP_TAGS];
  return OP_TAGS.filter((op) => op !== 'withdrawal' || w.rate.withdrawalShare > 0);
}

export function buildThresholds(w: Workload, target: TargetProfile): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const op of opsOf(w)) {
    const slo = sloFor(w.profile, target.slo[op]);
    out[`http_reqs{op:${op}}`] = [COUNT_ONLY];
    out[`http_req_failed{op:${op}}`] = [`rate<=${slo.errorRate}`];
    out[`checks{op:${op}}`] = [`rate>=${slo.checksRate}`];
    // Race is about correctness under contention: its latencies are shown, not judged.
    out[`http_req_duration{op:${op}}`] =
      w.profile === 'race' ? ['max>=0'] : [`p(95)<${slo.p95Ms}`, `p(99)<${slo.p99Ms}`];
  }
  out.checks = [
    `rate>=${w.profile === 'smoke' ? 1 : Math.min(...opsOf(w).map((op) => target.slo[op].checksRate))}`,
  ];
  return out;
}

/** Smoke is a correctness probe: every request answered as expected. Spike allows 10× the latency. */
function sloFor(profile: LoadProfile, slo: Slo): Slo {
  if (profile === 'smoke') return { ...slo, errorRate: 0, checksRate: 1 };
  if (profile === 'spike')
    return { ...slo, p95Ms: slo.p95Ms * SPIKE_FACTOR, p99Ms: slo.p99Ms * SPIKE_FACTOR };
  return slo;
}

export function buildOptions(w: Workload, target: TargetProfile): K6Options {
  return {
    scenarios: buildScenarios(w),
    thresholds: buildThresholds(w, target),
    summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(95)', 'p(99)', 'count'],
    setupTimeout: '60s',
    teardownTimeout: '60s',
    discardResponseBodies: false,
    tags: { giftlab_profile: w.profile, giftlab_scenario: w.scenario },
  };
}
