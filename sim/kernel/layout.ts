/**
 * Which accounts each operation posts to — written once, used by the in-memory ledger, the reference
 * API and (through the journal shape) the audit. Zero amounts are not posted here (another backend's
 * journal may hold them: the checkers accept a zero posting, which moves nothing).
 *
 * purchase   COIN  viewer +coins, platform:coins_issued −coins
 *            USD   buyers:<ch> −gross, each fee's family (PURCHASE_FEES: store_fees:<ch>, payment_fees:<ch>)
 *                  +fee, platform:cash +net
 * refund     the purchase reversed, coins going to platform:coins_refunded
 * gift       COIN  viewer −coins, creator +coins (coins a creator received, lifetime)
 *            DIAMOND creator +diamonds, platform:diamonds_issued −diamonds
 * withdrawal DIAMOND creator −diamonds, platform:diamonds_redeemed +diamonds
 *            USD   platform:cash −gross, creator +net (paid out), platform:withdrawal_fees +fee
 */
import type { PurchaseSplit, WithdrawalQuote } from '../economy/rules.ts';
import { Family, PlatformAccount, UnitCode } from '../ledger/accounts.ts';

/** Receives postings; `key` is a viewer/creator id, a channel index, or a PlatformAccount. */
export interface PostingSink<Id> {
  post(family: Family, key: Id | number, unit: UnitCode, amount: number): void;
}

function post<Id>(
  sink: PostingSink<Id>,
  family: Family,
  key: Id | number,
  unit: UnitCode,
  amount: number,
): void {
  if (amount !== 0) sink.post(family, key, unit, amount);
}

export function postPurchase<Id>(
  sink: PostingSink<Id>,
  viewer: Id,
  channel: number,
  split: PurchaseSplit,
  sign = 1,
): void {
  post(sink, Family.Viewer, viewer, UnitCode.Coin, sign * split.coins);
  post(
    sink,
    Family.Platform,
    sign > 0 ? PlatformAccount.CoinsIssued : PlatformAccount.CoinsRefunded,
    UnitCode.Coin,
    -sign * split.coins,
  );
  post(sink, Family.Buyers, channel, UnitCode.Usd, -sign * split.grossCents);
  for (let i = 0; i < split.feeCents.length; i++)
    post(sink, Family.Fees + i, channel, UnitCode.Usd, sign * split.feeCents[i]);
  post(sink, Family.Platform, PlatformAccount.Cash, UnitCode.Usd, sign * split.netCents);
}

export function postRefund<Id>(
  sink: PostingSink<Id>,
  viewer: Id,
  channel: number,
  split: PurchaseSplit,
): void {
  postPurchase(sink, viewer, channel, split, -1);
}

export function postGift<Id>(
  sink: PostingSink<Id>,
  viewer: Id,
  creator: Id,
  coins: number,
  diamonds: number,
): void {
  post(sink, Family.Viewer, viewer, UnitCode.Coin, -coins);
  post(sink, Family.Creator, creator, UnitCode.Coin, coins);
  post(sink, Family.Creator, creator, UnitCode.Diamond, diamonds);
  post(sink, Family.Platform, PlatformAccount.DiamondsIssued, UnitCode.Diamond, -diamonds);
}

export function postWithdrawal<Id>(sink: PostingSink<Id>, creator: Id, quote: WithdrawalQuote): void {
  post(sink, Family.Creator, creator, UnitCode.Diamond, -quote.diamonds);
  post(sink, Family.Platform, PlatformAccount.DiamondsRedeemed, UnitCode.Diamond, quote.diamonds);
  post(sink, Family.Platform, PlatformAccount.Cash, UnitCode.Usd, -quote.grossCents);
  post(sink, Family.Creator, creator, UnitCode.Usd, quote.netCents);
  post(sink, Family.Platform, PlatformAccount.WithdrawalFees, UnitCode.Usd, quote.feeCents);
}
