/**
 * Purchases by channel and pack (packs.csv) and sends by gift (gifts.csv): the recorder's counts, the
 * rows built from them (purchases × the pack's split, the ledger's own fee rule) and the engine that
 * feeds them. The rows add up to the ledger's cash and coin totals for any economy; by hand for the web's
 * 70-coin pack at 74 ¢ with 2.9 % + 30 ¢ card fees; to the KPIs of whole runs, with packs listed in any
 * order and channels of different lengths.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runReplication } from '../../experiments/replication.ts';
import type { PackRow, ReplicationResult } from '../../experiments/result.ts';
import { giftRows, packRows } from '../../experiments/rows.ts';
import { loadScenarioFile } from '../../scenarios/load.ts';
import { PURCHASE_FEES } from '../../sim/economy/rules.ts';
import { Recorder } from '../../sim/engine/recorder.ts';
import { Status } from '../../sim/kernel/status.ts';
import { Ledger } from '../../sim/ledger/ledger.ts';
import { economyArb } from '../support/arbitraries.ts';
import { testEconomy } from '../support/economy.ts';
import { scenario } from './support.ts';

const sum = <T>(xs: readonly T[], f: (x: T) => number) => xs.reduce((s, x) => s + f(x), 0);
const fee = (row: PackRow, i: number) => row.feesCents[PURCHASE_FEES[i].answer];

/** A trade: a purchase of (channel, pack) by viewer 0, then a gift of (gift, count) if it can pay. */
const tradeArb = fc.record({
  channel: fc.nat(7),
  pack: fc.nat(7),
  gift: fc.nat(7),
  count: fc.integer({ min: 1, max: 5 }),
});

describe('the recorder and the pack and gift rows', () => {
  it('add up to the ledger: per channel gross and each fee, coins bought; coins, diamonds and sends gifted', () => {
    fc.assert(
      fc.property(economyArb, fc.array(tradeArb, { maxLength: 40 }), (economy, trades) => {
        const ledger = new Ledger(economy, { viewers: 1, creators: 2 });
        const recorder = new Recorder(1, economy);
        trades.forEach((t, at) => {
          const c = t.channel % economy.channels.length;
          const p = t.pack % economy.channels[c].packs.length;
          const pack = economy.channels[c].packs[p];
          expect(ledger.purchase(0, c, p, at)).toBe(Status.Ok);
          recorder.purchase(0, c, p, pack.priceCents, pack.coins);
          const g = t.gift % economy.gifts.length;
          const coins = economy.gifts[g].coins * t.count;
          if (ledger.coinsOf(0) < coins) return;
          const before = ledger.totals.diamondsCredited;
          expect(ledger.gift(0, at % 2, g, t.count, at)).toBe(Status.Ok);
          recorder.gift(0, g, t.count, coins, ledger.totals.diamondsCredited - before);
        });
        const packs = packRows(recorder, economy);
        expect(packs.map((r) => `${r.channel}/${r.pack}`)).toEqual(
          economy.channels.flatMap((c) => c.packs.map((p) => `${c.id}/${p.id}`)),
        );
        economy.channels.forEach((channel, c) => {
          const rows = packs.filter((r) => r.channel === channel.id);
          const cash = ledger.channelCash(c);
          // + 0: the ledger's gross of a channel nobody bought on is −0 (a negated balance).
          expect(sum(rows, (r) => r.grossCents)).toBe(cash.grossCents + 0);
          PURCHASE_FEES.forEach((_, i) => {
            expect(sum(rows, (r) => fee(r, i))).toBe(cash.feeCents[i]);
          });
          expect(sum(rows, (r) => r.netRevenueCents)).toBe(
            cash.grossCents - sum(cash.feeCents, (x) => x) + 0,
          );
          channel.packs.forEach((_, p) => {
            expect(rows[p].purchases).toBe(ledger.packCount(c, p).bought);
          });
        });
        expect(sum(packs, (r) => r.coinsSold)).toBe(ledger.totals.coinsPurchased);
        const gifts = giftRows(recorder, economy);
        expect(gifts.map((r) => r.gift)).toEqual(economy.gifts.map((g) => g.id));
        expect(sum(gifts, (r) => r.coinsSpent)).toBe(ledger.totals.coinsSpent);
        expect(sum(gifts, (r) => r.diamondsCredited)).toBe(ledger.totals.diamondsCredited);
        expect(sum(gifts, (r) => r.sends)).toBe(ledger.totals.gifts);
        for (const r of gifts) expect(r.coinsSpent).toBe(r.coinsPerGift * r.giftCount);
      }),
    );
  });

  it("keeps each channel's packs apart (slots from an offset table) and refuses a pack past its channel's", () => {
    // app has 3 packs, web 2: app's pack 2 and web's pack 0 are neighbours in the flat arrays.
    const recorder = new Recorder(1, testEconomy);
    recorder.purchase(0, 0, 2, 1999, 1400);
    recorder.purchase(0, 1, 0, 74, 70);
    recorder.purchase(0, 1, 0, 74, 70);
    expect(Array.from(recorder.packStart)).toEqual([0, 3, 5]);
    expect(Array.from(recorder.packPurchases)).toEqual([0, 0, 1, 2, 0]);
    expect(() => recorder.purchase(0, 0, 3, 1, 1)).toThrow('a pack index within its channel');
    expect(() => recorder.purchase(0, 1, 2, 1, 1)).toThrow('a pack index within its channel');
  });

  it('counts a combo of n as one send and n gifts', () => {
    const recorder = new Recorder(1, testEconomy);
    recorder.gift(0, 1, 4, 20, 10);
    recorder.gift(0, 1, 1, 5, 2);
    const panda = giftRows(recorder, testEconomy)[1];
    expect(panda).toEqual({
      gift: 'panda',
      coinsPerGift: 5,
      sends: 2,
      giftCount: 5,
      coinsSpent: 25,
      diamondsCredited: 12,
    });
    expect(Array.from(recorder.gifts)).toEqual([2]);
  });
});

