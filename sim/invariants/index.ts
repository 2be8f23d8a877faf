export { ACK_SHAPE, type Ack, ackJson, ackProblem } from './ack-format.ts';
export { type AckOptions, reconcileAcks } from './acks.ts';
export { type CheckerOptions, checkJournal, JournalChecker } from './journal-checker.ts';
export { checkLedgerState } from './ledger-state.ts';
export {
  byInvariant,
  type CheckResult,
  INVARIANT_IDS,
  INVARIANTS,
  type InvariantId,
  type Violation,
} from './types.ts';
