/**
 * The economy profiles' precomputed request streams: deterministic, each VU on its own viewers, every gift
 * covered by the purchases before it (coins kept by arithmetic from 0), withdrawals checked once a
 * creator can have earned them, double taps and replays at their shares, and a stream a VU may play
 * again from its start without ever gifting coins it may not have.
 */
import { describe, expect, it } from 'vitest';
import { PROFILE_TABLE } from '../../load/k6/lib/profiles.ts';
import { raceSizes, rounds } from '../../load/k6/lib/race.ts';
import type { StreamItem, VuStream } from '../../load/k6/lib/streams.ts';
import type { Workload } from '../../load/k6/lib/types.ts';
import { compilePlan } from '../../load/plan/compile.ts';
import { buildStreams, creatorEarnings, operatorSegments } from '../../load/plan/streams.ts';
import { toWorkload } from '../../load/plan/workload.ts';
import { loadTargetProfile } from '../../load/profiles/profile.ts';
import { loadScenarioFile } from '../../scenarios/load.ts';
import { BASELINE } from './support.ts';

const plan = compilePlan(
  loadScenarioFile(BASELINE, { sets: ['population.viewers=20000', 'population.creators=200'] }),
);
const target = loadTargetProfile('reference').profile;
const users = {
  viewers: Array.from({ length: 300 }, (_, i) => ({ id: i + 1000 })),
  creators: Array.from({ length: 100 }, (_, i) => ({ id: i + 5000 })),
};
const steady = (ratePerSecond: number, durationSeconds: number, vus = 20) =>
  toWorkload(plan, {
    profile: 'steady',
    ratePerSecond,
    durationSeconds,
    vus,
    users: { viewers: users.viewers.length, creators: users.creators.length },
  });

/** Pack coins by channel and pack id, for replaying purchases. */
function packCoins(w: Workload): Map<string, number> {
  const out = new Map<string, number>();
  for (const ch of w.channels) for (const p of ch.packs) out.set(`${ch.id}/${p.id}`, p.coins);
  return out;
}

/** Plays a stream's writes per viewer from `start` coins; returns the lowest balance reached before a gift. */
function lowest(w: Workload, stream: VuStream, start: number, times: number): number {
  const packs = packCoins(w);
  const gifts = new Map(w.gifts.map((g) => [g.id, g.coins]));
  const coins = new Map<number, number>();
  let low = Number.POSITIVE_INFINITY;
  for (let t = 0; t < times; t++) {
    for (const item of stream.items) {
      for (const [op, user, , body] of item.w ?? []) {
        const b = JSON.parse(body);
        const have = coins.get(user) ?? start;
        if (op === 0) coins.set(user, have + (packs.get(`${b.channel}/${b.pack}`) as number));
        if (op === 1) {
          const after = have - (gifts.get(b.giftId) as number) * b.count;
          low = Math.min(low, after);
          coins.set(user, after);
        }
      }
      // A double tap spends the whole live balance, whatever it is: we know nothing after it but ≥ 0.
      if (item.d !== undefined) coins.set(item.d.viewer, 0);
    }
  }
  return low;
}