/** The simple economy on two channels: the app's pack at 99 ¢ (30 %), the web's at 74 ¢ (2.9 % + 30 ¢). */
const TWO_CHANNELS = {
  viewers: { channels: { app: 0.5, web: 0.5 } },
  pricing: {
    channels: {
      web: {
        storeFee: 0,
        paymentFee: 0.029,
        paymentFeeFixedCents: 30,
        packs: [{ id: 'c70', coins: 70, priceCents: 74 }],
      },
    },
  },
};

function expectPacksAddUp(r: ReplicationResult): void {
  const k = r.kpis;
  expect(sum(r.packs, (p) => p.grossCents)).toBe(k.grossBookingsCents);
  expect(sum(r.packs, (p) => p.coinsSold)).toBe(k.coinsPurchased);
  expect(sum(r.packs, (p) => p.purchases)).toBe(sum(r.timeseries, (i) => i.purchases));
  expect(sum(r.packs, (p) => p.purchases)).toBe(sum(r.viewers, (v) => v.purchases));
  PURCHASE_FEES.forEach((f, i) => {
    expect(
      sum(r.packs, (p) => fee(p, i)),
      f.kpi,
    ).toBe(k[f.kpi]);
  });
  expect(sum(r.packs, (p) => p.netRevenueCents)).toBe(k.netRevenueCents);
  for (const channel of Object.keys(r.timeseries[0].bookingsCents)) {
    const rows = r.packs.filter((p) => p.channel === channel);
    expect(
      sum(rows, (p) => p.grossCents),
      channel,
    ).toBe(sum(r.timeseries, (i) => i.bookingsCents[channel]));
    expect(
      sum(rows, (p) => p.coinsSold),
      channel,
    ).toBe(sum(r.timeseries, (i) => i.coinsSold[channel]));
  }
  expect(sum(r.gifts, (g) => g.coinsSpent)).toBe(k.coinsSpent);
  expect(sum(r.gifts, (g) => g.sends)).toBe(k.giftsSent);
  expect(sum(r.gifts, (g) => g.diamondsCredited)).toBe(sum(r.timeseries, (i) => i.diamondsCredited));
  for (const g of r.gifts) expect(g.coinsSpent, g.gift).toBe(g.coinsPerGift * g.giftCount);
}

