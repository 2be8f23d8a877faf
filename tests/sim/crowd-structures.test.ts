/**
 * The crowd's two small structures against models: the heap of leaving seconds pops in order whatever
 * is pushed between pops, and the agents present per market behave as one set per market, every member
 * reachable by index (what a spike's uniform draw needs).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MinHeap, PresentAgents } from '../../sim/engine/crowd.ts';

describe('the heap of leaving seconds', () => {
  it('pops the smallest key first, through any mix of pushes and pops (against a sorted list)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 2 ** 45 }), fc.constant(-1)), { maxLength: 400 }),
        (ops) => {
          const heap = new MinHeap();
          const model: number[] = [];
          for (const op of ops) {
            if (op >= 0) {
              heap.push(op);
              model.push(op);
              model.sort((a, b) => a - b);
            } else if (model.length > 0) {
              expect(heap.peek()).toBe(model[0]);
              expect(heap.pop()).toBe(model.shift());
            }
            expect(heap.size).toBe(model.length);
          }
          while (model.length > 0) expect(heap.pop()).toBe(model.shift());
        },
      ),
    );
  });
});

describe('the agents present per market', () => {
  it('hold exactly the slots added and not removed, each reachable by an index below the count', () => {
    const markets = 3;
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: markets, maxLength: markets }),
        fc.array(fc.tuple(fc.boolean(), fc.nat(1_000), fc.nat(markets - 1)), { maxLength: 300 }),
        (sizes, ops) => {
          const start = new Int32Array(markets + 1);
          for (let m = 0; m < markets; m++) start[m + 1] = start[m] + sizes[m];
          const present = new PresentAgents(start);
          const model = Array.from({ length: markets }, (_, m) => {
            const set = new Set<number>();
            for (let v = start[m]; v < start[m + 1]; v++) set.add(v);
            return set;
          });
          // Without changes the lists are the markets' blocks in order (a spike's draws as before).
          for (let m = 0; m < markets; m++)
            for (let i = 0; i < sizes[m]; i++) expect(present.at(m, i)).toBe(start[m] + i);
          let next = start[markets];
          for (const [add, pick, m] of ops) {
            if (add) {
              present.add(next, m);
              model[m].add(next++);
              continue;
            }
            const members = [...model[m]];
            if (members.length === 0) continue;
            const v = members[pick % members.length];
            present.remove(v, m);
            model[m].delete(v);
          }
          for (let m = 0; m < markets; m++) {
            expect(present.count(m)).toBe(model[m].size);
            const listed = Array.from({ length: present.count(m) }, (_, i) => present.at(m, i));
            expect(new Set(listed)).toEqual(model[m]);
          }
        },
      ),
    );
  });
});
