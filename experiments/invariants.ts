/**
 * Invariants of a finished replication: the ledger's state and running totals always (journal-less),
 * and with `--check all` the JournalChecker's verdict on every entry as it was written.
 */

import { limits } from '../common/limits.ts';
import type { JournalChecker } from '../sim/invariants/journal-checker.ts';
import { checkLedgerState } from '../sim/invariants/ledger-state.ts';
import type { CheckResult, InvariantId } from '../sim/invariants/types.ts';
import type { Ledger } from '../sim/ledger/ledger.ts';

export type CheckMode = 'end' | 'all';
export const CHECK_MODES: readonly CheckMode[] = ['end', 'all'];

export function checkReplication(ledger: Ledger, journal: JournalChecker | undefined): CheckResult {
  const state = checkLedgerState(ledger);
  if (journal === undefined) return state;
  const entries = journal.finish();
  const checked = [...new Set<InvariantId>([...state.checked, ...entries.checked])].sort((a, b) => a - b);
  return {
    checked,
    entries: ledger.entryCount,
    violationCount: state.violationCount + entries.violationCount,
    violations: [...entries.violations, ...state.violations].slice(0, limits.violationsKeptMax),
  };
}
