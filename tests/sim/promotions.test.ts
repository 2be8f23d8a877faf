/**
 * Prices that move during a run (sim/model/timeline.ts, scenarios/schema/promotions.ts): variants of
 * packs and the stretches that offer them, against hand-computed cases; a price change moves who pays
 * from its second, as the conversion elasticity says; a coin bonus and a first-purchase bonus give
 * exactly the coins they promise; and a run is the run without the event up to the event's second.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../common/input-error.ts';
import { runReplication } from '../../experiments/replication.ts';
import { describe as stats } from '../../experiments/stats.ts';
import { loadScenarioFile } from '../../scenarios/load.ts';
import type { Scenario } from '../../scenarios/schema/scenario.ts';
import type { Channel } from '../../sim/economy/types.ts';
import type { ChannelLogit } from '../../sim/model/channels.ts';
import { type MarketEvent, timeline, variantOf } from '../../sim/model/timeline.ts';
import { scenario, simulated } from './support.ts';

const channel = (id: string, packs: [number, number][]): Channel => ({
  id,
  storeFeeBp: 0,
  paymentFeeBp: 0,
  paymentFeeFixedCents: 0,
  packs: packs.map(([coins, priceCents]) => ({ id: `c${coins}`, coins, priceCents })),
});

describe('the timeline of a run', () => {
  it('a variant rounds its price to the cent and its bonus coins down, and says so in its id', () => {
    const c70 = { id: 'c70', coins: 70, priceCents: 99 };
    expect(variantOf(c70, 1.2, 0)).toEqual({ id: 'c70-p120', coins: 70, priceCents: 119 });
    expect(variantOf(c70, 1, 0.2)).toEqual({ id: 'c70-b20', coins: 84, priceCents: 99 });
    expect(variantOf(c70, 0.5, 0.15)).toEqual({ id: 'c70-p50-b15', coins: 80, priceCents: 50 });
    expect(variantOf({ id: 'x', coins: 100, priceCents: 1 }, 0.01, 0.07)).toEqual({
      id: 'x-b7',
      coins: 107,
      priceCents: 1,
    });
  });

  it('without events or a first-purchase bonus: one stretch offering every pack, channels unchanged', () => {
    const channels = [
      channel('app', [
        [70, 99],
        [350, 499],
      ]),
    ];
    const t = timeline(channels, [], 0, 86_400);
    expect(t.channels[0]).toBe(channels[0]);
    expect(t.stretches).toEqual([{ fromSeconds: 0, offered: [[0, 1]], firstOffered: null }]);
  });

  it('price changes multiply from their second; bonuses add over their stretch; one variant per price and coins', () => {
    const channels = [channel('app', [[70, 99]]), channel('web', [[70, 74]])];
    const events: MarketEvent[] = [
      { kind: 'price', atSeconds: 100, channels: [0], factor: 2 },
      { kind: 'bonus', atSeconds: 50, endSeconds: 300, channels: [0, 1], bonus: 0.1 },
      { kind: 'bonus', atSeconds: 200, endSeconds: 400, channels: [1], bonus: 0.2 },
      { kind: 'price', atSeconds: 350, channels: [0], factor: 1.5 },
      { kind: 'price', atSeconds: 999, channels: [0], factor: 3 }, // after the run: ignored
    ];
    const t = timeline(channels, events, 0, 500);
    expect(t.stretches.map((s) => s.fromSeconds)).toEqual([0, 50, 100, 200, 300, 350, 400]);
    const packOf = (c: number, s: number) => t.channels[c].packs[t.stretches[s].offered[c][0]];
    const app = t.stretches.map((_, s) => [packOf(0, s).priceCents, packOf(0, s).coins]);
    expect(app).toEqual([
      [99, 70],
      [99, 77],
      [198, 77],
      [198, 77],
      [198, 70],
      [297, 70],
      [297, 70],
    ]);
    const web = t.stretches.map((_, s) => packOf(1, s).coins);
    expect(web).toEqual([70, 77, 77, 91, 84, 84, 70]);
    // app: c70, c70-b10, c70-p200-b10, c70-p200, c70-p300; web: c70, c70-b10, c70-b30, c70-b20.
    expect(t.channels.map((c) => c.packs.map((p) => p.id))).toEqual([
      ['c70', 'c70-b10', 'c70-p200-b10', 'c70-p200', 'c70-p300'],
      ['c70', 'c70-b10', 'c70-b30', 'c70-b20'],
    ]);
  });

  it('a first-purchase bonus offers a bonus variant of each pack in every stretch', () => {
    const channels = [
      channel('app', [
        [70, 99],
        [350, 499],
      ]),
    ];
    const t = timeline(channels, [{ kind: 'price', atSeconds: 10, channels: [0], factor: 2 }], 1, 100);
    const first = t.stretches.map((s) => s.firstOffered?.[0].map((i) => t.channels[0].packs[i]));
    expect(first).toEqual([
      [
        { id: 'c70-b100', coins: 140, priceCents: 99 },
        { id: 'c350-b100', coins: 700, priceCents: 499 },
      ],
      [
        { id: 'c70-p200-b100', coins: 140, priceCents: 198 },
        { id: 'c350-p200-b100', coins: 700, priceCents: 998 },
      ],
    ]);
  });

  it('the listed packs keep their indices and ids, and every offered index names a pack (any events)', () => {
    const event = fc.oneof(
      fc.record({
        kind: fc.constant('price' as const),
        atSeconds: fc.integer({ min: 1, max: 1000 }),
        channels: fc.subarray([0, 1]),
        factor: fc.double({ min: 0.1, max: 5, noNaN: true }),
      }),
      fc
        .record({
          kind: fc.constant('bonus' as const),
          atSeconds: fc.integer({ min: 1, max: 1000 }),
          length: fc.integer({ min: 1, max: 500 }),
          channels: fc.subarray([0, 1]),
          bonus: fc.double({ min: 0.01, max: 2, noNaN: true }),
        })
        .map(({ length, ...e }) => ({ ...e, endSeconds: e.atSeconds + length })),
    );
    fc.assert(
      fc.property(fc.array(event, { maxLength: 6 }), fc.constantFrom(0, 0.5), (events, first) => {
        const channels = [
          channel('app', [
            [70, 99],
            [350, 499],
          ]),
          channel('web', [[70, 74]]),
        ];
        const t = timeline(channels, events, first, 800);
        t.channels.forEach((c, i) => {
          expect(c.packs.slice(0, channels[i].packs.length)).toEqual(channels[i].packs);
          expect(new Set(c.packs.map((p) => p.id)).size).toBe(c.packs.length);
        });
        for (const s of t.stretches)
          for (const offered of [s.offered, ...(s.firstOffered === null ? [] : [s.firstOffered])])
            offered.forEach((o, c) => {
              expect(o).toHaveLength(channels[c].packs.length);
              for (const i of o) expect(t.channels[c].packs[i]).toBeDefined();
            });
        expect(t.stretches[0].fromSeconds).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});

/** SIMPLE (one 70-coin pack for 99 ¢, everyone watching and gifting every minute) with demand and events. */
function promoted(
  over: Record<string, unknown>,
  events: unknown[] = [],
  demand: Record<string, unknown> = {},
  giftCoins = 70,
) {
  return scenario(
    {
      demand: {
        referencePrices: { app: { coins: 70, priceCents: 99 } },
        conversionElasticity: -1.5,
        intensityElasticity: -1,
        ...demand,
      },
      ...over,
    },
    { events, gifts: [{ id: 'gift', coins: giftCoins }] },
  );
}

