/** The invariants of DESIGN.md, numbered as there, and the shape in which a broken one is reported. */

export type InvariantId = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

export const INVARIANTS: Record<InvariantId, string> = {
  1: 'every entry balances per unit; so does the whole journal',
  2: 'no viewer coin balance and no creator diamond balance is ever negative',
  3: 'coins outstanding = coins purchased − coins spent − coins refunded; stated balances equal the journal',
  4: 'diamonds for a gift never exceed the creator share; the carried remainder stays below one diamond',
  5: 'gross = store fees + payment fees + net revenue, to the cent, for every purchase',
  6: 'an operation replayed with the same idempotency key changes nothing and returns the first result',
  7: 'every acknowledged operation is in the journal once; no unacknowledged one changed a balance',
  8: 'withdrawals respect the minimum and never exceed the diamond balance',
};

export const INVARIANT_IDS: readonly InvariantId[] = [1, 2, 3, 4, 5, 6, 7, 8];

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
  violations: Violation[];
}

export function byInvariant(violations: readonly Violation[]): Map<InvariantId, number> {
  const counts = new Map<InvariantId, number>();
  for (const v of violations) counts.set(v.invariant, (counts.get(v.invariant) ?? 0) + 1);
  return counts;
}
