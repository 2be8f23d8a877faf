/** The ledger by example: refunds, rejections, replays and the journal's shape. */
import { describe, expect, it } from 'vitest';
import { Status } from '../../sim/kernel/status.ts';
import { PlatformAccount, UnitCode } from '../../sim/ledger/accounts.ts';
import type { JournalEntry } from '../../sim/ledger/journal.ts';
import { Ledger } from '../../sim/ledger/ledger.ts';
import { testEconomy } from '../support/economy.ts';

const APP = 0;
const WEB = 1;
const ROSE = 0;
const PANDA = 1;

describe('purchases and gifts', () => {
  it('journals a purchase in the shared shape, fees split per channel', () => {
    const ledger = new Ledger(testEconomy);
    expect(ledger.purchase(7, APP, 0, 12.5, 'buy-1')).toBe(Status.Ok);
    expect(ledger.lastSeq).toBe(1);
    expect(ledger.entry(1)).toEqual({
      seq: 1,
      opId: 'buy-1',
      kind: 'purchase',
      at: 12.5,
      postings: [
        { account: 'viewer:7', unit: 'COIN', amount: 70 },
        { account: 'platform:coins_issued', unit: 'COIN', amount: -70 },
        { account: 'buyers:app', unit: 'USD', amount: -99 },
        { account: 'store_fees:app', unit: 'USD', amount: 29 },
        { account: 'platform:cash', unit: 'USD', amount: 70 },
      ],
    } satisfies JournalEntry);
    expect(ledger.coinsOf(7)).toBe(70);
  });

  it('turns gifts into diamonds at the creator share, carrying the half diamond', () => {
    const ledger = new Ledger(testEconomy);
    ledger.purchase(0, WEB, 0, 0, 'buy');
    expect(ledger.gift(0, 3, ROSE, 1, 1, 'g1')).toBe(Status.Ok);
    expect(ledger.diamondsOf(3)).toBe(0);
    expect(ledger.carryOf(3)).toBe(5000);
    expect(ledger.entry(2).postings).toEqual([
      { account: 'viewer:0', unit: 'COIN', amount: -1 },
      { account: 'creator:3', unit: 'COIN', amount: 1 },
    ]);
    expect(ledger.gift(0, 3, PANDA, 1, 2, 'g2')).toBe(Status.Ok);
    expect(ledger.diamondsOf(3)).toBe(3);
    expect(ledger.carryOf(3)).toBe(0);
    expect(ledger.coinsOf(0)).toBe(64);
  });

  it('rejects an overdraft and changes nothing', () => {
    const ledger = new Ledger(testEconomy);
    ledger.purchase(0, WEB, 0, 0, 'buy');
    expect(ledger.gift(0, 1, 2, 1, 1, 'too-much')).toBe(Status.InsufficientCoins);
    expect(ledger.coinsOf(0)).toBe(70);
    expect(ledger.entryCount).toBe(1);
    expect(ledger.lastSeq).toBe(0);
    expect(ledger.totals.rejected).toBe(1);
  });

  it('rejects unknown channels, packs, gifts and bad amounts before looking at the key', () => {
    const ledger = new Ledger(testEconomy);
    expect(ledger.purchase(0, 9, 0, 0)).toBe(Status.UnknownChannel);
    expect(ledger.purchase(0, APP, 9, 0)).toBe(Status.UnknownPack);
    expect(ledger.purchase(-1, APP, 0, 0)).toBe(Status.BadAmount);
    expect(ledger.gift(0, 0, 99, 1, 0)).toBe(Status.UnknownGift);
    expect(ledger.gift(0, 0, ROSE, 0, 0)).toBe(Status.BadAmount);
    expect(ledger.gift(0, 0, ROSE, 1.5, 0)).toBe(Status.BadAmount);
    expect(ledger.gift(0, 2 ** 28, ROSE, 1, 0)).toBe(Status.BadAmount);
    expect(ledger.withdraw(0, 0, 0)).toBe(Status.BadAmount);
    expect(ledger.withdraw(0, Number.NaN, 0)).toBe(Status.BadAmount);
    expect(ledger.entryCount).toBe(0);
    expect(ledger.totals.rejected).toBe(9);
  });
});