describe('prices that move during a run', () => {
  // Budgets of $50 a day: every payer buys within minutes at any price, so payers are binomial.
  const eager = { population: { viewers: 2000 }, viewers: { payerShare: 0.2, budget: { minCents: 5000 } } };
  it.each([2, 0.5])(
    'prices × %d from second 1: payers = viewers × payerShare × index^εc, within the 95 % CI',
    (k) => {
      const s = promoted(eager, [{ kind: 'price-change', at: 1, factor: k }]);
      const payers = stats(Array.from({ length: 8 }, (_, i) => runReplication(s, i).kpis.payers));
      const index = Math.round(99 * k) / 99;
      const expected = 2000 * 0.2 * index ** -1.5;
      expect(payers.ci95[0]).toBeLessThanOrEqual(expected);
      expect(payers.ci95[1]).toBeGreaterThanOrEqual(expected);
    },
  );

  it('a price change at 0 is the run with those prices listed: the same KPIs for the same seed', () => {
    // Every pack of the baseline × 0.9, rounded to the cent as a variant is.
    const listed = (id: string) =>
      loadScenarioFile('scenarios/baseline.yaml').economy.channels.find((c) => c.id === id)?.packs ?? [];
    const set = ['app', 'web'].flatMap((c) =>
      listed(c).map(
        (p, i) => `pricing.channels.${c}.packs.${i}.priceCents=${Math.round(p.priceCents * 0.9)}`,
      ),
    );
    const small = ['population.viewers=3000'];
    const atZero = loadScenarioFile('scenarios/baseline.yaml', {
      sets: [...small, 'events[0]={kind: price-change, at: 0, factor: 0.9}'],
    });
    const cheaper = loadScenarioFile('scenarios/baseline.yaml', { sets: [...small, ...set] });
    expect(set).toHaveLength(11);
    expect(runReplication(atZero, 0).kpis).toEqual(runReplication(cheaper, 0).kpis);
  });

  it('a run with a price event is the run without it up to the event, and differs after', () => {
    const over = { ...eager, duration: '2d', viewers: { ...eager.viewers, budget: { minCents: 99 } } };
    const without = runReplication(promoted(over), 0).timeseries;
    const withIt = runReplication(
      promoted(over, [{ kind: 'price-change', at: '1d', factor: 1.3 }]),
      0,
    ).timeseries;
    expect(withIt.slice(0, 24)).toEqual(without.slice(0, 24));
    expect(withIt.slice(24)).not.toEqual(without.slice(24));
    const bought = (rows: typeof without) => rows.slice(24).reduce((n, r) => n + r.purchases, 0);
    expect(bought(withIt)).toBeLessThan(bought(without));
  });

  it('a coin bonus gives exactly its coins on every pack bought while it runs, and none outside', () => {
    const s = promoted(
      { population: { viewers: 300 } },
      [{ kind: 'coin-bonus', at: '6h', for: '6h', channels: ['app'], bonus: 0.2 }],
      { conversionElasticity: 0 },
    );
    const rows = runReplication(s, 0).timeseries;
    rows.forEach((r, hour) => {
      const perPack = hour >= 6 && hour < 12 ? 84 : 70;
      expect(r.coinsSold.app).toBe(perPack * r.purchases);
    });
    expect(rows.slice(6, 12).reduce((n, r) => n + r.purchases, 0)).toBeGreaterThan(0);
  });

  // A 300-coin gift takes several packs at once: the bonus is on the first of them only.
  it.each([70, 300])(
    "a first-purchase bonus doubles an arriving viewer's first pack, and no other (%d-coin gifts)",
    (gift) => {
      // One viewer present at the start (a payer who has bought before) and 400 arrivals in the first hour.
      const s = promoted(
        {
          population: { viewers: 1 },
          pricing: { firstPurchaseBonus: { bonus: 1 } },
          viewers: { payerShare: 1, budget: { minCents: 1000 } },
        },
        [{ kind: 'acquisition-burst', at: '1h', for: '1h', viewers: 400 }],
        {},
        gift,
      );
      const { kpis, timeseries } = runReplication(s, 0);
      const purchases = timeseries.reduce((n, r) => n + r.purchases, 0);
      expect(purchases).toBeGreaterThan(kpis.payers);
      expect(kpis.payers).toBeGreaterThan(100);
      // Every pack is 70 coins, every payer's first pack 70 more — but for the viewer there at the start.
      expect(kpis.coinsPurchased).toBe(70 * purchases + 70 * (kpis.payers - 1));
    },
  );

  it.each([0, 0.5, 1])(
    'conversion weight %d: arrivals pay at payerShare × (index_list^(1−w) × index_first^w)^εc, within the 95 % CI',
    (w) => {
      const burst = 2000;
      const s = promoted(
        {
          population: { viewers: 1 },
          pricing: { firstPurchaseBonus: { bonus: 1, conversionWeight: w } },
          viewers: { payerShare: 0.3, budget: { minCents: 5000 } },
        },
        [{ kind: 'acquisition-burst', at: '1h', for: '1h', viewers: burst }],
        { conversionElasticity: -1 },
      );
      const payers = stats(Array.from({ length: 8 }, (_, i) => runReplication(s, i).kpis.payers));
      // The first pack: 140 coins for 99 ¢, index 0.5; the list pack, index 1. The viewer at the start: 0.3.
      const expected = 0.3 + burst * 0.3 * (0.5 ** w) ** -1;
      expect(payers.ci95[0]).toBeLessThanOrEqual(expected);
      expect(payers.ci95[1]).toBeGreaterThanOrEqual(expected);
    },
  );
});

