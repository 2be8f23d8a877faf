/**
 * The checker reads journals, balances and acks from backends and files it cannot trust: whatever it is
 * given, it never throws, and a malformed entry is reported as invariant 1.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Ack } from '../../sim/invariants/ack-format.ts';
import { checkJournal } from '../../sim/invariants/journal-checker.ts';
import { INVARIANT_IDS } from '../../sim/invariants/types.ts';
import type { StatedBalance } from '../../sim/ledger/journal.ts';
import { isEntry } from '../../sim/ledger/journal.ts';
import { economyArb, hostileEntryArb, junkArb } from '../support/arbitraries.ts';
import { testEconomy } from '../support/economy.ts';

const ids = (violations: readonly { invariant: number }[]) =>
  [...new Set(violations.map((v) => v.invariant))].sort();

describe('checker on hostile input', () => {
  it('reports any non-entry value as exactly invariant 1, and never throws', () => {
    fc.assert(
      fc.property(junkArb, fc.boolean(), (value, withEconomy) => {
        fc.pre(!isEntry(value));
        const result = checkJournal([value], withEconomy ? { economy: testEconomy } : {});
        expect(ids(result.violations)).toEqual([1]);
        expect(result.violationCount).toBe(1);
        expect(result.entries).toBe(1);
        expect(typeof result.violations[0].message).toBe('string');
      }),
    );
  });

  it('never throws on a journal of hostile entries, and reports each malformed one as invariant 1', () => {
    fc.assert(
      fc.property(
        fc.array(hostileEntryArb, { maxLength: 20 }),
        fc.option(economyArb, { nil: undefined }),
        (entries, economy) => {
          const malformed = entries.filter((entry) => !isEntry(entry)).length;
          const result = checkJournal(entries, { economy });
          expect(result.entries).toBe(entries.length);
          const shapeViolations = result.violations.filter((v) => v.message.startsWith('malformed entry'));
          expect(shapeViolations.length).toBe(malformed);
          for (const v of shapeViolations) expect(v.invariant).toBe(1);
          for (const v of result.violations) {
            expect(v.invariant).toBeGreaterThanOrEqual(1);
            expect(v.invariant).toBeLessThanOrEqual(8);
            expect(typeof v.message).toBe('string');
            expect(Array.isArray(v.accounts)).toBe(true);
          }
        },
      ),
    );
  });

  it('never throws on junk stated balances or junk acks', () => {
    fc.assert(
      fc.property(
        fc.array(hostileEntryArb, { maxLength: 5 }),
        fc.array(junkArb, { maxLength: 5 }),
        fc.array(junkArb, { maxLength: 5 }),
        (entries, stated, acks) => {
          const result = checkJournal(
            entries,
            { economy: testEconomy },
            { stated: stated as StatedBalance[], acks: acks as Ack[] },
          );
          expect(result.checked).toEqual(INVARIANT_IDS);
          expect(result.violationCount).toBeGreaterThanOrEqual(result.violations.length);
        },
      ),
    );
  });

  it('never throws on a well-formed withdrawal of any size', () => {
    fc.assert(
      fc.property(
        economyArb,
        fc.oneof(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 1, max: 1e12 })),
        (economy, diamonds) => {
          const entry = {
            seq: 1,
            opId: 'w',
            kind: 'withdrawal',
            at: 0,
            postings: [
              { account: 'creator:0', unit: 'DIAMOND', amount: -diamonds },
              { account: 'platform:diamonds_redeemed', unit: 'DIAMOND', amount: diamonds },
            ],
          };
          const result = checkJournal([entry], { economy });
          // Nobody had those diamonds: an over-balance withdrawal is invariant 8, whatever else is wrong with it.
          expect(ids(result.violations)).toEqual([8]);
        },
      ),
    );
  });

  it('reports a malformed stated balance as invariant 3 and a malformed ack as invariant 7', () => {
    const stated = [
      null,
      { account: 'viewer:1', unit: 'EUR', balance: 1 },
      { account: 'viewer:1', unit: 'COIN', balance: 0.5 },
    ];
    const bad = checkJournal([], {}, { stated: stated as unknown as StatedBalance[] });
    expect(ids(bad.violations)).toEqual([3]);
    expect(bad.violationCount).toBe(3);
    const acks = [
      null,
      7n,
      { opId: '', kind: 'gift', status: 200 },
      { opId: 'x', kind: 'gift', status: '200' },
    ];
    const badAcks = checkJournal([], {}, { acks: acks as unknown as Ack[] });
    expect(ids(badAcks.violations)).toEqual([7]);
    expect(badAcks.violationCount).toBe(4);
    expect(badAcks.violations[1].message).toContain('7n');
  });

  it('keeps at most maxViolations but counts them all', () => {
    const junk = Array.from({ length: 50 }, (_, i) => ({ seq: i + 1, opId: `x${i}` }));
    const result = checkJournal(junk, { maxViolations: 10 });
    expect(result.violations.length).toBe(10);
    expect(result.violationCount).toBe(50);
  });
});
