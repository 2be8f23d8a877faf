/**
 * The audit's file inputs: an exported journal (JSON lines, a JSON array, or a journal page
 * `{ "entries": [...] }`) and an acks file (JSON lines `{ opId, kind, status, response }`). A file that
 * cannot be read or parsed is bad input (exit 2) with the file and line; entries that parse but are
 * malformed are left to the checker, which reports them as violations.
 */

import { closeSync, createReadStream, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { InputError, shown } from '../../common/input-error.ts';
import { loadLimits } from '../../common/limits.ts';
import { type Ack, ackProblem } from '../../sim/invariants/ack-format.ts';

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
  for await (const entry of journalValues(file, flag)) {
    entries++;
    yield entry;
  }
  if (entries === 0 && options.atLeastOne) {
    throw new InputError({
      field: flag,
      expected: 'at least one journal entry',
      found: `${file}: ${isBlank(file) ? 'an empty file' : 'no entries in it'}`,
    });
  }
}

async function* journalValues(file: string, flag: string): AsyncGenerator<unknown> {
  const first = firstChar(file, flag);
  if (first === undefined) return;
  if (first === '[') {
    yield* wholeFile(file, flag, first);
    return;
  }
  for await (const { value, line } of jsonLines(file, flag, first === '{')) {
    if (value === UNPARSED_FIRST_LINE) {
      yield* wholeFile(file, flag, first);
      return;
    }
    if (isPage(value)) yield* value.entries;
    else yield value;
    void line;
  }
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

function* wholeFile(file: string, flag: string, first: string): Generator<unknown> {
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
  yield* entries;
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
