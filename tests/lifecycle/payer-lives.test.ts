/**
 * Payers' lives (`lifecycle.payers`, sim/engine/payer-lives.ts) against closed forms: first purchases
 * spread over an exponential delay, payers who stop paying at an exponential rate, and budgets that grow
 * with tenure, each within the replications' 95 % CI or a stated rounding bound; off, the run is the run
 * before payer lives (the same tables for the same seed).
 */
import { describe, expect, it } from 'vitest';
import { runReplication } from '../../experiments/replication.ts';
import { describe as stats } from '../../experiments/stats.ts';
import { scenario } from '../sim/support.ts';

const DAY = 86_400;

/** Budgets of $50 a day: a payer buys within half an hour of being able to, and gifts every minute. */
const EAGER = { payerShare: 1, budget: { minCents: 5000 } };

describe("payers' lives", () => {
  it('all off gives the run before payer lives, table for table', () => {
    const over = { duration: '2d', population: { viewers: 300 }, viewers: { payerShare: 0.3 } };
    const off = scenario({
      ...over,
      lifecycle: { payers: { firstPurchaseDays: 0, payingDays: 0, tenureGrowth: 0 } },
    });
    expect(runReplication(off, 1)).toEqual(runReplication(scenario(over), 1));
  });

  // 2,000 payers arrive between 1 h and 2 h; each can first buy after Exp(2 days), then buys within
  // the wallet's accrual of one pack (99 ¢ at $50 a day: 1,711 s) plus a gift gap (a minute).
  it('first purchases: payers by day 3 = arrivals × (1 − e^(−(3 d − arrival − lag) / 2 d)), within the 95 % CI', () => {
    const s = scenario(
      {
        duration: '3d',
        population: { viewers: 1 },
        viewers: EAGER,
        lifecycle: { payers: { firstPurchaseDays: 2 } },
      },
      { events: [{ kind: 'acquisition-burst', at: '1h', for: '1h', viewers: 2000 }] },
    );
    const payers = stats(Array.from({ length: 8 }, (_, i) => runReplication(s, i).kpis.payers));
    const lag = 5400 + 1711 + 60;
    const expected = 1 + 2000 * (1 - Math.exp(-(3 * DAY - lag) / (2 * DAY)));
    expect(payers.ci95[0]).toBeLessThanOrEqual(expected);
    expect(payers.ci95[1]).toBeGreaterThanOrEqual(expected);
  });

  // 1,000 payers present at the start, each paying for Exp(1 day) more: those buying on day d are
  // those still paying when it starts (they buy within minutes), 1,000 × e^(−d).
  it('paying lives: payers who buy on day d = payers × e^(−d / mean), within the 95 % CI', () => {
    const s = scenario({
      duration: '3d',
      intervalSeconds: '1d',
      viewers: EAGER,
      lifecycle: { payers: { payingDays: 1 } },
    });
    const runs = Array.from({ length: 8 }, (_, i) => runReplication(s, i).timeseries);
    for (const d of [1, 2]) {
      const active = stats(runs.map((rows) => rows[d].payersActive));
      const expected = 1000 * Math.exp(-d);
      expect(active.ci95[0]).toBeLessThanOrEqual(expected);
      expect(active.ci95[1]).toBeGreaterThanOrEqual(expected);
    }
  });

  // Budgets double every 30 days of tenure (payers present at the start, paying for ever, start at
  // tenure 0): a payer spends ∫ 99 × 2^(t / 30 d) dt over 30 days = 99 × 30 / ln 2 cents. Budgets move
  // at session starts (hourly here) and purchases are whole 99 ¢ packs: the spend is short of it by at
  // most two packs and an hour of the last budget, and over by at most the wallet the run opens with.
  it('tenure growth: spend over 30 days = ∫ budget × (1 + g)^(tenure / 30 d), to the packs and the hour', () => {
    const over = {
      duration: '30d',
      intervalSeconds: '1d',
      population: { viewers: 100 },
      viewers: { payerShare: 1, budget: { minCents: 99 }, giftsPerHour: 6 },
    };
    const { kpis } = runReplication(scenario({ ...over, lifecycle: { payers: { tenureGrowth: 1 } } }), 0);
    const perPayer = kpis.grossBookingsCents / 100;
    const expected = (99 * 30) / Math.LN2;
    expect(perPayer).toBeLessThanOrEqual(expected + 99);
    expect(perPayer).toBeGreaterThanOrEqual(expected - 2 * 99 - (2 * 99) / 24);
    // Without growth, 30 days of 99 ¢ (the same bounds).
    const flat = runReplication(scenario(over), 0).kpis;
    expect(flat.grossBookingsCents / 100).toBeLessThanOrEqual(99 * 30 + 99);
  });

  it('a fading budget (g < 0) spends less than a flat one, a growing one more (paired)', () => {
    const at = (g: number) =>
      runReplication(
        scenario({
          duration: '10d',
          population: { viewers: 300 },
          viewers: { payerShare: 0.5 },
          lifecycle: { payers: { tenureGrowth: g } },
        }),
        0,
      ).kpis.grossBookingsCents;
    const [fading, flat, growing] = [at(-0.5), at(0), at(0.5)];
    expect(fading).toBeLessThan(flat);
    expect(growing).toBeGreaterThan(flat);
  });
});
