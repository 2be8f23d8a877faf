/**
 * Recycled columns (common/columns.ts): a column handed out again is zeroed and of the asked type and
 * length, never handed to two owners, and what is kept stays under its cap; a replication run on
 * columns a previous one left behind computes exactly what it computes on fresh ones.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  COLUMN_MIN_BYTES,
  ColumnStore,
  column,
  dropKeptColumns,
  keptColumnBytes,
  recycle,
} from '../../common/columns.ts';
import { runReplication } from '../../experiments/replication.ts';
import { scenario } from '../sim/support.ts';

const BIG = COLUMN_MIN_BYTES / 8; // Float64 elements in the smallest column worth keeping

afterEach(dropKeptColumns);

describe('recycled columns', () => {
  it('hands a recycled column out again, zeroed, for the same type and length only', () => {
    const a = column(Float64Array, BIG);
    a.fill(7);
    recycle([a]);
    expect(keptColumnBytes()).toBe(a.byteLength);
    expect(column(Float64Array, BIG + 1)).not.toBe(a); // another length
    expect(column(Int32Array, BIG * 2)).not.toBe(a); // another type of the same bytes
    const b = column(Float64Array, BIG);
    expect(b).toBe(a);
    expect(b.every((x) => x === 0)).toBe(true);
    expect(keptColumnBytes()).toBe(0);
    expect(column(Float64Array, BIG)).not.toBe(a); // taken: not handed out twice
  });

  it('keeps no small column, no view of a bigger buffer, and a column given back twice once', () => {
    recycle([new Float64Array(BIG - 1)]);
    expect(keptColumnBytes()).toBe(0);
    const whole = new Float64Array(2 * BIG);
    expect(() => recycle([whole.subarray(BIG)])).toThrow(/owns its buffer/);
    recycle([whole, whole]);
    expect(keptColumnBytes()).toBe(whole.byteLength);
    expect(column(Float64Array, 2 * BIG)).toBe(whole);
    expect(column(Float64Array, 2 * BIG)).not.toBe(whole);
  });

  it('stays under its cap, letting the oldest go first (property)', () => {
    const MIB = COLUMN_MIN_BYTES;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 12 }), (mibs) => {
        const store = new ColumnStore(6 * MIB);
        const given = mibs.map((m) => new Uint8Array(m * MIB));
        store.recycle(given);
        expect(store.bytes).toBeLessThanOrEqual(store.maxBytes);
        // What is kept is the longest run of the newest columns that fits (none is over the cap alone).
        let bytes = 0;
        let k = given.length;
        while (k > 0 && bytes + given[k - 1].byteLength <= store.maxBytes) bytes += given[--k].byteLength;
        expect(store.bytes).toBe(bytes);
        for (let i = given.length - 1; i >= k; i--)
          expect(store.column(Uint8Array, given[i].length)).toBe(given[i]);
        expect(store.bytes).toBe(0);
      }),
      { numRuns: 40 },
    );
  });

  it('keeps only the columns last given back: one the last replication did not take is let go', () => {
    const older = new Float64Array(BIG);
    const newer = new Int32Array(2 * BIG);
    recycle([older]);
    recycle([newer]);
    expect(keptColumnBytes()).toBe(newer.byteLength);
    expect(column(Float64Array, BIG)).not.toBe(older);
    expect(column(Int32Array, 2 * BIG)).toBe(newer);
  });

  it('a replication on columns another one left behind computes what it computes on fresh ones', () => {
    // 70,000 viewers: the per-viewer columns (16 bytes a viewer for the hot record) pass the 1 MiB line.
    const s = scenario({ population: { viewers: 70_000 }, duration: '4h' });
    const fresh = runReplication(s, 1);
    expect(keptColumnBytes()).toBeGreaterThan(COLUMN_MIN_BYTES);
    dropKeptColumns();
    runReplication(s, 0);
    const kept = keptColumnBytes();
    expect(kept).toBeGreaterThan(COLUMN_MIN_BYTES);
    const again = runReplication(s, 1);
    expect(again).toEqual(fresh);
  });
});
