/**
 * Plan + profile + run settings → the workload the k6 script reads (`load/k6/lib/types.ts`).
 *
 * Time: the economy profiles play the scenario's clock compressed into the test's duration — a day in a
 * one-minute `steady` run is 1,440× the plan's rates — times `scale`. `steady` runs the plan's mean rate,
 * `spike` that rate with a 10× burst, `soak` the plan's timeline (the diurnal rhythm) over a long run.
 * `smoke` and `race` do not follow the plan's rates (a few iterations; contention on a few balances).
 */

import { InputError } from '../../common/input-error.ts';
import { limits, loadLimits, modelLimits } from '../../common/limits.ts';
import type { CreatorBucket, LoadProfile, SpenderClass, Workload, WorkloadChannel } from '../k6/lib/types.ts';
import type { Plan, PlanSpenderClass } from './types.ts';

export interface RunSettings {
  profile: LoadProfile;
  /** Seconds of test; default per profile. */
  durationSeconds?: number;
  vus?: number;
  /** Multiplies the compressed rates (steady, spike, soak) or the race's iteration rate. */
  scale?: number;
  /** Share of writes replayed with the same key; default per profile. */
  replayShare?: number;
  /** How many viewers and creators the users file holds. */
  users: { viewers: number; creators: number };
}

interface ProfileDefaults {
  durationSeconds: number;
  replayShare: number;
  vus?: number;
}

export const PROFILE_DEFAULTS: Record<LoadProfile, ProfileDefaults> = {
  smoke: { durationSeconds: 60, replayShare: 0, vus: 2 },
  steady: { durationSeconds: 60, replayShare: 0.01 },
  spike: { durationSeconds: 120, replayShare: 0.01 },
  soak: { durationSeconds: 1800, replayShare: 0.01 },
  race: { durationSeconds: 10, replayShare: 0, vus: 32 },
};

/** Iterations per VU in smoke; the race's batches per second; its shared balances per instance. */
export const SMOKE_ITERATIONS = 2;
export const RACE_RATE = 20;
export const RACE_HOT_USERS = 2;
/** Default VUs: this many seconds of in-flight work per arrival at the peak rate, within bounds. */
const VU_SECONDS_PER_ARRIVAL = 0.2;

export function toWorkload(plan: Plan, settings: RunSettings): Workload {
  const profile = settings.profile;
  const defaults = PROFILE_DEFAULTS[profile];
  const duration = settings.durationSeconds ?? defaults.durationSeconds;
  const scale = settings.scale ?? 1;
  const compression = (plan.scenario.durationSeconds / duration) * scale;
  const intents = (plan.rates.gift + plan.rates.withdrawal) * compression;
  const economyProfile = profile === 'steady' || profile === 'spike' || profile === 'soak';
  if (economyProfile && intents <= 0) {
    throw new InputError({
      field: 'plan',
      expected: `gifts or withdrawals to send (profile ${profile})`,
      found: `none in ${plan.scenario.name}'s simulation (no payers?)`,
    });
  }
  const stages = profile === 'soak' ? soakStages(plan, duration, compression) : [];
  const peak = Math.max(intents * (profile === 'spike' ? 10 : 1), ...stages.map((s) => s.target));
  const pool = Math.min(plan.pools.viewers, settings.users.viewers);
  const vus = settings.vus ?? defaults.vus ?? defaultVus(peak, pool);
  const channels = shelves(plan);
  const gifts = [...plan.gifts].sort((a, b) => a.coins - b.coins || (a.gift < b.gift ? -1 : 1));
  return {
    version: 1,
    scenario: plan.scenario.name,
    seed: plan.scenario.seed,
    profile,
    durationSeconds: duration,
    vus,
    iterations: SMOKE_ITERATIONS,
    rate: {
      intents,
      withdrawalShare: intents === 0 ? 0 : (plan.rates.withdrawal * compression) / intents,
    },
    stages,
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
    },
    giftCountMax: limits.giftCountMax,
    replayShare: settings.replayShare ?? defaults.replayShare,
    race: { hotViewers: RACE_HOT_USERS, hotCreators: RACE_HOT_USERS, rate: RACE_RATE * scale },
    packsPerGiftMax: modelLimits.packsPerGiftMax,
  };
}

function defaultVus(peakPerSecond: number, viewerPool: number): number {
  const wanted = Math.min(
    loadLimits.vusDefaultMax,
    Math.max(loadLimits.vusDefaultMin, Math.ceil(peakPerSecond * VU_SECONDS_PER_ARRIVAL)),
  );
  // Each VU owns its own viewers: more VUs than viewers would leave some with nothing to do.
  return Math.max(1, Math.min(wanted, viewerPool));
}

/** The plan's timeline, compressed into the run, merged down to at most loadLimits.soakStagesMax stages. */
export function soakStages(plan: Plan, durationSeconds: number, compression: number): Workload['stages'] {
  const rows = plan.timeline;
  const n = Math.max(1, Math.min(rows.length, loadLimits.soakStagesMax, Math.floor(durationSeconds)));
  const per = rows.length / n;
  const stages: Workload['stages'] = [];
  for (let k = 0; k < n; k++) {
    const from = Math.floor(k * per);
    const to = Math.max(from + 1, Math.floor((k + 1) * per));
    let sum = 0;
    for (let i = from; i < to; i++) sum += rows[i].gift + rows[i].withdrawal;
    stages.push({ target: (sum / (to - from)) * compression, durationSeconds: durationSeconds / n });
  }
  return stages;
}

/** Each channel's packs sorted by coins (the model's shelf order). */
function shelves(plan: Plan): WorkloadChannel[] {
  const out: WorkloadChannel[] = [];
  for (const p of plan.purchases) {
    let ch = out.find((c) => c.id === p.channel);
    if (ch === undefined) {
      ch = { id: p.channel, packs: [] };
      out.push(ch);
    }
    ch.packs.push({ id: p.pack, coins: p.coins });
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
