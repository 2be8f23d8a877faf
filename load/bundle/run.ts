/**
 * A load run end to end, for `giftlab load`: workload → bundle → k6 → acks → audit. Each run gets its
 * own folder (default `runs/load/<scenario>-<profile>-<time>/`) holding what k6 read (plan, workload,
 * target profile) and what came out (k6.log, acks.jsonl, summary.json, junit.xml, audit.txt,
 * audit-junit.xml), so that a run can be audited again or reported on later.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Ack } from '../../sim/invariants/types.ts';
import type { EntryKind } from '../../sim/ledger/journal.ts';
import { runAudit } from '../audit/audit.ts';
import { auditJunit, renderAuditTable } from '../audit/report.ts';
import { TargetReader } from '../audit/target.ts';
import type { TargetProfile, Workload } from '../k6/lib/types.ts';
import type { Plan } from '../plan/types.ts';
import { extractAcks, writeAcksFile } from './acks.ts';
import { bundleK6Script } from './bundle.ts';
import { runK6 } from './k6.ts';

export interface LoadRun {
  k6: string;
  plan: Plan;
  workload: Workload;
  target: TargetProfile;
  /** Audit the target afterwards (its profile reads giftlab's journal shape). */
  audit: boolean;
  targetUrl: string;
  usersFile: string;
  adminToken: string;
  runId: string;
  outDir: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export interface LoadResult {
  k6Exit: number;
  acks: number;
  operations: number;
  unknown: number;
  /** Journal entries that were there before the run (taken as acknowledged by earlier clients). */
  preexisting: number;
  auditClean: boolean | undefined;
  outDir: string;
}

export async function runLoad(run: LoadRun): Promise<LoadResult> {
  mkdirSync(run.outDir, { recursive: true });
  const files = writeInputs(run);
  const bundle = await bundleK6Script();
  const before = run.audit ? await journalBefore(run) : [];
  const log = join(run.outDir, 'k6.log');
  const k6Exit = await runK6({
    bin: run.k6,
    cwd: run.cwd,
    env: { ...run.env, K6_NO_USAGE_REPORT: 'true' },
    stdout: run.stdout,
    stderr: run.stderr,
    args: [
      'run',
      '--no-usage-report',
      '--log-format',
      'raw',
      '--log-output',
      `file=${log}`,
      ...env({
        GIFTLAB_WORKLOAD: files.workload,
        GIFTLAB_TARGET_PROFILE: files.target,
        GIFTLAB_USERS: run.usersFile,
        GIFTLAB_TARGET: run.targetUrl,
        GIFTLAB_RUN_ID: run.runId,
        GIFTLAB_OUT_DIR: run.outDir,
      }),
      bundle.file,
    ],
  });
  const extracted = await extractAcks(log);
  await writeAcksFile(join(run.outDir, 'acks.jsonl'), extracted.acks);
  showMessages(run.stderr, extracted.messages, extracted.messagesDropped);
  run.stderr.write(
    `giftlab load: ${extracted.operations} writes, ${extracted.acks.length} acks (${extracted.unknown} with an unknown outcome) → ${join(run.outDir, 'acks.jsonl')}\n`,
  );
  if (run.workload.profile === 'steady') run.stderr.write(`${fidelity(run, extracted.acks)}\n`);
  const result: LoadResult = {
    k6Exit,
    acks: extracted.acks.length,
    operations: extracted.operations,
    unknown: extracted.unknown,
    preexisting: before.length,
    auditClean: undefined,
    outDir: run.outDir,
  };
  if (!run.audit) return result;
  if (before.length > 0) {
    run.stderr.write(
      `giftlab load: ${before.length} journal entries predate this run; they are taken as acknowledged by earlier clients\n`,
    );
  }
  const report = await runAudit({
    target: run.targetUrl,
    adminToken: run.adminToken,
    acks: before.concat(extracted.acks),
  });
  const table = renderAuditTable(report);
  run.stdout.write(`\n${table}`);
  writeFileSync(join(run.outDir, 'audit.txt'), table);
  writeFileSync(join(run.outDir, 'audit-junit.xml'), auditJunit(report));
  return { ...result, auditClean: report.clean };
}

function writeInputs(run: LoadRun): { workload: string; target: string } {
  const workload = join(run.outDir, 'workload.json');
  const target = join(run.outDir, 'target-profile.json');
  writeFileSync(join(run.outDir, 'plan.json'), `${JSON.stringify(run.plan, null, 2)}\n`);
  writeFileSync(workload, `${JSON.stringify(run.workload, null, 2)}\n`);
  writeFileSync(target, `${JSON.stringify(run.target, null, 2)}\n`);
  return { workload, target };
}

function env(vars: Record<string, string>): string[] {
  return Object.entries(vars).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
}

/**
 * The target's journal before the run, as acks: the audit reconciles every entry with a request, and
 * entries from earlier runs have none in this run's acks. Entries written during the run are judged.
 */
async function journalBefore(run: LoadRun): Promise<Ack[]> {
  const reader = new TargetReader({ target: run.targetUrl, adminToken: run.adminToken });
  const acks: Ack[] = [];
  for await (const entry of reader.journal()) {
    const e = entry as { opId?: unknown; kind?: unknown; seq?: unknown };
    if (typeof e.opId !== 'string' || typeof e.kind !== 'string') continue;
    acks.push({ opId: e.opId, kind: e.kind as EntryKind, status: 201, response: { seq: e.seq } });
  }
  return acks;
}

/**
 * Steady plays the plan's whole run once, compressed: what was done, next to what the plan expects.
 * Purchases run lower when the users file has fewer viewers than the plan has payers (leftover coins
 * cover later gifts) and higher with more; gifts follow the arrivals.
 */
export function fidelity(run: Pick<LoadRun, 'plan' | 'workload'>, acks: readonly Ack[]): string {
  const done = { purchase: new Set<string>(), gift: new Set<string>(), withdrawal: new Set<string>() };
  for (const a of acks)
    if (a.status >= 200 && a.status < 300 && a.kind !== 'refund') done[a.kind].add(a.opId);
  const factor =
    (run.workload.rate.intents * run.workload.durationSeconds) /
    Math.max(1e-9, run.plan.totals.gifts + run.plan.totals.withdrawals);
  const t = run.plan.totals;
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  return `giftlab load: done vs plan — gifts ${n(done.gift.size)} (${n(t.gifts * factor)}), purchases ${n(done.purchase.size)} (${n(t.purchases * factor)}), withdrawals ${n(done.withdrawal.size)} (${n(t.withdrawals * factor)})`;
}

function showMessages(out: NodeJS.WritableStream, messages: string[], dropped: number): void {
  const shown = messages.filter((m) => !m.startsWith('giftlab: run '));
  if (shown.length === 0) return;
  out.write(`k6 log:\n${shown.map((m) => `  ${m}`).join('\n')}\n`);
  if (dropped > 0) out.write(`  … and ${dropped} more lines in k6.log\n`);
}
