/**
 * Replay's input: the operation log of a `giftlab run --journal` (a run folder, its `ops.jsonl`, or its
 * `journal.jsonl` beside one), checked, hashed for the idempotency keys, and re-applied in order to a
 * fresh in-memory Ledger with the run's economy. That ledger is the simulation's: each operation must
 * get the answer the run recorded, and its entries must equal `journal.jsonl` when the file is there.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError, shown } from '../../common/input-error.ts';
import { JOURNAL_FILE, OPS_FILE, type OpLog, readOpLog } from '../../experiments/oplog/files.ts';
import type { SimOp } from '../../experiments/oplog/op.ts';
import { findChannelIndex, findGiftIndex, findPackIndex } from '../../sim/economy/rules.ts';
import { codeOf, Status } from '../../sim/kernel/status.ts';
import type { JournalEntry, Posting } from '../../sim/ledger/journal.ts';
import { Ledger } from '../../sim/ledger/ledger.ts';
import { readJournalFile } from '../audit/files.ts';

export interface RunLog extends OpLog {
  /** Hex digest of ops.jsonl: the idempotency keys are derived from it, so a re-run resumes. */
  digest: string;
  /** How the input is named in messages. */
  label: string;
  /** The journal file checked against the rebuilt ledger, if there was one. */
  journalFile?: string;
}

/** Finds `ops.jsonl` from a run folder or a file in it; `shown` names it in messages. */
export function locateOpsFile(input: string, shownAs: string): { file: string; label: string } {
  if (!existsSync(input)) {
    throw new InputError({
      field: '<run|journal>',
      expected: 'a run folder or its ops.jsonl',
      found: `${shownAs}: no such file or folder`,
    });
  }
  const folder = statSync(input).isDirectory();
  const sibling = !folder && basename(input) === JOURNAL_FILE;
  const candidate = folder ? join(input, OPS_FILE) : sibling ? join(dirname(input), OPS_FILE) : input;
  if (!existsSync(candidate)) {
    throw new InputError({
      field: '<run|journal>',
      expected: `${OPS_FILE} beside the run's outputs: a journal alone lacks gift and pack ids (write it with giftlab run … --journal)`,
      found: `${shownAs}: no ${OPS_FILE}`,
    });
  }
  const label = folder ? join(shownAs, OPS_FILE) : sibling ? join(dirname(shownAs), OPS_FILE) : shownAs;
  return { file: candidate, label };
}

export async function readRunLog(input: string, shownAs: string): Promise<RunLog> {
  const { file, label } = locateOpsFile(input, shownAs);
  const log = await readOpLog(file, label);
  const journal = join(dirname(file), JOURNAL_FILE);
  return {
    ...log,
    digest: await digestOf(file),
    label,
    journalFile: existsSync(journal) ? journal : undefined,
  };
}

async function digestOf(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The simulation's ledger after the first `count` operations (journal kept, opIds the ops'). */
export function expectedLedger(log: RunLog, count = log.ops.length): Ledger {
  const { header } = log;
  const ledger = new Ledger(header.economy, {
    journal: true,
    idempotency: false,
    viewers: header.population.viewers,
    creators: header.population.creators,
  });
  for (let i = 0; i < count; i++) {
    const op = log.ops[i];
    const status = apply(ledger, op);
    const got = status === Status.Ok ? 'ok' : codeOf(status);
    if (got !== op.result) {
      throw new InputError({
        field: log.label,
        expected: `operation ${op.opId} answered ${shown(op.result)} as in the run`,
        found: `${shown(got)} when re-applied: the log was edited, or comes from another version of giftlab`,
      });
    }
  }
  return ledger;
}

function apply(ledger: Ledger, op: SimOp): Status {
  const economy = ledger.economy;
  switch (op.kind) {
    case 'purchase': {
      const ch = findChannelIndex(economy, op.channel);
      return ledger.purchase(op.viewer, ch, findPackIndex(economy.channels[ch], op.pack), op.at, op.opId);
    }
    case 'gift':
      return ledger.gift(op.viewer, op.creator, findGiftIndex(economy, op.gift), op.count, op.at, op.opId);
    case 'withdrawal':
      return ledger.withdraw(op.creator, op.diamonds, op.at, op.opId);
  }
}

/** Checks `journal.jsonl` against the rebuilt ledger, entry by entry (a stale or edited file is bad input). */
export async function checkJournalFile(log: RunLog, ledger: Ledger): Promise<void> {
  if (log.journalFile === undefined) return;
  const expected = ledger.entries();
  let line = 0;
  for await (const value of readJournalFile(log.journalFile, JOURNAL_FILE)) {
    line++;
    const want = expected.next();
    const entry = value as Partial<JournalEntry>;
    if (want.done || !sameEntry(entry, want.value)) {
      throw new InputError({
        field: `${JOURNAL_FILE} (entry ${line})`,
        expected: want.done ? 'no more entries' : `${want.value.opId} as ${OPS_FILE} implies`,
        found: `${shown(entry?.opId)}: ${JOURNAL_FILE} and ${OPS_FILE} come from different runs, or one was edited`,
      });
    }
  }
  if (!expected.next().done) {
    throw new InputError({
      field: JOURNAL_FILE,
      expected: `${ledger.entryCount} entries`,
      found: `${line}: the file is cut short`,
    });
  }
}

function sameEntry(entry: Partial<JournalEntry>, want: JournalEntry): boolean {
  return (
    entry.opId === want.opId &&
    entry.kind === want.kind &&
    postingsKey(entry.postings) === postingsKey(want.postings)
  );
}

/** Postings as a canonical string: summed per account and unit, sorted (order-free comparison). */
export function postingsKey(postings: readonly Posting[] | undefined): string {
  if (!Array.isArray(postings)) return 'none';
  const sums = new Map<string, number>();
  for (const p of postings) {
    const key = `${p?.account} ${p?.unit}`;
    sums.set(key, (sums.get(key) ?? 0) + (p?.amount ?? Number.NaN));
  }
  return [...sums]
    .filter(([, amount]) => amount !== 0)
    .map(([key, amount]) => `${key} ${amount}`)
    .sort()
    .join(', ');
}
