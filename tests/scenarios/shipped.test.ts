/**
 * Every shipped scenario validates and runs (on a small population, to stay fast), and the variants
 * move the KPIs the way their names promise against the baseline with the same seed.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runReplication } from '../../experiments/replication.ts';
import { loadScenarioFile } from '../../scenarios/load.ts';
import type { Scenario } from '../../scenarios/schema/scenario.ts';
import type { Kpis } from '../../sim/kpis.ts';

const DIR = 'scenarios';
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const SETS = ['population.viewers=20000'];
const kpis = new Map<string, Kpis>();
const kpisOf = (name: string): Kpis => {
  let k = kpis.get(name);
  if (k === undefined) {
    k = runReplication(loadScenarioFile(`${DIR}/${name}.yaml`, { sets: SETS }), 0).kpis;
    kpis.set(name, k);
  }
  return k;
};

describe('shipped scenarios', () => {
  it('include the baseline and the alternatives an analyst asks about', () => {
    for (const name of [
      'baseline',
      'web-push',
      'small-business-fee',
      'creator-share-60',
      'whales',
      'viral-spike',
      'many-small-streams',
      'few-big-streams',
      'audience-inverted-u',
      'price-up-20',
      'pack-ladder',
      'launch-90d',
      'steady-365d',
    ])
      expect(files).toContain(`${name}.yaml`);
  });

  it.each(files)('%s validates at full size and runs clean on a small population', (file) => {
    const full = loadScenarioFile(`${DIR}/${file}`);
    expect(full.name).toBe(file.replace(/\.yaml$/, ''));
    // At full size a platform meets 100,000 viewers or more: present at the start, or arriving.
    const bursts = full.events.reduce((n, e) => n + (e.kind === 'acquisition-burst' ? e.viewers : 0), 0);
    const arrivals = (full.lifecycle.arrivalsPerDay * full.duration) / 86_400 + bursts;
    expect(full.population.viewers + arrivals).toBeGreaterThanOrEqual(100_000);
    // Small: one day with nobody arriving (long lifecycle runs are tests/lifecycle's).
    const small = [...SETS, 'duration=1d', 'lifecycle.arrivalsPerDay=0'];
    const r = runReplication(loadScenarioFile(`${DIR}/${file}`, { sets: small }), 0);
    expect(r.invariants.violationCount).toBe(0);
    expect(r.kpis.viewers).toBe(20_000);
    expect(r.kpis.grossBookingsCents).toBeGreaterThan(0);
    expect(r.kpis.giftsSent).toBeGreaterThan(0);
    kpis.set(full.name, r.kpis);
  });

  it('record the --set overrides they were loaded with, in order, and none without', () => {
    expect(loadScenarioFile('scenarios/baseline.yaml').overrides).toBeUndefined();
    const s = loadScenarioFile('scenarios/baseline.yaml', { sets: ['payout.creatorShare=0.6', 'seed=3'] });
    expect(s.overrides).toEqual(['payout.creatorShare=0.6', 'seed=3']);
    expect(s.payout.creatorShare).toBe(0.6);
  });

  it('the baseline is calibrated: a few percent pay, the top 1 % of payers bring a large share', () => {
    const k = kpisOf('baseline');
    expect(k.payerConversion).toBeGreaterThan(0.01);
    expect(k.payerConversion).toBeLessThan(0.06);
    // 20,000 viewers hold about 450 payers, so their top 1 % is 4 or 5 whales: average a few replications.
    const baseline = loadScenarioFile(`${DIR}/baseline.yaml`, { sets: SETS });
    const top = [0, 1, 2, 3].map((i) => runReplication(baseline, i).kpis.topPayerShare1Pct);
    expect(top.reduce((s, x) => s + x, 0) / top.length).toBeGreaterThan(0.2);
    // 30 % store fee on most bookings, none on the web.
    expect(k.storeFeesCents / k.grossBookingsCents).toBeGreaterThan(0.15);
    expect(k.storeFeesCents / k.grossBookingsCents).toBeLessThan(0.3);
  });

  it('variants move their KPI the promised way', () => {
    const base = kpisOf('baseline');
    const share = (k: Kpis) => k.storeFeesCents / k.grossBookingsCents;
    expect(share(kpisOf('web-push'))).toBeLessThan(share(base) * 0.6);
    expect(share(kpisOf('small-business-fee'))).toBeLessThan(share(base) * 0.6);
    expect(kpisOf('creator-share-60').creatorEarningsCents).toBeGreaterThan(base.creatorEarningsCents * 1.15);
    // Creators who do not respond to their share: a pure transfer, the same gifts and bookings.
    const transfer = loadScenarioFile(`${DIR}/creator-share-60.yaml`, {
      sets: [...SETS, 'creators.earningsResponse.elasticity=0'],
    });
    expect(runReplication(transfer, 0).kpis.grossBookingsCents).toBe(base.grossBookingsCents);
    // Responding (the baseline's elasticity 0.5): about 9.5 % more streams a day.
    const streams = (s: Scenario) => runReplication(s, 0).creators.reduce((n, c) => n + c.streams, 0);
    const responding = loadScenarioFile(`${DIR}/creator-share-60.yaml`, { sets: SETS });
    expect(streams(responding)).toBeGreaterThan(streams(transfer) * 1.04);
    expect(kpisOf('whales').topPayerShare1Pct).toBeGreaterThan(base.topPayerShare1Pct);
    expect(kpisOf('whales').payers).toBeLessThan(base.payers);
    expect(kpisOf('many-small-streams').giftsSent).toBeGreaterThan(kpisOf('few-big-streams').giftsSent);
    expect(kpisOf('viral-spike').giftsSent).not.toBe(base.giftsSent);
    // 20 % dearer: conversion × 1.2^−2 ≈ 0.69 at the baseline's elasticity, so fewer payers and bookings.
    expect(kpisOf('price-up-20').payers).toBeLessThan(base.payers * 0.8);
    // Bookings follow whales, a few at this size: paired replications, summed (one alone can go either way).
    const gross = (file: string) =>
      [0, 1, 2, 3].reduce(
        (s, i) =>
          s +
          runReplication(loadScenarioFile(`${DIR}/${file}.yaml`, { sets: SETS }), i).kpis.grossBookingsCents,
        0,
      );
    expect(gross('price-up-20')).toBeLessThan(gross('baseline'));
    // A new mid pack leaves the entry packs, so conversion, alone; which packs are bought moves.
    expect(Math.abs(kpisOf('pack-ladder').payers / base.payers - 1)).toBeLessThan(0.1);
    expect(kpisOf('pack-ladder').coinsPurchased).not.toBe(base.coinsPurchased);
  });
});
