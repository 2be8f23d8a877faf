import { describe, expect, it } from 'vitest';
import { checkLedgerState } from '../../sim/invariants/ledger-state.ts';
import { BROKEN } from '../../sim/kernel/broken.ts';
import { Ledger } from '../../sim/ledger/ledger.ts';
import { testEconomy } from '../support/economy.ts';

const ids = (l: Ledger) => [...new Set(checkLedgerState(l).violations.map((v) => v.invariant))];

describe('an overdraft that later purchases cover up', () => {
  // viewer 0 buys 70 coins, gifts a 500-coin Concert (an overdraft), then buys 1400: the final balance is positive.
  const script = (l: Ledger) => {
    l.purchase(0, 0, 0, 1);
    l.gift(0, 0, 2, 1, 2);
    l.purchase(0, 0, 2, 3);
    return l;
  };

  it('still shows in a journal-less run, as invariant 2 exactly', () => {
    const broken = script(
      new Ledger(testEconomy, {
        journal: false,
        idempotency: false,
        kernel: BROKEN['no-balance-check'].kernel,
      }),
    );
    expect(broken.coinsOf(0)).toBeGreaterThan(0);
    expect(ids(broken)).toEqual([2]);
  });

  it('is not reported for the healthy ledger, which refuses the gift', () => {
    const healthy = script(new Ledger(testEconomy, { journal: false, idempotency: false }));
    expect(healthy.totals.gifts).toBe(0);
    expect(ids(healthy)).toEqual([]);
  });
});