describe('request streams', () => {
  it('are the same for the same workload, and differ with the seed', () => {
    const w = steady(100, 10);
    const a = buildStreams(w, target, users);
    expect(buildStreams(w, target, users)).toEqual(a);
    expect(buildStreams({ ...w, seed: w.seed + 1 }, target, users).streams).not.toEqual(a.streams);
  });

  it('give each VU its own viewers, and cover every gift with the purchases before it, played twice over', () => {
    const w = steady(100, 10);
    const { streams, layout } = buildStreams(w, target, users);
    expect(streams).toHaveLength(w.vus);
    expect(layout.slots).toBe(w.vus);
    const owner = new Map<number, number>();
    streams.forEach((s, vu) => {
      for (const item of s.items)
        for (const [op, user] of item.w ?? []) {
          if (op === 2) continue;
          expect(owner.get(user) ?? vu, `viewer ${user}`).toBe(vu);
          owner.set(user, vu);
        }
      expect(lowest(w, s, 0, 2)).toBeGreaterThanOrEqual(0);
    });
    expect(owner.size).toBeGreaterThan(w.vus);
  });

  it('is a mutant-killing check: a stream without its purchases overdraws', () => {
    const w = steady(100, 10);
    const s = buildStreams(w, target, users).streams[0];
    const giftsOnly = { items: s.items.map((i) => ({ ...i, w: (i.w ?? []).filter(([op]) => op !== 0) })) };
    expect(lowest(w, giftsOnly, 0, 1)).toBeLessThan(0);
  });

  it('hold a VU’s share of the asked arrivals with slack, double taps and replays at their shares', () => {
    const w = steady(200, 30);
    const { streams, layout } = buildStreams(w, target, users);
    const items = streams.reduce((n, s) => n + s.items.length, 0);
    expect(items).toBe(layout.items);
    expect(items).toBeGreaterThanOrEqual(w.asked.arrivals * 1.2);
    const all: StreamItem[] = streams.flatMap((s) => s.items);
    const gifts = all.filter((i) => i.d !== undefined || (i.w ?? []).some(([op]) => op === 1)).length;
    const share = PROFILE_TABLE.steady.defaults.doubleTapShare;
    expect(layout.doubleTaps / gifts).toBeGreaterThan(share / 2);
    expect(layout.doubleTaps / gifts).toBeLessThan(share * 2);
    // Every stream's first gift is a double tap: every run that gifts provokes an overdraft.
    for (const s of streams) {
      const first = s.items.find((i) => i.d !== undefined || (i.w ?? []).some(([op]) => op === 1));
      expect(first?.d).toBeDefined();
    }
    const replays = all.filter((i) => i.r === 1).length;
    expect(replays / all.length).toBeGreaterThan(w.replayShare / 2);
    expect(replays / all.length).toBeLessThan(w.replayShare * 2);
  });

  it('check creators for withdrawals once they can have earned them, not before', () => {
    const long = buildStreams(steady(300, 60), target, users).layout;
    expect(long.checks).toBeGreaterThan(0);
    const short = buildStreams(steady(5, 2), target, users).layout;
    expect(short.checks).toBe(0);
    // Expected earnings per arrival add up to the mean diamonds of a gift request (rounded down).
    const w = steady(100, 10);
    const earnings = creatorEarnings(w, users.creators.length);
    const total = earnings.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(0);
    expect(earnings[0]).toBeGreaterThan(earnings[earnings.length - 1]);
  });

  it('split over the k6-operator’s segments: disjoint viewers per runner, VUs a multiple of the runners', () => {
    const w = steady(100, 10, 12);
    const built = buildStreams(w, target, users, 3);
    expect(built.layout.segments).toEqual(['0_1', '1_3', '2_3']);
    expect(built.layout.slots).toBe(4);
    expect(built.streams).toHaveLength(12);
    expect(operatorSegments(2).map((s) => `${s.from.n}/${s.from.d}:${s.to.n}/${s.to.d}`)).toEqual([
      '0/1:1/2',
      '1/2:1/1',
    ]);
    expect(() => buildStreams(steady(100, 10, 10), target, users, 3)).toThrow(/--vus: expected a multiple/);
  });
});

describe('race sizes', () => {
  const w = toWorkload(plan, { profile: 'race', users: { viewers: 300, creators: 100 } });
  it.each([0, 7, 5_000, 1_234_567])(
    'three gifts overspend %i coins and two packs, each affordable with them; diamonds that round; a withdrawal over half',
    (coins) => {
      const s = raceSizes(w, coins, coins * 3);
      const cost = w.gifts[s.gift].coins * s.count;
      const budget = coins + 2 * w.channels[0].packs[0].coins;
      expect(3 * cost).toBeGreaterThan(budget);
      expect(cost).toBeLessThanOrEqual(budget);
      expect(rounds(w, cost)).toBe(true);
      expect(s.count).toBeLessThanOrEqual(w.giftCountMax);
      expect(2 * s.withdrawDiamonds).toBeGreaterThan(coins * 3);
      expect(s.withdrawDiamonds).toBeGreaterThanOrEqual(w.withdrawal.minDiamonds);
    },
  );

  it('rounds: 1 coin at 50 % makes half a diamond, 2 coins make one', () => {
    const half = { withdrawal: { ...w.withdrawal, creatorShareBp: 5000 } };
    expect(rounds(half, 1)).toBe(true);
    expect(rounds(half, 2)).toBe(false);
  });
});
