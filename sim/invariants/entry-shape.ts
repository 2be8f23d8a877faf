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

/** A stated balance's first shape problem, or undefined when it is well-formed. */
export function statedShapeProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null)
    return `a stated balance should be an object, found ${show(value)}`;
  const s = value as Record<string, unknown>;
  if (typeof s.account !== 'string' || s.account.length === 0)
    return `a stated balance's account should be a non-empty string, found ${show(s.account)}`;
  if (!UNITS.includes(s.unit as never))
    return `${s.account}: unit should be ${UNITS.join('|')}, found ${show(s.unit)}`;
  if (!Number.isSafeInteger(s.balance))
    return `${s.account}: balance should be an integer, found ${show(s.balance)}`;
  return undefined;
}

/** An ack's first shape problem, or undefined when it is well-formed enough to reconcile. */
export function ackShapeProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return `an ack should be an object, found ${show(value)}`;
  const a = value as Record<string, unknown>;
  if (typeof a.opId !== 'string' || a.opId.length === 0)
    return `an ack's opId should be a non-empty string, found ${show(a.opId)}`;
  if (!Number.isSafeInteger(a.status))
    return `ack ${a.opId}: status should be an integer, found ${show(a.status)}`;
  return undefined;
}

/** A short description of any value; never throws (bigint, cycles and null prototypes included). */
function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'bigint') return `${value}n`;
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined;
  }
  if (text === undefined)
    text =
      typeof value === 'symbol' || typeof value === 'function'
        ? String(value)
        : Object.prototype.toString.call(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
