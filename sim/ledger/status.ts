/** Outcomes of a ledger operation: numbers in the hot loop, stable codes and messages at the edges. */
export enum Status {
  Ok = 0,
  InsufficientCoins = 1,
  InsufficientDiamonds = 2,
  BelowMinimum = 3,
  UnknownChannel = 4,
  UnknownPack = 5,
  UnknownGift = 6,
  BadAmount = 7,
  IdempotencyConflict = 8,
  UnknownPurchase = 9,
  AlreadyRefunded = 10,
}

export const STATUS_CODES: Record<Status, string> = {
  [Status.Ok]: 'OK',
  [Status.InsufficientCoins]: 'GIFT_ERR_INSUFFICIENT_COINS',
  [Status.InsufficientDiamonds]: 'GIFT_ERR_INSUFFICIENT_DIAMONDS',
  [Status.BelowMinimum]: 'GIFT_ERR_BELOW_MINIMUM',
  [Status.UnknownChannel]: 'GIFT_ERR_UNKNOWN_CHANNEL',
  [Status.UnknownPack]: 'GIFT_ERR_UNKNOWN_PACK',
  [Status.UnknownGift]: 'GIFT_ERR_UNKNOWN_GIFT',
  [Status.BadAmount]: 'GIFT_ERR_BAD_AMOUNT',
  [Status.IdempotencyConflict]: 'GIFT_ERR_IDEMPOTENCY_CONFLICT',
  [Status.UnknownPurchase]: 'GIFT_ERR_UNKNOWN_PURCHASE',
  [Status.AlreadyRefunded]: 'GIFT_ERR_ALREADY_REFUNDED',
};
