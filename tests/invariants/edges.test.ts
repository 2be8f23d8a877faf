/**
 * The checkers at their edges, each case a broken ledger simple enough to compute by hand: what the
 * mutation run found no test for (account names, skimmed cents, unit sums and payouts without a
 * journal, overdrafts covered later, withdrawals not in whole cents, counted violations).
 */
import { describe, expect, it } from 'vitest';
import { checkJournal } from '../../sim/invariants/journal-checker.ts';
import { checkLedgerState } from '../../sim/invariants/ledger-state.ts';
import type { CheckResult } from '../../sim/invariants/types.ts';
import { BROKEN } from '../../sim/kernel/broken.ts';
import { kernel } from '../../sim/kernel/operations.ts';
import { Status } from '../../sim/kernel/status.ts';
import {
  accountFamily,
  Family,
  PlatformAccount,
  parseAccount,
  type UnitCode,
} from '../../sim/ledger/accounts.ts';
import { Ledger, type LedgerOptions } from '../../sim/ledger/ledger.ts';
import { testEconomy } from '../support/economy.ts';
import { WrongUnitLedger } from './mutants.ts';

const e = testEconomy;
const APP = 0;
const PANDA = 1;
const ids = (r: CheckResult) => [...new Set(r.violations.map((v) => v.invariant))];
const journalIds = (l: Ledger) => ids(checkJournal(l.entries(), { economy: e }, { stated: l.balances() }));

describe('account names', () => {
  it('belong to a family only as `family:key`', () => {
    expect(accountFamily('viewer:1')).toBe('viewer');
    expect(accountFamily('viewer:')).toBe('viewer');
    expect(accountFamily('creator:7')).toBe('creator');
    expect(accountFamily('store_fees:app')).toBe('store_fees');
    expect(accountFamily('payment_fees:web')).toBe('payment_fees');
    expect(accountFamily('platform:cash')).toBe('platform');
    for (const bad of ['viewerX', 'viewers:1', 'viewer', 'view:1', ':1', 'creatorX:1', 'Viewer:1', ''])
      expect(accountFamily(bad), bad).toBeUndefined();
  });

  it('split at the first colon; an unknown family is undefined', () => {
    expect(parseAccount('buyers:app')).toEqual({ family: 'buyers', key: 'app' });
    expect(parseAccount('creator:a:b')).toEqual({ family: 'creator', key: 'a:b' });
    expect(parseAccount('viewers:1')).toEqual({ family: undefined, key: '1' });
    expect(parseAccount('viewer')).toEqual({ family: 'viewer', key: '' });
  });

  it("a journal posting to `viewers:1` is not a viewer: its coins are not the viewers' coins", () => {
    const ledger = new Ledger(e);
    ledger.purchase(0, APP, 0, 0, 'buy');
    const entries = [...ledger.entries()].map((x) => ({
      ...x,
      postings: x.postings.map((p) => (p.account === 'viewer:0' ? { ...p, account: 'viewers:0' } : p)),
    }));
    // Coins purchased are counted from viewer postings: none, so the 70 coins held are not checked as 3.
    const r = checkJournal(entries, { economy: e });
    expect(ids(r)).toEqual([5]);
    expect(r.violations[0].found).toBe('0 coins for 99¢');
  });
});

/** Moves 1 ¢ of every purchase's net from platform:cash to platform:withdrawal_fees. */
class SkimmingLedger extends Ledger {
  constructor(economy = e, options: LedgerOptions = {}) {
    super(economy, { ...options, paranoid: false });
  }
  override post(family: Family, key: number, unit: UnitCode, amount: number): void {
    if (family === Family.Platform && key === PlatformAccount.Cash && amount > 0) {
      super.post(family, key, unit, amount - 1);
      super.post(family, PlatformAccount.WithdrawalFees, unit, 1);
      return;
    }
    super.post(family, key, unit, amount);
  }
}

describe('a purchase that skims 1 ¢ of net to another platform account', () => {
  it('is invariant 5 in the journal and in the state alone', () => {
    for (const journal of [true, false]) {
      const ledger = new SkimmingLedger(e, { journal });
      expect(ledger.purchase(0, APP, 0, 0, 'buy')).toBe(Status.Ok);
      const state = checkLedgerState(ledger);
      expect(ids(state)).toEqual([5]);
      expect(state.violations[0]).toMatchObject({ accounts: ['platform:cash'], expected: 70, found: 69 });
      if (journal) expect(journalIds(ledger)).toEqual([5]);
    }
  });
});