describe('withdrawals', () => {
  function richCreator(): Ledger {
    const ledger = new Ledger(testEconomy);
    ledger.purchase(0, WEB, 1, 0, 'buy');
    ledger.gift(0, 5, 2, 1, 1, 'concert');
    expect(ledger.diamondsOf(5)).toBe(250);
    return ledger;
  }

  it('pays whole cents and leaves the odd diamond', () => {
    const ledger = richCreator();
    expect(ledger.withdraw(5, 151, 2, 'w1')).toBe(Status.Ok);
    expect(ledger.diamondsOf(5)).toBe(100);
    expect(ledger.paidOutCentsTo(5)).toBe(75);
    expect(ledger.platformBalance(PlatformAccount.DiamondsRedeemed, UnitCode.Diamond)).toBe(150);
  });

  it('refuses under the minimum and over the balance', () => {
    const ledger = richCreator();
    expect(ledger.withdraw(5, 99, 2, 'small')).toBe(Status.BelowMinimum);
    expect(ledger.withdraw(5, 252, 2, 'big')).toBe(Status.InsufficientDiamonds);
    expect(ledger.withdraw(6, 100, 2, 'nobody')).toBe(Status.InsufficientDiamonds);
    expect(ledger.diamondsOf(5)).toBe(250);
    expect(ledger.entryCount).toBe(2);
  });
});

describe('refunds', () => {
  it('reverses a purchase exactly', () => {
    const ledger = new Ledger(testEconomy);
    ledger.purchase(1, WEB, 1, 0, 'buy');
    expect(ledger.refund('buy', 1, 'r1')).toBe(Status.Ok);
    expect(ledger.coinsOf(1)).toBe(0);
    const cash = ledger.channelCash(WEB);
    // (gross reads as −0 here: the negated buyers' balance; equal to 0 for every purpose but Object.is)
    expect([cash.grossCents, ...cash.feeCents].map((c) => c + 0)).toEqual([0, 0, 0]);
    expect(ledger.platformBalance(PlatformAccount.Cash, UnitCode.Usd)).toBe(0);
    expect(ledger.platformBalance(PlatformAccount.CoinsRefunded, UnitCode.Coin)).toBe(1750);
    expect(ledger.entry(2).kind).toBe('refund');
    expect(ledger.totals.coinsRefunded).toBe(1750);
  });

  it('refuses an unknown purchase without remembering the key', () => {
    const ledger = new Ledger(testEconomy);
    expect(ledger.refund('never-bought', 0, 'r1')).toBe(Status.UnknownPurchase);
    expect(ledger.entryCount).toBe(0);
    // The key was not used up: it can still name a real operation.
    expect(ledger.purchase(0, APP, 0, 1, 'r1')).toBe(Status.Ok);
  });

  it('refuses a refunded purchase, with a new key and on replay of the first refund', () => {
    const ledger = new Ledger(testEconomy);
    ledger.purchase(1, WEB, 0, 0, 'buy');
    expect(ledger.refund('buy', 1, 'r1')).toBe(Status.Ok);
    expect(ledger.refund('buy', 2, 'r2')).toBe(Status.AlreadyRefunded);
    expect(ledger.refund('buy', 3, 'r2')).toBe(Status.AlreadyRefunded);
    expect(ledger.refund('buy', 4, 'r1')).toBe(Status.Ok);
    expect(ledger.lastReplayed).toBe(true);
    expect(ledger.lastSeq).toBe(2);
    expect(ledger.entryCount).toBe(2);
    expect(ledger.coinsOf(1)).toBe(0);
  });

  it('refuses a refund of coins already spent', () => {
    const ledger = new Ledger(testEconomy);
    ledger.purchase(1, WEB, 0, 0, 'buy');
    ledger.gift(1, 0, ROSE, 1, 1, 'g');
    expect(ledger.refund('buy', 2, 'r1')).toBe(Status.InsufficientCoins);
    expect(ledger.coinsOf(1)).toBe(69);
  });

  it('cannot refund without a key or in a ledger that keeps neither journal nor keys', () => {
    const ledger = new Ledger(testEconomy, { journal: false, idempotency: false });
    ledger.purchase(1, WEB, 0, 0, 'buy');
    expect(ledger.refund('buy', 1)).toBe(Status.UnknownPurchase);
  });
});

