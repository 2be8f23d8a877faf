/**
 * The economy profiles' precomputed request streams: deterministic, each VU on its own viewers, every gift
 * covered by the purchases before it (coins kept by arithmetic from 0), withdrawals checked once a
 * creator can have earned them, double taps and replays at their shares, and a stream a VU may play
 * again from its start without ever gifting coins it may not have.
 */
import { describe, expect, it } from 'vitest';
import { packsFor } from '../../load/k6/lib/pick.ts';
import { PROFILE_TABLE } from '../../load/k6/lib/profiles.ts';
import { raceSizes, rounds } from '../../load/k6/lib/race.ts';
import {
  chunkStreams,
  STREAM_CHUNK_ITEMS,
  StreamCursor,
  type StreamItem,
  type VuStream,
} from '../../load/k6/lib/streams.ts';
import type { Workload } from '../../load/k6/lib/types.ts';
import {
  buildStreams,
  creatorEarnings,
  operatorSegments,
  sizedWithStreams,
} from '../../load/plan/streams.ts';
import type { Plan } from '../../load/plan/types.ts';
import { toWorkload } from '../../load/plan/workload.ts';
import { loadTargetProfile } from '../../load/profiles/profile.ts';
import { smallPlan } from './support.ts';

const plan = smallPlan();
const target = loadTargetProfile('reference').profile;
const users = {
  viewers: Array.from({ length: 300 }, (_, i) => ({ id: i + 1000 })),
  creators: Array.from({ length: 100 }, (_, i) => ({ id: i + 5000 })),
};
const steady = (ratePerSecond: number, durationSeconds: number, vus = 20, from: Plan = plan) =>
  toWorkload(from, {
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
  it('are the same bytes for the same workload, VUs and runners, and differ with the seed', () => {
    for (const [vus, parallelism] of [
      [20, 1],
      [7, 1],
      [12, 3],
      [8, 2],
    ]) {
      const w = steady(100, 10, vus);
      const a = buildStreams(w, target, users, parallelism);
      expect(a.streams).toHaveLength(vus);
      expect(JSON.stringify(buildStreams(w, target, users, parallelism))).toBe(JSON.stringify(a));
      expect(buildStreams({ ...w, seed: w.seed + 1 }, target, users, parallelism).streams).not.toEqual(
        a.streams,
      );
    }
  });

  it('draw packs from their own random stream: the pack mix never moves the gifts, viewers and creators', () => {
    const w = steady(100, 10);
    const smallest = {
      ...w,
      channels: w.channels.map((ch) => ({ ...ch, packs: ch.packs.map((p) => ({ ...p, share: 0 })) })),
    };
    const gifts = (x: Workload) =>
      buildStreams(x, target, users).streams.map((s) =>
        s.items.map((i) => [i.c, i.d, (i.w ?? []).filter(([op]) => op !== 0)]),
      );
    const purchases = (x: Workload) =>
      buildStreams(x, target, users).streams.flatMap((s) =>
        s.items.flatMap((i) => (i.w ?? []).filter(([op]) => op === 0)),
      );
    expect(gifts(smallest)).toEqual(gifts(w));
    expect(purchases(smallest)).not.toEqual(purchases(w));
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
    // Every stream has a double tap by its first gift from item slot mod 8 on (earlier only when drawn at
    // the share): every run that gifts provokes an overdraft, and the VUs' first taps are staggered
    // (k6 gives every VU its first arrival at once).
    const firstTaps = new Set<number>();
    streams.forEach((s, slot) => {
      const isGift = (i: StreamItem) => i.d !== undefined || (i.w ?? []).some(([op]) => op === 1);
      const by = s.items.findIndex((i, n) => n >= slot % 8 && isGift(i));
      const tap = s.items.findIndex((i) => i.d !== undefined);
      expect(by, `stream ${slot}`).toBeGreaterThanOrEqual(0);
      expect(tap, `stream ${slot}`).toBeGreaterThanOrEqual(0);
      expect(tap, `stream ${slot}`).toBeLessThanOrEqual(by);
      firstTaps.add(tap);
    });
    expect(firstTaps.size).toBeGreaterThanOrEqual(4);
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

/**
 * The plan with one channel of packs 70, 350, 1400 and 17,500 coins bought at `shares`, and one gift of
 * `giftCoins` sent one at a time by every class.
 */
function mixPlan(shares: number[], giftCoins: number): Plan {
  const packs = [70, 350, 1400, 17_500];
  return {
    ...plan,
    purchases: packs.map((coins, i) => ({
      channel: 'app',
      pack: `c${coins}`,
      coins,
      priceCents: coins,
      share: shares[i],
      perSecond: shares[i],
    })),
    gifts: [{ gift: 'g', coins: giftCoins, share: 1, perSecond: 1, meanCount: 1, streamShare: 1 }],
    spenders: {
      ...plan.spenders,
      classes: plan.spenders.classes.map((c) => ({
        ...c,
        gifts: { g: 1 },
        meanCount: { g: 1 },
        channels: { app: 1 },
      })),
    },
  };
}

/** One arrival as the stream's own accounting sees it: coins held before, packs bought, the gift's coins. */
interface Arrival {
  viewer: number;
  before: number;
  packs: string[];
  gift?: number;
  tap: boolean;
}

/** Walks a stream's arrivals (withdrawal checks left out), keeping each viewer's coins from 0. */
function arrivals(w: Workload, stream: VuStream): Arrival[] {
  const coinsOf = packCoins(w);
  const gifts = new Map(w.gifts.map((g) => [g.id, g.coins]));
  const coins = new Map<number, number>();
  const out: Arrival[] = [];
  for (const item of stream.items) {
    if (item.c !== undefined) continue;
    const writes = item.w ?? [];
    const viewer = item.d?.viewer ?? writes[0]?.[1];
    if (viewer === undefined) continue;
    const a: Arrival = { viewer, before: coins.get(viewer) ?? 0, packs: [], tap: item.d !== undefined };
    let have = a.before;
    for (const [op, user, , body] of writes) {
      const b = JSON.parse(body);
      expect(user).toBe(viewer);
      if (op === 0) {
        a.packs.push(b.pack);
        have += coinsOf.get(`${b.channel}/${b.pack}`) as number;
      }
      if (op === 1) {
        a.gift = (gifts.get(b.giftId) as number) * b.count;
        have -= a.gift;
      }
    }
    coins.set(viewer, a.tap ? 0 : have);
    out.push(a);
  }
  return out;
}

describe('request streams in chunks, as k6 reads them (one SharedArray element a chunk)', () => {
  /** A cursor over stream `s` of the chunked streams, counting the chunks it loads. */
  function cursorOf(streams: VuStream[], s: number, chunkItems: number) {
    const { index, chunks } = chunkStreams(streams, chunkItems);
    const loads: number[] = [];
    const cursor = new StreamCursor(index.items[s], index.chunkItems, (k) => {
      loads.push(k);
      // JSON round trip: what a SharedArray element gives back.
      return JSON.parse(JSON.stringify(chunks[index.first[s] + k])) as StreamItem[];
    });
    return { cursor, loads };
  }

  it('play every stream item by item, in order and again from the start, loading each chunk once a cycle', () => {
    const { streams } = buildStreams(steady(100, 10, 7), target, users);
    for (const chunkItems of [1, 3, STREAM_CHUNK_ITEMS, 10_000]) {
      streams.forEach((stream, s) => {
        const { cursor, loads } = cursorOf(streams, s, chunkItems);
        const played: (StreamItem | undefined)[] = [];
        for (let i = 0; i < 2 * stream.items.length + 1; i++) played.push(cursor.next());
        expect(played).toEqual([...stream.items, ...stream.items, stream.items[0]]);
        expect(cursor.cycle).toBe(2);
        const perCycle = Math.ceil(stream.items.length / chunkItems);
        const once = Array.from({ length: perCycle }, (_, k) => k);
        // One chunk is kept: a stream of one chunk is not loaded again when it starts over.
        expect(loads).toEqual(perCycle === 1 ? [0] : [...once, ...once, 0]);
      });
    }
  });

  it('cut streams into chunks of at most the chunk size, indexed stream by stream', () => {
    const item = (c: number): StreamItem => ({ c });
    const streams: VuStream[] = [{ items: [] }, { items: [1, 2, 3, 4, 5].map(item) }, { items: [item(6)] }];
    const { index, chunks } = chunkStreams(streams, 2);
    expect(index).toEqual({ chunkItems: 2, first: [0, 0, 3], items: [0, 5, 1] });
    expect(chunks).toEqual([[item(1), item(2)], [item(3), item(4)], [item(5)], [item(6)]]);
    expect(chunkStreams(streams).index.chunkItems).toBe(STREAM_CHUNK_ITEMS);
  });

  it('an empty stream sends nothing; bad sizes and a short chunk are errors, not silent skips', () => {
    const empty = new StreamCursor(0, 4, () => {
      throw new Error('never loaded');
    });
    expect(empty.next()).toBeUndefined();
    expect(() => chunkStreams([], 0)).toThrow(/chunk of 0 items/);
    expect(() => new StreamCursor(3, 1.5, () => [])).toThrow(/chunk of 1.5 items/);
    expect(() => new StreamCursor(-1, 2, () => [])).toThrow(/a stream of -1 items/);
    const short = new StreamCursor(3, 2, () => [{ c: 1 }]);
    expect(short.next()).toEqual({ c: 1 });
    expect(() => short.next()).toThrow(/chunk 0 holds 1 items; item 1 is missing/);
  });
});

describe('request streams buy packs by the plan’s mix', () => {
  it('a top-up of one pack each: the purchases follow the shares (0.7, 0.2, 0.1) within a binomial 95 % CI', () => {
    const shares = [0.7, 0.2, 0.1, 0];
    const w = steady(300, 60, 20, mixPlan(shares, 70));
    expect(w.channels).toHaveLength(1);
    w.channels[0].packs.forEach((p, k) => {
      expect(p.share).toBeCloseTo(shares[k], 12);
    });
    const all = buildStreams(w, target, users).streams.flatMap((s) => arrivals(w, s));
    const bought = all.flatMap((a) => a.packs);
    // A gift of 70 coins never lacks more than the smallest pack: every top-up is one drawn pack.
    for (const a of all) expect(a.packs.length).toBeLessThanOrEqual(1);
    const n = bought.length;
    expect(n).toBeGreaterThan(4000);
    shares.forEach((p, k) => {
      const seen = bought.filter((id) => id === w.channels[0].packs[k].id).length / n;
      const half = 1.96 * Math.sqrt((p * (1 - p)) / n);
      expect(Math.abs(seen - p), `pack ${k}: ${seen} vs ${p} ± ${half}`).toBeLessThanOrEqual(half);
    });
  });

  it('every gift arrival sends its gift, covered by the coins bought before it, even past the cap', () => {
    // 20,000-coin gifts from 70-coin draws: 63 drawn packs, then a 17,500 by the covering rule.
    for (const [shares, giftCoins] of [
      [[0.7, 0.2, 0.1, 0], 70],
      [[0.5, 0.3, 0.2, 0], 1000],
      [[1, 0, 0, 0], 20_000],
    ] as const) {
      const w = steady(100, 10, 20, mixPlan([...shares], giftCoins));
      const { streams } = buildStreams(w, target, users);
      let capped = 0;
      for (const s of streams) {
        for (const a of arrivals(w, s)) {
          expect(a.gift !== undefined || a.tap, `viewer ${a.viewer} sent nothing`).toBe(true);
          if (a.gift !== undefined) expect(a.before + sum(w, a.packs)).toBeGreaterThanOrEqual(a.gift);
          if (a.packs.length === w.packsPerGiftMax) capped++;
        }
        expect(lowest(w, s, 0, 2)).toBeGreaterThanOrEqual(0);
      }
      if (giftCoins === 20_000) expect(capped).toBeGreaterThan(0);
    }
  });

  it('a channel the plan saw no purchase on buys by the covering rule', () => {
    const w = steady(100, 10, 20, mixPlan([0, 0, 0, 0], 500));
    const shelf = w.channels[0].packs;
    let topUps = 0;
    for (const s of buildStreams(w, target, users).streams) {
      for (const a of arrivals(w, s)) {
        if (a.gift === undefined) continue;
        const need = a.gift - a.before;
        const expected =
          need > 0
            ? packsFor(
                shelf.map((p) => p.coins),
                need,
                w.packsPerGiftMax,
              )
            : [];
        expect(a.packs).toEqual(expected.map((k) => shelf[k].id));
        if (need > 0) topUps++;
      }
    }
    expect(topUps).toBeGreaterThan(100);
  });
});

/** Coins of packs bought on the workload's first channel. */
function sum(w: Workload, packs: readonly string[]): number {
  return packs.reduce((t, id) => t + (w.channels[0].packs.find((p) => p.id === id)?.coins ?? 0), 0);
}

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

describe('VUs sized by what the streams send', () => {
  const settings = {
    profile: 'steady' as const,
    ratePerSecond: 40,
    durationSeconds: 30,
    latencyBudgetMs: 250,
    users: { viewers: users.viewers.length, creators: users.creators.length },
  };

  it('the plan’s requests per arrival miss empty wallets’ purchases; the sized workload takes the streams’', () => {
    const byPlan = toWorkload(plan, settings);
    const { workload, built } = sizedWithStreams(plan, settings, target, users);
    // What the asked arrivals play: each VU's first items, purchase-heavy (its wallets start empty).
    const sent = built.layout.askedRequests / workload.asked.arrivals;
    expect(sent).toBeGreaterThan(byPlan.asked.requestsPerArrival * 1.1);
    expect(workload.vus).toBeGreaterThan(byPlan.vus);
    expect(workload.asked.requestsPerArrival / sent).toBeGreaterThan(0.95);
    expect(workload.asked.requestsPerArrival / sent).toBeLessThan(1.05);
    // The streams are the sized workload's: one per VU.
    expect(built.streams.length).toBe(workload.vus);
  });

  it('VUs given are kept, and so is the plan’s estimate', () => {
    const { workload } = sizedWithStreams(plan, { ...settings, vus: 7 }, target, users);
    expect(workload.vus).toBe(7);
    expect(workload.asked.requestsPerArrival).toBe(
      toWorkload(plan, { ...settings, vus: 7 }).asked.requestsPerArrival,
    );
  });
});
