/**
 * A load run end to end, for `giftlab load`: workload → bundle → k6 → acks → audit. Each run gets its
 * own folder (default `runs/load/<scenario>-<profile>-<time>/`) holding what k6 read (plan, workload,
 * target profile) and what came out (k6.log, acks.jsonl, summary.json, junit.xml, report.html,
 * audit.txt, audit-junit.xml), so that a run can be audited again or reported on later.
 *
 * k6 runs without its REST API (`--address ''`: its fixed port 6565 would make two loads on one machine
 * collide) and with its web dashboard exporting the HTML report only (no dashboard server either).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { InputError } from '../../common/input-error.ts';
import type { Ack } from '../../sim/invariants/ack-format.ts';
import { needingInWords, type Violation } from '../../sim/invariants/types.ts';
import type { EntryKind } from '../../sim/ledger/journal.ts';
import { entrySubjects, runAudit } from '../audit/audit.ts';
import { auditJunit, idleThisRunLines, type OwnCounts, renderAuditTable } from '../audit/report.ts';
import { TargetReader } from '../audit/target.ts';
import { PROFILE_TABLE } from '../k6/lib/profiles.ts';
import type { VuStream } from '../k6/lib/streams.ts';
import { CUSTOM_METRICS, type SummaryData, type SummaryMeta, thresholdResults } from '../k6/lib/summary.ts';
import type { TargetProfile, Workload } from '../k6/lib/types.ts';
import type { Plan, PlanTotals } from '../plan/types.ts';
import { phaseSpans, rateText } from '../plan/workload.ts';
import { TargetLostError } from '../target-lost.ts';
import { extractAcks, writeAcksFile } from './acks.ts';
import { bundleK6Script } from './bundle.ts';
import { runK6 } from './k6.ts';

export interface LoadRun {
  k6: string;
  plan: Plan;
  workload: Workload;
  /** The economy profiles' request streams (`load/plan/streams.ts`), written to streams.json. */
  streams?: VuStream[];
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
  /** A line for stderr once the target has answered, before anything is written (what runs where). */
  banner?: string;
}

export interface LoadResult {
  k6Exit: number;
  /**
   * False when k6 stopped before it ran the test (no k6.log): the run folder was removed, as nothing in
   * it describes a run.
   */
  started: boolean;
  acks: number;
  operations: number;
  unknown: number;
  /** Journal entries that were there before the run (taken as acknowledged by earlier clients). */
  preexisting: number;
  auditClean: boolean | undefined;
  /** Asked vs delivered, once k6 ran the test. */
  delivery?: Delivery;
  /**
   * The `--threshold`s that judged no samples (vacuous: a tag no request carried in this run, an
   * operation it never sent), as `metric expression`; they fail the run. Empty when none (or no summary).
   */
  unjudged: string[];
  outDir: string;
}

/** What a run writes into its folder (k6 writes summary.json, junit.xml and report.html itself). */
export const LOAD_RUN_FILES = [
  'plan.json',
  'workload.json',
  'target-profile.json',
  'streams.json',
  'k6.log',
  'acks.jsonl',
  'summary.json',
  'junit.xml',
  'report.html',
  'audit.txt',
  'audit-junit.xml',
] as const;

/**
 * Bad input surfaces before the run folder is written: the target must answer (and accept the admin
 * token, for the audit) and the script must bundle. Until k6 has run the test, a failure removes what
 * this run wrote; afterwards k6's results and the acks are kept, whatever the audit does.
 */
