/**
 * Gifts per viewer-hour against stream size, with replications: each bin's pooled rate carries the 95 %
 * CI over replications (ratioCi95 of the replications' gifts and viewer-hours there); with one, none.
 */
import { describe, expect, it } from 'vitest';
import { ratioCi95 } from '../../experiments/stats.ts';
import { audienceEffect } from '../../reports/html/charts/audience-effect.ts';
import { baselineScenario, buildRunFixture } from '../support/run-fixture.ts';

type Layer = { mark: { type: string }; encoding: { y?: { field: string }; y2?: { field: string } } };
type Point = { lo: number; hi: number; rate: number; rateLo: number; rateHi: number };

function chart(replications: number) {
  const scenario = baselineScenario({ duration: '1d', intervalSeconds: '6h' });
  const run = buildRunFixture(scenario, { replications, scale: 0.05 });
  const made = audienceEffect({ run, scenario } as Parameters<typeof audienceEffect>[0]);
  const spec = made.spec as unknown as { data: { values: Point[] }; layer: Layer[] };
  return { run, reading: made.reading, points: spec.data.values, layers: spec.layer };
}

describe('gifts per viewer against stream size', () => {
  it('with replications, each bin’s rate has a whisker: its pooled ratio’s 95 % CI', () => {
    const { run, reading, points, layers } = chart(4);
    const rule = layers.find((l) => l.mark.type === 'rule' && l.encoding.y2?.field === 'rateHi');
    expect(rule?.encoding.y?.field).toBe('rateLo');
    const p = points[Math.floor(points.length / 2)];
    const at = (r: (typeof run.replications)[number]) =>
      r.audience.find((b) => Math.max(1, b.audienceMin) === p.lo && Math.max(1, b.audienceMax) === p.hi);
    const gifts = run.replications.map((r) => at(r)?.gifts ?? 0);
    const hours = run.replications.map((r) => at(r)?.viewerHours ?? 0);
    const [lo, hi] = ratioCi95(gifts, hours) as [number, number];
    expect(p.rate).toBeCloseTo(gifts.reduce((a, b) => a + b, 0) / hours.reduce((a, b) => a + b, 0), 12);
    expect(p.rateLo).toBeCloseTo(Math.max(0, lo), 12);
    expect(p.rateHi).toBeCloseTo(hi, 12);
    expect(p.rateHi).toBeGreaterThan(p.rate);
    expect(reading).toContain('the vertical whisker its 95 % CI over replications');
  });

  it('with one replication, no whisker, and the reading promises none', () => {
    const { reading, points, layers } = chart(1);
    expect(layers.some((l) => l.encoding.y2?.field === 'rateHi')).toBe(false);
    for (const p of points) expect([p.rateLo, p.rateHi]).toEqual([p.rate, p.rate]);
    expect(reading).not.toContain('whisker');
  });
});
