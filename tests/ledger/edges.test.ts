/** The ledger at its edges: ids at the arrays' capacity, keys reused on a different refund, refused ids. */
import { describe, expect, it } from 'vitest';
import { limits, targetLimits } from '../../common/limits.ts';
import { checkLedgerState } from '../../sim/invariants/ledger-state.ts';
import { Status } from '../../sim/kernel/status.ts';
import { Ledger } from '../../sim/ledger/ledger.ts';
import { testEconomy } from '../support/economy.ts';

const e = testEconomy;
const APP = 0;
const WEB = 1;
const PANDA = 1;

describe("ids at the arrays' capacity", () => {
  it('grow the arrays: no posting is lost for the first id past the expected population', () => {
    // Arrays sized for 1 viewer and 1 creator: id 1 is at their capacity.
    for (const journal of [true, false]) {
      const ledger = new Ledger(e, { viewers: 1, creators: 1, journal });
      expect(ledger.purchase(1, APP, 1, 0)).toBe(Status.Ok); // 350 coins
      expect(ledger.coinsOf(1)).toBe(350);
      expect(ledger.gift(1, 1, PANDA, 40, 1)).toBe(Status.Ok); // 200 coins: 100 diamonds
      expect(ledger.diamondsOf(1)).toBe(100);
      expect(ledger.coinsReceivedBy(1)).toBe(200);
      expect(ledger.withdraw(1, 100, 2)).toBe(Status.Ok);
      expect(ledger.paidOutCentsTo(1)).toBe(50);
      expect([ledger.viewers, ledger.creators]).toEqual([2, 2]);
      expect(checkLedgerState(ledger).violations).toEqual([]);
    }
  });

  it('grow past 16 and past a doubling, keeping what was there', () => {
    const ledger = new Ledger(e);
    for (const id of [0, 15, 16, 17, 31, 32, 33, 100]) {
      expect(ledger.purchase(id, WEB, 0, id)).toBe(Status.Ok);
      expect(ledger.gift(id, id, PANDA, 2, id)).toBe(Status.Ok); // 10 coins: 5 diamonds
    }
    for (const id of [0, 15, 16, 17, 31, 32, 33, 100]) {
      expect(ledger.coinsOf(id), `viewer ${id}`).toBe(60);
      expect(ledger.diamondsOf(id), `creator ${id}`).toBe(5);
      expect(ledger.carryOf(id)).toBe(0);
    }
    expect(ledger.coinsOf(1)).toBe(0);
    expect([ledger.viewers, ledger.creators]).toEqual([101, 101]);
    expect(checkLedgerState(ledger).violations).toEqual([]);
  });

  it('reads 0 for an id it never saw, and nothing past the ids it did', () => {
    const ledger = new Ledger(e);
    ledger.purchase(3, APP, 0, 0);
    expect([ledger.coinsOf(4), ledger.diamondsOf(0), ledger.carryOf(0), ledger.paidOutCentsTo(0)]).toEqual([
      0, 0, 0, 0,
    ]);
    expect(ledger.viewers).toBe(4);
    expect(ledger.creators).toBe(0);
  });
});

describe('refused before anything is posted', () => {
  it('invalid ids, counts and amounts: counted as rejected, nothing written, no key used', () => {
    const ledger = new Ledger(e);
    const bad = [
      ledger.purchase(-1, APP, 0, 0, 'k'),
      ledger.purchase(targetLimits.userIdMax, APP, 0, 0, 'k'),
      ledger.gift(0, targetLimits.userIdMax, PANDA, 1, 0, 'k'),
      ledger.gift(0, 0, PANDA, limits.giftCountMax + 1, 0, 'k'),
      ledger.gift(0, 0, PANDA, 0, 0, 'k'),
      ledger.withdraw(0, limits.withdrawalDiamondsMax + 1, 0, 'k'),
      ledger.withdraw(-1, 100, 0, 'k'),
      ledger.withdraw(0, 0, 0, 'k'),
    ];
    expect(bad.every((s) => s === Status.BadAmount)).toBe(true);
    expect(ledger.totals.rejected).toBe(bad.length);
    expect([ledger.entryCount, ledger.viewers, ledger.creators]).toEqual([0, 0, 0]);
    expect(ledger.purchase(0, APP, 0, 1, 'k')).toBe(Status.Ok);
  });
});

describe('a key reused', () => {
  it('on a refund of a different purchase is a conflict, and refunds nothing', () => {
    const ledger = new Ledger(e);
    ledger.purchase(0, WEB, 0, 0, 'p1');
    ledger.purchase(1, WEB, 0, 1, 'p2');
    expect(ledger.refund('p1', 2, 'r')).toBe(Status.Ok);
    expect(ledger.refund('p2', 3, 'r')).toBe(Status.IdempotencyConflict);
    expect(ledger.lastSeq).toBe(0);
    expect(ledger.coinsOf(1)).toBe(70);
    expect(ledger.refund('p2', 4, 'r2')).toBe(Status.Ok);
    expect(ledger.coinsOf(1)).toBe(0);
  });

  it('on a refused withdrawal replays the refusal, even once the balance would allow it', () => {
    const ledger = new Ledger(e);
    expect(ledger.withdraw(0, 100, 0, 'w')).toBe(Status.InsufficientDiamonds);
    ledger.purchase(0, APP, 1, 1);
    ledger.gift(0, 0, PANDA, 40, 2);
    expect(ledger.withdraw(0, 100, 3, 'w')).toBe(Status.InsufficientDiamonds);
    expect(ledger.lastReplayed).toBe(true);
    expect(ledger.withdraw(0, 101, 4, 'w')).toBe(Status.IdempotencyConflict);
    expect(ledger.diamondsOf(0)).toBe(100);
  });
});
