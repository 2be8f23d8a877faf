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
export {
  ENTRY_FORM,
  ENTRY_KINDS,
  ENTRY_SHAPE,
  type EntryKind,
  entryShapeProblem,
  isEntry,
  isEntryLike,
  type JournalEntry,
  type Posting,
  type StatedBalance,
  statedShapeProblem,
} from './journal.ts';
export { Ledger, type LedgerOptions, type LedgerTotals } from './ledger.ts';
