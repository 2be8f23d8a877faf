export { ACK_SHAPE, type Ack, ackJson, ackProblem } from './ack-format.ts';
export { type AckOptions, reconcileAcks } from './acks.ts';
export { type CheckerOptions, checkJournal, JournalChecker } from './journal-checker.ts';
export { checkLedgerState } from './ledger-state.ts';
export {
  type CheckInput,
  type CheckResult,
  checkableWith,
  INVARIANT_IDS,
  INVARIANT_TABLE,
  INVARIANTS,
  type Invariant,
  type InvariantId,
  LEDGER_STATE_INVARIANTS,
  type Violation,
} from './types.ts';
