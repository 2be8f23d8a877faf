/**
 * The ledger at its edges: ids at the arrays' capacity, keys reused on a different refund, refused ids,
 * the population limits, entries that do not balance, the counters, the balance table.
 */
import { describe, expect, it } from 'vitest';
import { limits, targetLimits } from '../../common/limits.ts';
import { checkLedgerState } from '../../sim/invariants/ledger-state.ts';
import { Status } from '../../sim/kernel/status.ts';
import { Family, UnitCode } from '../../sim/ledger/accounts.ts';
import { Ledger, type LedgerOptions } from '../../sim/ledger/ledger.ts';
import { testEconomy } from '../support/economy.ts';

const e = testEconomy;
const APP = 0;
const WEB = 1;
const ROSE = 0;
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

  it("reads 0 at and past the arrays' end", () => {
    const ledger = new Ledger(e, { viewers: 1, creators: 1 });
    ledger.purchase(0, APP, 1, 0);
    ledger.gift(0, 0, PANDA, 41, 1); // 102.5 diamonds
    ledger.withdraw(0, 100, 2);
    for (const id of [1, 1000]) {
      const read = [ledger.coinsOf(id), ledger.diamondsOf(id), ledger.coinsReceivedBy(id)];
      expect([...read, ledger.paidOutCentsTo(id), ledger.carryOf(id)], `id ${id}`).toEqual([0, 0, 0, 0, 0]);
    }
  });

  it('states every non-zero balance, and only those', () => {
    expect([...new Ledger(e).balances()]).toEqual([]);
    const refused = new Ledger(e);
    expect(refused.withdraw(0, 100, 0)).toBe(Status.InsufficientDiamonds);
    expect(refused.creators).toBe(1);
    expect([...refused.balances()]).toEqual([]);
    const ledger = new Ledger(e, { viewers: 1, creators: 1 });
    ledger.purchase(0, WEB, 0, 0); // 70 coins for 74 ¢: 32 ¢ payment fee
    ledger.gift(0, 0, ROSE, 70, 1); // all of them: 35 diamonds
    expect([...ledger.balances()]).toEqual([
      { account: 'creator:0', unit: 'COIN', balance: 70 },
      { account: 'creator:0', unit: 'DIAMOND', balance: 35 },
      { account: 'platform:coins_issued', unit: 'COIN', balance: -70 },
      { account: 'platform:diamonds_issued', unit: 'DIAMOND', balance: -35 },
      { account: 'platform:cash', unit: 'USD', balance: 42 },
      { account: 'buyers:web', unit: 'USD', balance: -74 },
      { account: 'payment_fees:web', unit: 'USD', balance: 32 },
    ]);
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

describe('the population limits', () => {
  it('refuses a ledger sized over them', () => {
    expect(() => new Ledger(e, { viewers: limits.viewersMax + 1 })).toThrow(/population over limits/);
    expect(() => new Ledger(e, { creators: limits.creatorsMax + 1 })).toThrow(/population over limits/);
  });
});

/** Adds 1 to the first posting in `unit` of every entry, so that the entry does not balance in it. */
class Skewing extends Ledger {
  private skewed = -1;
  constructor(
    private readonly unit: UnitCode,
    options: LedgerOptions = {},
  ) {
    super(e, options);
  }
  override post(family: Family, key: number, unit: UnitCode, amount: number): void {
    const first = unit === this.unit && this.skewed !== this.entryCount;
    if (first) this.skewed = this.entryCount;
    super.post(family, key, unit, first ? amount + 1 : amount);
  }
}

describe('an entry that does not balance', () => {
  it('is refused by default in any unit, kept when paranoia is off', () => {
    const op = (l: Ledger) => {
      l.purchase(0, APP, 1, 0);
      l.gift(0, 0, PANDA, 40, 1);
    };
    for (const unit of [UnitCode.Coin, UnitCode.Diamond, UnitCode.Usd]) {
      expect(() => op(new Skewing(unit)), `unit ${unit}`).toThrow(/entry does not balance/);
      const lax = new Skewing(unit, { paranoid: false });
      op(lax);
      expect(lax.unitSum(unit), `unit ${unit}`).toBe(unit === UnitCode.Coin ? 2 : 1);
    }
  });

  it('viewers hold coins only', () => {
    expect(() => new Ledger(e).post(Family.Viewer, 0, UnitCode.Diamond, 1)).toThrow(
      /viewers hold coins only/,
    );
  });
});

describe('the counters and flags beside the balances', () => {
  it('count operations by kind, rejections apart', () => {
    const ledger = new Ledger(e);
    expect(ledger.hasJournal()).toBe(true);
    expect(new Ledger(e, { journal: false }).hasJournal()).toBe(false);
    ledger.purchase(0, WEB, 0, 0, 'p1');
    ledger.purchase(0, WEB, 0, 1, 'p2');
    ledger.refund('p2', 2);
    ledger.gift(0, 0, PANDA, 2, 3);
    ledger.gift(0, 0, PANDA, 1000, 4); // not enough coins
    expect(ledger.totals).toMatchObject({ purchases: 2, refunds: 1, gifts: 1, withdrawals: 0, rejected: 1 });
  });

  it('say whether the last call was a replay: not before any, nor after a new, keyless or refused one', () => {
    const ledger = new Ledger(e);
    expect(ledger.lastReplayed).toBe(false);
    ledger.purchase(0, WEB, 0, 0, 'p1');
    expect(ledger.lastReplayed).toBe(false);
    ledger.purchase(0, WEB, 0, 0, 'p1');
    expect(ledger.lastReplayed).toBe(true);
    ledger.refund('p1', 1);
    expect(ledger.lastReplayed).toBe(false);
    ledger.purchase(0, WEB, 0, 0, 'p1');
    expect(ledger.lastReplayed).toBe(true);
    expect(ledger.purchase(-1, WEB, 0, 2, 'p1')).toBe(Status.BadAmount);
    expect(ledger.lastReplayed).toBe(false);
  });

  it('hands no entry to onEntry when it keeps no journal', () => {
    const seen: number[] = [];
    const ledger = new Ledger(e, { journal: false, onEntry: (x) => seen.push(x.seq) });
    expect(ledger.purchase(0, APP, 0, 0)).toBe(Status.Ok);
    expect(seen).toEqual([]);
  });
});

describe('a ledger without journal or idempotency (the engine’s), given operation ids', () => {
  it('applies them without remembering: a key used again applies again, and no purchase can be refunded by it', () => {
    const ledger = new Ledger(e, { viewers: 4, creators: 1, journal: false, idempotency: false });
    expect(ledger.purchase(1, APP, 0, 0, 'p1')).toBe(Status.Ok);
    const once = ledger.coinsOf(1);
    expect(ledger.purchase(1, APP, 0, 1, 'p1')).toBe(Status.Ok);
    expect(ledger.coinsOf(1)).toBe(2 * once);
    // No record of purchases is kept without a journal or keys: the refund finds none.
    expect(ledger.refund('p1', 2, 'r1')).toBe(Status.UnknownPurchase);
    expect(ledger.coinsOf(1)).toBe(2 * once);
    expect(checkLedgerState(ledger).violations).toEqual([]);
  });
});

describe('the population a ledger is sized for', () => {
  it('takes exactly the limits, and refuses one more', () => {
    expect(() => new Ledger(e, { viewers: limits.viewersMax, creators: 1 })).not.toThrow();
    expect(() => new Ledger(e, { viewers: 1, creators: limits.creatorsMax })).not.toThrow();
    expect(() => new Ledger(e, { viewers: limits.viewersMax + 1, creators: 1 })).toThrow(
      'population over limits',
    );
    expect(() => new Ledger(e, { viewers: 1, creators: limits.creatorsMax + 1 })).toThrow(
      'population over limits',
    );
  });
});