describe('promotions in scenario files', () => {
  const problems = (events: unknown[], pricing: Record<string, unknown> = {}) => {
    try {
      scenario({ pricing }, { events });
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      return (error as InputError).problems.map((p) => `${p.field}: ${p.expected}`);
    }
    return [];
  };

  it('names an unknown channel, and promotions that would add more packs than a channel may hold', () => {
    expect(problems([{ kind: 'coin-bonus', at: '1h', for: '1h', channels: ['web'], bonus: 0.2 }])).toEqual([
      'events.0.channels.0: a channel of pricing.channels (app)',
    ]);
    const many = Array.from({ length: 40 }, (_, i) => ({
      kind: 'price-change',
      at: 60 * (i + 1),
      factor: 1.01,
    }));
    expect(problems(many).join('\n')).toMatch(/^events: price changes and bonuses that add at most 32 packs/);
    expect(problems([], { firstPurchaseBonus: { conversionWeight: 2 } }).join('\n')).toMatch(
      /pricing\.firstPurchaseBonus\.conversionWeight/,
    );
  });

  it('the shipped promotions load, and their packs are the economy’s', () => {
    const promo = loadScenarioFile('scenarios/web-weekend-promo.yaml');
    const web = promo.economy.channels.find((c) => c.id === 'web');
    expect(web?.packs.filter((p) => p.id.endsWith('-b20')).map((p) => p.coins)).toEqual([
      84, 420, 1680, 2100, 8400, 21000,
    ]);
    const first = loadScenarioFile('scenarios/first-purchase-bonus.yaml');
    expect(first.pricing.firstPurchaseBonus.bonus).toBe(1);
    expect(first.economy.channels[0].packs.some((p) => p.id === 'c70-b100' && p.coins === 140)).toBe(true);
  });
});

