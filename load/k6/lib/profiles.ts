/**
 * The load profiles, one row each: what `--profile` offers. Everything about a profile lives here —
 * its k6 executor and exec function, its defaults, how its SLOs are judged, its help text — and the
 * workload (`load/plan/workload.ts`), the k6 options (`options.ts`), `giftlab load --help` and the
 * READMEs' profile tables read it from here (a test holds the README to this table).
 *
 * Plain data: this file is bundled into the k6 script as well.
 */

export const PROFILES = ['smoke', 'steady', 'spike', 'soak', 'race'] as const;
export type LoadProfile = (typeof PROFILES)[number];

export type Executor = 'per-vu-iterations' | 'constant-arrival-rate' | 'ramping-arrival-rate';

/** How arrivals are shaped over the run. */
export type Shape =
  /** A fixed number of iterations per VU (no rate). */
  | 'iterations'
  /** The rate held for the whole run. */
  | 'constant'
  /** `SPIKE_STAGES`: the rate ÷ SPIKE_FACTOR, a ramp to the rate and back, the base again; in phases. */
  | 'spike'
  /** The plan's timeline (its day, diurnal rhythm and spikes), its busiest stage at the rate. */
  | 'timeline';

export interface ProfileSpec {
  /** A few words for `--help`. */
  summary: string;
  /** What it does, for the READMEs' tables. */
  help: string;
  executor: Executor;
  /** The script's exported function the scenario runs. */
  exec: 'smoke' | 'economy' | 'race';
  shape: Shape;
  /** Follows the plan's mixes (spender classes, gifts, packs, creators) and withdraws when earned. */
  economy: boolean;
  defaults: {
    /** Test length (smoke: its maxDuration, the iterations normally end it first). */
    durationSeconds: number;
    /** Arrivals (k6 iterations) per second: held (constant) or at the peak (spike, timeline). */
    ratePerSecond?: number;
    vus?: number;
    /** Iterations per VU (shape `iterations`). */
    iterations?: number;
    /** Share of writes sent again with the same key and body. */
    replayShare: number;
    /** Share of economy gift intents sent from two devices at once (one must be refused). */
    doubleTapShare: number;
  };
  /** How the target profile's SLOs become thresholds. */
  slo: {
    /** No failed request and every check passed (a correctness probe). */
    exact: boolean;
    /**
     * Latency limits are multiplied by this over the whole run (0: latencies are shown, not judged) —
     * or, for a shape in phases (`PHASES_OF`), by each phase's own factor, judged on the requests
     * tagged with that phase (`http_req_duration{op:gift,phase:after}`).
     */
    latencyFactor: number | Readonly<Record<Phase, number>>;
  };
}

/**
 * The phases of a shape, in order: each request is tagged `phase` with the one it was sent in (the VU
 * tells from the time since its scenario started and the workload's stages, `lib/phases.ts`). Only the
 * spike has phases: before the spike, the spike (the ramp up, the peak, the ramp down) and after it
 * (the base rate again: the recovery).
 */
export const PHASES = ['before', 'spike', 'after'] as const;
export type Phase = (typeof PHASES)[number];

/** The phases each shape's stages are in; none: its requests carry no `phase` tag. */
export const PHASES_OF: Readonly<Record<Shape, readonly Phase[]>> = {
  iterations: [],
  constant: [],
  spike: PHASES,
  timeline: [],
};

/** The spike's height: its peak is this many times its base (and its latency limits as much looser during it). */
export const SPIKE_FACTOR = 10;

/** Spike shape: each stage's share of the duration, its target as a multiple of the base rate, its phase. */
export const SPIKE_STAGES: readonly { share: number; factor: number; phase: Phase }[] = [
  { share: 0.2, factor: 1, phase: 'before' },
  { share: 0.1, factor: SPIKE_FACTOR, phase: 'spike' },
  { share: 0.2, factor: SPIKE_FACTOR, phase: 'spike' },
  { share: 0.1, factor: 1, phase: 'spike' },
  { share: 0.4, factor: 1, phase: 'after' },
];

/** What the economy profiles (steady, spike, soak) share: the economy's requests, and the mix of replays and double taps. */
const ECONOMY = { exec: 'economy', economy: true } as const;
const ECONOMY_MIX = { replayShare: 0.01, doubleTapShare: 0.01 } as const;

