/**
 * Channel choice (sim/model/channels.ts): the logit of demand.channelChoice against its closed form —
 * the mix back at equal prices, the switch share with two channels worked out by hand, friction 1, the
 * minimum pack — its laws (a dearer channel never gains share; two draws per payer whatever the
 * parameters), and payers drawn from scenarios, the baseline's included, within the 95 % CI.
 */
import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../scenarios/load.ts';
import { modelParams } from '../../scenarios/model-params.ts';
import type { Scenario } from '../../scenarios/schema/scenario.ts';
import type { Channel } from '../../sim/economy/types.ts';
import { ChannelChooser, ChannelLogit, type ChannelLogitSpec } from '../../sim/model/channels.ts';
import { PackShelves } from '../../sim/model/packs.ts';
import { PAYER, Viewers } from '../../sim/model/viewers.ts';
import type { Rng } from '../../sim/random/index.ts';
import { createStreams } from '../../sim/random/streams.ts';
import { channelArb } from '../support/arbitraries.ts';
import { scenario } from './support.ts';

/** A channel selling `packs` ([coins, cents]), without fees (payers see list prices only). */
function channel(id: string, packs: [number, number][]): Channel {
  return {
    id,
    storeFeeBp: 0,
    paymentFeeBp: 0,
    paymentFeeFixedCents: 0,
    packs: packs.map(([coins, priceCents], i) => ({ id: `p${i}`, coins, priceCents })),
  };
}

function logit(channels: Channel[], spec: ChannelLogitSpec): ChannelLogit {
  return new ChannelLogit(channels, new PackShelves(channels), spec);
}

/** The first draw's preferred channel by hand (cumulative mix in channel order), and the channel chosen. */
function drawn(chooser: ChannelLogit, mix: number[], rng: Rng, budgetCents: number) {
  const draws: number[] = [];
  const recording: Rng = () => {
    draws.push(rng());
    return draws[draws.length - 1];
  };
  const chosen = chooser.choose(recording, budgetCents);
  const total = mix.reduce((a, b) => a + b);
  let preferred = 0;
  let below = mix[0] / total;
  while (draws[0] >= below) below += mix[++preferred] / total;
  return { preferred, chosen };
}

/** Whether `expected` is within the 95 % CI of a share seen `hits` times in `n`. */
function withinCi(hits: number, n: number, expected: number): void {
  const p = hits / n;
  const half = 1.96 * Math.sqrt((p * (1 - p)) / n);
  expect(expected).toBeGreaterThanOrEqual(p - half);
  expect(expected).toBeLessThanOrEqual(p + half);
}

const N = 40_000;
// The baseline's entry packs: 70 coins for 99 ¢ in the app, for 74 ¢ on the web (r = 74/99).
const APP = channel('app', [[70, 99]]);
const WEB = channel('web', [[70, 74]]);

