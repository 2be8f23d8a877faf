/**
 * The economy's rules as pure functions over integers. Every division says how it rounds; no rounding
 * creates value: fees round down (the remainder stays in the platform's net), diamonds round down with
 * the fraction carried per creator, withdrawals take only diamonds that convert to whole cents.
 */
import { assert, assertNonNegInt } from '../../common/assert.ts';
import { BP, MILLI } from '../../common/limits.ts';
import type { Channel, Economy, Gift, Pack } from './types.ts';

/** Out-parameter for purchase splits, so that the hot loop allocates nothing. */
export interface PurchaseSplit {
  grossCents: number;
  storeFeeCents: number;
  paymentFeeCents: number;
  netCents: number;
  coins: number;
}

export function newPurchaseSplit(): PurchaseSplit {
  return { grossCents: 0, storeFeeCents: 0, paymentFeeCents: 0, netCents: 0, coins: 0 };
}

/** The store's fee, rounded down to the cent. */
export function storeFeeCents(channel: Channel, grossCents: number): number {
  return Math.floor((grossCents * channel.storeFeeBp) / BP);
}

/** The card processor's fee: percentage rounded down, plus the fixed part; never more than what is left after the store. */
export function paymentFeeCents(channel: Channel, grossCents: number): number {
  const fee = Math.floor((grossCents * channel.paymentFeeBp) / BP) + channel.paymentFeeFixedCents;
  return Math.min(fee, grossCents - storeFeeCents(channel, grossCents));
}

/** Splits a pack's price into store fee, payment fee and the platform's net; the three always add up to the gross. */
export function splitPurchase(channel: Channel, pack: Pack, out: PurchaseSplit): PurchaseSplit {
  const gross = pack.priceCents;
  const store = storeFeeCents(channel, gross);
  const payment = paymentFeeCents(channel, gross);
  out.grossCents = gross;
  out.storeFeeCents = store;
  out.paymentFeeCents = payment;
  out.netCents = gross - store - payment;
  out.coins = pack.coins;
  assert(out.netCents >= 0, `net of ${channel.id}/${pack.id} is negative`);
  return out;
}

/** Coins a gift of `count` costs. */
export function giftCoins(gift: Gift, count: number): number {
  return gift.coins * count;
}

/**
 * Diamonds for `coins` given to a creator whose carried remainder is `carryBpDiamonds` (in 1/BP of a
 * diamond). Returns the whole diamonds; the new carry is `nextCarry(...)`. Rounds down; the fraction is kept.
 */
export function giftDiamonds(shareBp: number, coins: number, carryBpDiamonds: number): number {
  return Math.floor((coins * shareBp + carryBpDiamonds) / BP);
}

export function nextCarry(shareBp: number, coins: number, carryBpDiamonds: number): number {
  const carry = (coins * shareBp + carryBpDiamonds) % BP;
  assert(carry >= 0 && carry < BP, 'carry must stay below one diamond');
  return carry;
}

/** The smallest number of diamonds that converts to a whole number of cents. */
export function diamondStep(diamondValueMilliCents: number): number {
  return MILLI / gcd(MILLI, diamondValueMilliCents);
}

/** Cash value of diamonds, rounded down to the cent (only exact when `diamonds` is a multiple of the step). */
export function diamondsToCents(diamondValueMilliCents: number, diamonds: number): number {
  return Math.floor((diamonds * diamondValueMilliCents) / MILLI);
}

export interface WithdrawalQuote {
  /** Diamonds taken: the request rounded down to a whole-cent step. */
  diamonds: number;
  grossCents: number;
  feeCents: number;
  netCents: number;
}

/**
 * What a withdrawal request of `requestedDiamonds` pays. Only diamonds that convert to whole cents are
 * taken, so no fraction of a cent is ever created or dropped; the rest stays in the creator's balance.
 */
export function quoteWithdrawal(economy: Economy, requestedDiamonds: number): WithdrawalQuote {
  assertNonNegInt(requestedDiamonds, 'requestedDiamonds');
  const step = diamondStep(economy.diamondValueMilliCents);
  const diamonds = requestedDiamonds - (requestedDiamonds % step);
  const grossCents = (diamonds * economy.diamondValueMilliCents) / MILLI;
  assert(Number.isSafeInteger(grossCents), 'withdrawal gross must be whole cents');
  const w = economy.withdrawal;
  const feeCents =
    diamonds === 0 ? 0 : Math.min(grossCents, Math.floor((grossCents * w.feeBp) / BP) + w.feeFixedCents);
  return { diamonds, grossCents, feeCents, netCents: grossCents - feeCents };
}

export function findChannelIndex(economy: Economy, channelId: string): number {
  return economy.channels.findIndex((c) => c.id === channelId);
}

export function findPackIndex(channel: Channel, packId: string): number {
  return channel.packs.findIndex((p) => p.id === packId);
}

export function findGiftIndex(economy: Economy, giftId: string): number {
  return economy.gifts.findIndex((g) => g.id === giftId);
}

/** Coins bought per dollar on a pack — what analysts call the effective price. */
export function centsPerThousandCoins(pack: Pack): number {
  return Math.round((pack.priceCents * 1000) / pack.coins);
}

function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) {
    const t = x % y;
    x = y;
    y = t;
  }
  return x;
}