export const PROFILE_TABLE: Record<LoadProfile, ProfileSpec> = {
  smoke: {
    summary: 'every endpoint once, with answers it can predict',
    help: 'every endpoint with answers it can predict: reads, a purchase on every channel, gifts live and on video, a replay, an overdraft that must be refused (409), a withdrawal and one under the minimum (422), the journal, a balance that must equal what the writes said',
    executor: 'per-vu-iterations',
    exec: 'smoke',
    shape: 'iterations',
    economy: false,
    defaults: { durationSeconds: 120, vus: 2, iterations: 2, replayShare: 0, doubleTapShare: 0 },
    slo: { exact: true, latencyFactor: 1 },
  },
  steady: {
    summary: 'the plan’s mixes at a constant rate',
    help: 'the plan’s mixes at a constant arrival rate, each VU’s requests computed before the run: gift intents of spender classes who, when short, buy packs drawn by the plan’s pack mix of their channel until covered; each VU’s first gift from an item staggered over its first 8 and 1 % of the rest sent from two devices at once, each spending the whole live balance (one must be refused); creators checked when their expected earnings pass withdrawAtDiamonds, and cashed out',
    executor: 'constant-arrival-rate',
    ...ECONOMY,
    shape: 'constant',
    defaults: { durationSeconds: 60, ratePerSecond: 50, ...ECONOMY_MIX },
    slo: { exact: false, latencyFactor: 1 },
  },
  spike: {
    summary: `a tenth of the rate, a ${SPIKE_FACTOR}× spike to it and back, the recovery judged`,
    help: `like steady at a tenth of the rate, a ramp to the rate (${SPIKE_FACTOR}×) and back, then the base again to see the recovery; each request tagged with its phase (before, spike, after), latency judged per phase: the SLOs before and after the spike (the recovery), limits ×${SPIKE_FACTOR} during it`,
    executor: 'ramping-arrival-rate',
    ...ECONOMY,
    shape: 'spike',
    defaults: { durationSeconds: 120, ratePerSecond: 200, ...ECONOMY_MIX },
    slo: { exact: false, latencyFactor: { before: 1, spike: SPIKE_FACTOR, after: 1 } },
  },
  soak: {
    summary: 'the plan’s day over a long run',
    help: 'like steady, following the plan’s timeline — its day, diurnal rhythm and spikes — over a long run, its busiest stage at the rate',
    executor: 'ramping-arrival-rate',
    ...ECONOMY,
    shape: 'timeline',
    defaults: { durationSeconds: 1800, ratePerSecond: 50, ...ECONOMY_MIX },
    slo: { exact: false, latencyFactor: 1 },
  },
  race: {
    summary: 'every VU on the same few balances at once',
    help: 'every VU of an instance on its first 2 viewers and 2 creators; each arrival reads a viewer’s and a creator’s live balance, then sends one concurrent batch: 2 purchases, 3 gifts of odd sizes that round, each more than a third of what the viewer holds after the purchases, a withdrawal of more than half the diamonds, an in-batch duplicate of a gift and a replay of an earlier key; latencies shown, not judged',
    executor: 'constant-arrival-rate',
    exec: 'race',
    shape: 'constant',
    economy: false,
    defaults: { durationSeconds: 10, ratePerSecond: 20, vus: 32, replayShare: 0, doubleTapShare: 0 },
    slo: { exact: false, latencyFactor: 0 },
  },
};

/** The defaults in words, for the READMEs' profile table: `50/s for 1m`, `2 VUs × 2 iterations`. */
export function defaultsText(profile: LoadProfile): string {
  const d = PROFILE_TABLE[profile].defaults;
  const spec = PROFILE_TABLE[profile];
  const time = d.durationSeconds % 60 === 0 ? `${d.durationSeconds / 60}m` : `${d.durationSeconds}s`;
  if (spec.shape === 'iterations') return `${d.vus} VUs × ${d.iterations} iterations`;
  const vus = d.vus === undefined ? '' : `${d.vus} VUs, `;
  const peak = spec.shape === 'constant' ? '' : ' at the peak';
  const unit = spec.exec === 'race' ? 'batches/s' : 'arrivals/s';
  return `${vus}${d.ratePerSecond} ${unit}${peak} for ${time}`;
}

export function isProfile(name: string): name is LoadProfile {
  return (PROFILES as readonly string[]).includes(name);
}

/** The profiles whose row `pick` takes, in the table's order: help and error texts name them from here. */
export function profilesWhere(pick: (spec: ProfileSpec) => boolean): LoadProfile[] {
  return PROFILES.filter((p) => pick(PROFILE_TABLE[p]));
}

/** `steady and race`, `steady, spike and soak`. */
export function andList(names: readonly string[]): string {
  return names.length <= 1
    ? names.join('')
    : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
