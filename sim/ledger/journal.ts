/**
 * Journal entries in the one shape shared by the in-memory ledger, the reference API's export and the
 * audit: `{ seq, opId, kind, at, postings: [{ account, unit, amount }] }`, amounts integers, each entry
 * balancing per unit.
 */
import type { Unit } from '../economy/types.ts';

export type EntryKind = 'purchase' | 'gift' | 'withdrawal' | 'refund';
export const ENTRY_KINDS: readonly EntryKind[] = ['purchase', 'gift', 'withdrawal', 'refund'];

export interface Posting {
  account: string;
  unit: Unit;
  amount: number;
}

export interface JournalEntry {
  seq: number;
  opId: string;
  kind: EntryKind;
  /** Seconds since the start of the run (simulation) or milliseconds since the epoch (a server). */
  at: number;
  postings: Posting[];
}
