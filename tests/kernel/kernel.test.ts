/** The kernel by example: each check at its bounds and in its order, each decision at its edge. */
import { describe, expect, it } from 'vitest';
import { limits, targetLimits } from '../../common/limits.ts';
import { newPurchaseSplit } from '../../sim/economy/rules.ts';
import type { Economy } from '../../sim/economy/types.ts';
import {
  checkGift,
  checkPurchase,
  checkRefund,
  checkWithdrawal,
  kernel,
  newGiftPlan,
  newWithdrawalQuote,
  validId,
} from '../../sim/kernel/operations.ts';
import { Status } from '../../sim/kernel/status.ts';
import { testEconomy } from '../support/economy.ts';

const e = testEconomy;
const APP = 0;
const ROSE = 0;
const PANDA = 1;
const ID_MAX = targetLimits.userIdMax;
const named = (s: Status) => Status[s];

describe('ids', () => {
  it('are safe integers from 0 to userIdMax − 1', () => {
    for (const ok of [0, 1, ID_MAX - 1]) expect(validId(ok), String(ok)).toBe(true);
    for (const bad of [-1, ID_MAX, ID_MAX + 1, 0.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])
      expect(validId(bad), String(bad)).toBe(false);
  });
});

describe('checks, in the order both stores answer them', () => {
  it('purchase: channel, then pack, then viewer', () => {
    expect(named(checkPurchase(e, 0, APP, 0))).toBe('Ok');
    expect(named(checkPurchase(e, -1, 9, 9))).toBe('UnknownChannel');
    expect(named(checkPurchase(e, -1, -1, 0))).toBe('UnknownChannel');
    expect(named(checkPurchase(e, -1, APP, 3))).toBe('UnknownPack');
    expect(named(checkPurchase(e, -1, APP, -1))).toBe('UnknownPack');
    expect(named(checkPurchase(e, -1, APP, 2))).toBe('BadAmount');
    expect(named(checkPurchase(e, ID_MAX, APP, 2))).toBe('BadAmount');
    expect(named(checkPurchase(e, ID_MAX - 1, APP, 2))).toBe('Ok');
  });

  it('gift: gift, then count, then ids, then a known creator', () => {
    expect(named(checkGift(e, 0, 0, 4, 0, false))).toBe('UnknownGift');
    expect(named(checkGift(e, -1, -1, ROSE, 0, false))).toBe('BadAmount');
    expect(named(checkGift(e, 0, 0, ROSE, 1, false))).toBe('UnknownCreator');
    expect(named(checkGift(e, 0, 0, ROSE, 1))).toBe('Ok');
    expect(named(checkGift(e, 0, 0, ROSE, 1, true))).toBe('Ok');
  });

  it('gift: 1 to giftCountMax of a gift, whole', () => {
    const max = limits.giftCountMax;
    for (const ok of [1, 2, max]) expect(named(checkGift(e, 0, 0, ROSE, ok)), String(ok)).toBe('Ok');
    for (const bad of [0, -1, max + 1, 1.5, Number.NaN])
      expect(named(checkGift(e, 0, 0, ROSE, bad)), String(bad)).toBe('BadAmount');
  });

  it('gift: the viewer and the creator must both be valid ids', () => {
    expect(named(checkGift(e, ID_MAX, 0, ROSE, 1))).toBe('BadAmount');
    expect(named(checkGift(e, 0, ID_MAX, ROSE, 1))).toBe('BadAmount');
    expect(named(checkGift(e, -1, 0, ROSE, 1))).toBe('BadAmount');
    expect(named(checkGift(e, 0, -1, ROSE, 1))).toBe('BadAmount');
  });

  it('withdrawal: 1 to withdrawalDiamondsMax diamonds, whole, for a valid creator', () => {
    const max = limits.withdrawalDiamondsMax;
    for (const ok of [1, max]) expect(named(checkWithdrawal(0, ok)), String(ok)).toBe('Ok');
    for (const bad of [0, -1, max + 1, 2.5, Number.NaN])
      expect(named(checkWithdrawal(0, bad)), String(bad)).toBe('BadAmount');
    expect(named(checkWithdrawal(ID_MAX, 1))).toBe('BadAmount');
    expect(named(checkWithdrawal(-1, 1))).toBe('BadAmount');
    expect(named(checkWithdrawal(ID_MAX - 1, 1))).toBe('Ok');
  });

  it('refund: only of a known purchase', () => {
    expect(named(checkRefund(undefined))).toBe('UnknownPurchase');
    expect(named(checkRefund({ viewer: 0, channel: 0, pack: 0, refunded: true }))).toBe('Ok');
  });
});

