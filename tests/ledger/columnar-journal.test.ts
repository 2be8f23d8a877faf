/** The column-wise journal on its own: growth, abandoning an entry, reading back. */
import { describe, expect, it } from 'vitest';
import { UNIT_OF_CODE } from '../../sim/ledger/accounts.ts';
import { ColumnarJournal } from '../../sim/ledger/columnar-journal.ts';

const named = (id: number) => `acct:${id}`;

describe('ColumnarJournal', () => {
  it('reads back every entry and posting after many doublings', () => {
    const journal = new ColumnarJournal(named, UNIT_OF_CODE);
    const n = 5000;
    for (let i = 0; i < n; i++) {
      expect(journal.begin(i % 2 ? 'gift' : 'purchase', i * 10, i % 4 === 0 ? undefined : `k${i}`)).toBe(
        i + 1,
      );
      // A varying number of postings per entry: 0..6, so entry and posting arrays grow at different times.
      for (let p = 0; p < i % 7; p++) journal.append(i, p % 3, p % 2 ? -i : i);
    }
    expect(journal.length).toBe(n);
    for (let seq = 1; seq <= n; seq++) {
      const i = seq - 1;
      const e = journal.entry(seq);
      expect(e.seq).toBe(seq);
      expect(e.kind).toBe(i % 2 ? 'gift' : 'purchase');
      expect(e.at).toBe(i * 10);
      expect(e.opId).toBe(i % 4 === 0 ? `op-${seq}` : `k${i}`);
      expect(e.postings.length).toBe(i % 7);
      e.postings.forEach((p, k) => {
        expect(p).toEqual({ account: `acct:${i}`, unit: UNIT_OF_CODE[k % 3], amount: k % 2 ? -i : i });
      });
    }
    expect([...journal.entries(n - 2)].map((e) => e.seq)).toEqual([n - 1, n]);
  });

  it('abandons the last entry with its postings and its key', () => {
    const journal = new ColumnarJournal(named, UNIT_OF_CODE);
    journal.begin('purchase', 0, 'a');
    journal.append(1, 0, 5);
    journal.begin('gift', 1, 'b');
    journal.append(2, 0, -5);
    journal.abandonLast();
    expect(journal.length).toBe(1);
    expect(journal.begin('refund', 2, undefined)).toBe(2);
    journal.append(3, 2, 7);
    expect(journal.entry(2)).toEqual({
      seq: 2,
      opId: 'op-2',
      kind: 'refund',
      at: 2,
      postings: [{ account: 'acct:3', unit: 'USD', amount: 7 }],
    });
    expect(journal.entry(1).postings).toEqual([{ account: 'acct:1', unit: 'COIN', amount: 5 }]);
  });

  it('refuses postings before any entry and entries that do not exist', () => {
    const journal = new ColumnarJournal(named, UNIT_OF_CODE);
    expect(() => journal.append(0, 0, 1)).toThrow(/before any entry/);
    expect(() => journal.entry(1)).toThrow(/no entry 1/);
    expect(() => journal.abandonLast()).toThrow(/nothing to abandon/);
    journal.begin('gift', 0, 'g');
    expect(() => journal.entry(0)).toThrow(/no entry 0/);
    expect(() => journal.entry(2)).toThrow(/no entry 2/);
  });

  it('keeps the last entry whole when it is the last before the arrays double', () => {
    for (const n of [1023, 1024, 1025, 2047, 2048]) {
      const journal = new ColumnarJournal(named, UNIT_OF_CODE);
      for (let i = 0; i < n; i++) {
        journal.begin('gift', i, undefined);
        journal.append(i, 0, 1);
      }
      expect(journal.entry(n).postings, `${n} entries`).toEqual([
        { account: `acct:${n - 1}`, unit: 'COIN', amount: 1 },
      ]);
    }
  });
});
