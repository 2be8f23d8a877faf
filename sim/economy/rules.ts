/**
 * The economy's rules as pure functions over integers. Every division says how it rounds; no rounding
 * creates value: fees round down (the remainder stays in the platform's net), diamonds round down with
 * the fraction carried per creator, withdrawals take only diamonds that convert to whole cents.
 */
import { assert, assertNonNegInt } from '../../common/assert.ts';
import { BP, MILLI } from '../../common/limits.ts';
import type { KpiName } from '../kpis.ts';
import type { Channel, Economy, Gift, Pack } from './types.ts';

/**
 * A cut taken from a purchase's gross: the fee kinds, one row each, in the order they are taken. Each is
 * rounded down to the cent and never more than what the cuts before it left; what remains is the
 * platform's net. Everything that handles fees reads this table: the split below, the postings (the
 * row's account family, per channel), both invariant checkers, the target's purchase answer (`answer`),
 * replay's comparison and the KPIs (`kpi`, a name from the catalogue in `sim/kpis.ts`).
 */
export interface PurchaseFee {
  /** What the journal's account family and messages call it: `store_fees:<channel>`. */
  readonly family: string;
  /** In messages: "store fee". */
  readonly label: string;
  /** Its plural, where a text sums them ("store fees"; a tax's is "taxes", not "taxs"). */
  readonly plural: string;
  /** Its field in the target's purchase answer and in replay's channel rows. */
  readonly answer: string;
  /** What the target's OpenAPI document says of that field. */
  readonly doc: string;
  /** Its KPI, summed over the run. */
  readonly kpi: KpiName;
  /** The fee before the cap, from the channel's rates, rounded down to the cent. */
  readonly rawCents: (channel: Channel, grossCents: number) => number;
}

export const PURCHASE_FEES = [
  {
    family: 'store_fees',
    label: 'store fee',
    plural: 'store fees',
    answer: 'storeFeeCents',
    doc: "the app store's cut",
    kpi: 'storeFeesCents',
    rawCents: (channel, gross) => Math.floor((gross * channel.storeFeeBp) / BP),
  },
  {
    family: 'payment_fees',
    label: 'payment fee',
    plural: 'payment fees',
    answer: 'paymentFeeCents',
    doc: "the card processor's fee",
    kpi: 'paymentFeesCents',
    // The processor's percentage plus its fixed part.
    rawCents: (channel, gross) =>
      Math.floor((gross * channel.paymentFeeBp) / BP) + channel.paymentFeeFixedCents,
  },
] as const satisfies readonly PurchaseFee[];

export type PurchaseFeeFamily = (typeof PURCHASE_FEES)[number]['family'];
export type PurchaseFeeKpi = (typeof PURCHASE_FEES)[number]['kpi'];
export type PurchaseFeeAnswer = (typeof PURCHASE_FEES)[number]['answer'];

/** Out-parameter for purchase splits, so that the hot loop allocates nothing. */
export interface PurchaseSplit {
  grossCents: number;
  /** Each fee of `PURCHASE_FEES`, in its order. */
  feeCents: number[];
  netCents: number;
  coins: number;
}

export function newPurchaseSplit(): PurchaseSplit {
  return { grossCents: 0, feeCents: PURCHASE_FEES.map(() => 0), netCents: 0, coins: 0 };
}

/**
 * Every fee of a purchase of `grossCents` on `channel`, in table order, into `out`; returns the net
 * left after them, never negative.
 */
export function purchaseFees(channel: Channel, grossCents: number, out: number[]): number {
  let left = grossCents;
  for (let i = 0; i < PURCHASE_FEES.length; i++) {
    const fee = Math.min(PURCHASE_FEES[i].rawCents(channel, grossCents), left);
    out[i] = fee;
    left -= fee;
  }
  return left;
}

/** The fees of a purchase of `grossCents` on `channel`, in table order (for checkers, not the hot loop). */
export function feesOf(channel: Channel, grossCents: number): number[] {
  const out = PURCHASE_FEES.map(() => 0);
  purchaseFees(channel, grossCents, out);
  return out;
}

/** Splits a pack's price into its fees and the platform's net; they always add up to the gross. */
export function splitPurchase(channel: Channel, pack: Pack, out: PurchaseSplit): PurchaseSplit {
  out.grossCents = pack.priceCents;
  out.netCents = purchaseFees(channel, pack.priceCents, out.feeCents);
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

/** A pack's price per 1,000 coins in cents, rounded — what analysts call the effective price. */
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