describe('the logit, by hand', () => {
  it('equal prices give the mix back, whatever the friction and sensitivity', () => {
    const same: [number, number][] = [
      [70, 99],
      [1400, 1999],
    ];
    const channels = [channel('a', same), channel('b', same), channel('c', same)];
    const mix = [0.6, 0.3, 0.1];
    const chooser = logit(channels, { mix: { a: 0.6, b: 0.3, c: 0.1 }, friction: 0.3, priceSensitivity: 8 });
    const out = new Float64Array(3);
    for (const preferred of [0, 1, 2]) {
      // A payer preferring b stays with 0.3 + 0.7 × 0.3, and leaves for a with 0.7 × 0.6.
      const p = chooser.probabilities(preferred, 5000, out);
      for (let c = 0; c < 3; c++) expect(p[c]).toBeCloseTo(0.7 * mix[c] + (c === preferred ? 0.3 : 0), 12);
    }
    const rng = seedrandom.xor4096('the mix back');
    const counts = [0, 0, 0];
    for (let i = 0; i < N; i++) counts[chooser.choose(rng, 5000)]++;
    for (let c = 0; c < 3; c++) withinCi(counts[c], N, mix[c]);
  });

  it('two channels: app payers move to the web with (1 − f) × w r^−β / (1 − w + w r^−β)', () => {
    const f = 0.4;
    const beta = 3;
    const w = 0.15;
    const odds = (74 / 99) ** -beta; // 2.3944
    const logitWeb = (w * odds) / (1 - w + w * odds); // 0.29704
    expect(logitWeb).toBeCloseTo(0.29704, 5);
    const chooser = logit([APP, WEB], { mix: { app: 0.85, web: 0.15 }, friction: f, priceSensitivity: beta });
    const rng = seedrandom.xor4096('two channels');
    let appPreferring = 0;
    let switched = 0;
    let web = 0;
    for (let i = 0; i < N; i++) {
      const { preferred, chosen } = drawn(chooser, [0.85, 0.15], rng, 1000);
      if (preferred === 0) appPreferring++;
      if (preferred === 0 && chosen === 1) switched++;
      web += chosen;
    }
    withinCi(appPreferring, N, 0.85);
    withinCi(switched, appPreferring, (1 - f) * logitWeb); // 0.17822
    withinCi(web, N, f * w + (1 - f) * logitWeb); // 0.23822
    // Web payers leave for the dearer app only through the logit: (1 − f) × (1 − 0.29704).
    const out = chooser.probabilities(1, 1000, new Float64Array(2));
    expect(out[0]).toBeCloseTo((1 - f) * (1 - logitWeb), 12);
  });

  it('friction 1: nobody leaves the channel it prefers, however cheap the other', () => {
    const chooser = logit([APP, channel('web', [[70, 1]])], {
      mix: { app: 0.5, web: 0.5 },
      friction: 1,
      priceSensitivity: 50,
    });
    const rng = seedrandom.xor4096('friction 1');
    for (let i = 0; i < 2000; i++) {
      const { preferred, chosen } = drawn(chooser, [0.5, 0.5], rng, 1000);
      expect(chosen).toBe(preferred);
    }
  });

  it('a payer moves only to a channel whose cheapest pack fits a day’s budget; it may stay on its own', () => {
    // The web sells only 700 coins for $5 (0.71 ¢ a coin, half the app's 1.41 ¢).
    const web = channel('web', [[700, 500]]);
    const chooser = logit([APP, web], { mix: { app: 0.85, web: 0.15 }, friction: 0.2, priceSensitivity: 2 });
    const odds = (500 / 700 / (99 / 70)) ** -2;
    const logitWeb = (0.15 * odds) / (0.85 + 0.15 * odds);
    const out = new Float64Array(2);
    expect(chooser.probabilities(0, 499, out)[1]).toBe(0);
    expect(chooser.probabilities(0, 500, out)[1]).toBeCloseTo(0.8 * logitWeb, 12);
    // Preferring the web, a payer under $5 a day still weighs it (and saves up for its pack).
    expect(chooser.probabilities(1, 100, out)[1]).toBeCloseTo(0.2 + 0.8 * logitWeb, 12);
    const rng = seedrandom.xor4096('minimum pack');
    for (let i = 0; i < 2000; i++) {
      const { preferred, chosen } = drawn(chooser, [0.85, 0.15], rng, 499);
      if (preferred === 0) expect(chosen).toBe(0);
    }
  });

  it('the price compared is the best per coin among the packs a day’s budget buys (the entry pack at least)', () => {
    // The baseline's web pair: 70 coins for 74 ¢, 1,750 for $15.00 (0.857 ¢ a coin).
    const web = channel('web', [
      [70, 74],
      [1750, 1500],
    ]);
    const chooser = logit([APP, web], { mix: { app: 0.5, web: 0.5 }, friction: 0, priceSensitivity: 4 });
    const share = (rate: number) => (rate / (99 / 70)) ** -4 / (1 + (rate / (99 / 70)) ** -4);
    const out = new Float64Array(2);
    expect(chooser.probabilities(0, 1499, out)[1]).toBeCloseTo(share(74 / 70), 12);
    expect(chooser.probabilities(0, 1500, out)[1]).toBeCloseTo(share(1500 / 1750), 12);
    // A payer under the app's 99 ¢ who prefers the app compares its entry pack with the web's.
    expect(chooser.probabilities(0, 80, out)[1]).toBeCloseTo(share(74 / 70), 12);
  });
});

