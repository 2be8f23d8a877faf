/**
 * Plan + profile + run settings → the workload the k6 script reads (`load/k6/lib/types.ts`).
 *
 * Rate: arrivals (k6 iterations) per second, asked for with `--rate` or the profile's default, held for
 * the whole run (steady, race) or reached at the peak (spike, soak) — whatever the duration. Only when
 * asked (`compress`) is the plan's day played in the test's duration instead (a day in a one-minute
 * steady run is 1,440× the plan's rates). Each economy arrival is a gift intent, or at the plan's share a
 * withdrawal intent; `smoke` runs a few iterations per VU and `race` batches on a few balances.
 *
 * VUs: enough to keep the rate going while each request takes the latency budget (Little's law, doubled
 * for bursts), never more than the users can keep busy — each economy or smoke VU owns its own viewers.
 */

import { InputError, shown } from '../../common/input-error.ts';
import { BP, limits, loadLimits, modelLimits } from '../../common/limits.ts';
import {
  type LoadProfile,
  type Phase,
  PROFILE_TABLE,
  profilesWhere,
  SPIKE_FACTOR,
  SPIKE_STAGES,
} from '../k6/lib/profiles.ts';
import type { CreatorBucket, SpenderClass, Workload, WorkloadChannel } from '../k6/lib/types.ts';
import type { Plan, PlanSpenderClass } from './types.ts';

export interface RunSettings {
  profile: LoadProfile;
  /** Seconds of test; default per profile. */
  durationSeconds?: number;
  /** Arrivals per second: held (steady, race) or at the peak (spike, soak); default per profile. */
  ratePerSecond?: number;
  /** Play the plan's day in the duration instead of a rate (economy profiles). */
  compress?: boolean;
  vus?: number;
  /** Share of writes replayed with the same key; default per profile. */
  replayShare?: number;
  /** How many viewers and creators the users file holds. */
  users: { viewers: number; creators: number };
  /** What one request is expected to take, for sizing VUs (ms); default LATENCY_BUDGET_MS. */
  latencyBudgetMs?: number;
  /** Extra k6 thresholds (`--threshold`), metric → expressions. */
  thresholds?: Record<string, string[]>;
  /** Least share of the asked arrivals that must be delivered (default DELIVERED_SHARE_DEFAULT). */
  deliveredMin?: number;
  /**
   * Runs split over several k6 instances (k6-operator): each judges its own dropped iterations, but
   * the delivered share is the whole test's and is left to the person collecting the runners' summaries.
   */
  distributed?: boolean;
  /** k6 instances (k6-operator runners): sized VUs are rounded up to a multiple, each runner plays its share. */
  parallelism?: number;
  /**
   * Requests an arrival sends, as the precomputed streams have it (`sizedWithStreams`); default the
   * plan's estimate (`requestsPerArrival`).
   */
  requestsPerArrival?: number;
}

/** The race's shared balances per instance. */
export const RACE_HOT_USERS = 2;
/** A run fails (exit 99) when it delivers less than this share of the arrivals asked for. */
export const DELIVERED_SHARE_DEFAULT = 0.95;
/** A `--min-delivered` below this lets a run that delivered a minority of its arrivals pass: warned. */
export const DELIVERED_SHARE_LOW = 0.5;
/** A request's expected time when nothing was measured (ms), and the least budget a measure gives. */
export const LATENCY_BUDGET_MS = 50;
/** Concurrency sized for twice the mean in flight (arrivals are evenly spaced, latencies are not). */
const VU_HEADROOM = 2;

