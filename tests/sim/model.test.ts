/** The model's building blocks: popularity picker, daily rhythm, audience curve, packs, gifts, channels. */

import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { DAY_SECONDS } from '../../common/limits.ts';
import { AudienceCurve } from '../../sim/model/audience-curve.ts';
import { GiftCatalogue } from '../../sim/model/catalogue.ts';
import { ChannelChooser } from '../../sim/model/channels.ts';
import { Diurnal } from '../../sim/model/diurnal.ts';
import { Fenwick } from '../../sim/model/fenwick.ts';
import { PackShelves } from '../../sim/model/packs.ts';
import { TOP_WEIGHT, zipfWeights } from '../../sim/model/zipf.ts';
import { channelArb } from '../support/arbitraries.ts';
import { testEconomy } from '../support/economy.ts';

describe('Fenwick picker', () => {
  it('finds the index whose cumulative range holds the target, after any adds and removes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 1000 })), { maxLength: 20 }),
        (initial, changes) => {
          const weights = [...initial];
          const tree = new Fenwick(weights.length);
          weights.forEach((w, i) => {
            tree.add(i, w);
          });
          for (const [at, w] of changes) {
            const i = at % weights.length;
            tree.add(i, w - weights[i]);
            weights[i] = w;
          }
          const total = weights.reduce((a, b) => a + b, 0);
          expect(tree.total).toBe(total);
          let cum = 0;
          weights.forEach((w, i) => {
            if (w > 0) {
              expect(tree.find(cum)).toBe(i);
              expect(tree.find(cum + w - 1)).toBe(i);
            }
            cum += w;
          });
        },
      ),
    );
  });

  it('with a tree per market, draws from a market find only its members, by their weights', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 8 }),
        (weights, asked) => {
          const trees = Math.min(asked, weights.length);
          const forest = new Fenwick(weights.length, trees);
          weights.forEach((w, i) => {
            forest.add(i, w);
          });
          expect(forest.total).toBe(weights.reduce((a, b) => a + b, 0));
          for (let t = 0; t < trees; t++) {
            let cum = 0;
            for (let c = t; c < weights.length; c += trees) {
              if (weights[c] > 0) {
                expect(forest.find(cum, t)).toBe(c);
                expect(forest.find(cum + weights[c] - 1, t)).toBe(c);
              }
              cum += weights[c];
            }
            expect(forest.totalOf(t)).toBe(cum);
          }
        },
      ),
    );
  });

  it('Zipf weights within markets: creator c is ranked ⌊c / markets⌋ + 1 in its own', () => {
    const one = zipfWeights(30, 1);
    const three = zipfWeights(90, 1, 3);
    for (let c = 0; c < 90; c++) expect(three[c]).toBe(one[Math.floor(c / 3)]);
  });

  it('Zipf weights are whole, decreasing, and the top one is fixed', () => {
    const w = zipfWeights(1000, 1.2);
    expect(w[0]).toBe(TOP_WEIGHT);
    for (let i = 1; i < w.length; i++) {
      expect(Number.isInteger(w[i])).toBe(true);
      expect(w[i]).toBeLessThanOrEqual(w[i - 1]);
    }
    expect([...zipfWeights(5, 0)]).toEqual([TOP_WEIGHT, TOP_WEIGHT, TOP_WEIGHT, TOP_WEIGHT, TOP_WEIGHT]);
  });
});

describe('daily rhythm', () => {
  it('next() moves forward and averages the mean gap; most events fall near the peak', () => {
    const diurnal = new Diurnal({ peakHour: 20, amplitude: 0.8 });
    const rng = seedrandom.xor4096('diurnal');
    const byHour = new Array(24).fill(0);
    let t = 0;
    let n = 0;
    const days = 200;
    while (t < days * DAY_SECONDS) {
      const next = diurnal.next(t, 600, rng);
      expect(next).toBeGreaterThanOrEqual(t + 1);
      t = next;
      byHour[Math.floor((t % DAY_SECONDS) / 3600)]++;
      n++;
    }
    expect(n / days).toBeGreaterThan(144 * 0.97);
    expect(n / days).toBeLessThan(144 * 1.03);
    expect(byHour.indexOf(Math.max(...byHour))).toBeGreaterThanOrEqual(19);
    expect(byHour.indexOf(Math.max(...byHour))).toBeLessThanOrEqual(20);
    expect(byHour[20] / byHour[8]).toBeGreaterThan(5); // (1 + 0.8) / (1 − 0.8) = 9 at the extremes
  });

  it('a flat day gives a Poisson process: the exact mean gap', () => {
    const diurnal = new Diurnal({ peakHour: 0, amplitude: 0 });
    const rng = seedrandom.xor4096('flat');
    let t = 0;
    let n = 0;
    while (t < 1e8) {
      t = diurnal.next(t, 5000, rng);
      n++;
    }
    expect(1e8 / n).toBeGreaterThan(5000 * 0.98);
    expect(1e8 / n).toBeLessThan(5000 * 1.02 + 1);
  });
});

