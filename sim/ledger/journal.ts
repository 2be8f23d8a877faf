/**
 * Journal entries, once: the shape shared by the in-memory ledger, the reference API's export
 * (`GET /v1/journal`), operation logs' `journal.jsonl` and the audit — `{ seq, opId, kind, at,
 * postings: [{ account, unit, amount }] }`, amounts integers, each entry balancing per unit — and the
 * stated balances a target exports beside it (`GET /v1/balances`). The types, the check of untrusted
 * entries (a malformed one is reported by the checker, never thrown on) and the routes' JSON schemas
 * all come from the shapes below.
 */
import { limits } from '../../common/limits.ts';
import {
  type Infer,
  int,
  jsonSchema,
  list,
  number,
  object,
  oneOf,
  shapeProblem,
  string,
} from '../../common/shape.ts';
import { UNITS } from '../economy/types.ts';

export const ENTRY_KINDS = ['purchase', 'gift', 'withdrawal', 'refund'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

const account = string(
  1,
  limits.accountCharsMax,
  undefined,
  'family:key, e.g. viewer:3, creator:7, platform:cash',
);
const unit = oneOf(UNITS);

export const POSTING_SHAPE = object({
  account,
  unit,
  amount: int(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 'signed; USD in cents'),
});

export const ENTRY_SHAPE = object(
  {
    seq: int(1, Number.MAX_SAFE_INTEGER),
    opId: string(1, limits.opIdCharsMax, undefined, 'the idempotency key of the operation that wrote it'),
    kind: oneOf(ENTRY_KINDS),
    at: number('seconds since the start of the run (simulation) or milliseconds since the epoch (a server)'),
    postings: list(POSTING_SHAPE, 0, limits.postingsPerEntryMax),
  },
  'a journal entry: its postings sum to zero per unit',
);

/** A balance as a target states it, compared against what its journal implies. */
export const STATED_BALANCE_SHAPE = object({
  account,
  unit,
  balance: int(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
});

export type Posting = Infer<typeof POSTING_SHAPE>;
export type JournalEntry = Infer<typeof ENTRY_SHAPE>;
export type StatedBalance = Infer<typeof STATED_BALANCE_SHAPE>;

/** The first shape problem of an untrusted entry (`postings[2].unit`…), or undefined when well-formed. */
export function entryShapeProblem(value: unknown) {
  return shapeProblem(ENTRY_SHAPE, value);
}

export function isEntry(value: unknown): value is JournalEntry {
  return entryShapeProblem(value) === undefined;
}

/** What a journal line looks like, as messages put it. */
export const ENTRY_FORM = '{ seq, opId, kind, at, postings: [{ account, unit, amount }] }';

/**
 * Whether a value read from a journal file is an entry at all, well-formed or not: an object with a
 * `seq` or `postings`, the fields that make a record a ledger's. A malformed entry is the ledger's
 * problem (the checker reports it as invariant 1); anything else — another file's records (a users file,
 * acks, `{ "hello": 1 }`), a bare value, a list — says the file is not a journal: bad input.
 */
export function isEntryLike(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    (Object.hasOwn(value, 'seq') || Object.hasOwn(value, 'postings'))
  );
}

/** A stated balance's first shape problem, in a sentence, or undefined when it is well-formed. */
export function statedShapeProblem(value: unknown): string | undefined {
  const problem = shapeProblem(STATED_BALANCE_SHAPE, value);
  return problem === undefined
    ? undefined
    : `a stated balance's ${problem.field} should be ${problem.expected}, found ${problem.found}`;
}

export const POSTING_JSON_SCHEMA = jsonSchema(POSTING_SHAPE);
export const ENTRY_JSON_SCHEMA = jsonSchema(ENTRY_SHAPE);
export const STATED_BALANCE_JSON_SCHEMA = jsonSchema(STATED_BALANCE_SHAPE);