describe('packs.csv and gifts.csv rows of a run', () => {
  it('by hand: the web 70-coin pack at 74 ¢ nets 42 ¢ (2 ¢ + 30 ¢ card fee), the app one at 99 ¢ 70 ¢ (29 ¢ store fee)', () => {
    const r = runReplication(scenario(TWO_CHANNELS), 0);
    const [app, web] = r.packs;
    expect(app.purchases).toBeGreaterThan(50);
    expect(web.purchases).toBeGreaterThan(50);
    expect(web).toEqual({
      channel: 'web',
      pack: 'c70',
      coinsPerPack: 70,
      priceCents: 74,
      purchases: web.purchases,
      coinsSold: 70 * web.purchases,
      grossCents: 74 * web.purchases,
      feesCents: { storeFeeCents: 0, paymentFeeCents: 32 * web.purchases },
      netRevenueCents: 42 * web.purchases,
      netCentsPerThousandCoins: 600,
    });
    expect(app.feesCents).toEqual({ storeFeeCents: 29 * app.purchases, paymentFeeCents: 0 });
    expect(app.netRevenueCents).toBe(70 * app.purchases);
    expect(app.netCentsPerThousandCoins).toBe(1000);
    expectPacksAddUp(r);
    // One 70-coin gift per purchase (no pacing: no combos).
    expect(r.gifts).toEqual([
      {
        gift: 'seventy',
        coinsPerGift: 70,
        sends: r.kpis.giftsSent,
        giftCount: r.kpis.giftsSent,
        coinsSpent: 70 * r.kpis.giftsSent,
        diamondsCredited: 35 * r.kpis.giftsSent,
      },
    ]);
  });

  it('add up to the KPIs of the baseline (packs chosen for value, combos), replication by replication', () => {
    const s = loadScenarioFile('scenarios/baseline.yaml', {
      sets: ['population.viewers=20000', 'viewers.payerShare=0.2'],
    });
    for (const replication of [0, 1]) {
      const r = runReplication(s, replication);
      expect(new Set(r.packs.filter((p) => p.purchases > 0).map((p) => p.channel))).toEqual(
        new Set(['app', 'web']),
      );
      expect(r.packs.filter((p) => p.purchases > 0).length).toBeGreaterThan(4);
      // Combos: more gifts than sends.
      expect(sum(r.gifts, (g) => g.giftCount)).toBeGreaterThan(sum(r.gifts, (g) => g.sends));
      expectPacksAddUp(r);
    }
  });

  it('follow the economy, not the shelf: packs and gifts listed largest first, channels of different lengths', () => {
    const r = runReplication(
      scenario(
        {
          ...TWO_CHANNELS,
          // Wallets that reach past the 70-coin packs between gifts.
          viewers: {
            ...TWO_CHANNELS.viewers,
            budget: { distribution: 'fixed', minCents: 20_000 },
            giftsPerHour: 4,
          },
          pricing: {
            channels: {
              app: {
                packs: [
                  { id: 'c1400', coins: 1400, priceCents: 1999 },
                  { id: 'c350', coins: 350, priceCents: 499 },
                  { id: 'c70', coins: 70, priceCents: 99 },
                ],
              },
              web: {
                ...TWO_CHANNELS.pricing.channels.web,
                packs: [
                  { id: 'c350', coins: 350, priceCents: 374 },
                  { id: 'c70', coins: 70, priceCents: 74 },
                ],
              },
            },
          },
        },
        {
          gifts: [
            { id: 'double', coins: 140 },
            { id: 'seventy', coins: 70 },
          ],
        },
      ),
      0,
    );
    expect(r.gifts.map((g) => g.gift)).toEqual(['double', 'seventy']);
    expect(r.gifts.every((g) => g.sends > 50)).toBe(true);
    expect(r.packs.map((p) => `${p.channel}/${p.pack}`)).toEqual([
      'app/c1400',
      'app/c350',
      'app/c70',
      'web/c350',
      'web/c70',
    ]);
    // Both gifts, and the 70- and 350-coin packs on both channels, are bought often.
    const bought = r.packs.filter((p) => p.purchases > 50).map((p) => `${p.channel}/${p.pack}`);
    expect(bought).toEqual(['app/c350', 'app/c70', 'web/c350', 'web/c70']);
    expectPacksAddUp(r);
  });
});