describe('without a journal', () => {
  it('a posting to the wrong unit breaks the unit sums (1), by the amount misposted', () => {
    const ledger = new WrongUnitLedger(e, { journal: false });
    ledger.purchase(0, APP, 1, 0); // 350 coins
    expect(ledger.gift(0, 0, PANDA, 40, 1)).toBe(Status.Ok); // 200 coins: 100 diamonds
    const r = checkLedgerState(ledger);
    const sums = r.violations.filter((v) => v.invariant === 1).map((v) => v.found);
    expect(sums).toEqual([100, -100]); // DIAMOND, USD
    expect(ids(r)).toEqual([1, 4]);
  });

  it("a withdrawal paid at twice the diamonds' value is invariant 8: payouts ≠ the value withdrawn", () => {
    const doubled = { ...e, diamondValueMilliCents: 2 * e.diamondValueMilliCents };
    for (const journal of [true, false]) {
      const ledger = new Ledger(e, {
        journal,
        kernel: {
          ...kernel,
          decideWithdrawal: (_e, r, h, out) => kernel.decideWithdrawal(doubled, r, h, out),
        },
      });
      ledger.purchase(0, APP, 1, 0);
      ledger.gift(0, 0, PANDA, 40, 1); // 100 diamonds, worth 50 ¢
      expect(ledger.withdraw(0, 100, 2, 'w')).toBe(Status.Ok);
      expect(ledger.paidOutCentsTo(0)).toBe(100);
      const state = checkLedgerState(ledger);
      expect(ids(state)).toEqual([8]);
      expect(state.violations[0]).toMatchObject({ expected: 50, found: 100 });
      if (journal) expect(journalIds(ledger)).toEqual([8]);
    }
  });

  it('a creator overdraft that later gifts cover up still shows, as invariant 8', () => {
    const ledger = new Ledger(e, { journal: false, kernel: BROKEN['over-redeem'].kernel });
    ledger.purchase(0, APP, 2, 0); // 1400 coins
    ledger.gift(0, 0, PANDA, 40, 1); // 100 diamonds
    expect(ledger.withdraw(0, 200, 2)).toBe(Status.Ok); // down to −100
    ledger.gift(0, 0, PANDA, 40, 3); // back to 0
    expect(ledger.diamondsOf(0)).toBe(0);
    const r = checkLedgerState(ledger);
    expect(r.violations).toEqual([
      {
        invariant: 8,
        seq: null,
        opId: null,
        accounts: [],
        expected: 0,
        found: 1,
        message: "1 withdrawal posting(s) left a creator's diamonds negative",
      },
    ]);
  });

  it('counts every violation, keeps at most maxViolations', () => {
    const ledger = new WrongUnitLedger(e, { journal: false });
    ledger.purchase(0, APP, 1, 0);
    ledger.gift(0, 0, PANDA, 40, 1);
    const all = checkLedgerState(ledger);
    expect(all.violationCount).toBe(all.violations.length);
    expect(all.violationCount).toBe(3); // two unit sums, diamonds issued ≠ credited
    const one = checkLedgerState(ledger, 1);
    expect(one.violationCount).toBe(3);
    expect(one.violations).toEqual([all.violations[0]]);
    expect(checkLedgerState(new Ledger(e)).violationCount).toBe(0);
  });
});

describe('a withdrawal not in whole cents', () => {
  it('101 diamonds at 0.5 ¢ taken whole (the quote takes 100) is invariant 8 in the journal', () => {
    const ledger = new Ledger(e, {
      paranoid: false,
      kernel: {
        ...kernel,
        decideWithdrawal(economy, requested, held, out) {
          const status = kernel.decideWithdrawal(economy, requested, held, out);
          out.diamonds = requested; // 101 diamonds for 50 ¢: half a cent of diamonds lost
          return status;
        },
      },
    });
    ledger.purchase(0, APP, 1, 0);
    ledger.gift(0, 0, PANDA, 42, 1); // 105 diamonds
    expect(ledger.withdraw(0, 101, 2, 'w')).toBe(Status.Ok);
    const r = checkJournal(ledger.entries(), { economy: e });
    expect(r.violations.map((v) => [v.invariant, v.expected, v.found])).toEqual([[8, 50, 50]]);
  });
});