describe('the logit, laws', () => {
  const specArb = fc.record({
    friction: fc.oneof(fc.constantFrom(0, 1), fc.double({ min: 0, max: 1, noNaN: true })),
    priceSensitivity: fc.oneof(fc.constantFrom(0, 12, 50), fc.double({ min: 0, max: 50, noNaN: true })),
  });
  const mixArb = fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0.01, max: 1, noNaN: true })), {
    minLength: 3,
    maxLength: 3,
  });
  const channelsArb = fc.tuple(channelArb('a'), channelArb('b'), channelArb('c'));

  it('raising a channel’s prices never raises its share, nor lowers another’s', () => {
    fc.assert(
      fc.property(
        channelsArb,
        mixArb,
        specArb,
        fc.integer({ min: 0, max: 2 }),
        fc.double({ min: 1, max: 4, noNaN: true }),
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 1, max: 60_000 }),
        (channels, weights, spec, dearer, k, preferred, budget) => {
          fc.pre(weights[preferred] > 0);
          const mix = { a: weights[0], b: weights[1], c: weights[2] };
          const raised = channels.map((c, i) =>
            i !== dearer
              ? c
              : { ...c, packs: c.packs.map((p) => ({ ...p, priceCents: Math.round(p.priceCents * k) })) },
          );
          const before = logit(channels, { mix, ...spec }).probabilities(
            preferred,
            budget,
            new Float64Array(3),
          );
          const after = logit(raised, { mix, ...spec }).probabilities(preferred, budget, new Float64Array(3));
          for (let c = 0; c < 3; c++) {
            if (c === dearer) expect(after[c]).toBeLessThanOrEqual(before[c] + 1e-12);
            else expect(after[c]).toBeGreaterThanOrEqual(before[c] - 1e-12);
          }
        },
      ),
    );
  });

  it('probabilities add up to 1; the preferred channel keeps at least the friction; unreachable channels get none', () => {
    fc.assert(
      fc.property(
        channelsArb,
        mixArb,
        specArb,
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 1, max: 60_000 }),
        (channels, weights, spec, preferred, budget) => {
          fc.pre(weights[preferred] > 0);
          const chooser = logit(channels, { mix: { a: weights[0], b: weights[1], c: weights[2] }, ...spec });
          const p = chooser.probabilities(preferred, budget, new Float64Array(3));
          expect(p.reduce((a, b) => a + b)).toBeCloseTo(1, 12);
          expect(p[preferred]).toBeGreaterThanOrEqual(spec.friction - 1e-12);
          channels.forEach((c, i) => {
            const cheapest = Math.min(...c.packs.map((x) => x.priceCents));
            if (weights[i] === 0 || (i !== preferred && cheapest > budget)) expect(p[i]).toBe(0);
            // Within reach, a channel's weight is positive, though it may underflow at large β.
            else if (spec.priceSensitivity === 0 && spec.friction < 1) expect(p[i]).toBeGreaterThan(0);
          });
        },
      ),
    );
  });

  it('two draws per payer, whatever the rule and its parameters: the population stream stays aligned', () => {
    const counting = (rng: Rng) => {
      let calls = 0;
      return {
        rng: () => {
          calls++;
          return rng();
        },
        calls: () => calls,
      };
    };
    const economy = [APP, channel('web', [[700, 500]])];
    fc.assert(
      fc.property(
        specArb,
        mixArb,
        fc.integer({ min: 1, max: 2_000 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (spec, weights, budget, seed) => {
          fc.pre(weights[0] + weights[1] > 0);
          const mix = { app: weights[0], web: weights[1] };
          const c = counting(seedrandom.xor4096(String(seed)));
          logit(economy, { mix, ...spec }).choose(c.rng, budget);
          expect(c.calls()).toBe(2);
          new ChannelChooser(economy, { mix, priceGap: 0.2, probability: spec.friction }).choose(c.rng);
          expect(c.calls()).toBe(4);
          logit([APP], { mix: { app: 1 }, ...spec }).choose(c.rng, budget);
          expect(c.calls()).toBe(6);
        },
      ),
    );
  });
});

