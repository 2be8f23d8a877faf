/** The journal checker by example, and streaming it entry by entry against checking the whole array. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkJournal, JournalChecker } from '../../sim/invariants/journal-checker.ts';
import { INVARIANT_IDS, INVARIANTS } from '../../sim/invariants/types.ts';
import type { JournalEntry } from '../../sim/ledger/journal.ts';
import { Ledger } from '../../sim/ledger/ledger.ts';
import { hostileEntryArb, runArb, runOps } from '../support/arbitraries.ts';
import { testEconomy } from '../support/economy.ts';
import { runScript } from './script.ts';

const economy = testEconomy;

function scriptedLedger(): Ledger {
  const ledger = new Ledger(economy);
  runScript(ledger);
  return ledger;
}

describe('JournalChecker', () => {
  it('names all eight invariants', () => {
    expect(INVARIANT_IDS).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const id of INVARIANT_IDS) expect(INVARIANTS[id].length).toBeGreaterThan(10);
  });

  it('says which invariants its inputs let it check', () => {
    const entries = [...scriptedLedger().entries()];
    expect(checkJournal(entries).checked).toEqual([1, 2, 3, 6]);
    expect(checkJournal(entries, { economy }).checked).toEqual([1, 2, 3, 4, 5, 6, 8]);
    expect(checkJournal(entries, { economy }, { acks: [] }).checked).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('streams: pushing entries one by one gives what checking the array gives', () => {
    fc.assert(
      fc.property(runArb(), fc.array(hostileEntryArb, { maxLength: 3 }), ({ economy, ops }, junk) => {
        const ledger = new Ledger(economy);
        runOps(ledger, ops);
        const entries: unknown[] = [...ledger.entries(), ...junk];
        const streamed = new JournalChecker({ economy });
        for (const e of entries) streamed.push(e);
        expect(streamed.finish({ stated: ledger.balances() })).toEqual(
          checkJournal(entries, { economy }, { stated: ledger.balances() }),
        );
      }),
    );
  });

  it('reads the journal a server would export: JSON, round-tripped', () => {
    const ledger = scriptedLedger();
    const exported = JSON.parse(JSON.stringify([...ledger.entries()])) as JournalEntry[];
    expect(checkJournal(exported, { economy }, { stated: ledger.balances() }).violations).toEqual([]);
  });

  it('reports a purchase at a price no pack has, and one through an unknown channel, as invariant 5', () => {
    const entries = [...scriptedLedger().entries()];
    const cheap = structuredClone(entries);
    for (const p of cheap[1].postings) {
      if (p.account === 'buyers:web') p.amount += 1;
      if (p.account === 'platform:cash') p.amount -= 1;
    }
    const result = checkJournal(cheap, { economy });
    expect(new Set(result.violations.map((v) => v.invariant))).toEqual(new Set([5]));
    expect(result.violations.every((v) => v.seq === 2)).toBe(true);
    const elsewhere = structuredClone(entries);
    for (const p of elsewhere[0].postings) p.account = p.account.replace(':app', ':moon');
    expect(checkJournal(elsewhere, { economy }).violations.map((v) => v.invariant)).toEqual([5]);
  });

  it('treats a balance missing from the stated list as a zero balance', () => {
    const ledger = scriptedLedger();
    const stated = [...ledger.balances()].filter((b) => b.account !== 'creator:0' || b.unit !== 'DIAMOND');
    const result = checkJournal(ledger.entries(), { economy }, { stated });
    expect(result.violations).toHaveLength(1);
    expect(result.violations[0]).toMatchObject({
      invariant: 3,
      accounts: ['creator:0'],
      expected: 301,
      found: 0,
    });
  });

  it('without the economy, an overdrawing withdrawal is an overdraft (invariant 2)', () => {
    const entries: JournalEntry[] = [
      {
        seq: 1,
        opId: 'w',
        kind: 'withdrawal',
        at: 0,
        postings: [
          { account: 'creator:0', unit: 'DIAMOND', amount: -200 },
          { account: 'platform:diamonds_redeemed', unit: 'DIAMOND', amount: 200 },
          { account: 'platform:cash', unit: 'USD', amount: -100 },
          { account: 'creator:0', unit: 'USD', amount: 100 },
        ],
      },
    ];
    expect(checkJournal(entries).violations.map((v) => v.invariant)).toEqual([2]);
    expect(checkJournal(entries, { economy }).violations.map((v) => v.invariant)).toEqual([8]);
  });

  it('reports a structured violation: where, what was expected and what was found', () => {
    const entries = [...scriptedLedger().entries()];
    entries[2].postings[0].amount -= 1; // viewer pays one coin more than the creator gets
    const [v] = checkJournal(entries, { economy }).violations;
    expect(v).toMatchObject({ invariant: 1, seq: 3, opId: 'g-1', expected: 0, found: -1 });
    expect(v.accounts).toContain('viewer:0');
    expect(v.message).toMatch(/COIN postings sum to -1/);
  });
});