describe('decisions', () => {
  it('write into plans and quotes that start at zero, every field there before the first decision', () => {
    expect(newGiftPlan()).toStrictEqual({ coins: 0, diamonds: 0, carryAfterBp: 0 });
    expect(newWithdrawalQuote()).toStrictEqual({ diamonds: 0, grossCents: 0, feeCents: 0, netCents: 0 });
  });

  it('a purchase splits its pack: 99¢ on the app is 29¢ store fee and 70¢ net for 70 coins', () => {
    const split = newPurchaseSplit();
    expect(named(kernel.decidePurchase(e, APP, 0, split))).toBe('Ok');
    // Fees in PURCHASE_FEES order: store, then payment.
    expect(split).toEqual({ grossCents: 99, feeCents: [29, 0], netCents: 70, coins: 70 });
  });

  it('a gift is paid from exactly enough coins and refused one coin short, with its price', () => {
    const plan = newGiftPlan();
    expect(named(kernel.decideGift(e, PANDA, 3, 14, 0, plan))).toBe('InsufficientCoins');
    expect(plan.coins).toBe(15);
    expect(named(kernel.decideGift(e, PANDA, 3, 15, 5000, plan))).toBe('Ok');
    // 15 coins at 50 % with half a diamond carried: 8 diamonds, nothing carried.
    expect(plan).toEqual({ coins: 15, diamonds: 8, carryAfterBp: 0 });
    expect(named(kernel.decideGift(e, ROSE, 1, 1, 0, plan))).toBe('Ok');
    expect(plan).toEqual({ coins: 1, diamonds: 0, carryAfterBp: 5000 });
  });

  it('a withdrawal takes whole cents, at least the minimum and at most the balance', () => {
    const quote = newWithdrawalQuote();
    // 0.5 ¢ a diamond: 101 asked is 100 taken, worth 50 ¢.
    expect(named(kernel.decideWithdrawal(e, 101, 100, quote))).toBe('Ok');
    expect(quote).toEqual({ diamonds: 100, grossCents: 50, feeCents: 0, netCents: 50 });
    expect(named(kernel.decideWithdrawal(e, 101, 99, quote))).toBe('InsufficientDiamonds');
    expect(quote.diamonds).toBe(100);
    expect(named(kernel.decideWithdrawal(e, 99, 1_000, quote))).toBe('BelowMinimum');
    expect(quote.diamonds).toBe(98);
    const noMinimum: Economy = { ...e, withdrawal: { ...e.withdrawal, minDiamonds: 0 } };
    expect(named(kernel.decideWithdrawal(noMinimum, 1, 1_000, quote))).toBe('BelowMinimum');
    expect(quote.diamonds).toBe(0);
    expect(named(kernel.decideWithdrawal(noMinimum, 2, 1_000, quote))).toBe('Ok');
  });

  it('a refund reverses a purchase not refunded yet, whose coins the viewer still holds', () => {
    const split = newPurchaseSplit();
    const bought = { viewer: 0, channel: 1, pack: 1, refunded: false };
    expect(named(kernel.decideRefund(e, bought, 1_749, split))).toBe('InsufficientCoins');
    expect(split.coins).toBe(1_750);
    expect(named(kernel.decideRefund(e, bought, 1_750, split))).toBe('Ok');
    expect(split).toEqual({
      grossCents: 1500,
      feeCents: [0, 73],
      netCents: 1427,
      coins: 1750,
    });
    expect(named(kernel.decideRefund(e, { ...bought, refunded: true }, 1_750, split))).toBe(
      'AlreadyRefunded',
    );
  });
});
