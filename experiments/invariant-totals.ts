/**
 * The invariants of many replications at once (a sweep's points, a calibration's candidates), as their
 * summary.json and report show them: every invariant any replication checked, every violation counted,
 * and the first few kept, each tagged with where it happened.
 */
import type { InvariantId, Violation } from '../sim/invariants/types.ts';

export interface InvariantTotals<Where> {
  checked: InvariantId[];
  violationCount: number;
  violations: (Violation & Where)[];
}

/** What each replication brings: its events and its own invariants (violations as kept per replication). */
interface ReplicationTotals {
  events: number;
  invariants: { checked: readonly InvariantId[]; violationCount: number; violations: readonly Violation[] };
}

/** The rows' events summed and their invariants joined; `where` tags a row's violations, `shown` caps them. */
export function totalsOf<Row extends ReplicationTotals, Where extends object>(
  rows: readonly Row[],
  where: (row: Row) => Where,
  shown: number,
): { events: number; invariants: InvariantTotals<Where> } {
  const checked = new Set<InvariantId>();
  for (const row of rows) for (const id of row.invariants.checked) checked.add(id);
  return {
    events: rows.reduce((n, row) => n + row.events, 0),
    invariants: {
      checked: [...checked].sort((a, b) => a - b),
      violationCount: rows.reduce((n, row) => n + row.invariants.violationCount, 0),
      violations: rows
        .flatMap((row) => row.invariants.violations.map((v) => ({ ...where(row), ...v })))
        .slice(0, shown),
    },
  };
}