export function toWorkload(plan: Plan, settings: RunSettings): Workload {
  const profile = settings.profile;
  const spec = PROFILE_TABLE[profile];
  const duration = settings.durationSeconds ?? spec.defaults.durationSeconds;
  const dayArrivals = plan.totals.gifts + plan.totals.withdrawals;
  if (spec.economy && dayArrivals <= 0) {
    throw new InputError({
      field: 'plan',
      expected: `gifts or withdrawals to send (profile ${profile})`,
      found: `none in ${plan.scenario.name}'s simulation (no payers?)`,
    });
  }
  const shape = arrivalShape(plan, settings, duration);
  const limit = vusLimit(plan, settings);
  const perArrival = settings.requestsPerArrival ?? requestsPerArrival(plan, profile);
  const sized =
    settings.vus ??
    (spec.defaults.vus === undefined
      ? sizeVus(shape.peak, perArrival, settings.latencyBudgetMs ?? LATENCY_BUDGET_MS, limit.vus)
      : Math.min(spec.defaults.vus, limit.vus));
  const parallelism = settings.parallelism ?? 1;
  const vus =
    settings.vus !== undefined || parallelism <= 1
      ? sized
      : Math.max(
          parallelism,
          Math.min(Math.ceil(sized / parallelism), Math.floor(limit.vus / parallelism)) * parallelism,
        );
  if (settings.vus !== undefined && settings.vus > limit.vus) {
    throw new InputError({
      field: '--vus',
      expected: `at most ${limit.vus} (${limit.why})`,
      found: String(settings.vus),
    });
  }
  const channels = shelves(plan);
  const gifts = [...plan.gifts].sort((a, b) => a.coins - b.coins || (a.gift < b.gift ? -1 : 1));
  const iterations = spec.defaults.iterations ?? 0;
  const asked = spec.shape === 'iterations' ? vus * iterations : shape.arrivals;
  return {
    version: 1,
    scenario: plan.scenario.name,
    seed: plan.scenario.seed,
    profile,
    durationSeconds: duration,
    vus,
    vusLimit: limit.vus,
    iterations,
    rate: {
      perSecond: shape.start,
      peak: shape.peak,
    },
    stages: shape.stages,
    asked: {
      arrivals: asked,
      requestsPerArrival: perArrival,
      deliveredMin: settings.deliveredMin ?? DELIVERED_SHARE_DEFAULT,
      judged: settings.distributed !== true,
    },
    thresholds: settings.thresholds ?? {},
    pools: { viewers: plan.pools.viewers, creators: plan.pools.creators },
    channels,
    gifts: gifts.map((g) => ({ id: g.gift, coins: g.coins })),
    classes: spenderClasses(
      plan,
      channels,
      gifts.map((g) => g.gift),
    ),
    streamShare: plan.streamShare,
    creators: creatorCum(plan),
    withdrawal: {
      minDiamonds: plan.withdrawal.minDiamonds,
      atDiamonds: plan.withdrawal.atDiamonds,
      coinsPerDiamond: plan.withdrawal.coinsPerDiamond,
      creatorShareBp: plan.withdrawal.creatorShareBp ?? Math.floor(BP / plan.withdrawal.coinsPerDiamond),
    },
    giftCountMax: limits.giftCountMax,
    replayShare: settings.replayShare ?? spec.defaults.replayShare,
    doubleTapShare: spec.defaults.doubleTapShare,
    race: { hotViewers: RACE_HOT_USERS, hotCreators: RACE_HOT_USERS },
    packsPerGiftMax: modelLimits.packsPerGiftMax,
  };
}

interface ArrivalShape {
  /** Arrivals per second at the start (constant: throughout). */
  start: number;
  peak: number;
  stages: Workload['stages'];
  /** Arrivals over the whole run, as k6 schedules them (ramps are linear between stage targets). */
  arrivals: number;
}

function arrivalShape(plan: Plan, settings: RunSettings, durationSeconds: number): ArrivalShape {
  const spec = PROFILE_TABLE[settings.profile];
  checkPace(settings);
  const durationMs = Math.round(durationSeconds * 1000);
  switch (spec.shape) {
    case 'iterations':
      return { start: 0, peak: 0, stages: [], arrivals: 0 };
    case 'constant': {
      const rate = settings.compress ? dayRate(plan, durationSeconds) : rateOf(settings);
      return { start: rate, peak: rate, stages: [], arrivals: rate * durationSeconds };
    }
    case 'spike': {
      const peak = settings.compress ? dayRate(plan, durationSeconds) * SPIKE_FACTOR : rateOf(settings);
      const base = peak / SPIKE_FACTOR;
      const stages = spread(
        SPIKE_STAGES.map(({ share, factor, phase }) => ({ share, target: base * factor, phase })),
        durationMs,
      );
      return { start: base, peak, stages, arrivals: rampedArrivals(base, stages) };
    }
    case 'timeline': {
      const levels = timelineLevels(plan, durationSeconds);
      const top = Math.max(...levels.map((l) => l.target));
      // Compressed: the plan's own rates (the day once over the run); else the busiest stage at the rate.
      const factor = settings.compress
        ? plan.scenario.durationSeconds / durationSeconds
        : rateOf(settings) / Math.max(top, Number.MIN_VALUE);
      const stages = spread(
        levels.map((l) => ({ share: l.share, target: l.target * factor })),
        durationMs,
      );
      const start = stages[0]?.target ?? 0;
      return { start, peak: top * factor, stages, arrivals: rampedArrivals(start, stages) };
    }
  }
}