describe('channels when prices change', () => {
  /** Two channels (the app at 99 ¢ and the web at 74 ¢ for 70 coins), the logit, everyone a payer. */
  function twoChannels(events: unknown[]) {
    return scenario(
      {
        population: { viewers: 4000 },
        duration: '2h',
        viewers: { payerShare: 1, budget: { minCents: 5000 }, channels: { app: 0.85, web: 0.15 } },
        demand: {
          referencePrices: { app: { coins: 70, priceCents: 99 }, web: { coins: 70, priceCents: 74 } },
          conversionElasticity: 0,
          channelChoice: { rule: 'logit', friction: 0.5, priceSensitivity: 4 },
        },
      },
      {
        events,
        pricing: {
          channels: {
            app: { storeFee: 0.3, packs: [{ id: 'c70', coins: 70, priceCents: 99 }] },
            web: {
              paymentFee: 0.029,
              paymentFeeFixedCents: 30,
              packs: [{ id: 'c70', coins: 70, priceCents: 74 }],
            },
          },
        },
      },
    );
  }

  /** Payers on the web at the end of replication i, and the logit's closed form at state `state`'s prices. */
  function webShare(s: Scenario, i: number, state: number) {
    const { sim, params } = simulated(s, i);
    let web = 0;
    for (let v = 0; v < params.viewers; v++) web += sim.viewers.channel[v];
    const picker = params.channels[state] as ChannelLogit;
    const out = new Float64Array(2);
    const expected =
      0.85 * picker.probabilities(0, 5000, out)[1] + 0.15 * picker.probabilities(1, 5000, out)[1];
    return { observed: web / params.viewers, expected };
  }

  it('payers choose their channel again at the new prices, with their own draws: a web bonus pulls some over', () => {
    const bonus = twoChannels([{ kind: 'coin-bonus', at: 1, for: '1d', channels: ['web'], bonus: 0.5 }]);
    const shares = Array.from({ length: 8 }, (_, i) => webShare(bonus, i, 1));
    const { ci95 } = stats(shares.map((x) => x.observed));
    const expected = shares[0].expected;
    expect(ci95[0]).toBeLessThanOrEqual(expected);
    expect(ci95[1]).toBeGreaterThanOrEqual(expected);
    // The share before the bonus is well below: the test would see payers who did not move.
    const before = webShare(twoChannels([]), 0, 0);
    expect(before.expected).toBeLessThan(expected - 0.05);
    expect(Math.abs(before.observed - before.expected)).toBeLessThan(0.03);
  });

  it('when a bonus ends, every payer is back on the channel it had before it', () => {
    const over = twoChannels([{ kind: 'coin-bonus', at: '30m', for: '30m', channels: ['web'], bonus: 0.5 }]);
    const none = twoChannels([]);
    const channels = (s: Scenario) => {
      const { sim, params } = simulated(s, 0);
      return Array.from(sim.viewers.channel.subarray(0, params.viewers));
    };
    expect(channels(over)).toEqual(channels(none));
  });
});

