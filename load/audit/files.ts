/**
 * The audit's file inputs: an exported journal (JSON lines, a JSON array, or a journal page
 * `{ "entries": [...] }`) and an acks file (JSON lines `{ opId, kind, status, response }`). A file that
 * cannot be read or parsed, or holds something that is no journal entry at all (`isEntryLike`), is bad
 * input (exit 2) with the file and line; entries that are malformed are left to the checker, which
 * reports them as violations.
 */

import { closeSync, createReadStream, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { InputError, printable, shown } from '../../common/input-error.ts';
import { loadLimits } from '../../common/limits.ts';
import { type Ack, ackProblem } from '../../sim/invariants/ack-format.ts';
import { ENTRY_FORM, isEntryLike } from '../../sim/ledger/journal.ts';

/**
 * Streams the entries of a journal file as parsed JSON values (shape unchecked). Each JSON line may
 * be an entry or a page `{ "entries": [...] }`; a file that starts with `[`, or with a page spread
 * over several lines, is parsed whole. With `atLeastOne` (the audit), a file without a single entry —
 * empty, blank lines only, `[]` — is bad input: an exported journal with nothing in it is a broken export.
 */
export async function* readJournalFile(
  file: string,
  flag = '--journal',
  options: { atLeastOne?: boolean } = {},
): AsyncGenerator<unknown> {
  let entries = 0;
  for await (const { value, line, within } of journalValues(file, flag)) {
    entries++;
    if (!isEntryLike(value)) {
      const what = within === undefined ? notEntry(value) : `${within}: ${notEntry(value)}`;
      throw new InputError(
        { field: flag, expected: `a journal entry ${ENTRY_FORM}`, found: what, line },
        file,
      );
    }
    yield value;
  }
  if (entries === 0 && options.atLeastOne) {
    throw new InputError({
      field: flag,
      expected: 'at least one journal entry',
      found: `${file}: ${isBlank(file) ? 'an empty file' : 'no entries in it'}`,
    });
  }
}

/** A value of the file, with its line (JSON lines) and where in an array or page it is (when in one). */
interface Located {
  value: unknown;
  line?: number;
  within?: string;
}

async function* journalValues(file: string, flag: string): AsyncGenerator<Located> {
  const first = firstChar(file, flag);
  if (first === undefined) return;
  if (first === '[') {
    yield* items(wholeFile(file, flag, first), 'the array');
    return;
  }
  for await (const { value, line } of jsonLines(file, flag, first === '{')) {
    if (value === UNPARSED_FIRST_LINE) {
      yield* items(wholeFile(file, flag, first), first === '[' ? 'the array' : 'the entries');
      return;
    }
    if (isPage(value)) yield* items(value.entries, "the page's entries", line);
    else yield { value, line };
  }
}

function* items(values: Iterable<unknown>, of: string, line?: number): Generator<Located> {
  let item = 0;
  for (const value of values) yield { value, line, within: `item ${++item} of ${of}` };
}

/** What a value that is no entry is, without printing it: a users file's line holds tokens. */
function notEntry(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value !== 'object' || value === null) return shown(value);
  const keys = Object.keys(value);
  if (keys.length === 0) return '{} (no seq, no postings)';
  const listed = keys.length > 6 ? `${keys.slice(0, 6).join(', ')}, …` : keys.join(', ');
  return `{ ${printable(listed.length > 80 ? `${listed.slice(0, 77)}...` : listed)} } (no seq, no postings)`;
}

const UNPARSED_FIRST_LINE = Symbol('unparsed first line');

function isPage(value: unknown): value is { entries: unknown[] } {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { entries?: unknown; seq?: unknown };
  return Array.isArray(v.entries) && v.seq === undefined;
}

/**
 * Reads an acks file: one JSON object per line, at least one (an empty acks file is almost always a
 * broken pipeline, and would pass every acknowledged operation unchecked).
 */
export async function readAcksFile(file: string, flag = '--acks'): Promise<Ack[]> {
  const acks: Ack[] = [];
  for await (const { value, line } of jsonLines(file, flag)) {
    const problem = ackProblem(value);
    if (problem !== undefined) {
      throw new InputError(
        { field: `${flag} ${problem.field}`, expected: problem.expected, found: problem.found, line },
        file,
      );
    }
    acks.push(value as Ack);
  }
  if (acks.length === 0) {
    throw new InputError({
      field: flag,
      expected: 'at least one acknowledgement { opId, kind, status, response } per line',
      found: `${file}: an empty file`,
    });
  }
  return acks;
}

function firstChar(file: string, flag: string): string | undefined {
  const size = fileSize(file, flag);
  if (size === 0) return undefined;
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(4096);
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    const head = buffer
      .subarray(0, n)
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trimStart();
    // Only blanks in the first 4 KiB of a larger file: read it as JSON lines.
    return head.length === 0 ? (size > n ? '\n' : undefined) : head[0];
  } finally {
    closeSync(fd);
  }
}

/** Whether the file holds nothing but whitespace (read in chunks: it may be large). */
function isBlank(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    for (let position = 0; ; ) {
      const n = readSync(fd, buffer, 0, buffer.length, position);
      if (n === 0) return true;
      if (!/^[\s\uFEFF]*$/.test(buffer.subarray(0, n).toString('utf8'))) return false;
      position += n;
    }
  } finally {
    closeSync(fd);
  }
}

function wholeFile(file: string, flag: string, first: string): unknown[] {
  if (fileSize(file, flag) > loadLimits.journalWholeFileBytesMax) {
    throw new InputError(
      {
        field: flag,
        expected: `a JSON array under ${loadLimits.journalWholeFileBytesMax / 2 ** 20} MiB, or JSON lines`,
        found: 'a larger array',
      },
      file,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InputError({ field: flag, expected: 'valid JSON', found: firstLine(error) }, file);
  }
  const entries = first === '[' ? value : (value as { entries?: unknown } | null)?.entries;
  if (!Array.isArray(entries)) {
    throw new InputError(
      {
        field: flag,
        expected: 'JSON lines, a JSON array of entries, or { "entries": [...] }',
        found: shown(value),
      },
      file,
    );
  }
  return entries;
}

async function* jsonLines(
  file: string,
  flag: string,
  firstMayBeMultiline = false,
): AsyncGenerator<{ value: unknown; line: number }> {
  fileSize(file, flag);
  const lines = createInterface({
    input: createReadStream(file, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let line = 0;
  let seen = 0;
  for await (const text of lines) {
    line++;
    if (text.trim().length === 0) continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      lines.close();
      if (seen === 0 && firstMayBeMultiline) {
        yield { value: UNPARSED_FIRST_LINE, line };
        return;
      }
      throw new InputError(
        { field: flag, expected: 'one JSON value per line', found: firstLine(error), line },
        file,
      );
    }
    seen++;
    yield { value, line };
  }
}

function fileSize(file: string, flag: string): number {
  try {
    const stat = statSync(file);
    if (stat.isDirectory())
      throw new InputError({ field: flag, expected: 'a file', found: `${file}: a folder` });
    return stat.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError({
      field: flag,
      expected: 'a readable file',
      found: `${file}: ${code === 'ENOENT' ? 'no such file' : String(code)}`,
    });
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}
