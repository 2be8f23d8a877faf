/**
 * Scale-free populations: changing `population.viewers` alone keeps what a viewer sees. The rule in
 * closed form (creators from viewers, markets from creators, members dealt in turn); the audience a
 * market gives each rank, by hand; and the per-viewer KPIs of a small and a four times bigger platform
 * agreeing within their confidence intervals — where a fixed creator count (the old rule) does not.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runReplication } from '../../experiments/replication.ts';
import { describe as stats } from '../../experiments/stats.ts';
import { loadScenarioFile } from '../../scenarios/load.ts';
import { resolvePopulation } from '../../scenarios/schema/population.ts';
import type { Scenario } from '../../scenarios/schema/scenario.ts';
import { KPI_NAMES, type KpiStat } from '../../sim/kpis.ts';
import { membersIn } from '../../sim/model/markets.ts';
import { creatorsThen } from '../support/legacy-columns.ts';
import { scenario, simulated } from './support.ts';

const spec = (viewers: number, more: Record<string, number> = {}) => ({
  viewers,
  viewersPerCreator: 100,
  creatorPopularityZipf: 1,
  ...more,
});

describe('the scaling rule', () => {
  it('by hand: creators are viewers ÷ viewersPerCreator, markets creators ÷ creatorsPerMarket, rounded', () => {
    expect(resolvePopulation(spec(100_000))).toMatchObject({ creators: 1_000, markets: 1 });
    expect(resolvePopulation(spec(1_000_000))).toMatchObject({ creators: 10_000, markets: 10 });
    expect(resolvePopulation(spec(150_000))).toMatchObject({ creators: 1_500, markets: 2 });
    expect(resolvePopulation(spec(20_000))).toMatchObject({ creators: 200, markets: 1 });
    expect(resolvePopulation(spec(40))).toMatchObject({ creators: 1, markets: 1 });
    // A fixed count does not grow, and is one market unless creatorsPerMarket says otherwise.
    expect(resolvePopulation(spec(1_000_000, { creators: 1_000 }))).toMatchObject({
      creators: 1_000,
      markets: 1,
    });
    expect(resolvePopulation(spec(100_000, { creators: 5_000 }))).toMatchObject({ markets: 1 });
    expect(resolvePopulation(spec(100_000, { creators: 5_000, creatorsPerMarket: 1_000 }))).toMatchObject({
      markets: 5,
    });
  });

  it('m times the viewers is m times the markets, each with the same viewers and creators', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }), // viewers per creator
        fc.integer({ min: 1, max: 2_000 }), // creators per market
        fc.integer({ min: 1, max: 4 }), // markets at the small size
        fc.integer({ min: 2, max: 10 }), // m
        (perCreator, perMarket, markets, m) => {
          const viewers = perCreator * perMarket * markets;
          fc.pre(viewers * m <= 50_000_000);
          const more = { viewersPerCreator: perCreator, creatorsPerMarket: perMarket };
          const small = resolvePopulation(spec(viewers, more));
          const big = resolvePopulation(spec(viewers * m, more));
          expect(small.markets).toBe(markets);
          expect(big.creators).toBe(m * small.creators);
          expect(big.markets).toBe(m * small.markets);
          expect(big.creators / big.markets).toBe(small.creators / small.markets);
          expect(big.viewers / big.markets).toBe(small.viewers / small.markets);
        },
      ),
    );
  });

  it('members are dealt in turn: market sizes add up and differ by at most one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5_000 }), fc.integer({ min: 1, max: 100 }), (total, m) => {
        fc.pre(m <= total);
        const sizes = Array.from({ length: m }, (_, g) => membersIn(total, m, g));
        expect(sizes.reduce((s, x) => s + x, 0)).toBe(total);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        const dealt = new Array(m).fill(0);
        for (let i = 0; i < total; i++) dealt[i % m]++;
        expect(dealt).toEqual(sizes);
      }),
    );
  });
});

/** Mean share of its market's live watchers held, at the run's end, by the creators ranked `rank` there. */
function rankShare(s: Scenario, rank: number, replications: number): KpiStat {
  const shares: number[] = [];
  for (let i = 0; i < replications; i++) {
    const { sim, params } = simulated(s, i);
    const m = params.markets;
    const watchers = new Array(m).fill(0);
    for (let c = 0; c < params.creators; c++) watchers[c % m] += sim.creators.audience[c];
    for (let g = 0; g < m; g++) shares.push(sim.creators.audience[(rank - 1) * m + g] / watchers[g]);
  }
  return stats(shares);
}

