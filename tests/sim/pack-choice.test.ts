/**
 * Packs chosen for value (sim/model/packs.ts): the choice rule against numbers worked out by hand, its
 * laws (a dominated pack is never likelier than the pack that dominates it), and a run whose pack
 * shares match the closed form within the replications' 95 % CI.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recordReplication } from '../../experiments/oplog/record.ts';
import { runReplication } from '../../experiments/replication.ts';
import { describe as stats } from '../../experiments/stats.ts';
import { loadScenarioFile } from '../../scenarios/load.ts';
import { type PackChoice, PackShelves, packValue } from '../../sim/model/packs.ts';
import { channelArb } from '../support/arbitraries.ts';
import { scenario } from './support.ts';

const VALUE: PackChoice = { rule: 'value', sharpness: 30, heldCoinWorth: 0.5, effortCents: 50 };

/** Shares of each position `choose` gives over a fine grid of uniform draws. */
function shares(shelves: PackShelves, need: number, plan: number, wallet: number, choice: PackChoice) {
  const n = 100_000;
  const out = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const k = shelves.choose(0, need, plan, wallet, choice, (i + 0.5) / n);
    out.set(k, (out.get(k) ?? 0) + 1 / n);
  }
  return out;
}

describe('the value rule, by hand', () => {
  it('a pack is worth the coins planned plus held coins at their worth, per cent of price and effort', () => {
    // 1,750 coins for $15.00 to a payer planning 1,000: 1,000 + 0.5 × 750 = 1,375 coins for 1,550 ¢.
    expect(packValue(1750, 1500, 1000, VALUE)).toBeCloseTo(1375 / 1550, 12);
    // Under the plan every coin counts whole.
    expect(packValue(70, 74, 1000, VALUE)).toBeCloseTo(70 / 124, 12);
    expect(packValue(70, 74, 1000, { ...VALUE, effortCents: 0 })).toBeCloseTo(70 / 74, 12);
  });

  it('shares are (value_k / value_best)^sharpness normalised: two packs, one dominated', () => {
    // The baseline's web pair: 1,400 coins for $14.99 and 1,750 for $15.00, to a payer planning 1,400.
    const shelves = new PackShelves([
      {
        id: 'web',
        storeFeeBp: 0,
        paymentFeeBp: 0,
        paymentFeeFixedCents: 0,
        packs: [
          { id: 'c1400', coins: 1400, priceCents: 1499 },
          { id: 'c1750', coins: 1750, priceCents: 1500 },
        ],
      },
    ]);
    const ratio = (1400 / 1549 / ((1400 + 0.5 * 350) / 1550)) ** 30;
    const got = shares(shelves, 100, 1400, 2000, VALUE);
    expect(ratio / (1 + ratio)).toBeLessThan(0.05);
    expect(got.get(0)).toBeCloseTo(ratio / (1 + ratio), 4);
    expect(got.get(1)).toBeCloseTo(1 / (1 + ratio), 4);
    // Sharpness 0: uniform among the packs the wallet allows; a wallet under $15.00 allows one.
    expect(shares(shelves, 100, 1400, 2000, { ...VALUE, sharpness: 0 }).get(0)).toBeCloseTo(0.5, 4);
    expect(shares(shelves, 100, 1400, 1499, VALUE).get(0)).toBeCloseTo(1, 9);
    expect(shelves.choose(0, 100, 1400, 1498, VALUE, 0.5)).toBe(-1);
  });
});

