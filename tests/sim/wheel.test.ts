/** The timing wheel hands back every scheduled slot on its second, in scheduling order, however far ahead. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TimingWheel } from '../../sim/engine/wheel.ts';

describe('timing wheel', () => {
  it('matches a sorted reference: by second, first in first out', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(50), fc.integer({ min: 1, max: 5000 })), { maxLength: 300 }),
        fc.integer({ min: 1, max: 20_000 }),
        (plan, horizon) => {
          // Each entry: (slot, delay); scheduled at second 0, or from its predecessor's second.
          const wheel = new TimingWheel(4, horizon + 5000);
          const expected: [number, number, number][] = [];
          plan.forEach(([slot, delay], order) => {
            wheel.schedule(slot, delay);
            expected.push([delay, order, slot]);
          });
          expected.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
          const seen: [number, number][] = [];
          for (let t = 1; t <= 5000; t++) {
            wheel.take(t);
            for (let s = wheel.nextSlot(); s >= 0; s = wheel.nextSlot()) seen.push([t, s]);
          }
          expect(seen).toEqual(expected.map(([at, , slot]) => [at, slot]));
        },
      ),
    );
  });

  it('keeps events scheduled while running, across many windows and a long horizon', () => {
    const horizon = 3 * 86_400;
    const wheel = new TimingWheel(16, horizon);
    const gaps = [1, 7, 1023, 1024, 1025, 5000, 86_400];
    gaps.forEach((g, slot) => {
      wheel.schedule(slot, g);
    });
    const fired: number[][] = gaps.map(() => []);
    for (let t = 1; t < horizon; t++) {
      wheel.take(t);
      for (let s = wheel.nextSlot(); s >= 0; s = wheel.nextSlot()) {
        fired[s].push(t);
        if (t + gaps[s] < horizon) wheel.schedule(s, t + gaps[s]);
      }
    }
    gaps.forEach((g, slot) => {
      expect(fired[slot].length).toBe(Math.floor((horizon - 1) / g));
      expect(fired[slot].filter((t, i) => t !== (i + 1) * g)).toEqual([]);
    });
  });
});
