/**
 * The engine end to end on small populations: determinism, books that add up across every table,
 * budgets respected, the audience-size curve visible in the data, spikes, and the invariant checks in
 * both modes — including on deliberately broken engines, which they must catch.
 */
import { describe, expect, it } from 'vitest';
import { runReplication } from '../../experiments/replication.ts';
import type { AudienceBin, ReplicationResult } from '../../experiments/result.ts';
import { loadScenarioFile } from '../../scenarios/load.ts';
import { checkableWith, LEDGER_STATE_INVARIANTS } from '../../sim/invariants/types.ts';
import { scenario } from './support.ts';

const baseline = (sets: string[] = []) =>
  loadScenarioFile('scenarios/baseline.yaml', { sets: ['population.viewers=20000', ...sets] });

describe('engine', () => {
  it('is deterministic per (seed, replication) and differs between replications', () => {
    const s = baseline();
    const a = runReplication(s, 0);
    expect(runReplication(s, 0)).toEqual(a);
    expect(runReplication(s, 1).kpis).not.toEqual(a.kpis);
    expect(
      runReplication(
        loadScenarioFile('scenarios/baseline.yaml', { sets: ['population.viewers=20000', 'seed=43'] }),
        0,
      ).kpis,
    ).not.toEqual(a.kpis);
  });

  it('adds up: timeseries, viewers, creators and audience bins agree with the ledger KPIs', () => {
    const r = runReplication(baseline(['viewers.payerShare=0.2']), 0);
    const k = r.kpis;
    const sum = <T>(xs: T[], f: (x: T) => number) => xs.reduce((s, x) => s + f(x), 0);
    expect(k.giftsSent).toBeGreaterThan(100);
    expect(sum(r.timeseries, (i) => i.bookingsCents.app + i.bookingsCents.web)).toBe(k.grossBookingsCents);
    expect(sum(r.timeseries, (i) => i.gifts)).toBe(k.giftsSent);
    expect(sum(r.timeseries, (i) => i.coinsSpent)).toBe(k.coinsSpent);
    expect(sum(r.timeseries, (i) => i.coinsSold.app + i.coinsSold.web)).toBe(k.coinsPurchased);
    expect(sum(r.viewers, (v) => v.viewers)).toBe(k.viewers);
    expect(sum(r.viewers, (v) => v.payers)).toBe(k.payers);
    expect(sum(r.viewers, (v) => v.spentCents)).toBe(k.grossBookingsCents);
    expect(sum(r.viewers, (v) => v.giftsSent)).toBe(k.giftsSent);
    expect(sum(r.viewers, (v) => v.coinsBought)).toBe(k.coinsPurchased);
    expect(sum(r.viewers, (v) => v.coinsGifted)).toBe(k.coinsSpent);
    expect(sum(r.creators, (c) => c.coinsReceived)).toBe(k.coinsSpent);
    expect(sum(r.creators, (c) => c.withdrawnCents)).toBe(k.creatorPayoutsCents);
    expect(sum(r.audience, (b) => b.gifts)).toBeLessThanOrEqual(k.giftsSent);
    expect(r.timeseries).toHaveLength(24);
    expect(r.timeseries.every((i) => i.activeViewers > 0 && i.activeStreams > 0)).toBe(true);
    expect(r.viewers.map((v) => v.segment)).toEqual([
      'payer:top1%',
      'payer:top10%',
      'payer:rest',
      'non-payer',
    ]);
  });

  it('never lets a payer spend more than its budget', () => {
    const r = runReplication(
      scenario({
        population: { viewers: 2000 },
        viewers: {
          budget: { distribution: 'pareto', minCents: 99, paretoAlpha: 1.1, capCents: 5000 },
          budgetPacing: 1,
        },
        gifts: [
          { id: 'rose', coins: 1, weight: 10 },
          { id: 'seventy', coins: 70, weight: 1 },
          { id: 'big', coins: 3000, weight: 1 },
        ],
      }),
      0,
    );
    expect(r.viewers.every((v) => v.spentCents <= 5000)).toBe(true);
    expect(r.kpis.grossBookingsCents).toBeGreaterThan(0);
    expect(r.invariants.violationCount).toBe(0);
  });

  it('runs over several days (the rhythm repeats, the wheel moves through many windows)', () => {
    const r = runReplication(baseline(['duration=3d', 'population.viewers=5000']), 0);
    expect(r.timeseries).toHaveLength(72);
    const activeAt = (h: number) => r.timeseries[h].activeViewers;
    // Viewers peak at 21:00 and dip in the morning, every day.
    for (const day of [0, 1, 2]) expect(activeAt(day * 24 + 21)).toBeGreaterThan(activeAt(day * 24 + 9));
    expect(r.invariants.violationCount).toBe(0);
  });

  it('a viral spike multiplies the stream’s audience about tenfold for its hour', () => {
    const sets = ['population.viewers=20000'];
    const plain = runReplication(loadScenarioFile('scenarios/baseline.yaml', { sets }), 0);
    const viral = runReplication(loadScenarioFile('scenarios/viral-spike.yaml', { sets }), 0);
    expect(viral.creators[0].peakAudience).toBeGreaterThan(5 * plain.creators[0].peakAudience);
    expect(viral.timeseries[20].gifts).toBeGreaterThan(plain.timeseries[20].gifts);
  });
});

