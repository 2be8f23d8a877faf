/**
 * Edges of the journal checker. Invariant 4 over a creator's gifts: the carried fraction of a diamond is known exactly until a
 * violation, and after one it could be any a sound target holds, so a target fixed since (a database
 * kept across builds) is judged by its own gifts. A review: after one over-credit, every later gift
 * to that creator was reported again, the fixed build blamed for the old one's excess.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BP } from '../../common/limits.ts';
import { checkJournal } from '../../sim/invariants/journal-checker.ts';
import type { JournalEntry } from '../../sim/ledger/journal.ts';
import { testEconomy } from '../support/economy.ts';

const SHARE_BP = testEconomy.creatorShareBp; // 5,000: a coin makes half a diamond

const purchase = (seq: number, coins: number): JournalEntry => ({
  seq,
  opId: `p${seq}`,
  kind: 'purchase',
  at: seq,
  postings: [
    { account: 'viewer:0', unit: 'COIN', amount: coins },
    { account: 'platform:coins_issued', unit: 'COIN', amount: -coins },
    { account: 'buyers:web', unit: 'USD', amount: -coins },
    { account: 'platform:cash', unit: 'USD', amount: coins },
  ],
});
const gift = (seq: number, coins: number, diamonds: number): JournalEntry => ({
  seq,
  opId: `g${seq}`,
  kind: 'gift',
  at: seq,
  postings: [
    { account: 'viewer:0', unit: 'COIN', amount: -coins },
    { account: 'creator:0', unit: 'COIN', amount: coins },
    { account: 'creator:0', unit: 'DIAMOND', amount: diamonds },
    { account: 'platform:diamonds_issued', unit: 'DIAMOND', amount: -diamonds },
  ],
});
/** Invariant 4's violations, by entry seq. */
const fours = (entries: JournalEntry[]) =>
  checkJournal(entries, { economy: testEconomy })
    .violations.filter((v) => v.invariant === 4)
    .map((v) => v.seq);

/** A sound target's gifts of these coins from carry `carry`: diamonds = ⌊(carry + coins × share) / BP⌋. */
function soundGifts(coins: number[], carry: number, from: number): JournalEntry[] {
  return coins.map((c, i) => {
    const owed = carry + c * SHARE_BP;
    carry = owed % BP;
    return gift(from + i, c, Math.floor(owed / BP));
  });
}

describe('invariant 4 after a violation', () => {
  it('reports the over-credit once, not every later sound gift to the creator (the review’s case)', () => {
    // 1 coin → 1 diamond (at most 0 allowed); then a fixed target: 1 coin → 0, 1 coin → 1 (its carry 0.5).
    const entries = [purchase(1, 100), gift(2, 1, 1), gift(3, 1, 0), gift(4, 1, 1), gift(5, 3, 1)];
    expect(fours(entries)).toEqual([2]);
    const over = checkJournal(entries, { economy: testEconomy }).violations.find((v) => v.invariant === 4)!;
    expect(over.expected).toBe('<= 0 diamonds');
    expect(over.found).toBe(1);
  });

  it('keeps catching a target that goes on rounding up: by hand, every second 1-coin gift after the first', () => {
    // After gift 2 the carry is unknown, [0, 9,999]; gift 3 (half a diamond owed, 1 credited) leaves it
    // in [0, 4,999]; gift 4 would need −1: reported, unknown again; and so on.
    const entries = [purchase(1, 100), ...[2, 3, 4, 5, 6, 7].map((s) => gift(s, 1, 1))];
    expect(fours(entries)).toEqual([2, 4, 6]);
    // After one, the carry is known again only as far as gifts tell: 1 coin for 0 diamonds leaves it in
    // [5,000, 9,999] (at most 9,999: a whole diamond is never carried), so 2 coins for 2 diamonds is over
    // (a sound target credits 1 from any of those).
    expect(fours([purchase(1, 100), gift(2, 1, 1), gift(3, 1, 0), gift(4, 2, 2)])).toEqual([2, 4]);
    // A lost fraction too is reported once, and sound gifts after it are not.
    expect(fours([purchase(1, 100), gift(2, 5, 0), gift(3, 1, 1), gift(4, 2, 1)])).toEqual([2]);
  });

  it('reports nothing after a violation for any sound gifts from any carry a sound target could hold', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: BP - 1 }),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 30 }),
        (carry, coins) => {
          const entries = [purchase(1, 10_000), gift(2, 1, 3), ...soundGifts(coins, carry, 3)];
          expect(fours(entries)).toEqual([2]);
        },
      ),
    );
  });

  it('finds every over- and under-credit of a whole diamond in sound gifts from carry 0 (exact until then)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 30 }),
        fc.nat(),
        fc.constantFrom(-1, 1),
        (coins, at, delta) => {
          const gifts = soundGifts(coins, 0, 2);
          const i = at % gifts.length;
          const wrong = gifts[i].postings.find((p) => p.unit === 'DIAMOND' && p.account === 'creator:0')!;
          if (wrong.amount + delta < 0) return;
          gifts[i] = gift(i + 2, coins[i], wrong.amount + delta);
          expect(fours([purchase(1, 10_000), ...gifts])[0]).toBe(i + 2);
        },
      ),
    );
  });
});

// A mutation survivor: the checker's count of an operation's entries, which only the acks read.
describe('an operation journaled twice, with its acks', () => {
  it('is invariant 6 and, acknowledged, invariant 7 counting its entries (the checker counts them for the acks)', () => {
    const twice = [purchase(1, 100), { ...purchase(2, 100), opId: 'p1' }];
    const acks = [{ opId: 'p1', kind: 'purchase' as const, status: 201, response: { seq: 1 } }];
    const v = checkJournal(twice, { economy: testEconomy }, { acks }).violations;
    expect(v.filter((x) => x.invariant === 6).map((x) => x.seq)).toEqual([2]);
    const seven = v.filter((x) => x.invariant === 7);
    expect(seven).toHaveLength(1);
    expect(seven[0].found).toBe('2 entries');
  });
});