describe('audience curve', () => {
  const curve = (spec: Partial<ConstructorParameters<typeof AudienceCurve>[0]>) =>
    new AudienceCurve({ curve: 'flat', strength: 0.5, peakAudience: 100, points: [], ...spec });

  it('presets pass 1 at peakAudience and bend as named', () => {
    expect(curve({}).multiplier(1)).toBe(1);
    expect(curve({}).multiplier(1e6)).toBe(1);
    const boost = curve({ curve: 'small-stream-boost' });
    expect(boost.multiplier(100)).toBeCloseTo(1);
    expect(boost.multiplier(1)).toBeCloseTo(10);
    expect(boost.multiplier(10_000)).toBeCloseTo(0.1);
    const rising = curve({ curve: 'rising' });
    expect(rising.multiplier(10_000)).toBeCloseTo(10);
    const u = curve({ curve: 'inverted-u' });
    expect(u.multiplier(100)).toBeCloseTo(1);
    expect(u.multiplier(1)).toBeCloseTo(0.1);
    expect(u.multiplier(10_000)).toBeCloseTo(0.1);
  });

  it('custom curves interpolate in log10(audience) and are flat beyond their points', () => {
    const c = curve({
      curve: 'custom',
      points: [
        { audience: 10, multiplier: 2 },
        { audience: 1000, multiplier: 0.5 },
      ],
    });
    expect(c.multiplier(1)).toBe(2);
    expect(c.multiplier(10)).toBe(2);
    expect(c.multiplier(100)).toBeCloseTo(1.25);
    expect(c.multiplier(1e6)).toBe(0.5);
  });
});

describe('pack rule', () => {
  it('buys the smallest covering pack that fits the budget, else the largest that fits', () => {
    const shelves = new PackShelves(testEconomy.channels);
    // app: 70/99, 350/499, 1400/1999
    expect(shelves.next(0, 1, 10_000)).toBe(0);
    expect(shelves.coins(0, shelves.next(0, 71, 10_000))).toBe(350);
    expect(shelves.coins(0, shelves.next(0, 5000, 10_000))).toBe(1400);
    expect(shelves.coins(0, shelves.next(0, 5000, 600))).toBe(350);
    expect(shelves.next(0, 5, 98)).toBe(-1);
    expect(shelves.reach(0, 2600)).toBe(1400 + 350 + 70);
    expect(shelves.cheapestCostCents(1)).toBe(74);
  });

  it('whatever is within reach, buying by the rule covers it (and never overspends)', () => {
    fc.assert(
      fc.property(channelArb('ch'), fc.nat(200_000), fc.nat(100_000), (channel, budget, need) => {
        const shelves = new PackShelves([channel]);
        const reach = shelves.reach(0, budget);
        let left = budget;
        let short = need;
        for (let i = 0; i < 64 && short > 0; i++) {
          const k = shelves.next(0, short, left);
          if (k < 0) break;
          left -= shelves.priceCents(0, k);
          short -= shelves.coins(0, k);
        }
        expect(left).toBeGreaterThanOrEqual(0);
        if (need <= reach) expect(short).toBeLessThanOrEqual(0);
      }),
    );
  });
});

describe('gift catalogue', () => {
  const gifts = [
    { id: 'lion', coins: 29_999 },
    { id: 'rose', coins: 1 },
    { id: 'concert', coins: 500 },
  ];

  it('sorts by price and picks only among the gifts within reach', () => {
    const catalogue = new GiftCatalogue(gifts, [1, 1, 1], 0);
    expect([...catalogue.coins]).toEqual([1, 500, 29_999]);
    expect([...catalogue.ledgerIndex]).toEqual([1, 2, 0]);
    expect(catalogue.affordable(0)).toBe(0);
    expect(catalogue.affordable(500)).toBe(2);
    const rng = seedrandom.xor4096('pick');
    for (let i = 0; i < 200; i++) expect(catalogue.pick(rng, 2, false, 1, 0)).toBeLessThan(2);
  });

  it('pacing favours gifts near the budget-paced size; zero weights are never picked', () => {
    const catalogue = new GiftCatalogue(gifts, [1, 1, 0], 0);
    const rng = seedrandom.xor4096('pace');
    const counts = [0, 0, 0];
    for (let i = 0; i < 2000; i++) counts[catalogue.pick(rng, 3, false, 30_000, 1)]++;
    expect(counts[2]).toBeGreaterThan(counts[1]);
    expect(counts[1]).toBe(0); // concert has no weight
    expect(catalogue.pick(rng, 2, false, 500, 1)).not.toBe(1);
  });
});

describe('channel choice', () => {
  it('moves a share of app payers to the web when the web is cheaper by at least the gap', () => {
    const rng = seedrandom.xor4096('channels');
    const chooser = new ChannelChooser(testEconomy.channels, {
      mix: { app: 1 },
      priceGap: 0.2,
      probability: 0.5,
    });
    expect(chooser.cheapest).toBe(1);
    let web = 0;
    for (let i = 0; i < 4000; i++) web += chooser.choose(rng);
    expect(web / 4000).toBeGreaterThan(0.45);
    expect(web / 4000).toBeLessThan(0.55);
    const strict = new ChannelChooser(testEconomy.channels, {
      mix: { app: 1 },
      priceGap: 0.5,
      probability: 1,
    });
    for (let i = 0; i < 100; i++) expect(strict.choose(rng)).toBe(0); // 99¢ vs 74¢ is a 25 % gap
  });
});
