/** Edge cases of the economy rules, by example. */
import { describe, expect, it } from 'vitest';
import {
  centsPerThousandCoins,
  diamondStep,
  feesOf,
  giftDiamonds,
  newPurchaseSplit,
  nextCarry,
  quoteWithdrawal,
  splitPurchase,
} from '../../sim/economy/rules.ts';
import type { Channel, Economy } from '../../sim/economy/types.ts';
import { assertEconomy } from '../../sim/economy/types.ts';
import { testEconomy } from '../support/economy.ts';

const web: Channel = {
  id: 'web',
  storeFeeBp: 0,
  paymentFeeBp: 290,
  paymentFeeFixedCents: 30,
  packs: [
    { id: 'tiny', coins: 10, priceCents: 20 },
    { id: 'c1750', coins: 1750, priceCents: 1500 },
  ],
};

const withValue = (diamondValueMilliCents: number, minDiamonds = 0): Economy => ({
  ...testEconomy,
  diamondValueMilliCents,
  withdrawal: { minDiamonds, feeBp: 0, feeFixedCents: 0 },
});

describe('purchase fees', () => {
  it('caps a web fee larger than the price at the price: net 0, never negative', () => {
    expect(feesOf(web, 20)).toEqual([0, 20]); // [store, payment], PURCHASE_FEES' order
    const s = splitPurchase(web, web.packs[0], newPurchaseSplit());
    expect(s).toEqual({ grossCents: 20, feeCents: [0, 20], netCents: 0, coins: 10 });
  });

  it('caps the payment fee at what the store leaves', () => {
    const both: Channel = { ...web, storeFeeBp: 3000 };
    expect(feesOf(both, 20)).toEqual([6, 14]);
  });

  it('computes the $15 web pack: 2.9 % rounded down plus 30 ¢', () => {
    const s = splitPurchase(web, web.packs[1], newPurchaseSplit());
    expect(s.feeCents).toEqual([0, 43 + 30]);
    expect(s.netCents).toBe(1500 - 73);
  });

  it('rounds the store fee down: 30 % of 99 ¢ is 29 ¢, the remainder stays in net', () => {
    const app = testEconomy.channels[0];
    const s = splitPurchase(app, app.packs[0], newPurchaseSplit());
    expect(s.feeCents[0]).toBe(29);
    expect(s.netCents).toBe(70);
  });

  it('prices a pack per thousand coins', () => {
    expect(centsPerThousandCoins({ id: 'x', coins: 1750, priceCents: 1500 })).toBe(857);
  });
});

describe('diamonds', () => {
  it('carries a half diamond and pays it on the next gift', () => {
    expect(giftDiamonds(5000, 1, 0)).toBe(0);
    expect(nextCarry(5000, 1, 0)).toBe(5000);
    expect(giftDiamonds(5000, 1, 5000)).toBe(1);
    expect(nextCarry(5000, 1, 5000)).toBe(0);
  });

  it('pays a third-share exactly over three gifts', () => {
    let carry = 0;
    let diamonds = 0;
    for (let i = 0; i < 3; i++) {
      diamonds += giftDiamonds(3333, 1, carry);
      carry = nextCarry(3333, 1, carry);
    }
    expect(diamonds).toBe(0);
    expect(carry).toBe(9999);
  });
});

describe('withdrawal steps', () => {
  it('an odd diamond value (333 milli-cents) moves in steps of 1000 diamonds = 333 ¢', () => {
    expect(diamondStep(333)).toBe(1000);
    expect(quoteWithdrawal(withValue(333), 1999)).toEqual({
      diamonds: 1000,
      grossCents: 333,
      feeCents: 0,
      netCents: 333,
    });
    expect(quoteWithdrawal(withValue(333), 999).diamonds).toBe(0);
  });

  it('steps for common values: 500 → 2, 250 → 4, 1000 → 1, 1250 → 4, 7 → 1000', () => {
    expect([500, 250, 1000, 1250, 7].map(diamondStep)).toEqual([2, 4, 1, 4, 1000]);
  });

  it('takes an odd request down to the step and leaves the rest', () => {
    expect(quoteWithdrawal(withValue(500), 101)).toMatchObject({ diamonds: 100, grossCents: 50 });
  });

  it('caps the withdrawal fee at the gross', () => {
    const economy: Economy = {
      ...testEconomy,
      withdrawal: { minDiamonds: 0, feeBp: 1000, feeFixedCents: 100 },
    };
    expect(quoteWithdrawal(economy, 10)).toEqual({ diamonds: 10, grossCents: 5, feeCents: 5, netCents: 0 });
    expect(quoteWithdrawal(economy, 1000)).toEqual({
      diamonds: 1000,
      grossCents: 500,
      feeCents: 150,
      netCents: 350,
    });
  });

  it('rejects a negative or fractional request as a programmer error', () => {
    expect(() => quoteWithdrawal(testEconomy, -1)).toThrow(/requestedDiamonds/);
    expect(() => quoteWithdrawal(testEconomy, 1.5)).toThrow(/requestedDiamonds/);
  });
});

describe('assertEconomy', () => {
  it('accepts the test economy', () => expect(() => assertEconomy(testEconomy)).not.toThrow());

  it('rejects duplicate ids, a share over 100 % and a zero diamond value', () => {
    const dupe = { ...testEconomy, gifts: [testEconomy.gifts[0], testEconomy.gifts[0]] };
    expect(() => assertEconomy(dupe)).toThrow(/unique/);
    expect(() => assertEconomy({ ...testEconomy, creatorShareBp: 10_001 })).toThrow(/creatorShareBp/);
    expect(() => assertEconomy({ ...testEconomy, diamondValueMilliCents: 0 })).toThrow(/diamondValue/);
  });
});
