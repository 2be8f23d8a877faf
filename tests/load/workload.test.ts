/** Plan → workload: the scenario's clock compressed into the test, the profiles' shapes, the draws. */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../common/input-error.ts';
import { loadLimits } from '../../common/limits.ts';
import { spikeStages } from '../../load/k6/lib/options.ts';
import { classGroups, packsFor, pickCreatorRank, pickCum, unitHash } from '../../load/k6/lib/pick.ts';
import { compilePlan } from '../../load/plan/compile.ts';
import { toWorkload } from '../../load/plan/workload.ts';
import { loadScenarioFile } from '../../scenarios/load.ts';
import { BASELINE } from './support.ts';

const plan = compilePlan(
  loadScenarioFile(BASELINE, { sets: ['population.viewers=20000', 'population.creators=200'] }),
);
const users = { viewers: 1000, creators: 1000 };

describe('toWorkload', () => {
  it('plays the whole plan in a steady run: arrivals × duration = the plan’s gifts and withdrawals', () => {
    const w = toWorkload(plan, { profile: 'steady', durationSeconds: 30, users });
    expect(w.rate.intents * 30).toBeCloseTo(plan.totals.gifts + plan.totals.withdrawals, 6);
    expect(w.rate.withdrawalShare).toBeCloseTo(
      plan.totals.withdrawals / (plan.totals.gifts + plan.totals.withdrawals),
      9,
    );
    const doubled = toWorkload(plan, { profile: 'steady', durationSeconds: 30, scale: 2, users });
    expect(doubled.rate.intents).toBeCloseTo(2 * w.rate.intents, 9);
  });

  it('follows the plan’s timeline in soak, and its total is the plan’s', () => {
    const w = toWorkload(plan, { profile: 'soak', durationSeconds: 600, users });
    expect(w.stages).toHaveLength(plan.timeline.length);
    const total = w.stages.reduce((t, s) => t + s.target * s.durationSeconds, 0);
    expect(total).toBeCloseTo(plan.totals.gifts + plan.totals.withdrawals, 6);
    const long = toWorkload(
      { ...plan, timeline: Array(1000).fill(plan.timeline[0]) },
      { profile: 'soak', durationSeconds: 3600, users },
    );
    expect(long.stages.length).toBeLessThanOrEqual(loadLimits.soakStagesMax);
  });

  it('spikes to 10× the steady rate and comes back', () => {
    const w = toWorkload(plan, { profile: 'spike', durationSeconds: 100, users });
    const stages = spikeStages(w);
    expect(Math.max(...stages.map((s) => s.target))).toBeCloseTo(10 * w.rate.intents, 9);
    expect(stages.at(-1)!.target).toBeCloseTo(w.rate.intents, 9);
    expect(stages.reduce((t, s) => t + s.durationSeconds, 0)).toBeCloseTo(100, 9);
  });

  it('gives no economy profile more VUs than viewers to own', () => {
    expect(
      toWorkload(plan, { profile: 'steady', durationSeconds: 1, users: { viewers: 7, creators: 7 } }).vus,
    ).toBe(7);
    expect(toWorkload(plan, { profile: 'smoke', users }).vus).toBe(2);
    expect(toWorkload(plan, { profile: 'race', users }).vus).toBe(32);
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

  it('refuses an economy profile for a plan with nothing to send', () => {
    const idle = { ...plan, rates: { purchase: 0, gift: 0, withdrawal: 0 } };
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

  it('buy packs by the model’s rule: the smallest that covers, else the largest again', () => {
    expect(packsFor([70, 350, 1400], 100, 64)).toEqual([1]);
    expect(packsFor([70, 350, 1400], 3000, 64)).toEqual([2, 2, 1]);
    expect(packsFor([70], 1000, 3)).toEqual([0, 0, 0]);
  });

  it('split owned viewers into spender classes, heavy spenders first', () => {
    const groups = classGroups([10, 11, 12, 13, 14, 15, 16, 17, 18, 19], [0.01, 0.09, 0.9]);
    expect(groups.map((g) => g.length)).toEqual([1, 1, 8]);
    expect(groups.flat()).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    for (let i = 0; i < 1000; i++) expect(unitHash(i)).toBeLessThan(1);
  });
});
