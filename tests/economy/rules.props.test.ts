/** Laws of the economy rules, for any economy the arbitraries can build. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BP, MILLI } from '../../common/limits.ts';
import {
  diamondStep,
  diamondsToCents,
  feesOf,
  giftDiamonds,
  newPurchaseSplit,
  nextCarry,
  quoteWithdrawal,
  splitPurchase,
} from '../../sim/economy/rules.ts';
import { assertEconomy } from '../../sim/economy/types.ts';
import { bpArb, channelArb, diamondValueArb, economyArb } from '../support/arbitraries.ts';

describe('purchase split', () => {
  it('every generated economy is sound', () => {
    fc.assert(
      fc.property(economyArb, (economy) => {
        expect(() => assertEconomy(economy)).not.toThrow();
      }),
    );
  });

  it('fees + net = gross for every pack of every channel, each part >= 0', () => {
    fc.assert(
      fc.property(economyArb, (economy) => {
        const out = newPurchaseSplit();
        for (const channel of economy.channels) {
          for (const pack of channel.packs) {
            const s = splitPurchase(channel, pack, out);
            expect(s.feeCents.reduce((a, b) => a + b, 0) + s.netCents).toBe(s.grossCents);
            expect(s.grossCents).toBe(pack.priceCents);
            expect(s.coins).toBe(pack.coins);
            for (const part of [...s.feeCents, s.netCents]) {
              expect(part).toBeGreaterThanOrEqual(0);
              expect(Number.isSafeInteger(part)).toBe(true);
            }
          }
        }
      }),
    );
  });

  it('fees round down: the store never takes more than its share, the processor never more than is left', () => {
    fc.assert(
      fc.property(channelArb('ch'), fc.integer({ min: 1, max: 1_000_000 }), (channel, grossCents) => {
        const [store, payment] = feesOf(channel, grossCents);
        expect(store * BP).toBeLessThanOrEqual(grossCents * channel.storeFeeBp);
        expect((store + 1) * BP).toBeGreaterThan(grossCents * channel.storeFeeBp);
        expect(store + payment).toBeLessThanOrEqual(grossCents);
        const uncapped = Math.floor((grossCents * channel.paymentFeeBp) / BP) + channel.paymentFeeFixedCents;
        expect(payment).toBe(Math.min(uncapped, grossCents - store));
      }),
    );
  });
});

describe('diamonds and the carried remainder', () => {
  it('Σ diamonds × BP + carry = Σ coins × share, the carry stays below one diamond, never more than the share', () => {
    fc.assert(
      fc.property(
        bpArb,
        fc.array(fc.integer({ min: 1, max: 1_000_000 }), { maxLength: 50 }),
        (shareBp, gifts) => {
          let carry = 0;
          let diamonds = 0;
          let owedBp = 0;
          for (const coins of gifts) {
            const d = giftDiamonds(shareBp, coins, carry);
            carry = nextCarry(shareBp, coins, carry);
            diamonds += d;
            owedBp += coins * shareBp;
            expect(d).toBeGreaterThanOrEqual(0);
            expect(carry).toBeGreaterThanOrEqual(0);
            expect(carry).toBeLessThan(BP);
            expect(diamonds * BP + carry).toBe(owedBp);
            expect(diamonds * BP).toBeLessThanOrEqual(owedBp);
          }
          // Splitting the same coins into many gifts never pays less than one gift (beyond the carry).
          expect(diamonds).toBe(Math.floor(owedBp / BP));
        },
      ),
    );
  });
});

describe('withdrawal quotes', () => {
  it('the step is the smallest number of diamonds worth whole cents', () => {
    fc.assert(
      fc.property(diamondValueArb, (value) => {
        const step = diamondStep(value);
        expect(Number.isSafeInteger(step)).toBe(true);
        let smallest = 1;
        while ((smallest * value) % MILLI !== 0) smallest++;
        expect(step).toBe(smallest);
      }),
    );
  });

  it('never create value: gross = diamonds × value exactly, leftover diamonds stay, fee + net = gross', () => {
    fc.assert(
      fc.property(economyArb, fc.integer({ min: 0, max: 10_000_000_000 }), (economy, requested) => {
        const value = economy.diamondValueMilliCents;
        const q = quoteWithdrawal(economy, requested);
        const leftover = requested - q.diamonds;
        expect(q.diamonds).toBeLessThanOrEqual(requested);
        expect(leftover).toBeGreaterThanOrEqual(0);
        expect(leftover).toBeLessThan(diamondStep(value));
        expect(q.grossCents * MILLI).toBe(q.diamonds * value);
        expect(q.grossCents).toBe(diamondsToCents(value, q.diamonds));
        // The leftover is worth less than... nothing is dropped: it is not paid and stays a diamond balance.
        expect(q.feeCents + q.netCents).toBe(q.grossCents);
        expect(q.feeCents).toBeGreaterThanOrEqual(0);
        expect(q.netCents).toBeGreaterThanOrEqual(0);
        if (q.diamonds === 0) expect(q.feeCents).toBe(0);
      }),
    );
  });

  it('quoting is monotone: asking for more never pays less', () => {
    fc.assert(
      fc.property(economyArb, fc.nat(1_000_000), fc.nat(1_000_000), (economy, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(quoteWithdrawal(economy, lo).grossCents).toBeLessThanOrEqual(
          quoteWithdrawal(economy, hi).grossCents,
        );
      }),
    );
  });
});