export async function runLoad(run: LoadRun): Promise<LoadResult> {
  const before = run.audit ? await journalBefore(run) : await reachable(run);
  const bundle = await bundleK6Script();
  if (run.banner !== undefined) run.stderr.write(`${run.banner}\n`);
  const folder = startRunFolder(run.outDir);
  const log = join(run.outDir, 'k6.log');
  let k6Exit: number;
  try {
    k6Exit = await runK6Test(run, writeInputs(run), bundle.file, log);
  } catch (error) {
    folder.remove();
    throw error;
  }
  const base = { k6Exit, acks: 0, operations: 0, unknown: 0, preexisting: before.length, unjudged: [] };
  if (!existsSync(log)) {
    folder.remove();
    return { ...base, started: false, auditClean: undefined, outDir: run.outDir };
  }
  const extracted = await extractAcks(log);
  await writeAcksFile(join(run.outDir, 'acks.jsonl'), extracted.acks);
  showMessages(run.stderr, extracted.messages, extracted.messagesDropped);
  run.stderr.write(
    `giftlab load: ${extracted.operations} writes, ${extracted.acks.length} acks (${extracted.unknown} with an unknown outcome) → ${join(run.outDir, 'acks.jsonl')}\n`,
  );
  const summary = readSummary(run.outDir);
  const delivery = delivered(run.workload, summary, extracted.acks, run.plan.totals);
  run.stderr.write(`${delivery.lines.join('\n')}\n`);
  const unjudged = judgeThresholds(run, summary);
  const result: LoadResult = {
    ...base,
    unjudged,
    started: true,
    acks: extracted.acks.length,
    delivery,
    operations: extracted.operations,
    unknown: extracted.unknown,
    auditClean: undefined,
    outDir: run.outDir,
  };
  if (!run.audit) return result;
  if (before.length > 0) {
    run.stderr.write(
      `giftlab load: ${before.length} journal entries predate this run; they are taken as acknowledged by earlier clients\n`,
    );
  }
  try {
    return { ...result, auditClean: await audit(run, before.concat(extracted.acks), before) };
  } catch (error) {
    run.stderr.write(
      `giftlab load: the audit did not finish; k6's results and acks.jsonl stay in ${run.outDir} (audit again with giftlab audit --acks)\n`,
    );
    // It answered before the run: one that stops answering under load is a finding, not bad input.
    if (error instanceof InputError && error.problems.some((p) => p.field === '--target'))
      throw new TargetLostError(error.problems.map((p) => p.found).join('; '));
    throw error;
  }
}

/** `load` takes the admin token from the users file: a refusal names that file, not a flag not given. */
function usersToken(run: LoadRun): string {
  const shown = relative(run.cwd, run.usersFile);
  return `--users ${shown.startsWith('..') ? run.usersFile : shown} (its admin token)`;
}

function runK6Test(
  run: LoadRun,
  files: { workload: string; target: string; streams?: string },
  script: string,
  log: string,
) {
  return runK6({
    bin: run.k6,
    cwd: run.cwd,
    env: {
      ...run.env,
      K6_NO_USAGE_REPORT: 'true',
      K6_WEB_DASHBOARD: 'true',
      K6_WEB_DASHBOARD_PORT: '-1',
      K6_WEB_DASHBOARD_EXPORT: join(run.outDir, 'report.html'),
    },
    stdout: run.stdout,
    stderr: run.stderr,
    args: [
      'run',
      '--no-usage-report',
      '--address',
      '',
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
        ...(files.streams === undefined ? {} : { GIFTLAB_STREAMS: files.streams }),
      }),
      script,
    ],
  });
}

async function audit(run: LoadRun, acks: Ack[], before: readonly Ack[]): Promise<boolean> {
  const report = await runAudit({
    target: run.targetUrl,
    adminToken: run.adminToken,
    adminTokenFrom: usersToken(run),
    acks,
  });
  // What this run wrote itself: the whole journal's counts less those of the entries before it.
  const earlier = entrySubjects(before);
  const own: OwnCounts | undefined =
    before.length === 0
      ? undefined
      : Object.fromEntries(
          (['entries', 'gifts', 'purchases', 'withdrawals'] as const).map((s) => [
            s,
            (report.seen[s] ?? 0) - (earlier[s] ?? 0),
          ]),
        );
  const table =
    renderAuditTable(report) +
    thisRunLines(
      report.result,
      { entries: before.length, lastSeq: lastSeq(before) },
      idleThisRunLines(report, own),
    );
  run.stdout.write(`\n${table}`);
  writeFileSync(join(run.outDir, 'audit.txt'), table);
  writeFileSync(join(run.outDir, 'audit-junit.xml'), auditJunit(report, own));
  return report.clean;
}

/**
 * Creates the run folder. In a folder that was already there (a reused --out), an earlier run's files go
 * first: its audit.txt or audit-junit.xml must never sit beside this run's acks as if they were its
 * verdict (a run with --no-audit, or one whose audit did not finish, writes none). `remove()` takes back
 * what this run wrote: every folder it created (a fresh clone has no runs/ yet), or the files a run writes.
 */
function startRunFolder(dir: string): { remove(): void } {
  const created = mkdirSync(dir, { recursive: true });
  if (created === undefined) for (const f of LOAD_RUN_FILES) rmSync(join(dir, f), { force: true });
  return {
    remove: () => {
      if (created !== undefined) rmSync(created, { recursive: true, force: true });
      else for (const f of LOAD_RUN_FILES) rmSync(join(dir, f), { force: true });
    },
  };
}

