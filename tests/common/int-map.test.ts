import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IntMap } from '../../common/int-map.ts';

describe('IntMap', () => {
  it('answers as a Map through any sequence of arrivals and departures', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), id: fc.nat(300) }),
      fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const map = new IntMap(4);
        const model = new Map<number, number>();
        let slot = 0;
        for (const o of ops) {
          if (o.kind === 'set') {
            if (model.has(o.id)) continue;
            map.set(o.id, slot);
            model.set(o.id, slot++);
          } else if (model.size > 0) {
            const id = [...model.keys()][o.pick % model.size];
            map.delete(id);
            model.delete(id);
          }
          expect(map.size).toBe(model.size);
        }
        for (let id = 0; id <= 300; id++) expect(map.get(id)).toBe(model.get(id) ?? -1);
      }),
    );
  });
});