describe('idempotency', () => {
  it('returns the first result, even a rejection, and writes nothing new', () => {
    const ledger = new Ledger(testEconomy);
    expect(ledger.gift(0, 0, ROSE, 1, 0, 'g')).toBe(Status.InsufficientCoins);
    ledger.purchase(0, APP, 0, 1, 'buy');
    expect(ledger.gift(0, 0, ROSE, 1, 2, 'g')).toBe(Status.InsufficientCoins);
    expect(ledger.lastReplayed).toBe(true);
    expect(ledger.purchase(0, APP, 0, 3, 'buy')).toBe(Status.Ok);
    expect(ledger.lastSeq).toBe(1);
    expect(ledger.entryCount).toBe(1);
    expect(ledger.coinsOf(0)).toBe(70);
  });

  it('answers a different request under a used key with a conflict', () => {
    const ledger = new Ledger(testEconomy);
    ledger.purchase(0, APP, 0, 0, 'k');
    expect(ledger.purchase(0, APP, 1, 1, 'k')).toBe(Status.IdempotencyConflict);
    expect(ledger.purchase(1, APP, 0, 1, 'k')).toBe(Status.IdempotencyConflict);
    expect(ledger.gift(0, 0, ROSE, 1, 1, 'k')).toBe(Status.IdempotencyConflict);
    expect(ledger.withdraw(0, 100, 1, 'k')).toBe(Status.IdempotencyConflict);
    expect(ledger.refund('k', 1, 'k')).toBe(Status.IdempotencyConflict);
    expect(ledger.entryCount).toBe(1);
    expect(ledger.coinsOf(0)).toBe(70);
  });

  it('applies every request when keys are off', () => {
    const ledger = new Ledger(testEconomy, { idempotency: false });
    ledger.purchase(0, APP, 0, 0, 'k');
    ledger.purchase(0, APP, 0, 1, 'k');
    expect(ledger.coinsOf(0)).toBe(140);
    expect(ledger.entryCount).toBe(2);
  });
});

describe('journal', () => {
  it('hands every entry to onEntry as it is written', () => {
    const seen: JournalEntry[] = [];
    const ledger = new Ledger(testEconomy, { onEntry: (e) => seen.push(e) });
    ledger.purchase(0, APP, 0, 0, 'a');
    ledger.gift(0, 0, PANDA, 2, 1, 'b');
    expect(seen).toEqual([...ledger.entries()]);
    expect(seen.map((e) => e.seq)).toEqual([1, 2]);
  });

  it('reads entries after a seq, and names entries without a key by their seq', () => {
    const ledger = new Ledger(testEconomy);
    ledger.purchase(0, APP, 0, 0);
    ledger.purchase(0, APP, 0, 1, 'keyed');
    ledger.purchase(0, APP, 0, 2);
    expect([...ledger.entries(1)].map((e) => e.opId)).toEqual(['keyed', 'op-3']);
    expect(ledger.entry(1).opId).toBe('op-1');
  });

  it('grows past 1024 entries and 4096 postings without losing or shifting any', () => {
    const ledger = new Ledger(testEconomy);
    const n = 3000;
    for (let i = 0; i < n; i++) {
      expect(ledger.purchase(i % 17, WEB, i % 2, i, `p${i}`)).toBe(Status.Ok);
      if (i % 3 === 0) expect(ledger.gift(i % 17, i % 5, PANDA, 1, i, `g${i}`)).toBe(Status.Ok);
    }
    const entries = [...ledger.entries()];
    expect(entries.length).toBe(n + n / 3);
    expect(entries.length).toBe(ledger.entryCount);
    let postings = 0;
    entries.forEach((e, i) => {
      expect(e.seq).toBe(i + 1);
      postings += e.postings.length;
    });
    expect(postings).toBeGreaterThan(4096 * 2);
    for (const seq of [1, 1023, 1024, 1025, 1026, 2047, 2048, 2049, entries.length]) {
      const e = ledger.entry(seq);
      const i = Number(e.opId.slice(1));
      expect(e.at).toBe(i);
      if (e.kind === 'purchase') {
        expect(e.opId).toBe(`p${i}`);
        expect(e.postings[0]).toEqual({
          account: `viewer:${i % 17}`,
          unit: 'COIN',
          amount: i % 2 ? 1750 : 70,
        });
      } else {
        expect(e.opId).toBe(`g${i}`);
        expect(e.postings[1]).toEqual({ account: `creator:${i % 5}`, unit: 'COIN', amount: 5 });
      }
    }
  });

  it('keeps no journal when asked, and says so instead of returning nothing', () => {
    const ledger = new Ledger(testEconomy, { journal: false });
    ledger.purchase(0, APP, 0, 0, 'a');
    expect(ledger.entryCount).toBe(1);
    expect(ledger.hasJournal()).toBe(false);
    expect(() => ledger.entries()).toThrow(/no journal/);
    expect(() => ledger.entry(1)).toThrow(/no journal/);
  });
});