/** `--compress` goes with an economy profile and without `--rate` (bad input found before anything runs). */
export function checkPace(settings: Pick<RunSettings, 'profile' | 'compress' | 'ratePerSecond'>): void {
  if (settings.compress === true && settings.ratePerSecond !== undefined) {
    throw new InputError({
      field: '--compress',
      expected: 'either --rate or --compress (the plan’s day in the duration), not both',
      found: `--rate ${settings.ratePerSecond}/s as well`,
    });
  }
  if (settings.ratePerSecond !== undefined && PROFILE_TABLE[settings.profile].shape === 'iterations') {
    // smoke runs a fixed set of iterations: a rate would be ignored, and the run pass a test it never ran.
    throw new InputError({
      field: '--rate',
      expected: `a profile that runs at a rate (${profilesWhere((p) => p.shape !== 'iterations').join(', ')}); ${settings.profile} runs a fixed set of iterations`,
      found: `--rate ${settings.ratePerSecond}/s with --profile ${settings.profile}`,
    });
  }
  if (settings.compress === true && !PROFILE_TABLE[settings.profile].economy) {
    throw new InputError({
      field: '--compress',
      expected: `an economy profile (${profilesWhere((p) => p.economy).join(', ')}): they follow the plan`,
      found: `--profile ${settings.profile}`,
    });
  }
}

function rateOf(settings: RunSettings): number {
  const rate = settings.ratePerSecond ?? PROFILE_TABLE[settings.profile].defaults.ratePerSecond;
  if (rate === undefined || !(rate > 0)) {
    throw new InputError({
      field: '--rate',
      expected: 'arrivals per second above 0, like 300/s',
      found: shown(rate),
    });
  }
  return rate;
}

/** The plan's day of gift and withdrawal intents spread evenly over the run. */
function dayRate(plan: Plan, durationSeconds: number): number {
  return (plan.totals.gifts + plan.totals.withdrawals) / durationSeconds;
}

/**
 * Stage lengths in whole milliseconds that add up to the run exactly (k6 takes `1500ms`): each stage
 * ends at its share's cumulative point rounded, so no rounding accumulates.
 */
function spread(
  parts: { share: number; target: number; phase?: Phase }[],
  durationMs: number,
): Workload['stages'] {
  const total = parts.reduce((t, p) => t + p.share, 0);
  let cum = 0;
  let endMs = 0;
  return parts.map((p) => {
    cum += p.share;
    const next = Math.round((cum / total) * durationMs);
    const stage: Workload['stages'][number] = { target: p.target, durationMs: next - endMs };
    if (p.phase !== undefined) stage.phase = p.phase;
    endMs = next;
    return stage;
  });
}

/** Arrivals k6 schedules over ramping stages: each ramps linearly from the previous target. */
export function rampedArrivals(start: number, stages: Workload['stages']): number {
  let previous = start;
  let total = 0;
  for (const s of stages) {
    total += ((previous + s.target) / 2) * (s.durationMs / 1000);
    previous = s.target;
  }
  return total;
}

/**
 * The plan's timeline as relative levels (gift and withdrawal intents per second of the scenario's
 * clock), merged down to at most loadLimits.soakStagesMax stages and no more than one a second of the run.
 */
function timelineLevels(plan: Plan, durationSeconds: number): { share: number; target: number }[] {
  const rows = plan.timeline;
  const n = Math.max(1, Math.min(rows.length, loadLimits.soakStagesMax, Math.floor(durationSeconds)));
  const per = rows.length / n;
  const out: { share: number; target: number }[] = [];
  for (let k = 0; k < n; k++) {
    const from = Math.floor(k * per);
    const to = Math.max(from + 1, Math.floor((k + 1) * per));
    let sum = 0;
    for (let i = from; i < to; i++) sum += rows[i].gift + rows[i].withdrawal;
    out.push({ share: 1 / n, target: sum / (to - from) });
  }
  return out;
}

