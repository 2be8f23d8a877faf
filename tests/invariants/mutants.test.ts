/**
 * Mutant tests: a ledger broken in one rule (or a journal corrupted where no ledger could express the
 * bug) makes the checker report exactly the invariant that rule protects, and the healthy ledger on the
 * same operations reports nothing — over a fixed script and over any generated run.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkJournal, checkLedgerState } from '../../sim/invariants/index.ts';
import { type CheckResult, INVARIANT_IDS, type InvariantId } from '../../sim/invariants/types.ts';
import { Status } from '../../sim/kernel/status.ts';
import type { JournalEntry } from '../../sim/ledger/journal.ts';
import { Ledger } from '../../sim/ledger/ledger.ts';
import { runArb, runOps } from '../support/arbitraries.ts';
import { testEconomy } from '../support/economy.ts';
import { ErrorAfterCommitLedger, LostUpdateLedger, MUTANTS, type Mutant } from './mutants.ts';
import { acksOf, runScript } from './script.ts';

const economy = testEconomy;

/** The set of invariant ids a check reported, sorted. */
function idsOf(result: CheckResult): InvariantId[] {
  return [...new Set(result.violations.map((v) => v.invariant))].sort((a, b) => a - b);
}

function journalIds(ledger: Ledger, withStated = true): InvariantId[] {
  return idsOf(
    checkJournal(
      ledger.entries(),
      { economy: ledger.economy },
      withStated ? { stated: ledger.balances() } : {},
    ),
  );
}

function scripted(make: (options: { journal?: boolean }) => Ledger, journal = true): Ledger {
  const ledger = make({ journal });
  runScript(ledger);
  return ledger;
}

describe('the mutants', () => {
  it('break every invariant a ledger can break (7, the acks, has its own mutants below)', () => {
    expect([...new Set([...MUTANTS.map((m) => m.invariant), 7])].sort()).toEqual([...INVARIANT_IDS]);
    const inState = new Set(MUTANTS.filter((m) => m.stateVisible).map((m) => m.invariant));
    expect([...inState].sort()).toEqual([2, 3, 4, 5, 8]);
  });
});

describe('the healthy ledger on the mutant script', () => {
  it('accepts and refuses what it should, and the checker finds nothing, with or without a journal', () => {
    const ledger = new Ledger(economy);
    const applied = runScript(ledger);
    expect(applied.map((a) => Status[a.status])).toEqual([
      'Ok',
      'Ok',
      'Ok',
      'Ok',
      'Ok',
      'InsufficientCoins',
      'Ok',
      'BelowMinimum',
      'InsufficientDiamonds',
      'Ok',
      'Ok',
    ]);
    expect(applied[6].replayed).toBe(true);
    expect(journalIds(ledger)).toEqual([]);
    expect(idsOf(checkJournal(ledger.entries(), { economy }, { acks: acksOf(applied) }))).toEqual([]);
    expect(idsOf(checkLedgerState(ledger))).toEqual([]);
    expect(idsOf(checkLedgerState(scripted((o) => new Ledger(economy, o), false)))).toEqual([]);
  });
});

describe.each(MUTANTS.map((m) => [`${m.invariant}: ${m.name}`, m] as const))(
  'mutant %s',
  (_, mutant: Mutant) => {
    it(`makes the journal checker report exactly invariant ${mutant.invariant}`, () => {
      const ledger = scripted((o) => mutant.make(economy, o));
      expect(journalIds(ledger)).toEqual([mutant.invariant]);
    });

    if (mutant.stateVisible)
      it(`makes checkLedgerState report exactly invariant ${mutant.invariant}`, () => {
        const ledger = scripted((o) => mutant.make(economy, o), false);
        expect(ledger.hasJournal()).toBe(false);
        expect(idsOf(checkLedgerState(ledger))).toEqual([mutant.invariant]);
      });

    it('is caught whenever it changes anything, and never blamed on another invariant', () => {
      fc.assert(
        fc.property(runArb(), ({ economy, ops }) => {
          const healthy = new Ledger(economy);
          const broken = mutant.make(economy);
          runOps(healthy, ops);
          runOps(broken, ops);
          // The healthy ledger first, so that a bug in sim/ledger is not read as a mutant's.
          expect(journalIds(healthy), 'the real Ledger (not the mutant) broke these invariants').toEqual([]);
          const found = journalIds(broken);
          if (mutant.invariant === 3) {
            // A lost update can also let a viewer spend coins the journal says are gone (invariant 2).
            expect(found.filter((id) => id !== 2 && id !== 3)).toEqual([]);
            if (!sameBalances(healthy, broken)) expect(found).toContain(3);
            return;
          }
          const changed = mutant.invariant === 6 ? hasReusedOpId(broken) : !sameJournal(healthy, broken);
          expect(found).toEqual(changed ? [mutant.invariant] : []);
        }),
      );
    });

    if (mutant.stateVisible)
      it('without a journal: caught whenever the final state shows it, never blamed elsewhere', () => {
        fc.assert(
          fc.property(runArb(), ({ economy, ops }) => {
            const healthy = new Ledger(economy, { journal: false });
            const broken = mutant.make(economy, { journal: false });
            runOps(healthy, ops);
            runOps(broken, ops);
            expect(
              idsOf(checkLedgerState(healthy)),
              'the real Ledger (not the mutant) broke these invariants',
            ).toEqual([]);
            const found = idsOf(checkLedgerState(broken));
            expect(found.filter((id) => id !== mutant.invariant)).toEqual([]);
            const shows = !sameBalances(healthy, broken) && (mutant.showsInState?.(broken) ?? true);
            if (shows) expect(found).toEqual([mutant.invariant]);
          }),
        );
      });
  },
);

