/**
 * Replay's verdict as plain text: what was sent where, then EXACT MATCH, or DIFFERENT with the first
 * operation where the target and the simulation diverge (both sides' postings), the accounts that
 * differ (simulation, target journal, target stated balance, first diverging operation) and the cash of
 * each channel from both journals.
 */

import { describeOp, type SimOp, type SimOpKind } from '../../experiments/oplog/op.ts';
import { PURCHASE_FEES } from '../../sim/economy/rules.ts';
import type { Posting } from '../../sim/ledger/journal.ts';
import type { AccountDifference, ChannelCash, Comparison } from './compare.ts';
import type { ReplayReport, ReplayStart } from './replay.ts';

const ACCOUNTS_SHOWN = 20;

const n = (x: number) => x.toLocaleString('en-US');

/** The lines printed before anything is sent. */
export function renderStart(start: ReplayStart, usersLabel: string): string {
  const h = start.log.header;
  const lines = [
    `giftlab replay: ${start.log.label} (${h.scenario}, seed ${h.seed}, replication 0: ${n(h.ops)} operations) → ${start.target}`,
    `  economy   the run's, as the target's GET /v1/economy states (${start.targetScenario})`,
    `  users     simulation viewer n and creator n → the n-th viewer and creator of ${usersLabel}`,
    `  keys      ${start.keyPrefix}<opId>; the target journals them as opIds`,
  ];
  if (start.acknowledged > 0) {
    lines.push(
      `  resuming  ${n(start.acknowledged)} operations are in the target's journal already: skipped`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export function renderReplay(report: ReplayReport): string {
  const d = report.dispatched;
  const rate = report.sendSeconds > 0 ? ` (${n(Math.round(d.sent / report.sendSeconds))}/s)` : '';
  const lines = [
    `  sent      ${n(d.sent)} operations in ${report.sendSeconds.toFixed(1)} s${rate}; ${n(d.skipped)} skipped as acknowledged`,
  ];
  const total = report.log.ops.length;
  if (d.stopped === 'signal') {
    lines.push(
      `interrupted after ${n(d.reached)} of ${n(total)} operations; run the same command again to resume`,
    );
    return `${lines.join('\n')}\n`;
  }
  const c = report.comparison as Comparison;
  const partial =
    c.compared < total
      ? ` (the first ${n(c.compared)} of ${n(total)}: --limit; run again without it to finish)`
      : '';
  lines.push(
    `  compared  ${n(c.compared)} operations${partial}: ${n(c.simEntries)} entries in the simulation, ${n(c.targetEntries)} in the target; ${n(c.balancesCompared)} balances${c.statedCompared === undefined ? '' : `, ${n(c.statedCompared)} stated by the target`}`,
  );
  lines.push(`  ${exercisedLine(report.log.ops.slice(0, c.compared))}`);
  for (const r of report.otherRefusals.slice(0, 5)) {
    lines.push(
      `  note      ${r.op.opId}: both refused it, the simulation with ${r.op.result}, the target with ${r.target}`,
    );
  }
  lines.push('');
  if (c.exact) {
    lines.push(
      'EXACT MATCH: every journal entry, every balance and the cash of every channel equal the simulation’s ledger',
    );
    lines.push(...cashTable(c.cash.sim, c.cash.target));
    return `${lines.join('\n')}\n`;
  }
  lines.push(...differenceLines(c));
  return `${lines.join('\n')}\n`;
}

/**
 * What the compared operations exercised, by kind and outcome: a match over operations without
 * withdrawals or refusals says nothing of those rules, and the line says so (as the audit calls a check
 * over nothing vacuous).
 */
export function exercisedLine(ops: readonly SimOp[]): string {
  const kinds: SimOpKind[] = ['purchase', 'gift', 'withdrawal'];
  const count = (kind: SimOpKind) => ops.filter((o) => o.kind === kind).length;
  const refused = ops.filter((o) => o.result !== 'ok').length;
  const missing = kinds.filter((k) => count(k) === 0).map((k) => `${k}s`);
  const parts = kinds.map((k) => `${k}s ${n(count(k))}`).join(', ');
  const none =
    missing.length === 0
      ? ''
      : ` — not exercised: ${missing.join(', ')} (their rules were not compared; a longer run, or for withdrawals a lower creators.withdrawAtDiamonds, has them)`;
  // The engine sends purchases and gifts only when they can be paid for: refusals come from withdrawals.
  const refusals = refused === 0 ? ' (no refusal: the simulation sends only what it can pay for)' : '';
  return `exercised ${parts}; refused ${n(refused)}${refusals}${none}`;
}

function differenceLines(c: Comparison): string[] {
  const lines = [
    `DIFFERENT: ${n(c.divergent)} of ${n(c.compared)} operations diverge; ${n(c.differences.length)} accounts differ${c.unexplained.length > 0 ? `; ${n(c.unexplained.length)} target entries no operation explains` : ''}`,
  ];
  if (c.first !== undefined) {
    const f = c.first;
    lines.push(
      `first divergence: operation ${n(f.index + 1)}, ${describeOp(f.op)}`,
      `  simulation  ${f.expected === undefined ? `refused (${f.op.result})` : postingsText(f.expected)}`,
      `  target      ${f.found === undefined ? 'no journal entry (refused or lost)' : postingsText(f.found)}`,
    );
  }
  if (c.unexplained.length > 0)
    lines.push(`unexplained target entries: ${c.unexplained.slice(0, 5).join(', ')}`);
  if (c.differences.length > 0) {
    lines.push(
      `accounts that differ (${n(c.differences.length)}${c.differences.length > ACCOUNTS_SHOWN ? `; the first ${ACCOUNTS_SHOWN}` : ''}):`,
    );
    lines.push(...accountTable(c.differences.slice(0, ACCOUNTS_SHOWN)));
  }
  lines.push(...cashTable(c.cash.sim, c.cash.target));
  return lines;
}

function accountTable(rows: readonly AccountDifference[]): string[] {
  const table = [
    ['account', 'unit', 'simulation', 'target journal', 'target stated', 'first diverging operation'],
    ...rows.map((r) => [
      r.account,
      r.unit,
      n(r.sim),
      n(r.journal),
      r.stated === undefined ? '—' : n(r.stated),
      r.first === undefined
        ? 'none: only the stated balance differs'
        : `${n(r.first.index + 1)}: ${describeOp(r.first.op)}`,
    ]),
  ];
  return aligned(table, [false, false, true, true, true, false]);
}

function cashTable(sim: readonly ChannelCash[], target: readonly ChannelCash[]): string[] {
  const cells = (c: ChannelCash): number[] => [c.grossCents, ...c.feeCents, c.netCents];
  const rows = sim.map((s, i) => {
    const t = cells(target[i]);
    return [s.channel, ...cells(s).map((v, j) => (v === t[j] ? n(v) : `${n(v)} ≠ ${n(t[j])}`))];
  });
  const head = ['channel', 'gross', ...PURCHASE_FEES.map((f) => f.plural), 'net'];
  return [
    'cash per channel, in cents (simulation ≠ target where they differ):',
    ...aligned([head, ...rows], [false, ...head.slice(1).map(() => true)]),
  ];
}

function aligned(rows: readonly string[][], right: readonly boolean[]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map(
    (r) =>
      `  ${r.map((cell, i) => (i === r.length - 1 && !right[i] ? cell : right[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ')}`,
  );
}

function postingsText(postings: readonly Posting[]): string {
  if (postings.length === 0) return 'an entry without postings';
  return postings.map((p) => `${p.account} ${p.unit} ${p.amount > 0 ? '+' : ''}${n(p.amount)}`).join(', ');
}