describe('payers drawn from a scenario', () => {
  // Everyone pays, budgets fixed; the app sells 70 coins for 99 ¢, the web only 700 coins for $5.
  const twoChannels = (budgetCents: number, channelChoice?: Record<string, unknown>) =>
    scenario(
      {
        population: { viewers: 40_000 },
        viewers: {
          budget: { distribution: 'fixed', minCents: budgetCents },
          channels: { app: 0.9, web: 0.1 },
        },
      },
      {
        pricing: {
          channels: {
            app: { storeFee: 0.3, packs: [{ id: 'c70', coins: 70, priceCents: 99 }] },
            web: {
              storeFee: 0,
              paymentFee: 0.029,
              paymentFeeFixedCents: 30,
              packs: [{ id: 'c700', coins: 700, priceCents: 500 }],
            },
          },
        },
        demand: {
          referencePrices: { app: { coins: 70, priceCents: 99 }, web: { coins: 700, priceCents: 500 } },
          ...(channelChoice === undefined ? {} : { channelChoice }),
        },
      },
    );
  const webShare = (s: Scenario, replications = 1) => {
    const params = modelParams(s);
    let payers = 0;
    let web = 0;
    for (let i = 0; i < replications; i++) {
      const streams = createStreams(s.seed, i);
      const viewers = new Viewers(params.viewers);
      viewers.draw(params, streams.population, streams.demand);
      for (let v = 0; v < params.viewers; v++) {
        if ((viewers.state(v) & PAYER) === 0) continue;
        payers++;
        web += viewers.channel[v];
      }
    }
    return { payers, web };
  };

  it('without demand.channelChoice, or with rule switch, the previous switch; with it, the logit', () => {
    expect(modelParams(twoChannels(99)).channels[0]).toBeInstanceOf(ChannelChooser);
    expect(modelParams(twoChannels(99, { rule: 'switch' })).channels[0]).toBeInstanceOf(ChannelChooser);
    expect(modelParams(twoChannels(99, {})).channels[0]).toBeInstanceOf(ChannelLogit);
    const { channelChoice } = twoChannels(99, {}).demand ?? {};
    expect(channelChoice).toEqual({ rule: 'logit', friction: 0.7, priceSensitivity: 12 });
  });

  it('the budget drawn decides the choice set: under the web’s $5 pack only web-preferring payers buy there', () => {
    const beta = 2;
    const odds = (500 / 700 / (99 / 70)) ** -beta;
    const logitWeb = (0.1 * odds) / (0.9 + 0.1 * odds);
    const choice = { friction: 0, priceSensitivity: beta };
    // $1 a day: an app payer cannot move; a web payer stays with the logit over both.
    const poor = webShare(twoChannels(100, choice));
    expect(poor.payers).toBe(40_000);
    withinCi(poor.web, poor.payers, 0.1 * logitWeb); // 0.0303
    // $5 a day: everyone chooses by the logit.
    const rich = webShare(twoChannels(500, choice));
    withinCi(rich.web, rich.payers, logitWeb); // 0.303
  });

  it('the baseline’s web share of payers is its closed form over the budget’s Pareto tail, within the 95 % CI', () => {
    const s = loadScenarioFile('scenarios/baseline.yaml');
    const choice = s.demand?.channelChoice;
    expect(choice?.rule).toBe('logit');
    const { friction: f, priceSensitivity: beta } = choice ?? { friction: 0, priceSensitivity: 0 };
    const app = 99 / 70;
    const web = (rate: number) =>
      f * 0.15 + ((1 - f) * 0.15 * (rate / app) ** -beta) / (0.85 + 0.15 * (rate / app) ** -beta);
    // Budgets are Pareto from 99 ¢ (index 1.15): a share (99/1500)^1.15 reaches the web's $15.00 pack of
    // 1,750 coins; the others compare its 70 coins for 74 ¢ with the app's 70 for 99 ¢.
    const tail = (99 / 1500) ** 1.15;
    const expected = (1 - tail) * web(74 / 70) + tail * web(1500 / 1750);
    expect(expected).toBeGreaterThan(0.34); // the previous switch gave 0.15 + 0.85 × 0.25 = 0.3625
    expect(expected).toBeLessThan(0.39);
    const { payers, web: onWeb } = webShare(s, 4);
    expect(payers).toBeGreaterThan(15_000);
    withinCi(onWeb, payers, expected);
  });
});
