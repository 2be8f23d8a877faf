/**
 * Analytic cross-checks: scenarios simple enough to have a closed form. Exact ones must match to the
 * cent; stochastic ones must land within the replications' 95 % confidence interval.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runReplication } from '../../experiments/replication.ts';
import { describe as stats } from '../../experiments/stats.ts';
import { SIMPLE, scenario } from './support.ts';

describe('closed forms', () => {
  it('a budget of one pack a day buys one 70-coin pack, sent as one 70-coin gift: exact bookings, fees, diamonds', () => {
    // Budgets are 99 cents a day: each wallet fills to the pack once a day, at a phase spread over the
    // day (the run opens in steady state), and a payer trying a gift every minute buys within minutes —
    // unless its wallet fills in the run's last minutes. So at most one pack each, and nearly all buy.
    const n = 1000;
    const r = runReplication(scenario({ population: { viewers: n } }), 0);
    const k = r.kpis;
    const p = k.payers;
    expect(r.invariants.violationCount).toBe(0);
    expect(p).toBeLessThanOrEqual(n);
    expect(p).toBeGreaterThan(0.99 * n);
    expect(k.giftsSent).toBe(p);
    expect(k.grossBookingsCents).toBe(99 * p);
    expect(k.storeFeesCents).toBe(29 * p); // floor(99 × 30 %)
    expect(k.paymentFeesCents).toBe(0);
    expect(k.netRevenueCents).toBe(70 * p);
    expect(k.coinsPurchased).toBe(70 * p);
    expect(k.coinsSpent).toBe(70 * p);
    expect(k.unspentCoins).toBe(0);
    const earningsCents = Math.floor((35 * p) / 2); // 35 diamonds a gift at half a cent, whole cents
    expect(k.creatorEarningsCents).toBe(earningsCents);
    expect(k.creatorPayoutsCents).toBe(0);
    expect(k.platformMarginCents).toBe(70 * p - earningsCents);
    expect(k.arppuCents).toBe(99);
    expect(r.creators.reduce((s, c) => s + c.diamondsEarned, 0)).toBe(35 * p);
    expect(
      r.viewers.every(
        (v) =>
          (v.spentCents === 99 && v.giftsSent === 1 && v.coinsGifted === 70) ||
          (v.spentCents === 0 && v.giftsSent === 0),
      ),
    ).toBe(true);
  });

  it('no payers: ARPPU is 0, as the README documents, not NaN or a division by zero', () => {
    const r = runReplication(scenario({ viewers: { payerShare: 0 } }), 0);
    expect(r.kpis.payers).toBe(0);
    expect(r.kpis.grossBookingsCents).toBe(0);
    expect(r.kpis.arppuCents).toBe(0);
    const readme = readFileSync(resolve('README.md'), 'utf8').replace(/\s+/g, ' ');
    expect(readme).toContain('`arppuCents` is gross bookings ÷ payers, and **0 when no viewer paid**');
  });

  it('web card fees and withdrawals: exact to the cent', () => {
    const n = 400;
    const r = runReplication(
      scenario(
        {
          population: { viewers: n, creators: 1 },
          creators: { withdrawAtDiamonds: 875 },
          gifts: [{ id: 'big', coins: 1750 }],
        },
        {
          viewers: {
            ...(SIMPLE.viewers as object),
            channels: { web: 1 },
            budget: { distribution: 'fixed', minCents: 1500 },
          },
          pricing: {
            channels: {
              web: {
                storeFee: 0,
                paymentFee: 0.029,
                paymentFeeFixedCents: 30,
                packs: [{ id: 'c1750', coins: 1750, priceCents: 1500 }],
              },
            },
          },
        },
      ),
      0,
    );
    const k = r.kpis;
    const p = k.payers; // one pack a day each, as above
    expect(r.invariants.violationCount).toBe(0);
    expect(p).toBeLessThanOrEqual(n);
    expect(p).toBeGreaterThan(0.99 * n);
    expect(k.grossBookingsCents).toBe(1500 * p);
    expect(k.paymentFeesCents).toBe((43 + 30) * p); // floor(1500 × 2.9 %) + 30
    expect(k.netRevenueCents).toBe((1500 - 73) * p);
    // Each gift credits 875 diamonds to the only creator, who withdraws them at once: $4.375 each.
    expect(k.creatorEarningsCents).toBe((875 * p) / 2);
    expect(k.creatorPayoutsCents).toBe((875 * p) / 2);
    expect(r.creators[0].withdrawnCents).toBe((875 * p) / 2);
    expect(k.withdrawalFeesCents).toBe(0);
    expect(k.platformMarginCents).toBe(k.netRevenueCents - k.creatorEarningsCents);
  });

  it('a withdrawal fee is charged to creators and kept by the platform: a KPI, and part of the margin', () => {
    const n = 200;
    const r = runReplication(
      scenario(
        {
          population: { viewers: n, creators: 1 },
          creators: { withdrawAtDiamonds: 875 },
          gifts: [{ id: 'big', coins: 1750 }],
          payout: { withdrawal: { fee: 0.1, feeFixedCents: 25 } },
        },
        {
          viewers: {
            ...(SIMPLE.viewers as object),
            channels: { web: 1 },
            budget: { distribution: 'fixed', minCents: 1500 },
          },
          pricing: {
            channels: {
              web: { storeFee: 0, paymentFee: 0, packs: [{ id: 'c1750', coins: 1750, priceCents: 1500 }] },
            },
          },
        },
      ),
      0,
    );
    const k = r.kpis;
    expect(r.invariants.violationCount).toBe(0);
    expect(k.withdrawalFeesCents).toBeGreaterThan(0);
    // The one creator withdraws each gift's diamonds at once: what it earned is paid out or charged as fees.
    expect(k.creatorPayoutsCents + k.withdrawalFeesCents).toBe(k.creatorEarningsCents);
    expect(k.platformMarginCents).toBe(k.netRevenueCents - k.creatorEarningsCents + k.withdrawalFeesCents);
  });

  it('gifts land within the 95 % CI of rate × watching time', () => {
    // Videos only, flat day, 1-coin gifts from unlimited budgets: gifts are Poisson with mean
    // viewers × giftsPerHour × sessionsPerDay × sessionMinutes / 60 a day.
    const viewers = 1500;
    const s = scenario({
      population: { viewers },
      viewers: {
        budget: { minCents: 10_000_000, capCents: 10_000_000 },
        sessionsPerDay: 4,
        sessionMinutes: 45,
        giftsPerHour: 2,
      },
      gifts: [{ id: 'rose', coins: 1 }],
    });
    const expected = (viewers * 2 * 4 * 45) / 60;
    const gifts = Array.from({ length: 12 }, (_, i) => runReplication(s, i).kpis.giftsSent);
    const { mean, ci95 } = stats(gifts);
    expect(ci95[0]).toBeLessThanOrEqual(expected);
    expect(ci95[1]).toBeGreaterThanOrEqual(expected);
    expect(Math.abs(mean - expected) / expected).toBeLessThan(0.02);
  });

  it('payers are a binomial share of viewers: within the 95 % CI of viewers × payerShare', () => {
    const viewers = 2000;
    const s = scenario({ population: { viewers }, viewers: { payerShare: 0.3 } });
    const payers = Array.from({ length: 10 }, (_, i) => runReplication(s, i).kpis.payers);
    const { ci95 } = stats(payers);
    expect(ci95[0]).toBeLessThanOrEqual(viewers * 0.3);
    expect(ci95[1]).toBeGreaterThanOrEqual(viewers * 0.3);
    // Each payer buys at most one 99-cent pack a day.
    const r = runReplication(s, 0);
    expect(r.kpis.grossBookingsCents).toBe(99 * r.kpis.payers);
  });
});
