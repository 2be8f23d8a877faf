/** Plan → workload: the scenario's clock compressed into the test, the profiles' shapes, the draws. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../common/input-error.ts';
import { loadLimits } from '../../common/limits.ts';
import {
  classGroups,
  packsDrawn,
  packsFor,
  pickCreatorRank,
  pickCum,
  unitHash,
} from '../../load/k6/lib/pick.ts';
import { PROFILE_TABLE, SPIKE_FACTOR } from '../../load/k6/lib/profiles.ts';
import { rampedArrivals, toWorkload } from '../../load/plan/workload.ts';
import { shelfArb } from '../support/arbitraries.ts';
import { smallPlan } from './support.ts';

const plan = smallPlan();
const users = { viewers: 1000, creators: 1000 };

describe('toWorkload', () => {
  it('holds the asked rate in steady whatever the duration, and asks for rate × duration arrivals', () => {
    for (const durationSeconds of [5, 15, 60]) {
      const w = toWorkload(plan, { profile: 'steady', durationSeconds, ratePerSecond: 300, users });
      expect(w.rate.perSecond).toBe(300);
      expect(w.asked.arrivals).toBeCloseTo(300 * durationSeconds, 9);
    }
    const byDefault = toWorkload(plan, { profile: 'steady', durationSeconds: 5, users });
    expect(byDefault.rate.perSecond).toBe(PROFILE_TABLE.steady.defaults.ratePerSecond);
  });

  it('plays the whole plan in the duration only when asked to compress it', () => {
    const w = toWorkload(plan, { profile: 'steady', durationSeconds: 30, compress: true, users });
    expect(w.rate.perSecond * 30).toBeCloseTo(plan.totals.gifts + plan.totals.withdrawals, 6);
    expect(() => toWorkload(plan, { profile: 'steady', compress: true, ratePerSecond: 5, users })).toThrow(
      /--compress/,
    );
    expect(() => toWorkload(plan, { profile: 'race', compress: true, users })).toThrow(/economy profile/);
  });

  it('follows the plan’s timeline in soak, its busiest stage at the rate, or the plan’s own total compressed', () => {
    const w = toWorkload(plan, { profile: 'soak', durationSeconds: 600, ratePerSecond: 40, users });
    expect(w.stages).toHaveLength(plan.timeline.length);
    expect(Math.max(...w.stages.map((s) => s.target))).toBeCloseTo(40, 9);
    expect(w.stages.reduce((t, s) => t + s.durationMs, 0)).toBe(600_000);
    const compressed = toWorkload(plan, { profile: 'soak', durationSeconds: 600, compress: true, users });
    const total = compressed.stages.reduce((t, s) => t + (s.target * s.durationMs) / 1000, 0);
    expect(total).toBeCloseTo(plan.totals.gifts + plan.totals.withdrawals, 6);
    const long = toWorkload(
      { ...plan, timeline: Array(1000).fill(plan.timeline[0]) },
      { profile: 'soak', durationSeconds: 3600, users },
    );
    expect(long.stages.length).toBeLessThanOrEqual(loadLimits.soakStagesMax);
  });

  it('keeps sub-second stages: 24 stages in 30 s last 30 s, not 24', () => {
    const w = toWorkload(plan, { profile: 'soak', durationSeconds: 30, users });
    expect(w.stages).toHaveLength(24);
    expect(w.stages.reduce((t, s) => t + s.durationMs, 0)).toBe(30_000);
    expect(new Set(w.stages.map((s) => s.durationMs))).toEqual(new Set([1250]));
  });

  it('spikes from a tenth of the rate to the rate and comes back; asked arrivals follow k6’s linear ramps', () => {
    const w = toWorkload(plan, { profile: 'spike', durationSeconds: 100, ratePerSecond: 200, users });
    const targets = w.stages.map((s) => s.target);
    expect(Math.max(...targets)).toBe(200);
    expect(w.rate.perSecond).toBeCloseTo(200 / SPIKE_FACTOR, 9);
    expect(targets.at(-1)).toBeCloseTo(20, 9);
    expect(w.stages.reduce((t, s) => t + s.durationMs, 0)).toBe(100_000);
    // 20 s at 20, 10 s up to 200, 20 s at 200, 10 s down, 40 s at 20: 400 + 1100 + 4000 + 1100 + 800.
    expect(w.asked.arrivals).toBeCloseTo(7400, 6);
    expect(rampedArrivals(10, [{ target: 30, durationMs: 2000 }])).toBe(40);
  });

  it('sizes VUs by Little’s law, never more than the viewers to own, and refuses --vus above that', () => {
    const sized = toWorkload(plan, { profile: 'steady', ratePerSecond: 100, latencyBudgetMs: 50, users });
    const perArrival = sized.asked.requestsPerArrival;
    expect(perArrival).toBeGreaterThan(1);
    expect(sized.vus).toBe(Math.ceil(2 * 100 * perArrival * 0.05));
    const few = { viewers: 7, creators: 7 };
    expect(toWorkload(plan, { profile: 'steady', ratePerSecond: 1000, users: few }).vus).toBe(7);
    expect(() => toWorkload(plan, { profile: 'steady', vus: 8, users: few })).toThrow(
      /--vus: expected at most 7 \(each VU owns its own viewers and the users file has 7 viewers/,
    );
    expect(toWorkload(plan, { profile: 'steady', vus: 7, users: few }).vus).toBe(7);
    expect(toWorkload(plan, { profile: 'smoke', users }).vus).toBe(2);
    expect(toWorkload(plan, { profile: 'race', users }).vus).toBe(32);
    // A race arrival reads the hot balances, then writes: two round trips in turn, not one.
    expect(toWorkload(plan, { profile: 'race', users }).asked.requestsPerArrival).toBe(2);
    expect(toWorkload(plan, { profile: 'race', vus: 500, users: few }).vus).toBe(500);
  });

  it('orders gifts and packs by coins and keeps one cumulative table per spender class', () => {
    const w = toWorkload(plan, { profile: 'steady', users });
    const coins = w.gifts.map((g) => g.coins);
    expect(coins).toEqual([...coins].sort((a, b) => a - b));
    for (const ch of w.channels)
      expect(ch.packs.map((p) => p.coins)).toEqual([...ch.packs.map((p) => p.coins)].sort((a, b) => a - b));
    expect(w.classes.map((c) => c.name)).toEqual(['heavy', 'regular', 'light']);
    expect(w.classes.at(-1)!.intentCum).toBeCloseTo(1, 9);
    for (const c of w.classes) {
      expect(c.giftCum).toHaveLength(w.gifts.length);
      expect(c.giftCum.at(-1)!).toBeGreaterThan(0);
      expect(c.channelCum).toHaveLength(w.channels.length);
    }
    expect(w.creators.at(-1)!.cum).toBeCloseTo(1, 9);
  });

  it('carries each pack’s share of its channel’s purchases in the plan, all 0 on a channel never bought on', () => {
    const w = toWorkload(plan, { profile: 'steady', users });
    for (const ch of w.channels) {
      const rows = plan.purchases.filter((p) => p.channel === ch.id);
      const total = rows.reduce((t, p) => t + p.share, 0);
      expect(total).toBeGreaterThan(0);
      expect(ch.packs.reduce((t, p) => t + p.share, 0)).toBeCloseTo(1, 12);
      for (const p of ch.packs)
        expect(p.share).toBeCloseTo(rows.find((r) => r.pack === p.id)!.share / total, 12);
    }
    const unseen = plan.purchases.map((p) => (p.channel === 'web' ? { ...p, share: 0, perSecond: 0 } : p));
    const w2 = toWorkload({ ...plan, purchases: unseen }, { profile: 'steady', users });
    expect(w2.channels.find((c) => c.id === 'web')!.packs.map((p) => p.share)).toEqual(
      w2.channels.find((c) => c.id === 'web')!.packs.map(() => 0),
    );
    expect(w2.channels.find((c) => c.id === 'app')!.packs.reduce((t, p) => t + p.share, 0)).toBeCloseTo(
      1,
      12,
    );
  });

  it('refuses an economy profile for a plan with nothing to send', () => {
    const idle = { ...plan, totals: { ...plan.totals, gifts: 0, withdrawals: 0 } };
    expect(() => toWorkload(idle, { profile: 'steady', users })).toThrow(InputError);
    expect(toWorkload(idle, { profile: 'smoke', users }).profile).toBe('smoke');
  });
});

describe('draws the script makes', () => {
  it('pick by cumulative weight, skipping zero weights', () => {
    expect(pickCum([1, 1, 3], 0)).toBe(0);
    expect(pickCum([1, 1, 3], 0.34)).toBe(2);
    expect(pickCum([1, 1, 3], 0.999)).toBe(2);
    expect(
      pickCreatorRank(
        [
          { fromRank: 0, toRank: 1, cum: 0.5 },
          { fromRank: 1, toRank: 11, cum: 1 },
        ],
        0.75,
        0.999,
      ),
    ).toBe(10);
  });

  it('buy packs by the covering rule: the smallest that covers, else the largest again', () => {
    expect(packsFor([70, 350, 1400], 100, 64)).toEqual([1]);
    expect(packsFor([70, 350, 1400], 3000, 64)).toEqual([2, 2, 1]);
    expect(packsFor([70], 1000, 3)).toEqual([0, 0, 0]);
  });

  it('buy packs drawn by the plan’s shares until covered, the last by the covering rule at the cap', () => {
    const draws = (...us: number[]) => {
      let i = 0;
      return () => us[i++];
    };
    // cum (0.7, 0.9, 1): 0.75 draws the second pack; one pack covers a need up to the smallest.
    expect(packsDrawn([70, 350, 1400], [0.7, 0.9, 1], 70, 64, draws(0.75))).toEqual([1]);
    expect(packsDrawn([70, 350, 1400], [0.7, 0.9, 1], 500, 64, draws(0.1, 0.95, 0.5))).toEqual([0, 2]);
    // Never a pack the plan did not see bought.
    expect(packsDrawn([70, 350, 1400], [0, 1, 1], 700, 64, draws(0, 0.5))).toEqual([1, 1]);
    // 20,000 coins from 70-coin draws would need 286 packs: 63 drawn, then the covering rule's 17,500.
    const capped = packsDrawn([70, 17_500], [1, 1], 20_000, 64, () => 0);
    expect(capped).toEqual([...Array(63).fill(0), 1]);
    // Where even the covering rule cannot cover within the cap, it is the covering rule's packs.
    expect(packsDrawn([70, 350], [1, 1], 1000, 2, () => 0)).toEqual(packsFor([70, 350], 1000, 2));
  });

  it('buy by the covering rule alone on a channel the plan saw no purchase on', () => {
    const never = () => {
      throw new Error('drew a uniform');
    };
    expect(packsDrawn([70, 350, 1400], [0, 0, 0], 3000, 64, never)).toEqual([2, 2, 1]);
    expect(packsDrawn([70, 350, 1400], [0, 0, 0], 100, 64, never)).toEqual([1]);
  });

  it('drawn packs cover the need whenever the covering rule does, within the cap (property)', () => {
    fc.assert(
      fc.property(
        shelfArb,
        fc.integer({ min: 1, max: 200_000 }),
        fc.integer({ min: 1, max: 64 }),
        fc.integer(),
        ({ coins, shares }, need, max, seed) => {
          let cum = 0;
          const shareCum = shares.map((x) => (cum += x));
          let n = seed;
          const out = packsDrawn(coins, shareCum, need, max, () => unitHash(n++));
          const bought = out.reduce((t, k) => t + coins[k], 0);
          expect(out.length).toBeLessThanOrEqual(max);
          if (packsFor(coins, need, max).reduce((t, k) => t + coins[k], 0) >= need)
            expect(bought).toBeGreaterThanOrEqual(need);
          // No pack beyond what the need asked for: the last one was still short before it.
          expect(bought - coins[out[out.length - 1]]).toBeLessThan(need);
          if (cum === 0) expect(out).toEqual(packsFor(coins, need, max));
          else for (const k of out.slice(0, -1)) expect(shares[k] > 0 || k === coins.length - 1).toBe(true);
        },
      ),
    );
  });

  it('split owned viewers into spender classes, heavy spenders first', () => {
    const groups = classGroups([10, 11, 12, 13, 14, 15, 16, 17, 18, 19], [0.01, 0.09, 0.9]);
    expect(groups.map((g) => g.length)).toEqual([1, 1, 8]);
    expect(groups.flat()).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    for (let i = 0; i < 1000; i++) expect(unitHash(i)).toBeLessThan(1);
  });
});