/** Any answer from the target (its API may not be giftlab's); no journal entries to take as acked. */
async function reachable(run: LoadRun): Promise<Ack[]> {
  await new TargetReader({ target: run.targetUrl }).reachable();
  return [];
}

function writeInputs(run: LoadRun): { workload: string; target: string; streams?: string } {
  const workload = join(run.outDir, 'workload.json');
  const target = join(run.outDir, 'target-profile.json');
  const streams = run.streams === undefined ? undefined : join(run.outDir, 'streams.json');
  if (streams !== undefined) writeFileSync(streams, `${JSON.stringify(run.streams)}\n`);
  writeFileSync(join(run.outDir, 'plan.json'), `${JSON.stringify(run.plan, null, 2)}\n`);
  writeFileSync(workload, `${JSON.stringify(run.workload, null, 2)}\n`);
  writeFileSync(target, `${JSON.stringify(run.target, null, 2)}\n`);
  return { workload, target, streams };
}

function env(vars: Record<string, string>): string[] {
  return Object.entries(vars).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
}

/**
 * The target's journal before the run, as acks: the audit reconciles every entry with a request, and
 * entries from earlier runs have none in this run's acks. Entries written during the run are judged.
 */
async function journalBefore(run: LoadRun): Promise<Ack[]> {
  const reader = new TargetReader({
    target: run.targetUrl,
    adminToken: run.adminToken,
    adminTokenFrom: usersToken(run),
  });
  const acks: Ack[] = [];
  for await (const entry of reader.journal()) {
    const e = entry as { opId?: unknown; kind?: unknown; seq?: unknown };
    if (typeof e.opId !== 'string' || typeof e.kind !== 'string') continue;
    acks.push({ opId: e.opId, kind: e.kind as EntryKind, status: 201, response: { seq: e.seq } });
  }
  return acks;
}

/** The highest journal seq among entries that predate the run (−1: none). */
function lastSeq(before: readonly Ack[]): number {
  let last = -1;
  for (const a of before) {
    const seq = (a.response as { seq?: unknown } | undefined)?.seq;
    if (typeof seq === 'number' && seq > last) last = seq;
  }
  return last;
}

/**
 * On a target that earlier runs wrote to, the audit checks the whole journal and the table's counts are
 * over all of it: a line says how many entries are this run's, and which of the violations kept are at
 * them (a target already broken shows older ones first), with the first of this run's, which the table
 * may not reach. Nothing on a fresh target.
 */