/**
 * Round trips one arrival makes, in turn: economy — a gift, the purchases the plan has per gift, a replay
 * share; race — RACE_ROUND_TRIPS.
 */
export function requestsPerArrival(plan: Plan, profile: LoadProfile): number {
  const spec = PROFILE_TABLE[profile];
  if (spec.exec === 'race') return RACE_ROUND_TRIPS;
  if (!spec.economy) return 1;
  const arrivals = Math.max(1e-9, plan.totals.gifts + plan.totals.withdrawals);
  const requests = plan.totals.purchases + plan.totals.gifts + 2 * plan.totals.withdrawals;
  return (requests / arrivals) * (1 + spec.defaults.replayShare);
}

/** How many VUs the users can keep busy, and why. */
export function vusLimit(plan: Plan, settings: RunSettings): { vus: number; why: string } {
  if (PROFILE_TABLE[settings.profile].exec === 'race') {
    return { vus: loadLimits.vusMax, why: `giftlab's bound on VUs` };
  }
  const viewers = Math.min(plan.pools.viewers, settings.users.viewers);
  const whose =
    settings.users.viewers <= plan.pools.viewers
      ? `the users file has ${settings.users.viewers} viewers`
      : `the plan has ${plan.pools.viewers} viewers`;
  return {
    vus: Math.max(1, Math.min(loadLimits.vusMax, viewers)),
    why: `each VU owns its own viewers and ${whose}; more VUs would have nobody to act for`,
  };
}

/**
 * A race arrival's round trips, one after the other: a batch reading the hot balances (to size its
 * writes), then the batch of concurrent writes (load/k6/runtime/probes.ts, raceRound). Counted as one,
 * its VUs were sized for half the time an arrival takes.
 */
export const RACE_ROUND_TRIPS = 2;

/** Little's law: arrivals/s × requests per arrival × seconds per request, with headroom. */
export function sizeVus(peak: number, perArrival: number, latencyMs: number, limit: number): number {
  const wanted = Math.ceil(VU_HEADROOM * peak * perArrival * (latencyMs / 1000));
  return Math.max(1, Math.min(limit, Math.max(loadLimits.vusMin, wanted)));
}

/**
 * The arrival rate over the run in words, true to its shape: `20/s` (held); `2/s spiking to 20/s and
 * back` (spike); `from 41.14/s, between 11.6/s and 50/s` (a timeline: where it starts and the least and
 * most it reaches — k6 ramps linearly between stage targets, so those are its extremes). With a `noun`,
 * `20/s arrivals`, `2/s arrivals spiking to 20/s and back`, `arrivals from 41.14/s, …`. '' for a profile
 * of iterations (no rate).
 */
export function rateText(w: Pick<Workload, 'profile' | 'rate' | 'stages'>, noun?: string): string {
  const r = (x: number) => `${Number(x.toPrecision(4))}/s`;
  const after = noun === undefined ? '' : ` ${noun}`;
  switch (PROFILE_TABLE[w.profile].shape) {
    case 'iterations':
      return '';
    case 'constant':
      return `${r(w.rate.perSecond)}${after}`;
    case 'spike':
      return `${r(w.rate.perSecond)}${after} spiking to ${r(w.rate.peak)} and back`;
    case 'timeline': {
      const levels = [w.rate.perSecond, ...w.stages.map((s) => s.target)].map(r);
      const numbers = levels.map((l) => Number.parseFloat(l));
      const low = levels[numbers.indexOf(Math.min(...numbers))];
      const high = levels[numbers.indexOf(Math.max(...numbers))];
      const before = noun === undefined ? '' : `${noun} `;
      return low === high ? `${low}${after}` : `${before}from ${levels[0]}, between ${low} and ${high}`;
    }
  }
}

/**
 * How long each phase of the run lasts, as its requests' `phase` tag names it: `before 3 s, spike 6 s,
 * after 6 s`; '' for a profile without phases.
 */
