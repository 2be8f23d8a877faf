/**
 * The bookings chart with replications: a whisker per interval (the 95 % CI of the mean of all channels'
 * bookings) and a band around the gifts; with one replication, neither.
 */
import { describe, expect, it } from 'vitest';
import { describe as stat } from '../../experiments/stats.ts';
import { bookingsOverTime } from '../../reports/html/charts/bookings-over-time.ts';
import { baselineScenario, buildRunFixture } from '../support/run-fixture.ts';

type Layer = {
  mark: { type: string };
  data?: { values: Record<string, number>[] };
  encoding: { y: { field: string }; y2?: { field: string } };
};

function chart(replications: number) {
  const scenario = baselineScenario({ duration: '1d', intervalSeconds: '6h' });
  const run = buildRunFixture(scenario, { replications, scale: 0.05 });
  const made = bookingsOverTime({ run, scenario } as Parameters<typeof bookingsOverTime>[0]);
  const spec = made.spec as unknown as { vconcat: { layer: Layer[] }[] };
  return { run, reading: made.reading, bookings: spec.vconcat[0].layer, gifts: spec.vconcat[1].layer };
}

describe('bookings over time', () => {
  it('with replications, whiskers give each interval’s 95 % CI of the mean bookings, and gifts a band', () => {
    // Before: the mean of 8 replications alone, where one whale's hour made a spike that read as a pattern.
    const { run, reading, bookings, gifts } = chart(4);
    const whiskers = bookings.find((l) => l.mark.type === 'rule')?.data?.values ?? [];
    expect(whiskers).toHaveLength(4);
    const totals = run.replications.map((r) =>
      Object.values(r.timeseries[2].bookingsCents).reduce((s, v) => s + v, 0),
    );
    const [lo, hi] = stat(totals).ci95;
    expect(whiskers[2].lo).toBeCloseTo(Math.max(0, lo) / 100, 9);
    expect(whiskers[2].hi).toBeCloseTo(hi / 100, 9);
    expect(gifts[0].encoding.y2?.field).toBe('hi');
    expect(reading).toContain('whiskers and band: 95 % CI of the mean');
  });

  it('with one replication, no whisker and no band, and the reading promises none', () => {
    const { reading, bookings, gifts } = chart(1);
    expect(bookings.map((l) => l.mark.type)).toEqual(['bar']);
    expect(gifts[0].encoding.y2).toBeUndefined();
    expect(reading).not.toContain('95 %');
  });
});