describe('a viewer sees its market', () => {
  // Everyone watching live streams, every creator live (streams of a day, looked at after ten minutes):
  // the creator ranked k of a market of n holds k^−s / H(n, s) of that market's watchers, whatever the
  // number of markets.
  const always = (viewers: number, creators: number, creatorsPerMarket: number) =>
    scenario({
      duration: 600,
      intervalSeconds: 60,
      population: { viewers, creators, creatorsPerMarket, creatorPopularityZipf: 1 },
      viewers: { payerShare: 0, liveShare: 1 },
      creators: { streamsPerDay: 1, streamMinutes: 24 * 60 },
    });
  const harmonic = (n: number) => Array.from({ length: n }, (_, k) => 1 / (k + 1)).reduce((a, b) => a + b);
  const within = (x: number, s: KpiStat) =>
    expect(x).toSatisfy((v: number) => s.ci95[0] <= v && v <= s.ci95[1]);

  it('the top creator of a market of 20 holds 1/H(20) of its watchers, with 1 market or 4', () => {
    const one = rankShare(always(2_000, 20, 20), 1, 6);
    const four = rankShare(always(8_000, 80, 20), 1, 2);
    within(1 / harmonic(20), one);
    within(1 / harmonic(20), four);
    // One market of 80 creators would give the top one 1/H(80): the test tells them apart.
    expect(1 / harmonic(80)).toBeLessThan(four.ci95[0]);
    within(1 / 2 / harmonic(20), rankShare(always(8_000, 80, 20), 2, 2));
  });
});

describe('per-viewer KPIs do not depend on the population size', () => {
  // Markets of 25 creators (2,500 viewers): 10,000 viewers are 4 markets, 40,000 are 16.
  const sized = (viewers: number, sets: string[]) =>
    loadScenarioFile('scenarios/baseline.yaml', {
      sets: [`population.viewers=${viewers}`, 'population.creatorsPerMarket=25', ...sets],
    });
  const perViewer = (s: Scenario, replications: number) => {
    const runs = Array.from({ length: replications }, (_, i) => runReplication(s, i).kpis);
    return {
      conversion: stats(runs.map((k) => k.payerConversion)),
      gifts: stats(runs.map((k) => k.giftsSent / k.viewers)),
      gross: stats(runs.map((k) => k.grossBookingsCents / k.viewers)),
    };
  };
  /** Two means agree when their difference is within the two 95 % half-widths combined. */
  const gap = (a: KpiStat, b: KpiStat) => {
    const half = (s: KpiStat) => (s.ci95[1] - s.ci95[0]) / 2;
    return Math.abs(a.mean - b.mean) / Math.hypot(half(a), half(b));
  };

  it('10,000 and 40,000 viewers: conversion, gifts and gross per viewer agree within their CIs', () => {
    const small = perViewer(sized(10_000, []), 12);
    const big = perViewer(sized(40_000, []), 3);
    expect(gap(small.conversion, big.conversion)).toBeLessThan(1);
    expect(gap(small.gifts, big.gifts)).toBeLessThan(1);
    expect(gap(small.gross, big.gross)).toBeLessThan(1);
    // The old rule — a fixed number of creators, whose streams grow with the viewers — does not.
    const fixedSmall = perViewer(sized(10_000, ['population.creators=400']), 12);
    const fixedBig = perViewer(sized(40_000, ['population.creators=400']), 3);
    expect(gap(fixedSmall.gifts, fixedBig.gifts)).toBeGreaterThan(1);
  });
});

describe('the model before markets, reachable', () => {
  // Digests of every table of replication 0, computed on main at 64bf8e4 (creators fixed at 1,000 by
  // default then, in one market): a fixed population.creators gives the same run, spikes included
  // (with the previous pack rule and channel switch: packs chosen for value and the channel logit came later).
  const digest = (file: string): string => {
    const s = loadScenarioFile(`scenarios/${file}.yaml`, {
      sets: [
        'population.viewers=20000',
        'population.creators=1000',
        'demand.packChoice.rule=smallest',
        'demand.channelChoice.rule=switch',
      ],
    });
    const r = runReplication(s, 0);
    // The KPIs of 64bf8e4: the catalogue's first 18 (KPIs are only ever added after them).
    const kpis = Object.fromEntries(KPI_NAMES.slice(0, 18).map((k) => [k, r.kpis[k]]));
    // Timeseries columns added since (viewersActive, payersActive, creatorsPresent) are left out, as
    // later KPIs are.
    const timeseries = r.timeseries.map(
      ({ viewersActive: _v, payersActive: _p, creatorsPresent: _c, ...then }) => then,
    );
    const tables = {
      timeseries,
      creators: creatorsThen(r.creators),
      viewers: r.viewers,
      audience: r.audience,
    };
    return createHash('sha256')
      .update(JSON.stringify([kpis, tables]))
      .digest('hex')
      .slice(0, 16);
  };

  it.each([
    ['baseline', 'a1b7f8c8389bc491'],
    ['viral-spike', '90cea63a70e514d4'],
  ])('%s with creators fixed gives the results it gave before', (file, expected) => {
    expect(digest(file)).toBe(expected);
  });
});
