/**
 * What each operation decides, as pure functions over the state they are given: purchase, gift,
 * withdrawal and refund. Every store (the in-memory ledger, the reference API's SQLite book) answers
 * a request in the same order:
 *
 *   1. `check…`   what needs no balance: the economy's ids, counts, amounts, known users and purchases
 *                 (refused, not recorded under the key);
 *   2. the key    a key seen before answers its first outcome again, or a conflict (`keys.ts`);
 *   3. `decide…`  what needs the balances the store reads for it: refused (recorded under the key) or
 *                 the amounts to post, written into the caller's `out` so that the hot loop allocates
 *                 nothing; the postings follow from them (`layout.ts`);
 *   4. the store posts the entry and records the outcome under the key.
 *
 * Decisions go through a `Kernel` object so that a test can hand a store a kernel with one rule broken
 * (a mutant) and a fault mode can do the same; the stores never decide anything themselves.
 */
import { limits, targetLimits } from '../../common/limits.ts';
import {
  giftCoins,
  giftDiamonds,
  nextCarry,
  type PurchaseSplit,
  quoteWithdrawal,
  splitPurchase,
  type WithdrawalQuote,
} from '../economy/rules.ts';
import type { Economy } from '../economy/types.ts';
import { Status } from './status.ts';

/** A viewer or creator id: a safe integer 0 ≤ id < `targetLimits.userIdMax` (the API's bound; the ledger's too). */
export function validId(id: number): boolean {
  return Number.isSafeInteger(id) && id >= 0 && id < targetLimits.userIdMax;
}

// ── 1. checks that need no balance ───────────────────────────────────────────────────────────

/** `channel` and `pack` are indices into the economy (−1 or past the end: unknown). */
export function checkPurchase(economy: Economy, viewer: number, channel: number, pack: number): Status {
  const ch = economy.channels[channel];
  if (ch === undefined) return Status.UnknownChannel;
  if (ch.packs[pack] === undefined) return Status.UnknownPack;
  if (!validId(viewer)) return Status.BadAmount;
  return Status.Ok;
}

/** `creatorKnown`: whether the store knows the creator (the API's registered users; the ledger knows every id). */
export function checkGift(
  economy: Economy,
  viewer: number,
  creator: number,
  gift: number,
  count: number,
  creatorKnown = true,
): Status {
  if (economy.gifts[gift] === undefined) return Status.UnknownGift;
  if (!Number.isSafeInteger(count) || count < 1 || count > limits.giftCountMax) return Status.BadAmount;
  if (!validId(viewer) || !validId(creator)) return Status.BadAmount;
  if (!creatorKnown) return Status.UnknownCreator;
  return Status.Ok;
}

export function checkWithdrawal(creator: number, requestedDiamonds: number): Status {
  if (!Number.isSafeInteger(requestedDiamonds) || requestedDiamonds < 1) return Status.BadAmount;
  if (requestedDiamonds > limits.withdrawalDiamondsMax || !validId(creator)) return Status.BadAmount;
  return Status.Ok;
}

/** A purchase as a refund needs it; `channel` and `pack` are indices into the economy. */
export interface PurchaseRecord {
  viewer: number;
  channel: number;
  pack: number;
  refunded: boolean;
}

/** Refunds name their purchase by operation id; an unknown one is refused whatever the key. */
export function checkRefund(purchase: PurchaseRecord | undefined): Status {
  return purchase === undefined ? Status.UnknownPurchase : Status.Ok;
}

// ── 3. decisions on the balances ─────────────────────────────────────────────────────────────

/** A gift's amounts: coins spent, diamonds credited and the creator's carry afterwards (1/BP diamonds). */
export interface GiftPlan {
  coins: number;
  diamonds: number;
  carryAfterBp: number;
}

export function newGiftPlan(): GiftPlan {
  return { coins: 0, diamonds: 0, carryAfterBp: 0 };
}

export function newWithdrawalQuote(): WithdrawalQuote {
  return { diamonds: 0, grossCents: 0, feeCents: 0, netCents: 0 };
}

export interface Kernel {
  /** A checked purchase always goes through; `out` gets its split. */
  decidePurchase(economy: Economy, channel: number, pack: number, out: PurchaseSplit): Status;
  /** `coinsHeld`: the viewer's coins; `carryBp`: the creator's carried fraction of a diamond. */
  decideGift(
    economy: Economy,
    gift: number,
    count: number,
    coinsHeld: number,
    carryBp: number,
    out: GiftPlan,
  ): Status;
  /** `out` gets the quote (whole-cent diamonds) even when refused, for the refusal's message. */
  decideWithdrawal(
    economy: Economy,
    requestedDiamonds: number,
    diamondsHeld: number,
    out: WithdrawalQuote,
  ): Status;
  /** `coinsHeld`: the buyer's coins now; `out` gets the purchase's split, to post reversed. */
  decideRefund(economy: Economy, purchase: PurchaseRecord, coinsHeld: number, out: PurchaseSplit): Status;
}

export const kernel: Kernel = {
  decidePurchase(economy, channel, pack, out) {
    const ch = economy.channels[channel];
    splitPurchase(ch, ch.packs[pack], out);
    return Status.Ok;
  },

  decideGift(economy, gift, count, coinsHeld, carryBp, out) {
    const coins = giftCoins(economy.gifts[gift], count);
    out.coins = coins;
    if (coinsHeld < coins) return Status.InsufficientCoins;
    out.diamonds = giftDiamonds(economy.creatorShareBp, coins, carryBp);
    out.carryAfterBp = nextCarry(economy.creatorShareBp, coins, carryBp);
    return Status.Ok;
  },

  decideWithdrawal(economy, requestedDiamonds, diamondsHeld, out) {
    const quote = quoteWithdrawal(economy, requestedDiamonds);
    out.diamonds = quote.diamonds;
    out.grossCents = quote.grossCents;
    out.feeCents = quote.feeCents;
    out.netCents = quote.netCents;
    if (quote.diamonds < economy.withdrawal.minDiamonds || quote.diamonds === 0) return Status.BelowMinimum;
    if (diamondsHeld < quote.diamonds) return Status.InsufficientDiamonds;
    return Status.Ok;
  },

  decideRefund(economy, purchase, coinsHeld, out) {
    if (purchase.refunded) return Status.AlreadyRefunded;
    const ch = economy.channels[purchase.channel];
    splitPurchase(ch, ch.packs[purchase.pack], out);
    if (coinsHeld < out.coins) return Status.InsufficientCoins;
    return Status.Ok;
  },
};
