/**
 * The channel mix with replications: a whisker on each channel's share of gross bookings, the 95 % CI of
 * the mean of each replication's own share; with one replication, none.
 */
import { describe, expect, it } from 'vitest';
import { ratioCi95 } from '../../experiments/stats.ts';
import { channelMix } from '../../reports/html/charts/channel-mix.ts';
import { baselineScenario, buildRunFixture } from '../support/run-fixture.ts';

type Layer = { mark: { type: string }; encoding: { x: { field: string }; x2?: { field: string } } };
type Row = { channel: string; share: number; lo: number; hi: number };

function chart(replications: number) {
  const scenario = baselineScenario({ duration: '1d', intervalSeconds: '6h' });
  const run = buildRunFixture(scenario, { replications, scale: 0.05 });
  const made = channelMix({ run, scenario } as Parameters<typeof channelMix>[0]);
  type Panel = { title: string; data: { values: Row[] }; layer: Layer[] };
  const panel = (made.spec as unknown as { hconcat: Panel[] }).hconcat[0];
  return { run, reading: made.reading, title: panel.title, rows: panel.data.values, layers: panel.layer };
}

describe('channel mix', () => {
  it('with replications, each share has a whisker: the 95 % CI of the pooled share', () => {
    const { run, reading, title, rows, layers } = chart(4);
    // Beside the price panel's whiskers (the packs' list range), this one says what its whisker is.
    expect(title).toContain('95 % CI (whisker)');
    const rule = layers.find((l) => l.mark.type === 'rule');
    expect(rule?.encoding.x.field).toBe('lo');
    expect(rule?.encoding.x2?.field).toBe('hi');
    const app = rows.find((r) => r.channel === 'app') as Row;
    // The share drawn is pooled (mean app bookings over mean gross); its CI is that ratio's.
    const sum = (r: (typeof run.replications)[number], c: string) =>
      r.timeseries.reduce((s, row) => s + (row.bookingsCents[c] ?? 0), 0);
    const apps = run.replications.map((r) => sum(r, 'app'));
    const grosses = run.replications.map((r) => sum(r, 'app') + sum(r, 'web'));
    expect(app.share).toBeCloseTo(apps.reduce((a, b) => a + b, 0) / grosses.reduce((a, b) => a + b, 0), 12);
    const [lo, hi] = ratioCi95(apps, grosses) as [number, number];
    expect((lo + hi) / 2).toBeCloseTo(app.share, 12);
    expect(app.lo).toBeCloseTo(Math.max(0, lo), 12);
    expect(app.hi).toBeCloseTo(Math.min(1, hi), 12);
    expect(app.lo).toBeLessThan(app.hi);
    expect(app.lo).toBeLessThanOrEqual(app.share);
    expect(app.share).toBeLessThanOrEqual(app.hi);
    expect(reading).toContain('whisker on a share: 95 % CI of the mean');
  });

  it('with one replication, no whisker, and the reading promises none', () => {
    const { reading, title, rows, layers } = chart(1);
    expect(title).toBe('Share of gross bookings');
    expect(layers.some((l) => l.mark.type === 'rule')).toBe(false);
    for (const r of rows) expect([r.lo, r.hi]).toEqual([r.share, r.share]);
    expect(reading).not.toContain('whisker');
  });
});
