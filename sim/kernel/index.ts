export { giftPrint, KeyUse, keyUse, purchasePrint, refundPrint, withdrawalPrint } from './keys.ts';
export { type PostingSink, postGift, postPurchase, postRefund, postWithdrawal } from './layout.ts';
export {
  checkGift,
  checkPurchase,
  checkRefund,
  checkWithdrawal,
  type GiftPlan,
  type Kernel,
  kernel,
  newGiftPlan,
  newWithdrawalQuote,
  type PurchaseRecord,
  validId,
} from './operations.ts';
export {
  codeOf,
  ERROR_CODES,
  type ErrorCode,
  type Facts,
  RECORDED_REFUSALS,
  type Refusal,
  refusal,
  STATUSES,
  Status,
  type StatusCode,
  statusOfCode,
} from './status.ts';
