/**
 * The operation log on disk: `ops.jsonl` (header line, then one operation a line) and `journal.jsonl`
 * (the run's ledger entries in the journal entry shape (ARCHITECTURE.md), one a line — `giftlab audit --journal` reads it).
 * Both are written to a temporary name and renamed, so a file that exists is whole. Reading checks
 * every line against the header's economy and population: bad input names the file and the line.
 */
import { closeSync, createReadStream, existsSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { InputError, shown } from '../../common/input-error.ts';
import { limits } from '../../common/limits.ts';
import { findChannelIndex, findGiftIndex, findPackIndex } from '../../sim/economy/rules.ts';
import { economyFrom } from '../../sim/economy/types.ts';
import type { JournalEntry } from '../../sim/ledger/journal.ts';
import { OPS_FORMAT, type OpsHeader, type SimOp } from './op.ts';
import type { Recording } from './record.ts';

export const OPS_FILE = 'ops.jsonl';
export const JOURNAL_FILE = 'journal.jsonl';

const LINES_PER_WRITE = 2_000;

export function writeOpLog(dir: string, recording: Recording): { ops: string; journal: string } {
  const ops = join(dir, OPS_FILE);
  const journal = join(dir, JOURNAL_FILE);
  writeLines(ops, [recording.header], recording.ops, opLine);
  writeLines(journal, [], recording.ledger.entries(), (e: JournalEntry) => JSON.stringify(e));
  return { ops, journal };
}

function writeLines<T>(file: string, head: unknown[], items: Iterable<T>, line: (item: T) => string): void {
  const partial = `${file}.partial`;
  const fd = openSync(partial, 'w');
  try {
    let chunk: string[] = head.map((h) => JSON.stringify(h));
    for (const item of items) {
      chunk.push(line(item));
      if (chunk.length >= LINES_PER_WRITE) {
        writeSync(fd, `${chunk.join('\n')}\n`);
        chunk = [];
      }
    }
    if (chunk.length > 0) writeSync(fd, `${chunk.join('\n')}\n`);
  } catch (error) {
    closeSync(fd);
    rmSync(partial, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(partial, file);
}

/** One operation as a line, fields in a fixed order. */
export function opLine(op: SimOp): string {
  switch (op.kind) {
    case 'purchase':
      return JSON.stringify({
        opId: op.opId,
        kind: op.kind,
        viewer: op.viewer,
        channel: op.channel,
        pack: op.pack,
        at: op.at,
        result: op.result,
      });
    case 'gift':
      return JSON.stringify({
        opId: op.opId,
        kind: op.kind,
        viewer: op.viewer,
        creator: op.creator,
        gift: op.gift,
        count: op.count,
        at: op.at,
        result: op.result,
      });
    case 'withdrawal':
      return JSON.stringify({
        opId: op.opId,
        kind: op.kind,
        creator: op.creator,
        diamonds: op.diamonds,
        at: op.at,
        result: op.result,
      });
  }
}

export interface OpLog {
  file: string;
  header: OpsHeader;
  ops: SimOp[];
}

/** Reads and checks an `ops.jsonl`; `shownAs` is how the file is named in messages. */
export async function readOpLog(file: string, shownAs = file): Promise<OpLog> {
  if (!existsSync(file)) {
    throw new InputError({
      field: shownAs,
      expected: `an ${OPS_FILE} from giftlab run --journal`,
      found: 'no such file',
    });
  }
  let header: OpsHeader | undefined;
  const ops: SimOp[] = [];
  const ids = new Set<string>();
  let line = 0;
  const lines = createInterface({
    input: createReadStream(file, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new InputError({ field: shownAs, expected: 'a JSON object', found: shown(text), line });
    }
    if (header === undefined) {
      header = checkHeader(value, shownAs, line);
      continue;
    }
    const op = checkOp(value, header, shownAs, line);
    if (ids.has(op.opId))
      throw new InputError({ field: shownAs, expected: 'a new opId', found: shown(op.opId), line });
    ids.add(op.opId);
    ops.push(op);
  }
  if (header === undefined) {
    throw new InputError({
      field: shownAs,
      expected: `a header line { format: "${OPS_FORMAT}", … }`,
      found: 'an empty file',
    });
  }
  if (ops.length !== header.ops) {
    throw new InputError({
      field: shownAs,
      expected: `${header.ops} operations (the header's count)`,
      found: `${ops.length}: the file is cut short or was edited`,
    });
  }
  return { file, header, ops };
}

function checkHeader(value: unknown, field: string, line: number): OpsHeader {
  const h = value as Partial<OpsHeader>;
  const bad = (expected: string, found: unknown) =>
    new InputError({ field, expected, found: shown(found), line });
  if (typeof value !== 'object' || value === null || h.format !== OPS_FORMAT) {
    throw bad(
      `a header line with format "${OPS_FORMAT}" (written by giftlab run --journal)`,
      h?.format ?? value,
    );
  }
  if (typeof h.scenario !== 'string' || !Number.isSafeInteger(h.seed)) throw bad('scenario and seed', value);
  const p = h.population;
  if (!isCount(p?.viewers) || !isCount(p?.creators)) throw bad('population { viewers, creators }', p);
  if (!isCount(h.ops) || !isCount(h.entries))
    throw bad('ops and entries counts', { ops: h.ops, entries: h.entries });
  return { ...(h as OpsHeader), economy: economyFrom(h.economy, `${field}: header economy`, line) };
}

function checkOp(value: unknown, header: OpsHeader, field: string, line: number): SimOp {
  const o = value as Record<string, unknown>;
  const problem = (expected: string, found: unknown) =>
    new InputError({ field, expected, found: shown(found), line });
  if (typeof value !== 'object' || value === null) throw problem('an operation object', value);
  if (typeof o.opId !== 'string' || o.opId === '' || o.opId.length > 64)
    throw problem('opId: a short string', o.opId);
  if (!Number.isFinite(o.at) || (o.at as number) < 0) throw problem('at: a simulated second', o.at);
  if (typeof o.result !== 'string' || o.result === '') throw problem('result: ok or an error code', o.result);
  const { viewers, creators } = header.population;
  const economy = header.economy;
  const viewer = (): number => {
    if (!isCount(o.viewer) || (o.viewer as number) >= viewers)
      throw problem(`viewer: 0 to ${viewers - 1}`, o.viewer);
    return o.viewer as number;
  };
  const creator = (): number => {
    if (!isCount(o.creator) || (o.creator as number) >= creators)
      throw problem(`creator: 0 to ${creators - 1}`, o.creator);
    return o.creator as number;
  };
  const base = { opId: o.opId, at: o.at as number, result: o.result };
  switch (o.kind) {
    case 'purchase': {
      const ch = findChannelIndex(economy, String(o.channel));
      if (ch < 0) throw problem(`channel: one of ${economy.channels.map((c) => c.id).join(', ')}`, o.channel);
      if (findPackIndex(economy.channels[ch], String(o.pack)) < 0)
        throw problem(`pack: a pack of ${o.channel}`, o.pack);
      return {
        ...base,
        kind: 'purchase',
        viewer: viewer(),
        channel: String(o.channel),
        pack: String(o.pack),
      };
    }
    case 'gift': {
      if (findGiftIndex(economy, String(o.gift)) < 0) throw problem('gift: a gift of the economy', o.gift);
      const count = o.count as number;
      if (!Number.isSafeInteger(count) || count < 1 || count > limits.giftCountMax) {
        throw problem(`count: 1 to ${limits.giftCountMax}`, o.count);
      }
      return { ...base, kind: 'gift', viewer: viewer(), creator: creator(), gift: String(o.gift), count };
    }
    case 'withdrawal': {
      const diamonds = o.diamonds as number;
      if (!Number.isSafeInteger(diamonds) || diamonds < 1 || diamonds > limits.withdrawalDiamondsMax) {
        throw problem('diamonds: a positive whole number', o.diamonds);
      }
      return { ...base, kind: 'withdrawal', creator: creator(), diamonds };
    }
    default:
      throw problem('kind: purchase, gift or withdrawal', o.kind);
  }
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}
