/**
 * Demand that responds to price (sim/model/demand.ts), against closed forms: scaling every price by k
 * scales the coins payers buy by k^εi and the payers by k^εc, within the replications' 95 % CI; and the
 * baseline loses payers and bookings when its packs double, as the published elasticities say it should.
 */
import { describe, expect, it } from 'vitest';
import { runReplication } from '../../experiments/replication.ts';
import { describe as stats } from '../../experiments/stats.ts';
import { loadScenarioFile } from '../../scenarios/load.ts';
import { priceIndex, UNIT_ELASTIC, walletCost, walletFactor } from '../../sim/model/demand.ts';
import { LEGACY_SETS, packPriceSets, scenario } from './support.ts';

const REFERENCE = { coins: 1000, priceCents: 1000 };

/** One 1,000-coin pack at `price`, measured against 1,000 coins for $10. */
function priced(price: number, demand: Record<string, number>, viewers: Record<string, unknown>, n = 400) {
  return scenario(
    {
      population: { viewers: n },
      viewers,
      demand: { referencePrices: { app: REFERENCE }, ...demand },
      gifts: [{ id: 'g', coins: 500 }],
    },
    { pricing: { channels: { app: { packs: [{ id: 'c1000', coins: 1000, priceCents: price }] } } } },
  );
}

/** Mean and 95 % CI of ln(b / a) over paired replications. */
function logRatio(a: (i: number) => number, b: (i: number) => number, n = 8) {
  return stats(Array.from({ length: n }, (_, i) => Math.log(b(i) / a(i))));
}

describe('price response', () => {
  it('a price index is exactly 1 at the reference rate, and scales with the price per coin', () => {
    expect(priceIndex({ id: 'a', coins: 70, priceCents: 99 }, { coins: 70, priceCents: 99 })).toBe(1);
    expect(priceIndex({ id: 'a', coins: 140, priceCents: 198 }, { coins: 70, priceCents: 99 })).toBe(1);
    expect(priceIndex({ id: 'a', coins: 70, priceCents: 198 }, { coins: 70, priceCents: 99 })).toBe(2);
    expect(priceIndex({ id: 'a', coins: 84, priceCents: 74 }, null)).toBe(1);
    expect(walletCost(198, 1)).toBe(198);
    expect(walletCost(2000, 2 ** 0.5)).toBe(1415);
  });

  // Budgets are the binding limit (payers always watch and could gift far more than they can pay for),
  // so a payer's coins are its budget over the wallet cost of a coin: k^εi, up to the cost's rounding.
  const heavy = {
    payerShare: 0.5,
    budget: {
      distribution: 'lognormal',
      medianCents: 20_000,
      lognormalSigma: 0.5,
      minCents: 1000,
      capCents: 60_000,
    },
    giftsPerHour: 20,
  };
  it.each([
    [2, -0.5],
    [0.5, -0.5],
    [2, 0.25],
  ])(
    'prices × %d, intensity elasticity %d: coins bought × k^εi, within the replications’ 95 % CI',
    (k, ei) => {
      const at = (price: number) => (i: number) =>
        runReplication(priced(price, { conversionElasticity: 0, intensityElasticity: ei }, heavy), i).kpis
          .coinsPurchased;
      const { mean, ci95 } = logRatio(at(1000), at(1000 * k));
      // Coins a wallet cent buys at k over at 1: the pack's wallet cost is rounded up to whole cents.
      const expected = Math.log(
        1000 / walletCost(1000 * k, walletFactor({ ...UNIT_ELASTIC, intensityElasticity: ei }, k)),
      );
      expect(Math.abs(expected - ei * Math.log(k))).toBeLessThan(0.002);
      expect(ci95[0]).toBeLessThanOrEqual(expected);
      expect(ci95[1]).toBeGreaterThanOrEqual(expected);
      expect(Math.abs(mean - ei * Math.log(k))).toBeLessThan(0.01);
    },
  );

  // Budgets cover the pack at every price and payers gift every minute: every payer buys in the day,
  // so payers are binomial with p = payerShare × k^εc.
  const viewers = 2000;
  const eager = { payerShare: 0.2, budget: { distribution: 'fixed', minCents: 5000 }, giftsPerHour: 60 };
  it.each([
    [2, -1.5],
    [0.5, -1.5],
    [1.5, -2.5],
  ])(
    'prices × %d, conversion elasticity %d: payers = viewers × payerShare × k^εc, within the 95 % CI',
    (k, ec) => {
      const run = (i: number) =>
        runReplication(
          priced(1000 * k, { conversionElasticity: ec, intensityElasticity: -1 }, eager, viewers),
          i,
        ).kpis;
      const payers = Array.from({ length: 8 }, (_, i) => run(i).payers);
      const expected = viewers * 0.2 * k ** ec;
      const { ci95 } = stats(payers);
      expect(ci95[0]).toBeLessThanOrEqual(expected);
      expect(ci95[1]).toBeGreaterThanOrEqual(expected);
    },
  );

  it('a dearer market keeps a subset of the same payers, each with the same budget (paired runs)', () => {
    const rows = (price: number) =>
      runReplication(priced(price, { conversionElasticity: -2, intensityElasticity: -1 }, eager, viewers), 0)
        .viewers;
    const cheap = rows(1000);
    const dear = rows(1300);
    const paid = (r: typeof cheap) => r.filter((v) => v.payers > 0).map((v) => v.segment);
    const kept = paid(dear);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(0.75 * paid(cheap).length);
    const before = new Set(paid(cheap));
    expect(kept.filter((v) => !before.has(v))).toEqual([]);
  });
});

describe('the baseline against its published elasticities', () => {
  it('the previous model at any prices is one setting: εc = 0, εi = −1 runs as if demand had no block', () => {
    const sets = [...packPriceSets('scenarios/baseline.yaml', 2), 'population.viewers=5000'];
    const without = loadScenarioFile('scenarios/baseline.yaml', { sets });
    const { demand: _, ...rest } = without;
    const unit = loadScenarioFile('scenarios/baseline.yaml', {
      sets: [...sets, ...LEGACY_SETS],
    });
    expect(runReplication(unit, 0).kpis).toEqual(runReplication({ ...rest }, 0).kpis);
  });

  it('doubling every pack price loses at least 30 % of payers and 10 % of gross bookings (paired, 8 replications)', () => {
    const file = 'scenarios/baseline.yaml';
    const base = loadScenarioFile(file, { sets: ['population.viewers=5000'] });
    const dear = loadScenarioFile(file, { sets: [...packPriceSets(file, 2), 'population.viewers=5000'] });
    const pairs = Array.from({ length: 8 }, (_, i) => [
      runReplication(base, i).kpis,
      runReplication(dear, i).kpis,
    ]);
    const sum = (f: (k: (typeof pairs)[0][0]) => number, j: 0 | 1) => pairs.reduce((s, p) => s + f(p[j]), 0);
    const payers = sum((k) => k.payers, 1) / sum((k) => k.payers, 0);
    const gross = sum((k) => k.grossBookingsCents, 1) / sum((k) => k.grossBookingsCents, 0);
    expect(payers).toBeLessThanOrEqual(0.7);
    expect(gross).toBeLessThanOrEqual(0.9);
  });
});
