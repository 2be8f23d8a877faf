/**
 * Segment-derived ranges: for any split of a test into n = 1…8 execution segments (k6-operator
 * `parallelism`, equal or not), the instances' user ranges tile the pool without overlap, the VUs'
 * stripes inside an instance are disjoint, and no idempotency key repeats anywhere.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  keyPrefix,
  parseFraction,
  parseSegment,
  type Segment,
  scale,
  segmentRange,
  stripe,
} from '../../load/k6/lib/segments.ts';

/** k6's sequence for `parallelism: n`: 0, 1/n, 2/n, … 1, as the segments `i/n:(i+1)/n`. */
function equalSegments(n: number): Segment[] {
  return Array.from({ length: n }, (_, i) => parseSegment(`${i}/${n}:${i + 1}/${n}`));
}

/** An arbitrary sequence of n segments: sorted distinct cut points over a common denominator. */
const unequalSegments = fc
  .tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 8, max: 1000 }))
  .chain(([n, d]) =>
    fc.uniqueArray(fc.integer({ min: 1, max: d - 1 }), { minLength: n - 1, maxLength: n - 1 }).map((cuts) => {
      const points = [0, ...cuts.sort((a, b) => a - b), d];
      return points.slice(0, -1).map((p, i) => parseSegment(`${p}/${d}:${points[i + 1]}/${d}`));
    }),
  );

const segmentSets = fc.oneof(fc.integer({ min: 1, max: 8 }).map(equalSegments), unequalSegments);

describe('execution segments', () => {
  it('give ranges that tile the pool without overlap (n = 1…8)', () => {
    fc.assert(
      fc.property(segmentSets, fc.integer({ min: 0, max: 2 ** 28 }), (segments, size) => {
        let next = 0;
        for (const s of segments) {
          const { lo, hi } = segmentRange(s, size);
          expect(lo).toBe(next);
          expect(hi).toBeGreaterThanOrEqual(lo);
          next = hi;
        }
        expect(next).toBe(size);
      }),
    );
  });

  it('give VU stripes that are disjoint and cover the instance range', () => {
    fc.assert(
      fc.property(
        segmentSets,
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 1, max: 64 }),
        (segments, size, slots) => {
          const owner = new Map<number, string>();
          for (const [i, s] of segments.entries()) {
            const { lo, hi } = segmentRange(s, size);
            for (let slot = 0; slot < slots; slot++) {
              for (const id of stripe(lo, hi, slot, slots)) {
                expect(owner.has(id), `id ${id} owned twice`).toBe(false);
                owner.set(id, `${i}/${slot}`);
              }
            }
          }
          expect(owner.size).toBe(size);
        },
      ),
    );
  });

  it('give key prefixes that never repeat across instances and VUs', () => {
    fc.assert(
      fc.property(segmentSets, fc.integer({ min: 1, max: 50 }), (segments, vus) => {
        const keys = new Set<string>();
        for (const s of segments) {
          for (let vu = 1; vu <= vus; vu++) {
            for (let n = 1; n <= 3; n++) keys.add(`${keyPrefix('run1', s, vu)}-${n}`);
          }
        }
        expect(keys.size).toBe(segments.length * vus * 3);
        for (const k of keys) expect(k).toMatch(/^[\x21-\x7e]{1,128}$/);
      }),
    );
  });

  it('read k6 segment notation: fractions, decimals, percentages, none', () => {
    expect(parseSegment(null)).toEqual(parseSegment('0:1'));
    expect(parseSegment('1/4:1/2')).toEqual(parseSegment('0.25:50%'));
    expect(parseFraction('2/8')).toEqual({ n: 1, d: 4 });
    expect(scale(parseFraction('1/3'), 10)).toBe(3);
    expect(() => parseSegment('1/2:1/4')).toThrow(/from < to/);
    expect(() => parseSegment('3/2')).toThrow(/\[0, 1\]/);
    expect(() => stripe(0, 10, 3, 3)).toThrow();
  });
});
