/**
 * Every bound in one place. Loops, queues, request bodies and populations are bounded by these;
 * the relations between them are asserted at load so that a change to one cannot silently break another.
 */
import { assert } from './assert.ts';

/** Basis points: 10,000 bp = 100 %. Shares and fees are whole basis points so that money stays integer. */
export const BP = 10_000;
/** Diamond value is stored in milli-cents (0.5 ¢ = 500) so that fractional-cent diamonds stay integer. */
export const MILLI = 1_000;

export const limits = {
  viewersMax: 50_000_000,
  creatorsMax: 5_000_000,
  channelsMax: 8,
  packsPerChannelMax: 32,
  giftsMax: 256,
  giftCountMax: 10_000,
  packPriceCentsMax: 1_000_000,
  paymentFeeFixedCentsMax: 1_000,
  packCoinsMax: 10_000_000,
  giftCoinsMax: 1_000_000,
  diamondValueMilliCentsMax: 100_000,
  withdrawalDiamondsMax: 10_000_000_000,
  replicationsMax: 10_000,
  workersMax: 256,
  durationSecondsMax: 366 * 24 * 3600,
  journalPageMax: 10_000,
  requestBodyBytesMax: 16 * 1024,
  violationsKeptMax: 1_000,
  /** Wire strings: an operation's id (an idempotency key), an account name, postings in one entry. */
  opIdCharsMax: 256,
  accountCharsMax: 256,
  postingsPerEntryMax: 64,
  sweepPointsMax: 100_000,
} as const;

// A single gift's coins times the largest share must stay exact in a double.
assert(limits.giftCoinsMax * limits.giftCountMax * BP < Number.MAX_SAFE_INTEGER, 'gift value × BP overflows');
assert(limits.packCoinsMax * limits.packsPerChannelMax < 2 ** 31, 'pack coins overflow int32');
assert(
  limits.withdrawalDiamondsMax * limits.diamondValueMilliCentsMax < Number.MAX_SAFE_INTEGER,
  'withdrawal overflow',
);
assert(limits.journalPageMax >= 100, 'journal pages must hold at least 100 entries');