export function phaseSpans(w: Pick<Workload, 'stages'>): string {
  const spans: { phase: Phase; ms: number }[] = [];
  for (const s of w.stages) {
    if (s.phase === undefined) return '';
    const last = spans[spans.length - 1];
    if (last !== undefined && last.phase === s.phase) last.ms += s.durationMs;
    else spans.push({ phase: s.phase, ms: s.durationMs });
  }
  return spans.map((s) => `${s.phase} ${Number((s.ms / 1000).toFixed(3))} s`).join(', ');
}

/** The VUs the rate needs, before the users' limit: to say why a run may fall short. */
export function vusWanted(w: Pick<Workload, 'rate' | 'asked'>, latencyMs: number): number {
  return Math.max(
    loadLimits.vusMin,
    Math.ceil(VU_HEADROOM * w.rate.peak * w.asked.requestsPerArrival * (latencyMs / 1000)),
  );
}

/**
 * Each channel's packs sorted by coins (the model's shelf order), with each pack's share of the channel's
 * purchases in the plan (all 0 on a channel the plan saw no purchase on).
 */
function shelves(plan: Plan): WorkloadChannel[] {
  const out: WorkloadChannel[] = [];
  const totals = new Map<string, number>();
  for (const p of plan.purchases) totals.set(p.channel, (totals.get(p.channel) ?? 0) + p.share);
  for (const p of plan.purchases) {
    let ch = out.find((c) => c.id === p.channel);
    if (ch === undefined) {
      ch = { id: p.channel, packs: [] };
      out.push(ch);
    }
    const total = totals.get(p.channel) ?? 0;
    ch.packs.push({ id: p.pack, coins: p.coins, share: total > 0 ? p.share / total : 0 });
  }
  for (const ch of out) ch.packs.sort((a, b) => a.coins - b.coins || (a.id < b.id ? -1 : 1));
  return out;
}

function spenderClasses(plan: Plan, channels: WorkloadChannel[], giftOrder: string[]): SpenderClass[] {
  const overallGifts: Record<string, number> = {};
  for (const g of plan.gifts) overallGifts[g.gift] = g.share;
  const overallChannels: Record<string, number> = {};
  for (const p of plan.purchases) overallChannels[p.channel] = (overallChannels[p.channel] ?? 0) + p.share;
  const meanCount: Record<string, number> = {};
  for (const g of plan.gifts) meanCount[g.gift] = g.meanCount;
  let intent = 0;
  const anyGifts = plan.spenders.classes.some((c) => c.giftShare > 0);
  return plan.spenders.classes.map((c: PlanSpenderClass, k) => {
    intent += anyGifts ? c.giftShare : k === plan.spenders.classes.length - 1 ? 1 : 0;
    const gifts = sumOf(c.gifts) > 0 ? c.gifts : overallGifts;
    const chans = sumOf(c.channels) > 0 ? c.channels : overallChannels;
    return {
      name: c.name,
      payerShare: c.payerShare,
      intentCum: intent,
      giftCum: cumulative(
        giftOrder.map((id) => gifts[id] ?? 0),
        giftOrder.length,
      ),
      countMean: giftOrder.map((id) => (sumOf(c.gifts) > 0 ? (c.meanCount[id] ?? 1) : (meanCount[id] ?? 1))),
      channelCum: cumulative(
        channels.map((ch) => chans[ch.id] ?? 0),
        channels.length,
      ),
    };
  });
}

/** Cumulative sums; all zero becomes uniform (so a draw always lands somewhere). */
function cumulative(weights: number[], n: number): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const w = total > 0 ? weights : weights.map(() => 1 / Math.max(1, n));
  let cum = 0;
  return w.map((x) => {
    cum += x;
    return cum;
  });
}

function creatorCum(plan: Plan): CreatorBucket[] {
  let cum = 0;
  const total = plan.creators.reduce((t, b) => t + b.share, 0);
  return plan.creators.map((b) => {
    cum += total > 0 ? b.share : (b.toRank - b.fromRank) / plan.pools.creators;
    return { fromRank: b.fromRank, toRank: b.toRank, cum };
  });
}

function sumOf(r: Record<string, number>): number {
  let t = 0;
  for (const k of Object.keys(r)) t += r[k];
  return t;
}
