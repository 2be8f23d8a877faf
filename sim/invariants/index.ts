export { type AckOptions, reconcileAcks } from './acks.ts';
export { entryShapeProblem, isEntry } from './entry-shape.ts';
export { type CheckerOptions, checkJournal, JournalChecker } from './journal-checker.ts';
export { checkLedgerState } from './ledger-state.ts';
export {
  type Ack,
  byInvariant,
  type CheckResult,
  INVARIANT_IDS,
  INVARIANTS,
  type InvariantId,
  type StatedBalance,
  type Violation,
} from './types.ts';
