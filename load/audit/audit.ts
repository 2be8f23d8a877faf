/**
 * The audit: read a target's journal (or an exported journal file), run the core `JournalChecker` over
 * it — the same code the property tests and simulations run — with the economy the target applies,
 * compare the balances it states, and reconcile the acknowledgements its clients recorded.
 *
 * Audit a quiet target: balances are read after the journal, so writes landing in between would show
 * as stated balances the journal does not explain.
 */

import { InputError } from '../../common/input-error.ts';
import { limits } from '../../common/limits.ts';
import type { Economy } from '../../sim/economy/types.ts';
import type { Ack } from '../../sim/invariants/ack-format.ts';
import { JournalChecker } from '../../sim/invariants/journal-checker.ts';
import {
  type CheckResult,
  type InvariantSubject,
  needingInWords,
  type Violation,
} from '../../sim/invariants/types.ts';
import type { StatedBalance } from '../../sim/ledger/journal.ts';
import { checkTargetEconomy } from '../replay/economy-diff.ts';
import { AckedFigures } from './figures.ts';
import { readAcksFile, readJournalFile } from './files.ts';
import { mixedReplayAnswers } from './replays.ts';
import { TargetReader } from './target.ts';

export interface AuditOptions {
  /** Base URL of a live target. One of `target` and `journalFile`. */
  target?: string;
  adminToken?: string;
  /** Where the admin token came from (TargetReaderOptions.adminTokenFrom). */
  adminTokenFrom?: string;
  /** An exported journal: JSON lines, a JSON array, or `{ entries: [...] }`. */
  journalFile?: string;
  /** Acks already in memory, or a JSON-lines file of them. */
  acks?: Ack[];
  acksFile?: string;
  /** opId prefixes of writes that may be journaled without an ack (a client's setup, say). */
  unackedOk?: readonly string[];
  /** The economy to check amounts against; default: the target's `GET /v1/economy`. */
  economy?: Economy;
  /** Where `economy` came from, for the report (a scenario file). */
  economyLabel?: string;
  /** Offending entries printed with their postings. Default 5. */
  offendersShown?: number;
  pageSize?: number;
  fetch?: typeof fetch;
  /** Clock for the report's duration (ms). */
  now?: () => number;
}

export interface AckSummary {
  total: number;
  ok: number;
  rejected: number;
  failed: number;
  unknown: number;
  ops: number;
}

export interface AuditReport {
  source: string;
  economy: string;
  result: CheckResult;
  /**
   * How many of what each invariant is about the audit saw (INVARIANT_TABLE's `about`): entries, gifts,
   * purchases and withdrawals in the journal, acks, and replays (operations acked more than once);
   * undefined where it cannot tell (replays and acks without --acks).
   */
  seen: Record<InvariantSubject, number | undefined>;
  acks?: AckSummary;
  /** With acks and --unacked-ok: the prefixes, and the journal entries they let through without an ack. */
  unackedOk?: { prefixes: string[]; entries: number };
  /** Stated balances compared, or undefined when the source states none. */
  stated?: number;
  offenders: { violation: Violation; entry: unknown }[];
  clean: boolean;
  seconds: number;
}