describe('the audience-size curve', () => {
  /** Gifts per viewer-hour in small streams (< 16 viewers) over that in big ones (>= 256). */
  const smallOverBig = (bins: AudienceBin[]) => {
    const rate = (keep: (b: AudienceBin) => boolean) => {
      const kept = bins.filter(keep);
      return kept.reduce((s, b) => s + b.gifts, 0) / kept.reduce((s, b) => s + b.viewerHours, 0);
    };
    return rate((b) => b.audienceMax <= 16) / rate((b) => b.audienceMin >= 256);
  };
  const run = (curve: string): ReplicationResult =>
    runReplication(
      baseline([
        'population.viewers=40000',
        'viewers.payerShare=0.3',
        `audienceEffect.curve=${curve}`,
        'audienceEffect.strength=0.6',
      ]),
      0,
    );

  it('measurably changes gifts per viewer: small streams gift more under small-stream-boost, less under rising', () => {
    const flat = smallOverBig(run('flat').audience);
    const boost = run('small-stream-boost');
    const rising = smallOverBig(run('rising').audience);
    expect(flat).toBeGreaterThan(0.7);
    expect(flat).toBeLessThan(1.4);
    expect(smallOverBig(boost.audience)).toBeGreaterThan(2 * flat);
    expect(rising).toBeLessThan(flat / 2);
    // The recorded curve is the configured one, for the report to draw beside the observed rate.
    expect(boost.audience[0].curveMultiplier).toBeGreaterThan(1);
  });

  it('same viewers, different stream sizes: many small streams draw more gifts than few big ones', () => {
    const sets = ['population.viewers=20000'];
    const small = runReplication(loadScenarioFile('scenarios/many-small-streams.yaml', { sets }), 0);
    const big = runReplication(loadScenarioFile('scenarios/few-big-streams.yaml', { sets }), 0);
    expect(small.kpis.giftsSent).toBeGreaterThan(1.3 * big.kpis.giftsSent);
  });
});

describe('invariants', () => {
  const small = () =>
    baseline(['population.viewers=5000', 'viewers.payerShare=0.3', 'creators.withdrawAtDiamonds=200']);

  it('a sound run passes both the end-of-run check and the check of every entry', () => {
    const end = runReplication(small(), 0);
    const all = runReplication(small(), 0, { check: 'all' });
    expect(end.invariants.violationCount).toBe(0);
    expect(end.invariants.checked).toEqual(LEDGER_STATE_INVARIANTS);
    expect(all.invariants.violationCount).toBe(0);
    expect(all.invariants.checked).toEqual(checkableWith(new Set(['economy'])));
    expect(all.invariants.entries).toBeGreaterThan(1000);
    expect(all.kpis).toEqual(end.kpis); // checking changes nothing
  });

  it('catches an engine that overdraws viewers (a ledger that skips its balance check)', () => {
    for (const check of ['end', 'all'] as const) {
      const r = runReplication(small(), 0, { check, fault: 'overdraw' });
      expect(r.invariants.violationCount).toBeGreaterThan(0);
      expect(r.invariants.violations.some((v) => v.invariant === 2)).toBe(true);
    }
  });

  it('catches a ledger that drops the fraction of a diamond it owes a creator', () => {
    for (const check of ['end', 'all'] as const) {
      const r = runReplication(small(), 0, { check, fault: 'drop-carry' });
      expect(r.invariants.violations.some((v) => v.invariant === 4)).toBe(true);
    }
  });
});
