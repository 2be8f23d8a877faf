export {
  accountFamily,
  accountName,
  creatorAccount,
  Family,
  PlatformAccount,
  parseAccount,
  platformAccountName,
  UnitCode,
  viewerAccount,
} from './accounts.ts';
export { ENTRY_KINDS, type EntryKind, type JournalEntry, type Posting } from './journal.ts';
export { type PostingSink, postGift, postPurchase, postRefund, postWithdrawal } from './layout.ts';
export { Ledger, type LedgerOptions, type LedgerTotals } from './ledger.ts';
export { STATUS_CODES, Status } from './status.ts';
