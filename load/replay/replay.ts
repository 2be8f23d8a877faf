/**
 * `giftlab replay` as a library: read a run's operation log, check the target applies the run's
 * economy and holds nothing but this replay's writes, send the operations not yet acknowledged (in
 * run order, per-account order kept under concurrency), then read the target's journal and balances
 * back and compare them with the simulation's ledger.
 *
 * Resumable: every operation's Idempotency-Key is `gl-<digest of ops.jsonl>-<opId>`, and the target
 * journals it as the entry's opId. A re-run skips the operations whose keys are in the journal and
 * re-sends the others — those were never applied, or were refused (and a sound target answers a
 * re-sent refusal with the first answer), so nothing takes effect twice.
 */
import { InputError } from '../../common/input-error.ts';
import type { SimOp } from '../../experiments/oplog/op.ts';
import type { JournalEntry } from '../../sim/ledger/journal.ts';
import { TargetReader } from '../audit/target.ts';
import type { UsersFile } from '../users-file.ts';
import { type Answer, ReplayClient } from './client.ts';
import { type Comparison, compareWithTarget } from './compare.ts';
import { type Dispatched, type DispatchOptions, dispatch } from './dispatch.ts';
import { checkTargetEconomy } from './economy-diff.ts';
import { checkJournalFile, expectedLedger, type RunLog, readRunLog } from './run-log.ts';
import { accountMapper, checkEnoughUsers } from './users.ts';

/**
 * `concurrency`, `ratePerSecond`, `limit` and `signal` are the dispatcher's, handed on as they are; after
 * a `limit`, what was reached is compared (a resumable partial replay).
 */
export interface ReplayOptions
  extends Pick<DispatchOptions, 'concurrency' | 'ratePerSecond' | 'limit' | 'signal'> {
  /** A run folder, its ops.jsonl, or its journal.jsonl; `inputLabel` names it in messages. */
  input: string;
  inputLabel?: string;
  /** Base URL; default the users file's `target`. */
  target?: string;
  users: UsersFile;
  usersLabel?: string;
  /** Default: the users file's. */
  adminToken?: string;
  /** Called once the checks passed, before anything is sent. */
  onStart?: (start: ReplayStart) => void;
  onProgress?: (done: number, total: number) => void;
  fetch?: typeof fetch;
  now?: () => number;
}

export interface ReplayStart {
  log: RunLog;
  target: string;
  targetScenario: string;
  keyPrefix: string;
  /** Operations already in the target's journal (a resumed replay). */
  acknowledged: number;
}

export interface ReplayReport extends ReplayStart {
  dispatched: Dispatched;
  sendSeconds: number;
  /** Undefined when the replay was interrupted (nothing compared). */
  comparison?: Comparison;
  /** Operations both refused, for different reasons (no money moved; shown, not a difference). */
  otherRefusals: { op: SimOp; target: string }[];
}

export async function runReplay(options: ReplayOptions): Promise<ReplayReport> {
  const now = options.now ?? (() => performance.now());
  const log = await readRunLog(options.input, options.inputLabel ?? options.input);
  const simLedger = expectedLedger(log);
  await checkJournalFile(log, simLedger);
  const usersLabel = options.usersLabel ?? 'the users file';
  checkEnoughUsers(options.users, log.ops, usersLabel);
  const target = options.target ?? options.users.target;
  if (target === undefined) {
    throw new InputError({
      field: '--target',
      expected: 'the URL of the target',
      found: `nothing (and ${usersLabel} names none)`,
    });
  }
  const adminToken = options.adminToken ?? options.users.adminToken;
  const reader = new TargetReader({ target, adminToken, fetch: options.fetch });
  const targetScenario = await checkEconomy(reader, log);
  const keyPrefix = `gl-${log.digest.slice(0, 10)}-`;
  const before = await ourEntries(reader, keyPrefix);
  const start: ReplayStart = {
    log,
    target: reader.base.href,
    targetScenario,
    keyPrefix,
    acknowledged: before.size,
  };
  options.onStart?.(start);

  const client = new ReplayClient({
    target: reader.base,
    users: options.users,
    keyOf: (op) => `${keyPrefix}${op.opId}`,
    fetch: options.fetch,
  });
  /** The target's answers to the operations the simulation refused (what `otherRefusals` reads). */
  const answers = new Map<string, Answer>();
  let settled = 0;
  const started = now();
  const dispatched = await dispatch(
    log.ops,
    async (op) => {
      const answer = await client.send(op);
      if (op.result !== 'ok') answers.set(op.opId, answer);
    },
    {
      concurrency: options.concurrency,
      ratePerSecond: options.ratePerSecond,
      limit: options.limit,
      signal: options.signal,
      skip: (op) => before.has(op.opId),
      onSettled: () => options.onProgress?.(++settled, log.ops.length),
    },
  ).finally(() => client.close());
  const sendSeconds = (now() - started) / 1000;
  const otherRefusals = log.ops
    .filter((op) => op.result !== 'ok' && answers.has(op.opId))
    .map((op) => ({ op, target: (answers.get(op.opId) as Answer).result }))
    .filter((r) => r.target !== 'ok' && r.target !== r.op.result);
  const report: ReplayReport = { ...start, dispatched, sendSeconds, otherRefusals };
  if (dispatched.stopped === 'signal') return report;

  const after = await ourEntries(reader, keyPrefix);
  const simEntries = new Map<string, JournalEntry>();
  for (const entry of simLedger.entries()) simEntries.set(entry.opId, entry);
  report.comparison = compareWithTarget({
    ops: log.ops,
    compared: dispatched.reached,
    economy: log.header.economy,
    simEntries,
    targetEntries: after,
    stated: await reader.balances(),
    mapAccount: accountMapper(options.users),
  });
  return report;
}

async function checkEconomy(reader: TargetReader, log: RunLog): Promise<string> {
  const scenario = await checkTargetEconomy(
    reader,
    { economy: log.header.economy, scenario: log.header.scenario },
    "start the target with giftlab serve --scenario <the run's scenario> (and the same --set)",
  );
  if (scenario === undefined) {
    throw new InputError({
      field: '--target',
      expected: 'GET /v1/economy: replay checks the target applies the run’s economy before sending',
      found: '404',
    });
  }
  return scenario;
}

/** The target's entries under this replay's keys, by the simulation's opId; refuses other writers'. */
async function ourEntries(reader: TargetReader, prefix: string): Promise<Map<string, unknown>> {
  const ours = new Map<string, unknown>();
  let foreign = 0;
  let firstForeign = '';
  for await (const entry of reader.journal()) {
    const opId = (entry as { opId?: unknown })?.opId;
    if (typeof opId === 'string' && opId.startsWith(prefix)) {
      ours.set(opId.slice(prefix.length), entry);
    } else if (foreign++ === 0) firstForeign = String(opId);
  }
  if (foreign > 0) {
    throw new InputError({
      field: '--target',
      expected: `a fresh target (its journal empty, or holding only this replay's keys ${prefix}…)`,
      found: `${foreign.toLocaleString('en-US')} entries written by something else (the first: ${firstForeign}); balances could not be compared — start a new giftlab serve (--db :memory:)`,
    });
  }
  return ours;
}