describe('the value rule, laws', () => {
  it('a dominated pack (no more coins for no less money) is never likelier than its dominator', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20_000 }),
        fc.integer({ min: 0, max: 20_000 }),
        fc.integer({ min: 1, max: 50_000 }),
        fc.integer({ min: 0, max: 50_000 }),
        fc.integer({ min: 1, max: 40_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 500 }),
        (coins, fewer, price, dearer, plan, worth, effort) => {
          const choice = { ...VALUE, heldCoinWorth: worth, effortCents: effort };
          const low = Math.max(1, coins - fewer);
          expect(packValue(low, price + dearer, plan, choice)).toBeLessThanOrEqual(
            packValue(coins, price, plan, choice),
          );
        },
      ),
    );
  });

  it('the pack chosen always fits the wallet, and one is chosen whenever one fits', () => {
    fc.assert(
      fc.property(
        channelArb('c'),
        fc.integer({ min: 1, max: 30_000 }),
        fc.integer({ min: 0, max: 60_000 }),
        fc.integer({ min: 0, max: 60_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (channel, need, plan, wallet, u) => {
          const shelves = new PackShelves([channel]);
          const k = shelves.choose(0, need, plan, wallet, VALUE, u);
          const fits = channel.packs.some((p) => p.priceCents <= wallet);
          expect(k >= 0).toBe(fits);
          if (k >= 0) expect(shelves.costCents(0, k)).toBeLessThanOrEqual(wallet);
        },
      ),
    );
  });
});

describe('a run', () => {
  // One channel: 100 coins for $1 or 90 coins for $1 (dominated). Payers hold $10 a day, plan far more
  // than either pack, and gift 10 coins a minute: every purchase is one of the two, at $1, with the
  // dominated pack chosen with probability 0.9^s / (1 + 0.9^s). Purchases = gross ÷ 100 ¢; the
  // dominated ones = (100 × purchases − coins bought) ÷ 10.
  const sharpness = 10;
  const run = (i: number) =>
    runReplication(
      scenario(
        {
          population: { viewers: 200 },
          viewers: { budget: { distribution: 'fixed', minCents: 1000 } },
          demand: {
            referencePrices: { app: { coins: 90, priceCents: 100 } },
            packChoice: { rule: 'value', sharpness, heldCoinWorth: 0.5, effortCents: 50 },
          },
          gifts: [{ id: 'ten', coins: 10 }],
        },
        {
          pricing: {
            channels: {
              app: {
                storeFee: 0.3,
                packs: [
                  { id: 'c100', coins: 100, priceCents: 100 },
                  { id: 'c90', coins: 90, priceCents: 100 },
                ],
              },
            },
          },
        },
      ),
      i,
    ).kpis;

  it('the dominated pack’s share is 0.9^s / (1 + 0.9^s), within the replications’ 95 % CI', () => {
    const share = Array.from({ length: 8 }, (_, i) => {
      const k = run(i);
      const purchases = k.grossBookingsCents / 100;
      expect(purchases).toBeGreaterThan(1000);
      expect(k.coinsPurchased).toBeGreaterThan(90 * purchases);
      return (100 * purchases - k.coinsPurchased) / 10 / purchases;
    });
    const expected = 0.9 ** sharpness / (1 + 0.9 ** sharpness);
    const { ci95 } = stats(share);
    expect(ci95[0]).toBeLessThanOrEqual(expected);
    expect(ci95[1]).toBeGreaterThanOrEqual(expected);
    expect(ci95[1] - ci95[0]).toBeLessThan(0.05);
  });
});

describe('the baseline', () => {
  // The operation log names the pack of every purchase. The acceptance figure is measured at 100,000
  // viewers (the issue note gives it); half of that keeps the test fast with enough big web purchases.
  const webPacks = (rule: string) => {
    const s = loadScenarioFile('scenarios/baseline.yaml', {
      sets: ['population.viewers=50000', `demand.packChoice.rule=${rule}`],
    });
    const count: Record<string, number> = {};
    for (const op of recordReplication(s).ops) {
      if (op.kind === 'purchase' && op.channel === 'web') count[op.pack] = (count[op.pack] ?? 0) + 1;
    }
    const dominated = count.c1400 ?? 0;
    return { dominated, both: dominated + (count.c1750 ?? 0) };
  };

  it('the dominated web 1,400-coin pack ($14.99 beside 1,750 coins for $15.00) is under 5 % of the two', () => {
    const value = webPacks('value');
    expect(value.both).toBeGreaterThanOrEqual(20);
    expect(value.dominated / value.both).toBeLessThan(0.05);
    // The previous rule buys it whenever 1,400 coins cover the shortfall.
    const smallest = webPacks('smallest');
    expect(smallest.both).toBeGreaterThanOrEqual(20);
    expect(smallest.dominated / smallest.both).toBeGreaterThan(0.05);
  });
});
