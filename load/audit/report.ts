/**
 * The audit's two outputs: a plain-text table for people (invariants checked, entries and acks seen,
 * the first violations with their entries) and JUnit XML for CI (one test case per invariant).
 */

import { type JunitCase, junitXml } from '../../reports/junit.ts';
import {
  type CheckInput,
  INVARIANT_IDS,
  INVARIANT_TABLE,
  INVARIANTS,
  type InvariantId,
  type InvariantSubject,
  needingInWords,
  needingStatedInWords,
  type Violation,
} from '../../sim/invariants/types.ts';
import type { AuditReport } from './audit.ts';

export function renderAuditTable(report: AuditReport): string {
  const r = report.result;
  const lines = [`giftlab audit — ${report.source}`];
  const acks = report.acks;
  lines.push(
    `  entries  ${r.entries}`,
    `  acks     ${
      acks === undefined
        ? `none given (${needingInWords('acks')} not checked: pass --acks)`
        : `${acks.total} for ${acks.ops} operations (acks: ${acks.ok} ok, ${acks.rejected} rejected, ${acks.failed} failed, ${acks.unknown} unknown)`
    }`,
    ...(report.unackedOk === undefined
      ? []
      : [
          `  unacked  ${report.unackedOk.entries} journal entr${report.unackedOk.entries === 1 ? 'y' : 'ies'} without an ack let through by --unacked-ok ${report.unackedOk.prefixes.map((p) => JSON.stringify(p)).join(', ')} (not reconciled)`,
        ]),
    `  balances ${report.stated === undefined ? `none stated by the source (part of ${needingStatedInWords()} not checked)` : `${report.stated} stated, compared with the journal`}`,
    `  economy  ${report.economy}`,
    '',
  );
  const width = Math.max(...INVARIANT_IDS.map((id) => INVARIANTS[id].length));
  lines.push(`  #  ${'invariant'.padEnd(width)}  result`);
  for (const id of INVARIANT_IDS) {
    lines.push(`  ${id}  ${INVARIANTS[id].padEnd(width)}  ${verdict(id, report)}`);
  }
  lines.push('');
  const notChecked = notCheckedSummary(r.checked);
  const untried = vacuousSummary(report);
  if (report.clean) {
    // Holding over nothing is said beside the count, not only on the line below it.
    const overNothing = INVARIANT_IDS.filter((id) => vacuous(id, report)).length;
    lines.push(
      `clean: ${r.checked.length} invariants hold over ${r.entries} entries${overNothing === 0 ? '' : ` (${overNothing} of them vacuously: nothing of their kind to check)`} (${report.seconds.toFixed(1)} s)`,
    );
    if (untried !== undefined) lines.push(`vacuous: ${untried}`);
    if (notChecked !== undefined) lines.push(`not checked: ${notChecked}`);
    return `${lines.join('\n')}\n`;
  }
  if (untried !== undefined) lines.push(`vacuous: ${untried}`);
  if (notChecked !== undefined) lines.push(`not checked: ${notChecked}`);
  const kept = r.violations.length;
  const more = r.violationCount > kept ? ` (${r.violationCount - kept} more not kept)` : '';
  lines.push(
    `${r.violationCount} violation${r.violationCount === 1 ? '' : 's'}${more}; ${report.offenders.length} shown (the first of each invariant violated, then the earliest):`,
  );
  for (const { violation: v, entry } of report.offenders) {
    const where = v.seq === null ? 'journal' : `entry ${v.seq}${v.opId === null ? '' : ` (${v.opId})`}`;
    lines.push(`  [${v.invariant}] ${where}: ${v.message}`);
    lines.push(`      expected ${String(v.expected)}, found ${String(v.found)}`);
    if (entry !== undefined) lines.push(`      ${describeEntry(entry)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Counts of what a load run wrote itself, by subject (the journal's part after the run began). */
export type OwnCounts = Partial<Record<InvariantSubject, number>>;

/**
 * The invariants that hold on a journal earlier runs wrote to but over none of this run's own: checked,
 * unbroken, about something this run made none of while the journal holds some. Their `ok (9
 * withdrawals)` is about entries written before the run (a review read it as this run's withdrawals
 * checked).
 */
export function idleThisRun(report: AuditReport, own: OwnCounts | undefined): InvariantId[] {
  if (own === undefined) return [];
  return INVARIANT_IDS.filter((id) => {
    const subject = subjectOf(id);
    return (
      report.result.checked.includes(id) &&
      violated(id, report) === 0 &&
      own[subject] === 0 &&
      (report.seen[subject] ?? 0) > 0
    );
  });
}

/** A line per idle invariant (idleThisRun), for the load run's "this run" lines; empty when none. */
export function idleThisRunLines(report: AuditReport, own: OwnCounts | undefined): string[] {
  return idleThisRun(report, own).map(
    (id) =>
      `  invariant ${id} held over the ${counted(report.seen[subjectOf(id)] ?? 0, subjectOf(id))} written before this run only: this run made none`,
  );
}

/**
 * JUnit for CI: a test case per invariant, failed when violated, skipped when not checked or holding
 * over nothing — of the journal, or (given `own`, a load run's counts) of this run's own entries.
 */
export function auditJunit(report: AuditReport, own?: OwnCounts): string {
  const r = report.result;
  const byId = new Map<InvariantId, Violation[]>();
  for (const v of r.violations) {
    const list = byId.get(v.invariant) ?? [];
    list.push(v);
    byId.set(v.invariant, list);
  }
  const idle = idleThisRun(report, own);
  const cases: JunitCase[] = INVARIANT_IDS.map((id) => {
    const name = `${id} ${INVARIANTS[id]}`;
    const c: JunitCase = { name, className: 'giftlab.audit' };
    if (!r.checked.includes(id)) return { ...c, skipped: `not checked (${skipReason(id)})` };
    const found = byId.get(id) ?? [];
    const count = violated(id, report);
    // Holding over nothing is not passing: CI shows it as skipped, with what was missing.
    if (count === 0 && vacuous(id, report))
      return { ...c, skipped: `holds vacuously: no ${subjectOf(id)} to check` };
    if (idle.includes(id))
      return {
        ...c,
        skipped: `holds only over entries written before this run: it made no ${subjectOf(id)}`,
      };
    if (count === 0) return c;
    const detail = found
      .slice(0, 20)
      .map(
        (v) =>
          `${v.seq === null ? 'journal' : `entry ${v.seq} (${v.opId ?? '?'})`}: ${v.message}; expected ${String(v.expected)}, found ${String(v.found)}`,
      )
      .join('\n');
    const first =
      found[0]?.message ?? `none kept (the first ${r.violations.length} kept are of other invariants)`;
    return { ...c, failure: { message: `${count} violation(s): ${first}`, detail } };
  });
  return junitXml([{ name: `giftlab audit ${report.source}`, cases }]);
}

/**
 * Violations of invariant id: all of them where the checker counted them by invariant (the kept list
 * stops at `limits.violationsKeptMax`, so an invariant broken only past it would look unbroken), else
 * the kept ones.
 */
function violated(id: InvariantId, report: AuditReport): number {
  const r = report.result;
  return r.violationsBy?.[id] ?? r.violations.filter((v) => v.invariant === id).length;
}

/** `ok (1,001 gifts)`, `ok, vacuous: no withdrawals`, `VIOLATED (3)` or `not checked (…)`. */
function verdict(id: InvariantId, report: AuditReport): string {
  if (!report.result.checked.includes(id)) return `not checked (${skipReason(id)})`;
  const n = violated(id, report);
  if (n > 0) return `VIOLATED (${n.toLocaleString('en-US')})`;
  const over = report.seen[subjectOf(id)];
  // Replays are counted from the acks; without them the check still read every entry (no key twice).
  if (over === undefined)
    return `ok (${counted(report.result.entries, 'entries')}; ${subjectOf(id)} are counted from --acks)`;
  if (over === 0) return `ok, vacuous: no ${subjectOf(id)}`;
  // Holding in the part that was checked is not holding in the part that was not: say which.
  const part = INVARIANT_TABLE.find((i) => i.id === id)?.whenStated;
  const unchecked =
    part !== undefined && report.stated === undefined ? `; not checked: ${part}, none stated` : '';
  return `ok (${counted(over, subjectOf(id))}${unchecked})`;
}

/** `1 withdrawal`, `2,515 entries`. */
function counted(n: number, subject: InvariantSubject): string {
  const noun = n === 1 ? subject.replace(/ies$/, 'y').replace(/s$/, '') : subject;
  return `${n.toLocaleString('en-US')} ${noun}`;
}

function subjectOf(id: InvariantId): InvariantSubject {
  return (INVARIANT_TABLE.find((i) => i.id === id) as { about: InvariantSubject }).about;
}

/** Checked, unbroken, and about something the journal (or the acks) held none of. */
function vacuous(id: InvariantId, report: AuditReport): boolean {
  return report.result.checked.includes(id) && report.seen[subjectOf(id)] === 0;
}

/** `8 (no withdrawals)`: the invariants that held over nothing, or undefined when none did. */
function vacuousSummary(report: AuditReport): string | undefined {
  const ids = INVARIANT_IDS.filter((id) => vacuous(id, report) && violated(id, report) === 0);
  if (ids.length === 0) return undefined;
  return `${ids.map((id) => `${id} (no ${subjectOf(id)})`).join(', ')} — nothing of that kind was there to check`;
}

/** How the audit is given each input a check may need (which invariant needs which: the table). */
const HOW_GIVEN: Record<CheckInput, string> = { economy: 'the economy: pass --scenario', acks: '--acks' };

function skipReason(id: InvariantId): string {
  const needs = INVARIANT_TABLE.find((i) => i.id === id)?.needs ?? [];
  return `needs ${needs.map((n) => HOW_GIVEN[n]).join(' and ')}`;
}

/**
 * The invariants not checked and why, in a line: `4, 5, 8 need the economy: pass --scenario; 7 needs
 * --acks`; undefined when every invariant was checked.
 */
export function notCheckedSummary(checked: readonly InvariantId[]): string | undefined {
  const byReason = new Map<string, InvariantId[]>();
  for (const id of INVARIANT_IDS) {
    if (checked.includes(id)) continue;
    byReason.set(skipReason(id), [...(byReason.get(skipReason(id)) ?? []), id]);
  }
  if (byReason.size === 0) return undefined;
  return [...byReason]
    .map(
      ([reason, ids]) => `${ids.join(', ')} ${ids.length === 1 ? reason : reason.replace(/^needs/, 'need')}`,
    )
    .join('; ');
}

/** `gift g-1 at 17: viewer:3 COIN -25, creator:1 COIN +25, …` — untrusted, so never throws. */
function describeEntry(entry: unknown): string {
  if (typeof entry !== 'object' || entry === null) return `entry: ${String(entry)}`;
  const e = entry as { kind?: unknown; postings?: unknown };
  const postings = Array.isArray(e.postings)
    ? e.postings
        .map((p: { account?: unknown; unit?: unknown; amount?: unknown } | null) => {
          const amount = typeof p?.amount === 'number' && p.amount > 0 ? `+${p.amount}` : String(p?.amount);
          return `${String(p?.account)} ${String(p?.unit)} ${amount}`;
        })
        .join(', ')
    : 'no postings';
  return `${String(e.kind)}: ${postings}`;
}
