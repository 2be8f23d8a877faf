/** Seeded streams: reproducible per (seed, replication, family), independent across them. */
import { describe, expect, it } from 'vitest';
import { exponential, gapSeconds, pareto, pickCumulative } from '../../sim/random/draws.ts';
import { createStreams, FAMILIES } from '../../sim/random/streams.ts';

const take = (rng: () => number, n = 5) => Array.from({ length: n }, () => rng());

describe('random streams', () => {
  it('the same seed and replication give the same draws; any other key gives others', () => {
    const a = createStreams(42, 0);
    const b = createStreams(42, 0);
    for (const f of FAMILIES) expect(take(a[f])).toEqual(take(b[f]));
    const first = take(createStreams(42, 0).gifts);
    expect(take(createStreams(42, 1).gifts)).not.toEqual(first);
    expect(take(createStreams(43, 0).gifts)).not.toEqual(first);
    expect(take(createStreams(42, 0).sessions)).not.toEqual(first);
  });

  it('draws from one family never shift another', () => {
    const a = createStreams(1, 0);
    const b = createStreams(1, 0);
    take(a.gifts, 1000);
    expect(take(a.sessions)).toEqual(take(b.sessions));
  });

  it('distributions: exponential mean, whole-second gaps, Pareto scale, weighted picks', () => {
    const rng = createStreams(9, 0).population;
    const n = 200_000;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += exponential(rng, 10);
    expect(sum / n).toBeGreaterThan(9.9);
    expect(sum / n).toBeLessThan(10.1);
    for (let i = 0; i < 1000; i++) {
      const g = gapSeconds(rng, 0.01);
      expect(Number.isInteger(g) && g >= 1).toBe(true);
      expect(pareto(rng, 99, 1.2)).toBeGreaterThanOrEqual(99);
    }
    const cum = Float64Array.from([0, 1, 1, 4]);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[pickCumulative(rng, cum, 4)]++;
    expect(counts[0]).toBe(0);
    expect(counts[2]).toBe(0);
    expect(counts[3] / counts[1]).toBeGreaterThan(2.5);
  });
});