export async function runAudit(options: AuditOptions): Promise<AuditReport> {
  const now = options.now ?? Date.now;
  const started = now();
  const source = openSource(options);
  let economy = options.economy;
  let economyLabel = options.economyLabel ?? 'given';
  if (economy === undefined && source.reader !== undefined) {
    const published = await source.reader.economy();
    if (published !== undefined) {
      economy = published.economy;
      economyLabel = `the target's GET /v1/economy (${published.scenario})`;
    }
  } else if (economy !== undefined && source.reader !== undefined) {
    // A scenario the target does not serve would blame the backend for the difference (a review: a
    // baseline target audited with creator-share-60 was VIOLATED 30 times); load and replay refuse it too.
    await checkTargetEconomy(
      source.reader,
      { economy, scenario: economyLabel },
      "drop --scenario to audit the journal against the target's own economy, or serve that scenario",
      '--scenario',
    );
  }
  if (economy === undefined) economyLabel = `none (${needingInWords('economy')} need one: pass --scenario)`;
  const acks =
    options.acks ?? (options.acksFile === undefined ? undefined : await readAcksFile(options.acksFile));
  const prefixes = options.unackedOk ?? [];
  if (prefixes.includes('')) {
    // '' starts every opId: invariant 7 would pass over a journal nobody's acks explain.
    throw new InputError({
      field: '--unacked-ok',
      expected: 'an opId prefix of at least one character',
      found: '"" (it would let every entry through without an ack)',
    });
  }
  let letThrough = 0;
  const checker = new JournalChecker({
    economy,
    isExpectedWithoutAck: (opId) => {
      const ok = prefixes.some((p) => opId.startsWith(p));
      if (ok) letThrough++;
      return ok;
    },
  });
  const seen = noneSeen();
  // An acknowledged operation is journaled as acknowledged: who, and how many coins, diamonds and cents.
  const figures = acks === undefined ? undefined : new AckedFigures(acks);
  // A key answered with a success and with a refusal (invariant 6: replays return the first result).
  const misstated: Violation[] = acks === undefined ? [] : mixedReplayAnswers(acks);
  const order = new SeqOrder(source);
  for await (const entry of source.entries()) {
    order.check(entry);
    checker.push(entry);
    countEntry(seen, entry);
    if (figures !== undefined) misstated.push(...figures.check(entry));
  }
  const stated = (await source.reader?.balances()) as StatedBalance[] | undefined;
  const result = withViolations(checker.finish({ stated, acks }), misstated);
  const offenders = await findOffenders(source, result.violations, options.offendersShown ?? 5);
  const ackSummary = acks === undefined ? undefined : summarise(acks);
  if (ackSummary !== undefined) {
    seen.acks = ackSummary.total;
    seen.replays = ackSummary.total - ackSummary.ops;
  } else if (seen.entries === 0) seen.replays = 0; // no acks and no entries: no key used twice to check
  return {
    source: source.label,
    economy: economyLabel,
    result,
    seen,
    acks: ackSummary,
    unackedOk:
      acks === undefined || prefixes.length === 0
        ? undefined
        : { prefixes: [...prefixes], entries: letThrough },
    stated: stated?.length,
    offenders,
    clean: result.violationCount === 0,
    seconds: (now() - started) / 1000,
  };
}

/** The checker's result with more violations counted (and kept, up to the checker's limit). */
function withViolations(result: CheckResult, more: readonly Violation[]): CheckResult {
  if (more.length === 0) return result;
  const by = { ...(result.violationsBy ?? {}) };
  for (const v of more) by[v.invariant] = (by[v.invariant] ?? 0) + 1;
  const room = Math.max(0, limits.violationsKeptMax - result.violations.length);
  return {
    ...result,
    violationCount: result.violationCount + more.length,
    violationsBy: by,
    violations: [...result.violations, ...more.slice(0, room)],
  };
}

/**
 * The invariants follow the journal's order (a balance is never negative at any entry, a carry below one
 * diamond after each gift, a withdrawal within the balance before it), and that order is the seqs'. A file
 * exported newest first was read as written: a sound journal reversed showed invariants 2, 4 and 8
 * violated. A seq below the one before is bad input, naming where (as a target's `next` that does not
 * move on is); so is a seq given twice (two entries under one seq: a target that hands one out twice,
 * or an export or page that repeats one — without acks nothing else would notice). No seq at all is
 * left to the checker.
 */
class SeqOrder {
  private last: number | undefined;
  private lastAt = 0;
  private n = 0;

  constructor(private readonly source: Source) {}

  check(entry: unknown): void {
    this.n++;
    const seq = (entry as { seq?: unknown } | null)?.seq;
    if (!Number.isSafeInteger(seq)) return;
    const s = seq as number;
    if (this.last !== undefined && s <= this.last) {
      const file = this.source.reader === undefined;
      const at = (n: number) => n.toLocaleString('en-US');
      throw new InputError({
        field: file ? '--journal' : '--target',
        expected: `journal entries in seq order${file ? '' : ' from /v1/journal'} (the invariants follow it)`,
        found:
          s < this.last
            ? `seq ${s} after seq ${this.last}, at entry ${at(this.n)}${file ? `: sort the export by seq (${this.source.label})` : ''}`
            : `seq ${s} twice, at entries ${at(this.lastAt)} and ${at(this.n)}: two entries under one seq (a target that hands a seq out twice, or an export that repeats an entry)`,
      });
    }
    this.last = s;
    this.lastAt = this.n;
  }
}

interface Source {
  label: string;
  reader?: TargetReader;
  entries(): AsyncIterable<unknown>;
}

