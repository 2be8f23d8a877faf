/**
 * Validates that untrusted data has the journal-entry shape before any invariant looks at it. Journals
 * come from other backends; a malformed entry is reported, never thrown on.
 */
import { UNITS } from '../economy/types.ts';
import { ENTRY_KINDS, type JournalEntry } from '../ledger/journal.ts';

/** Returns a description of the first shape problem, or undefined when `value` is a well-formed entry. */
export function entryShapeProblem(
  value: unknown,
): { field: string; expected: string; found: string } | undefined {
  if (typeof value !== 'object' || value === null)
    return { field: 'entry', expected: 'an object', found: show(value) };
  const e = value as Record<string, unknown>;
  if (!Number.isSafeInteger(e.seq) || (e.seq as number) < 1) {
    return { field: 'seq', expected: 'a positive integer', found: show(e.seq) };
  }
  if (typeof e.opId !== 'string' || e.opId.length === 0) {
    return { field: 'opId', expected: 'a non-empty string', found: show(e.opId) };
  }
  if (!ENTRY_KINDS.includes(e.kind as never)) {
    return { field: 'kind', expected: ENTRY_KINDS.join('|'), found: show(e.kind) };
  }
  if (typeof e.at !== 'number' || !Number.isFinite(e.at))
    return { field: 'at', expected: 'a number', found: show(e.at) };
  if (!Array.isArray(e.postings)) return { field: 'postings', expected: 'an array', found: show(e.postings) };
  for (let i = 0; i < e.postings.length; i++) {
    const p = e.postings[i] as Record<string, unknown> | null;
    if (typeof p !== 'object' || p === null)
      return { field: `postings[${i}]`, expected: 'an object', found: show(p) };
    if (typeof p.account !== 'string' || p.account.length === 0) {
      return { field: `postings[${i}].account`, expected: 'a non-empty string', found: show(p.account) };
    }
    if (!UNITS.includes(p.unit as never)) {
      return { field: `postings[${i}].unit`, expected: UNITS.join('|'), found: show(p.unit) };
    }
    if (!Number.isSafeInteger(p.amount)) {
      return { field: `postings[${i}].amount`, expected: 'an integer', found: show(p.amount) };
    }
  }
  return undefined;
}

export function isEntry(value: unknown): value is JournalEntry {
  return entryShapeProblem(value) === undefined;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
