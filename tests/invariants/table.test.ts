/** The invariant table decides what each checker covers and what the audit says is missing. */
import { describe, expect, it } from 'vitest';
import { notCheckedSummary } from '../../load/audit/report.ts';
import { checkJournal } from '../../sim/invariants/journal-checker.ts';
import {
  checkableWith,
  INVARIANT_IDS,
  LEDGER_STATE_INVARIANTS,
  needingInWords,
} from '../../sim/invariants/types.ts';
import { testEconomy } from '../support/economy.ts';

describe('the invariant table', () => {
  it('gives each check the invariants its inputs allow', () => {
    expect(checkableWith(new Set())).toEqual([1, 2, 3, 6]);
    expect(checkableWith(new Set(['economy']))).toEqual([1, 2, 3, 4, 5, 6, 8]);
    expect(checkableWith(new Set(['economy', 'acks']))).toEqual(INVARIANT_IDS);
    expect(LEDGER_STATE_INVARIANTS).toEqual([1, 2, 3, 4, 5, 8]);
  });

  it('is what the journal checker reports as checked', () => {
    expect(checkJournal([]).checked).toEqual([1, 2, 3, 6]);
    expect(checkJournal([], { economy: testEconomy }, { acks: [] }).checked).toEqual(INVARIANT_IDS);
  });

  it("and what the audit says is missing, in the audit's words", () => {
    expect(notCheckedSummary([1, 2, 3, 6])).toBe('4, 5, 8 need the economy: pass --scenario; 7 needs --acks');
    expect(notCheckedSummary(INVARIANT_IDS)).toBeUndefined();
    expect(needingInWords('economy')).toBe('invariants 4, 5 and 8');
    expect(needingInWords('acks')).toBe('invariant 7');
  });
});