function openSource(options: AuditOptions): Source {
  if (options.target !== undefined && options.journalFile !== undefined) {
    throw new InputError({ field: '--journal', expected: 'either --target or --journal', found: 'both' });
  }
  if (options.journalFile !== undefined) {
    const file = options.journalFile;
    return { label: file, entries: () => readJournalFile(file, '--journal', { atLeastOne: true }) };
  }
  if (options.target === undefined) {
    throw new InputError({
      field: '--target',
      expected: 'a target URL (or --journal file)',
      found: 'neither',
    });
  }
  const reader = new TargetReader({
    target: options.target,
    adminToken: options.adminToken,
    adminTokenFrom: options.adminTokenFrom,
    pageSize: options.pageSize,
    fetch: options.fetch,
  });
  return { label: reader.base.href.replace(/\/$/, ''), reader, entries: () => reader.journal() };
}

async function findOffenders(
  source: Source,
  violations: readonly Violation[],
  shown: number,
): Promise<{ violation: Violation; entry: unknown }[]> {
  const first = shownViolations(violations, shown);
  const seqs = new Set(first.map((v) => v.seq).filter((s): s is number => s !== null));
  const found = new Map<number, unknown>();
  if (seqs.size > 0 && source.reader !== undefined) {
    for (const seq of seqs) found.set(seq, await source.reader.entry(seq));
  } else if (seqs.size > 0) {
    for await (const entry of source.entries()) {
      const seq = (entry as { seq?: unknown } | null)?.seq;
      if (typeof seq === 'number' && seqs.has(seq) && !found.has(seq)) found.set(seq, entry);
      if (found.size === seqs.size) break;
    }
  }
  return first.map((violation) => ({
    violation,
    entry: violation.seq === null ? undefined : found.get(violation.seq),
  }));
}

/**
 * The violations a report shows: the first of each invariant violated (so that one broken in many
 * places does not hide another — a lost update's stated-balance line behind its rounding ones), then the
 * earliest others, up to `shown`, in the order they were found.
 */
export function shownViolations(violations: readonly Violation[], shown: number): Violation[] {
  const picked = new Set<number>();
  const seen = new Set<number>();
  violations.forEach((v, i) => {
    if (picked.size < shown && !seen.has(v.invariant)) picked.add(i);
    seen.add(v.invariant);
  });
  for (let i = 0; i < violations.length && picked.size < shown; i++) picked.add(i);
  return [...picked].sort((a, b) => a - b).map((i) => violations[i]);
}

/**
 * Entries and their kinds among `entries` (journal entries, or acks that carry an entry's kind): what
 * the audit's `seen` counts of a journal's part, e.g. the part written before a load run.
 */
export function entrySubjects(entries: Iterable<unknown>): Partial<Record<InvariantSubject, number>> {
  const seen = noneSeen();
  for (const e of entries) countEntry(seen, e);
  return seen;
}

/** Nothing counted yet: no entry of any kind; replays and acks unknown until acks are read. */
function noneSeen(): Record<InvariantSubject, number | undefined> {
  return { entries: 0, gifts: 0, purchases: 0, withdrawals: 0, replays: undefined, acks: undefined };
}

/** Counts an entry and its kind (an untrusted entry of another kind, or none, counts as an entry only). */
function countEntry(seen: Record<InvariantSubject, number | undefined>, entry: unknown): void {
  seen.entries = (seen.entries ?? 0) + 1;
  const kind = (entry as { kind?: unknown } | null)?.kind;
  const subject =
    kind === 'gift'
      ? 'gifts'
      : kind === 'purchase'
        ? 'purchases'
        : kind === 'withdrawal'
          ? 'withdrawals'
          : undefined;
  if (subject !== undefined) seen[subject] = (seen[subject] ?? 0) + 1;
}

function summarise(acks: readonly Ack[]): AckSummary {
  const s: AckSummary = { total: acks.length, ok: 0, rejected: 0, failed: 0, unknown: 0, ops: 0 };
  const ops = new Set<string>();
  for (const a of acks) {
    ops.add(a.opId);
    if (a.status >= 200 && a.status < 300) s.ok++;
    else if (a.status >= 400 && a.status < 500) s.rejected++;
    else if (a.status >= 500) s.failed++;
    else s.unknown++;
  }
  s.ops = ops.size;
  return s;
}
