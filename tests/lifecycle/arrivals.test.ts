/**
 * Arrivals drawn as the run reaches them give the seconds drawing them all before the run gave: the
 * same seconds in the same order, as many, and the lifecycle stream left where it was.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../scenarios/load.ts';
import { modelParams } from '../../scenarios/model-params.ts';
import { Arrivals } from '../../sim/engine/arrivals.ts';
import { NEVER } from '../../sim/engine/never.ts';
import type { Diurnal } from '../../sim/model/diurnal.ts';
import type { Lifecycle } from '../../sim/model/params.ts';
import { createStreams, exponential, type Rng } from '../../sim/random/index.ts';

/** The draws as a whole, written out plainly: the steady process, then each burst, then sorted. */
function allAtOnce(lifecycle: Lifecycle, rhythm: Diurnal, end: number, rng: Rng): number[] {
  const times: number[] = [];
  if (lifecycle.arrivalsPerDay > 0) {
    const gap = 86_400 / lifecycle.arrivalsPerDay;
    for (let x = exponential(rng, gap); x < end; x += exponential(rng, gap)) {
      const at = Math.floor(rhythm.secondAt(x));
      if (at >= 1 && at < end) times.push(at);
    }
  }
  for (const b of lifecycle.bursts) {
    const gap = (b.endSeconds - b.startSeconds) / b.viewers;
    for (
      let x = b.startSeconds + exponential(rng, gap);
      x < Math.min(b.endSeconds, end);
      x += exponential(rng, gap)
    ) {
      const at = Math.floor(x);
      if (at >= 1) times.push(at);
    }
  }
  return times.sort((a, b) => a - b);
}

const rhythm = modelParams(loadScenarioFile('scenarios/launch-90d.yaml')).viewerDiurnal;

const burstArb = fc
  .record({
    start: fc.nat(5 * 86_400),
    length: fc.integer({ min: 1, max: 3 * 86_400 }),
    viewers: fc.nat(3000),
  })
  .filter((b) => b.viewers > 0)
  .map((b) => ({ startSeconds: b.start, endSeconds: b.start + b.length, viewers: b.viewers }));

describe('arrivals drawn as the run goes', () => {
  it('are the seconds drawn all at once, in order, and leave the lifecycle stream where it was', () => {
    fc.assert(
      fc.property(
        fc.nat(1000),
        fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 5000 })),
        fc.array(burstArb, { maxLength: 3 }),
        fc.integer({ min: 2, max: 6 * 86_400 }),
        (seed, arrivalsPerDay, bursts, end) => {
          const lifecycle = { arrivalsPerDay, bursts } as unknown as Lifecycle;
          const once = createStreams(seed, 0).lifecycle;
          const expected = allAtOnce(lifecycle, rhythm, end, once);
          const streams = createStreams(seed, 0);
          const arrivals = new Arrivals(lifecycle, rhythm, end, streams.lifecycle);
          expect(arrivals.count).toBe(expected.length);
          // The stream goes on from the same place (the run draws arrivals' lives from it).
          expect(streams.lifecycle()).toBe(once());
          const got: number[] = [];
          for (let at = arrivals.peek(); at !== NEVER; at = arrivals.peek()) {
            expect(arrivals.taken).toBe(got.length);
            got.push(arrivals.take());
          }
          expect(got).toEqual(expected);
          expect(arrivals.take()).toBe(NEVER);
          expect(arrivals.taken).toBe(expected.length);
        },
      ),
      { numRuns: 60 },
    );
  });
});