export function thisRunLines(
  result: { entries: number; violations: readonly Violation[] },
  before: { entries: number; lastSeq: number },
  idle: readonly string[] = [],
): string {
  if (before.entries === 0 || before.lastSeq < 0) return '';
  const mine = result.entries - before.entries;
  const lines = [
    `this run: ${mine.toLocaleString('en-US')} of the ${result.entries.toLocaleString('en-US')} entries (seq above ${before.lastSeq}); the counts above are over the whole journal, ${before.entries.toLocaleString('en-US')} entries of it written before this run (each counted as an acknowledged request in the acks line above: ${needingInWords('acks')} judges this run's requests only)`,
    ...idle,
  ];
  const { violations } = result;
  if (violations.length > 0) {
    const older = violations.filter((v) => v.seq !== null && v.seq <= before.lastSeq).length;
    const ours = violations.filter((v) => v.seq !== null && v.seq > before.lastSeq);
    lines.push(
      `  ${ours.length} of the ${violations.length} violations kept are at its own entries, ${older} at entries written before it (the target held them already)`,
      ...ours.slice(0, 5).map((v) => `  [${v.invariant}] ${v.message}`),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** k6's summary.json as handleSummary wrote it (with its `giftlab` meta), or undefined (k6 stopped before the end). */
function readSummary(outDir: string): (SummaryData & { giftlab?: SummaryMeta }) | undefined {
  try {
    return JSON.parse(readFileSync(join(outDir, 'summary.json'), 'utf8')) as SummaryData;
  } catch {
    return undefined;
  }
}

/**
 * The `--threshold`s that judged no samples (`thresholdResults`), each named on stderr. k6's table and
 * junit.xml count them failed already (handleSummary reads the run's --thresholds from the workload).
 */
function judgeThresholds(
  run: LoadRun,
  summary: (SummaryData & { giftlab?: SummaryMeta }) | undefined,
): string[] {
  if (summary === undefined) return [];
  const given = run.workload.thresholds;
  const failing = thresholdResults(summary, given).filter((r) => r.vacuous && r.given);
  for (const r of failing) {
    run.stderr.write(
      `giftlab load: --threshold '${r.metric}:${r.expression}' judged no samples (no sample of ${r.metric} in this run): a threshold that judged nothing fails the run\n`,
    );
  }
  return failing.map((r) => `${r.metric} ${r.expression}`);
}

export interface Delivery {
  askedArrivals: number;
  deliveredArrivals: number | undefined;
  dropped: number;
  /** Delivered at least the asked share and dropped nothing. */
  ok: boolean;
  /**
   * Writes sent and never answered that no k6 metric counts: k6 stopped waiting for them when the run
   * ended (its gracefulStop), so they are in neither http_req_failed nor http_req_duration. Any fails the run.
   */
  unanswered: number;
  lines: string[];
}

/**
 * What was asked next to what k6 delivered: arrivals (k6's iterations) and their rate, dropped
 * iterations, requests, and operations by kind (writes the target accepted, from the acks).
 */
export function delivered(
  w: Workload,
  summary: SummaryData | undefined,
  acks: readonly Ack[],
  plan?: PlanTotals,
): Delivery {
  const seconds = (summary?.state?.testRunDurationMs ?? 0) / 1000;
  const count = (metric: string) => summary?.metrics[metric]?.values?.count;
  const iterations = count('iterations');
  const dropped = count('dropped_iterations') ?? 0;
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  const rate = (x: number) => (seconds > 0 ? `${(x / seconds).toFixed(1)}/s` : '-');
  const asked = w.asked.arrivals;
  const share = iterations === undefined || asked <= 0 ? undefined : iterations / asked;
  const ok = dropped === 0 && (share === undefined || share >= w.asked.deliveredMin - 1e-9);
  const askedText =
    PROFILE_TABLE[w.profile].shape === 'iterations'
      ? `${n(asked)} iterations (${w.vus} VUs × ${w.iterations})`
      : // A ramp's arrivals are a sum of rates × seconds, rarely whole: 386.56 is "about 387".
        `${Number.isInteger(asked) ? '' : 'about '}${n(asked)} arrivals (${askedRate(w)})`;
  const deliveredText =
    iterations === undefined
      ? 'no k6 summary'
      : `${n(iterations)} (${rate(iterations)}, ${share === undefined ? '-' : `${(share * 100).toFixed(1)} %`}), ${n(dropped)} dropped`;
  const done = { purchase: new Set<string>(), gift: new Set<string>(), withdrawal: new Set<string>() };
  for (const a of acks)
    if (a.status >= 200 && a.status < 300 && a.kind !== 'refund') done[a.kind].add(a.opId);
  const requests = count('http_reqs') ?? 0;
  const lines = [
    `giftlab load: asked ${askedText}; delivered ${deliveredText}${ok ? '' : ` — FAILED: below ${(w.asked.deliveredMin * 100).toFixed(0)} % or dropped`}`,
    `  requests ${n(requests)} (${rate(requests)}; ${askedRequests(w)}); writes accepted: ` +
      `gifts ${n(done.gift.size)}, purchases ${n(done.purchase.size)}, withdrawals ${n(done.withdrawal.size)}`,
  ];
  if (acks.length > 0) lines.push(`  ${answersLine(acks)}`);
  if (plan !== undefined && PROFILE_TABLE[w.profile].economy) {
    const mix = mixLine(plan, {
      purchases: done.purchase.size,
      gifts: done.gift.size,
      withdrawals: done.withdrawal.size,
    });
    if (mix !== '') lines.push(`  ${mix}`);
  }
  // A status-0 ack is a write with no answer; k6 counts those it gave up on (a timeout, a reset) itself.
  const noAnswer = acks.filter((a) => a.status === 0).length;
  const unanswered = Math.max(0, noAnswer - (count(CUSTOM_METRICS.unknownOutcomes) ?? 0));
  if (unanswered > 0)
    lines.push(
      `  FAILED: ${n(unanswered)} write${unanswered === 1 ? ' was' : 's were'} sent and never answered: k6 stopped waiting at the end of the run, so no metric counts ${unanswered === 1 ? 'it' : 'them'} (the failure rates and latencies above leave ${unanswered === 1 ? 'it' : 'them'} out)`,
    );
  return { askedArrivals: asked, deliveredArrivals: iterations, dropped, ok, unanswered, lines };
}

/** Beyond this relative difference from the plan's purchases per gift, the mix line says why. */
export const MIX_OFF_SHARE = 0.25;

/**
 * The accepted writes' mix beside the plan's: purchases per gift and withdrawals per 1,000 gifts (empty
 * with no gift accepted). An economy profile's streams start every viewer with no coins and buy packs
 * when a gift is short (load/plan/streams.ts), while the simulation's payers hold wallets in a steady
 * state: so a run buys more per gift than the plan until its viewers have sent many gifts each, and
 * the line says so past MIX_OFF_SHARE (a review saw 1.51 purchases per gift against the plan's 1.01,
 * and nothing said it; 2,000 viewers at 50 arrivals/s: 1.65 over 15 s, 1.52 over 90 s).
 */
export function mixLine(
  plan: Pick<PlanTotals, 'purchases' | 'gifts' | 'withdrawals'>,
  sent: { purchases: number; gifts: number; withdrawals: number },
): string {
  if (sent.gifts === 0 || plan.gifts === 0) return '';
  const perGift = sent.purchases / sent.gifts;
  const planPerGift = plan.purchases / plan.gifts;
  const per1000 = (1000 * sent.withdrawals) / sent.gifts;
  const planPer1000 = (1000 * plan.withdrawals) / plan.gifts;
  const line = `mix against the plan: purchases per gift ${perGift.toFixed(2)} (plan ${planPerGift.toFixed(2)}), withdrawals per 1,000 gifts ${per1000.toFixed(1)} (plan ${planPer1000.toFixed(1)})`;
  const off = planPerGift > 0 && Math.abs(perGift / planPerGift - 1) > MIX_OFF_SHARE;
  if (!off) return line;
  return `${line} — off by ${Math.round(100 * Math.abs(perGift / planPerGift - 1))} %: every viewer of the load starts with no coins and buys when a gift is short, while the plan's payers hold a wallet already, so a viewer's first gifts bring more purchases (and creators start with no diamonds, so withdrawals lag); more gifts per viewer — a longer --duration, or fewer viewers — come closer to the plan`;
}

/**
 * The writes' answers by status (`201 × 40, 409 × 3, no answer × 1`): a target whose routes are not the
 * profile's answers every write 404, which accepted counts of 0 alone do not explain.
 */
export function answersLine(acks: readonly Ack[]): string {
  const by = new Map<number, number>();
  for (const a of acks) by.set(a.status, (by.get(a.status) ?? 0) + 1);
  const parts = [...by]
    .sort((a, b) => a[0] - b[0])
    .map(([status, k]) => `${status === 0 ? 'no answer' : status} × ${k.toLocaleString('en-US')}`);
  const accepted = acks.some((a) => a.status >= 200 && a.status < 300);
  const none = accepted
    ? ''
    : by.has(404)
      ? ' — none accepted: the target has no such routes (check --target and --target-profile)'
      : ' — none accepted';
  return `writes answered: ${parts.join(', ')}${none}`;
}

/**
 * The requests asked for: what the items the asked arrivals play send (a withdrawal check counted with its
 * withdrawal, which goes only past the threshold; StreamLayout.askedRequests); without streams (smoke, race),
 * none (their rounds are fixed; requestsPerArrival is only their VU sizing's figure).
 */
export function askedRequests(w: Workload): string {
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  const s = w.streams;
  // smoke and race send what their rounds need (reads, checks, batches): no per-arrival figure to hold them to.
  if (s === undefined || s.items <= 0) return 'a fixed round per arrival';
  return `about ${n(s.askedRequests)} asked`;
}

/** `20/s for 15 s`; `from 41.14/s, between 11.6/s and 50/s, for 15 s`; a spike's phases after its length. */
export function askedRate(w: Workload): string {
  const rate = rateText(w);
  const spans = phaseSpans(w);
  return `${rate}${rate.includes(',') ? ',' : ''} for ${w.durationSeconds} s${spans === '' ? '' : `: ${spans}`}`;
}

function showMessages(out: NodeJS.WritableStream, messages: string[], dropped: number): void {
  const shown = messages.filter((m) => !m.startsWith('giftlab: run '));
  if (shown.length === 0) return;
  out.write(`k6 log:\n${shown.map((m) => `  ${m}`).join('\n')}\n`);
  if (dropped > 0) out.write(`  … and ${dropped} more lines in k6.log\n`);
}
