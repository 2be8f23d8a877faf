/**
 * A calibration target names a KPI of the catalogue (sim/kpis.ts) or a ratio of them
 * (experiments/calibrate/statistics.ts): one namespace. A KPI added under a ratio's name (a mean gift
 * size called `coinsPerGift`, say) would be listed twice in the targets' help and silently replaced by
 * the ratio in `statisticsOf`; this test fails first and names it.
 */
import { describe, expect, it } from 'vitest';
import { RATIOS, STATISTIC_NAMES, statisticsOf } from '../../experiments/calibrate/statistics.ts';
import { KPI_NAMES, type Kpis } from '../../sim/kpis.ts';

describe('calibration statistics', () => {
  it('no ratio shares a name with a KPI (rename one of them)', () => {
    const clashes = RATIOS.map((r) => r.name).filter((name) =>
      (KPI_NAMES as readonly string[]).includes(name),
    );
    expect(clashes).toEqual([]);
    expect(new Set(STATISTIC_NAMES).size).toBe(STATISTIC_NAMES.length);
  });

  it('a replication’s statistics are its KPIs as they are, then each ratio by its rule', () => {
    const kpis = Object.fromEntries(KPI_NAMES.map((k, i) => [k, i + 1])) as Kpis;
    const stats = statisticsOf(kpis);
    for (const k of KPI_NAMES) expect(stats[k]).toBe(kpis[k]);
    for (const r of RATIOS) expect(stats[r.name]).toBe(r.of(kpis));
  });

  it('each ratio by hand, and 0 where its denominator is 0', () => {
    const base = Object.fromEntries(KPI_NAMES.map((k) => [k, 0])) as Kpis;
    const kpis: Kpis = {
      ...base,
      giftsSent: 60,
      payers: 8,
      coinsSpent: 1500,
      grossBookingsCents: 4995,
      viewers: 1000,
    };
    const stats = statisticsOf(kpis);
    expect(stats.giftsPerPayer).toBe(7.5);
    expect(stats.coinsPerGift).toBe(25);
    expect(stats.bookingsPerViewerCents).toBe(4.995);
    const none = statisticsOf(base);
    expect([none.giftsPerPayer, none.coinsPerGift, none.bookingsPerViewerCents]).toEqual([0, 0, 0]);
  });
});