describe('mutant 1: corrupted journals no ledger would write', () => {
  const healthy = (): JournalEntry[] => [...scripted((o) => new Ledger(economy, o)).entries()];

  it('an entry missing a posting', () => {
    const entries = healthy();
    entries[0].postings = entries[0].postings.filter((p) => p.account !== 'platform:coins_issued');
    const result = checkJournal(entries, { economy });
    expect(idsOf(result)).toEqual([1]);
    expect(result.violations[0]).toMatchObject({ invariant: 1, seq: 1, opId: 'buy-1' });
  });

  it('a posting to the wrong unit', () => {
    const entries = healthy();
    const issue = entries[3].postings.find((p) => p.account === 'platform:diamonds_issued');
    expect(issue).toBeDefined();
    issue!.unit = 'USD';
    expect(idsOf(checkJournal(entries, { economy }))).toEqual([1]);
  });

  it('a malformed entry', () => {
    const entries: unknown[] = healthy();
    entries.splice(2, 0, {
      seq: 3,
      opId: 'bad',
      kind: 'gift',
      at: 0,
      postings: [{ account: 'viewer:0', unit: 'COIN', amount: 0.5 }],
    });
    expect(idsOf(checkJournal(entries, { economy }))).toEqual([1]);
  });
});

describe('mutant 3: stated balances from a lost update', () => {
  it('the lost-update ledger states balances its own journal contradicts', () => {
    const ledger = scripted((o) => new LostUpdateLedger(economy, o));
    const result = checkJournal(ledger.entries(), { economy }, { stated: ledger.balances() });
    expect(idsOf(result)).toEqual([3]);
    expect(result.violations.some((v) => v.accounts.includes('viewer:0'))).toBe(true);
    // Without stated balances the journal alone is consistent: the bug is in the balances.
    expect(idsOf(checkJournal(ledger.entries(), { economy }))).toEqual([]);
  });

  it('a healthy journal with one stated balance off by a gift', () => {
    const ledger = scripted((o) => new Ledger(economy, o));
    const stated = [...ledger.balances()].map((b) =>
      b.account === 'viewer:0' && b.unit === 'COIN' ? { ...b, balance: b.balance + 5 } : b,
    );
    expect(idsOf(checkJournal(ledger.entries(), { economy }, { stated }))).toEqual([3]);
  });
});

describe('mutant 7: acknowledgements against the journal', () => {
  it('an acknowledged operation missing from the journal', () => {
    const ledger = new Ledger(economy);
    const applied = runScript(ledger);
    const entries = [...ledger.entries()];
    const lost = entries.pop()!;
    expect(lost.opId).toBe('r-1');
    const result = checkJournal(entries, { economy }, { acks: acksOf(applied) });
    expect(idsOf(result)).toEqual([7]);
    expect(result.violations[0].opId).toBe('r-1');
  });

  it('an operation answered 4xx that is in the journal', () => {
    const ledger = new ErrorAfterCommitLedger(economy);
    const applied = runScript(ledger);
    const result = checkJournal(ledger.entries(), { economy }, { acks: acksOf(applied) });
    expect(idsOf(result)).toEqual([7]);
    expect(result.violations.map((v) => v.opId)).toEqual(['w-3']);
  });

  it('a journal entry nobody asked for', () => {
    const ledger = new Ledger(economy);
    const applied = runScript(ledger);
    ledger.purchase(3, 0, 0, 99, 'phantom');
    const result = checkJournal(ledger.entries(), { economy }, { acks: acksOf(applied) });
    expect(idsOf(result)).toEqual([7]);
    expect(result.violations[0].opId).toBe('phantom');
  });

  it('an acknowledgement naming a different entry than the journal has', () => {
    const ledger = new Ledger(economy);
    const acks = acksOf(runScript(ledger)).map((a) =>
      a.opId === 'g-2' ? { ...a, response: { seq: 99 } } : a,
    );
    expect(idsOf(checkJournal(ledger.entries(), { economy }, { acks }))).toEqual([7]);
  });

  it('acks of any healthy run reconcile; the mutant that answers errors after committing is caught', () => {
    fc.assert(
      fc.property(runArb(), ({ economy, ops }) => {
        const healthy = new Ledger(economy);
        const broken = new ErrorAfterCommitLedger(economy);
        const h = checkJournal(healthy.entries(), { economy }, { acks: acksOf(runOps(healthy, ops)) });
        expect(h.checked).toContain(7);
        expect(idsOf(h)).toEqual([]);
        const found = idsOf(
          checkJournal(broken.entries(), { economy }, { acks: acksOf(runOps(broken, ops)) }),
        );
        const committedWithdrawal = [...broken.entries()].some((e) => e.kind === 'withdrawal');
        expect(found).toEqual(committedWithdrawal ? [7] : []);
      }),
    );
  });
});

function sameJournal(a: Ledger, b: Ledger): boolean {
  return JSON.stringify([...a.entries()]) === JSON.stringify([...b.entries()]);
}

function sameBalances(a: Ledger, b: Ledger): boolean {
  return JSON.stringify([...a.balances()]) === JSON.stringify([...b.balances()]);
}

function hasReusedOpId(ledger: Ledger): boolean {
  const seen = new Set<string>();
  for (const e of ledger.entries()) {
    if (seen.has(e.opId)) return true;
    seen.add(e.opId);
  }
  return false;
}