describe('prices that move, with viewers who arrive and payers who age', () => {
  const arriving = (events: unknown[], extra: Record<string, unknown> = {}) =>
    scenario(
      {
        duration: '2d',
        population: { viewers: 300 },
        viewers: { payerShare: 0.3 },
        lifecycle: { arrivalsPerDay: 600 },
        demand: { referencePrices: { app: { coins: 70, priceCents: 99 } }, conversionElasticity: -2 },
        ...extra,
      },
      { events },
    );

  it('with arrivals, a run with a later price cut is the run without it up to the cut', () => {
    const without = runReplication(arriving([]), 0).timeseries;
    const withIt = runReplication(arriving([{ kind: 'price-change', at: '1d', factor: 0.5 }]), 0).timeseries;
    expect(withIt.slice(0, 24)).toEqual(without.slice(0, 24));
    expect(withIt.slice(24)).not.toEqual(without.slice(24));
  });

  it('a price event that changes nothing keeps the payers a first-purchase bonus won', () => {
    const bonus = { pricing: { firstPurchaseBonus: { bonus: 1, conversionWeight: 1 } } };
    const plain = runReplication(arriving([], bonus), 0);
    const neutral = runReplication(arriving([{ kind: 'price-change', at: '1d', factor: 1 }], bonus), 0);
    expect(neutral.kpis).toEqual(plain.kpis);
  });

  // Paying lives of a day; prices double on day 2 and come back on day 4 (conversion elasticity −1 turns
  // half the payers off, then on): a payer turned back on goes on with the life it had, so those buying
  // on day 4 are still payers × e^(−4), as without the round trip.
  it('a price round trip does not give payers whose paying life ended a new one', () => {
    const s = scenario(
      {
        duration: '5d',
        intervalSeconds: '1d',
        viewers: { payerShare: 0.5, budget: { minCents: 5000 } },
        lifecycle: { payers: { payingDays: 1 } },
        demand: { referencePrices: { app: { coins: 70, priceCents: 99 } }, conversionElasticity: -1 },
      },
      {
        events: [
          { kind: 'price-change', at: '2d', factor: 2 },
          { kind: 'price-change', at: '4d', factor: 0.5 },
        ],
      },
    );
    const active = stats(
      Array.from({ length: 8 }, (_, i) => runReplication(s, i).timeseries[4].payersActive),
    );
    const expected = 1000 * 0.5 * Math.exp(-4);
    expect(active.ci95[0]).toBeLessThanOrEqual(expected);
    expect(active.ci95[1]).toBeGreaterThanOrEqual(expected);
  });

  it('names a first-purchase bonus nobody can get and an empty channel list; an event after the end is allowed', () => {
    const problemsOf = (over: Record<string, unknown>, events: unknown[]) => {
      try {
        scenario(over, { events });
      } catch (error) {
        return (error as InputError).problems.map((p) => p.field);
      }
      return [];
    };
    // After the end: it does not happen, and a shortened run is not refused for it.
    expect(problemsOf({}, [{ kind: 'price-change', at: '3d', factor: 2 }])).toEqual([]);
    expect(problemsOf({ pricing: { firstPurchaseBonus: { bonus: 1 } } }, [])).toEqual([
      'pricing.firstPurchaseBonus.bonus',
    ]);
    expect(problemsOf({}, [{ kind: 'coin-bonus', at: '1h', for: '1h', channels: [], bonus: 0.2 }])).toEqual([
      'events.0.channels',
    ]);
  });
});
