/**
 * The run opens in steady state (sim/engine/opening.ts): purchases and gifts per active viewer-hour in
 * the first hour are those of any other hour, nothing drifts over the day, and with the default daily
 * rhythm the evening peak is not the worst hour for sales. A run whose payers all start with a fresh
 * budget and no coins fails all three: its hour 0 buys half as much again, and its evening sells least.
 */
import { describe, expect, it } from 'vitest';
import { runReplication } from '../../experiments/replication.ts';
import { loadScenarioFile } from '../../scenarios/load.ts';

const HOURS = 24;
const REPLICATIONS = 12;

/** Purchases and gifts per 1,000 active viewer-hours, hour by hour, pooled over replications. */
function hourlyRates(sets: string[]): { purchases: number[]; gifts: number[] } {
  // Many payers, so that an hour holds enough purchases to compare (payers do not change audiences).
  const scenario = loadScenarioFile('scenarios/baseline.yaml', {
    sets: ['population.viewers=40000', 'viewers.payerShare=0.3', ...sets],
  });
  const purchases = new Array<number>(HOURS).fill(0);
  const gifts = new Array<number>(HOURS).fill(0);
  const viewerHours = new Array<number>(HOURS).fill(0);
  for (let r = 0; r < REPLICATIONS; r++) {
    const rows = runReplication(scenario, r).timeseries;
    expect(rows).toHaveLength(HOURS);
    rows.forEach((row, h) => {
      purchases[h] += row.purchases;
      gifts[h] += row.gifts;
      // Active viewers are sampled at each hour's start: the hour's mean is about their average.
      viewerHours[h] += (row.activeViewers + (rows[h + 1] ?? row).activeViewers) / 2;
    });
  }
  const per = (xs: number[]) => xs.map((x, h) => (1000 * x) / viewerHours[h]);
  return { purchases: per(purchases), gifts: per(gifts) };
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

describe('the run opens in steady state', () => {
  it('on a flat day, hour 0 buys and gifts like every other hour, and nothing drifts', () => {
    const { purchases, gifts } = hourlyRates(['viewers.diurnal.amplitude=0', 'creators.diurnal.amplitude=0']);
    const rest = { purchases: mean(purchases.slice(1)), gifts: mean(gifts.slice(1)) };
    expect(Math.abs(purchases[0] / rest.purchases - 1)).toBeLessThan(0.15);
    expect(Math.abs(gifts[0] / rest.gifts - 1)).toBeLessThan(0.15);
    // The first six hours against the last six: a budget that runs down would show here.
    expect(Math.abs(mean(purchases.slice(0, 6)) / mean(purchases.slice(18)) - 1)).toBeLessThan(0.1);
    expect(Math.abs(mean(gifts.slice(0, 6)) / mean(gifts.slice(18)) - 1)).toBeLessThan(0.1);
  });

  it('with the evening peak, purchases per active viewer do not bottom out at the peak', () => {
    const { purchases } = hourlyRates([]);
    const day = mean(purchases);
    const evening = mean(purchases.slice(21)); // viewers peak at 21:00
    expect(evening / day).toBeGreaterThan(0.9);
    expect(Math.min(...purchases.slice(1, 21))).toBeLessThan(evening);
    expect(purchases[0] / day).toBeLessThan(1.12);
  });
});
