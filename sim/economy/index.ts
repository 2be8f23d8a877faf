export {
  centsPerThousandCoins,
  diamondStep,
  diamondsToCents,
  feesOf,
  findChannelIndex,
  findGiftIndex,
  findPackIndex,
  giftCoins,
  giftDiamonds,
  newPurchaseSplit,
  nextCarry,
  PURCHASE_FEES,
  type PurchaseFee,
  type PurchaseSplit,
  purchaseFees,
  quoteWithdrawal,
  splitPurchase,
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
