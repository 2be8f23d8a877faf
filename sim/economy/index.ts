export {
  centsPerThousandCoins,
  diamondStep,
  diamondsToCents,
  findChannelIndex,
  findGiftIndex,
  findPackIndex,
  giftCoins,
  giftDiamonds,
  newPurchaseSplit,
  nextCarry,
  type PurchaseSplit,
  paymentFeeCents,
  quoteWithdrawal,
  splitPurchase,
  storeFeeCents,
  type WithdrawalQuote,
} from './rules.ts';
export type { Channel, Economy, Gift, Pack, Unit, WithdrawalRules } from './types.ts';
export {
  assertEconomy,
  canonicalEconomy,
  ECONOMY_JSON_SCHEMA,
  ECONOMY_SHAPE,
  economyFrom,
  UNITS,
} from './types.ts';
