/**
 * The invariants, numbered as in ARCHITECTURE.md, as one table: what each says, which inputs beyond the
 * journal its check needs, and whether it can be checked on an in-memory ledger's state when a run
 * keeps no journal. The journal checker, the state checker, the audit's report and the HTML report read
 * this table; none lists invariants of its own.
 */

import { PURCHASE_FEES } from '../economy/rules.ts';

/** Inputs a check may need besides the journal: the economy's rules, the clients' acknowledgements. */
export type CheckInput = 'economy' | 'acks';

/**
 * What an invariant is about: every entry, or one kind of operation (a replay: an operation acked more
 * than once). A check over none of them holds without having been tried, and the audit says so.
 */
export type InvariantSubject = 'entries' | 'gifts' | 'purchases' | 'withdrawals' | 'replays' | 'acks';

interface InvariantRow {
  id: number;
  text: string;
  needs: readonly CheckInput[];
  /** Checked from a ledger's balances and counters alone (runs without a journal). */
  onLedgerState: boolean;
  about: InvariantSubject;
  /** The part of its text checked only when the source states balances (the audit says when it was not). */
  whenStated?: string;
}

const TABLE = [
  {
    id: 1,
    text: 'every entry balances per unit; so does the whole journal',
    needs: [],
    onLedgerState: true,
    about: 'entries',
  },
  {
    id: 2,
    text: 'no viewer coin balance and no creator diamond balance is ever negative',
    needs: [],
    onLedgerState: true,
    about: 'entries',
  },
  {
    id: 3,
    text: 'coins outstanding = coins purchased − coins spent − coins refunded; stated balances equal the journal',
    needs: [],
    onLedgerState: true,
    about: 'entries',
    whenStated: 'stated balances equal the journal',
  },
  {
    id: 4,
    text: 'diamonds for a gift never exceed the creator share; the carried remainder stays below one diamond',
    needs: ['economy'],
    onLedgerState: true,
    about: 'gifts',
  },
  {
    id: 5,
    text: `gross = ${PURCHASE_FEES.map((f) => f.plural).join(' + ')} + net revenue, to the cent, for every purchase`,
    needs: ['economy'],
    onLedgerState: true,
    about: 'purchases',
  },
  {
    id: 6,
    text: 'an operation replayed with the same idempotency key changes nothing and returns the first result',
    needs: [],
    onLedgerState: false,
    about: 'replays',
  },
  {
    id: 7,
    text: 'every acknowledged operation is in the journal once; no unacknowledged one changed a balance',
    needs: ['acks'],
    onLedgerState: false,
    about: 'acks',
  },
  {
    id: 8,
    text: 'withdrawals respect the minimum and never exceed the diamond balance',
    needs: ['economy'],
    onLedgerState: true,
    about: 'withdrawals',
  },
] as const satisfies readonly InvariantRow[];

/** An invariant's number: one of the table's ids (a row added there is a new id everywhere). */
export type InvariantId = (typeof TABLE)[number]['id'];

export interface Invariant extends InvariantRow {
  id: InvariantId;
}

export const INVARIANT_TABLE: readonly Invariant[] = TABLE;

export const INVARIANT_IDS: readonly InvariantId[] = INVARIANT_TABLE.map((i) => i.id);

export const INVARIANTS = Object.fromEntries(INVARIANT_TABLE.map((i) => [i.id, i.text])) as Record<
  InvariantId,
  string
>;

/** The invariants a journal check covers given the inputs it has, in order. */
export function checkableWith(inputs: ReadonlySet<CheckInput>): InvariantId[] {
  return INVARIANT_TABLE.filter((i) => i.needs.every((n) => inputs.has(n))).map((i) => i.id);
}

/** The invariants that need `input`, in words: `invariant 7`, `invariants 4, 5 and 8`. */
export function needingInWords(input: CheckInput): string {
  const ids = INVARIANT_TABLE.filter((i) => i.needs.includes(input)).map((i) => i.id);
  if (ids.length === 1) return `invariant ${ids[0]}`;
  return `invariants ${ids.slice(0, -1).join(', ')} and ${ids.at(-1)}`;
}

/** The invariants part of whose check needs stated balances, in words (`invariant 3`). */
export function needingStatedInWords(): string {
  const ids = INVARIANT_TABLE.filter((i) => i.whenStated !== undefined).map((i) => i.id);
  return ids.length === 1 ? `invariant ${ids[0]}` : `invariants ${ids.join(', ')}`;
}

/** The invariants a ledger's state covers (no journal: no replays or acks to look at). */
export const LEDGER_STATE_INVARIANTS: readonly InvariantId[] = INVARIANT_TABLE.filter(
  (i) => i.onLedgerState,
).map((i) => i.id);

export interface Violation {
  invariant: InvariantId;
  /** Entry that broke it, or null for a whole-journal or whole-state check. */
  seq: number | null;
  opId: string | null;
  accounts: string[];
  expected: string | number;
  found: string | number;
  message: string;
}

export interface CheckResult {
  /** Invariants that the available inputs allowed to be checked. */
  checked: InvariantId[];
  entries: number;
  /** Every violation counted; only the first `limits.violationsKeptMax` are kept in `violations`. */
  violationCount: number;
  /** Every violation counted by invariant (the journal checker's; kept or not). */
  violationsBy?: Partial<Record<InvariantId, number>>;
  violations: Violation[];
}
