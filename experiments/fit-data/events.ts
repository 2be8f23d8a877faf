/**
 * Reads event exports (export-format.ts) into typed events. Every problem names the file, the line, the
 * column, what was expected and what was found (exit 2); the first problems are listed, not the
 * thousands a wrong file would give.
 */
import { createHash } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import { parseCsv } from '../../common/csv-read.ts';
import { InputError, type InputProblem, shown } from '../../common/input-error.ts';
import { limits } from '../../common/limits.ts';
import { ECONOMY_ID } from '../../sim/economy/types.ts';
import {
  type ColumnName,
  EVENT_KINDS,
  type EventKind,
  EXPORT_COLUMNS,
  type ExportEvent,
} from './export-format.ts';

/** Problems kept before the rest are only counted: with the count's own line, as many as a message lists. */
const PROBLEMS_SHOWN = limits.problemsShownMax - 1;

const ISO_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const UNIX_SECONDS = /^\d{1,12}(?:\.\d+)?$/;
const WHOLE = /^\d{1,15}$/;

/** Seconds since 1970 (UTC) of an ISO 8601 time or Unix seconds; undefined if neither. */
export function parseTime(text: string): number | undefined {
  if (UNIX_SECONDS.test(text)) return Number(text);
  const m = ISO_TIME.exec(text);
  if (m === null) return undefined;
  const ms = Date.parse(m[1] === undefined ? `${text.replace(' ', 'T')}Z` : text.replace(' ', 'T'));
  return Number.isFinite(ms) ? ms / 1000 : undefined;
}

export interface ExportFile {
  /** As the user typed it, for messages. */
  shown: string;
  path: string;
}

export function readExports(files: readonly ExportFile[]): ExportEvent[] {
  refuseRepeats(files);
  const events: ExportEvent[] = [];
  // A copy of an export under another name is the same rows twice, counted twice as a repeat would be.
  const digests = new Map<string, string>();
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(f.path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new InputError({
        field: 'events',
        expected: 'a readable CSV file',
        found: `${f.shown}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory' : code}`,
      });
    }
    const digest = createHash('sha256').update(text).digest('hex');
    const copyOf = digests.get(digest);
    if (copyOf !== undefined)
      throw new InputError({
        field: 'events',
        expected: 'each export once (rows given twice would count twice)',
        found: `${f.shown}, the same rows as ${copyOf} (an identical file)`,
      });
    digests.set(digest, f.shown);
    events.push(...parseExport(text, f.shown));
    if (events.length > limits.exportRowsMax) {
      throw new InputError({
        field: 'events',
        expected: `at most ${limits.exportRowsMax.toLocaleString('en-US')} rows in all`,
        found: `more, at ${f.shown}`,
      });
    }
  }
  if (!events.some((e) => e.kind === 'purchase')) {
    throw new InputError({ field: 'events', expected: 'at least one purchase row', found: 'none' });
  }
  return events;
}

/**
 * A file given twice (as typed, or by another name: a symlink, `./`, `..`) would count every purchase and
 * gift twice. A file that cannot be resolved is left to the read, which names why.
 */
function refuseRepeats(files: readonly ExportFile[]): void {
  const seen = new Map<string, ExportFile>();
  for (const f of files) {
    let real: string;
    try {
      real = realpathSync(f.path);
    } catch {
      continue;
    }
    const first = seen.get(real);
    if (first !== undefined)
      throw new InputError({
        field: 'events',
        expected: 'each export once (rows given twice would count twice)',
        found: first.shown === f.shown ? `${f.shown} twice` : `${f.shown}, the same file as ${first.shown}`,
      });
    seen.set(real, f);
  }
}

/** One file's text. */
export function parseExport(text: string, file: string): ExportEvent[] {
  const [header = [], ...rows] = parseCsv(text);
  const names = header.map((h) => h.trim().toLowerCase());
  const missing = EXPORT_COLUMNS.map((c) => c.name).filter((n) => !names.includes(n));
  if (missing.length > 0) {
    throw new InputError(
      {
        field: 'header',
        expected: `the columns ${EXPORT_COLUMNS.map((c) => c.name).join(', ')} (any order)`,
        found: `no ${missing.join(', ')} in ${shown(header.join(','))}`,
        line: 1,
      },
      file,
    );
  }
  const at = Object.fromEntries(names.map((n, i) => [n, i])) as Record<ColumnName, number>;
  const problems: InputProblem[] = [];
  let problemCount = 0;
  const events: ExportEvent[] = [];
  rows.forEach((row, r) => {
    const line = r + 2;
    const cell = (c: ColumnName) => (row[at[c]] ?? '').trim();
    const bad = (column: string, expected: string, found: string) => {
      problemCount++;
      if (problems.length < PROBLEMS_SHOWN) problems.push({ field: column, expected, found, line });
    };
    const kind = cell('kind').toLowerCase();
    if (!(EVENT_KINDS as readonly string[]).includes(kind)) {
      bad('kind', EVENT_KINDS.join(' or '), shown(cell('kind')));
      return;
    }
    const k = kind as EventKind;
    const before = problemCount;
    for (const c of EXPORT_COLUMNS) {
      if ((c.requiredFor as readonly string[]).includes(k) && cell(c.name) === '')
        bad(c.name, `a value on a ${k} row`, 'an empty cell');
    }
    if (problemCount > before) return;
    const time = parseTime(cell('time'));
    if (time === undefined)
      bad('time', 'ISO 8601 like 2026-03-01T21:04:05Z, or Unix seconds', shown(cell('time')));
    const id = (c: ColumnName) => {
      if (!ECONOMY_ID.test(cell(c)) || cell(c).length > limits.economyIdCharsMax)
        bad(c, 'an id as in the scenario: lowercase letters, digits, "-" or "_"', shown(cell(c)));
      return cell(c);
    };
    const whole = (c: ColumnName, min: number) => {
      const v = Number(cell(c));
      if (!WHOLE.test(cell(c)) || v < min) bad(c, `a whole number of at least ${min}`, shown(cell(c)));
      return v;
    };
    if (k === 'purchase') {
      const e = {
        kind: k,
        time: time ?? 0,
        viewer: cell('viewer'),
        channel: id('channel'),
        pack: cell('pack'),
        priceCents: whole('price', 0),
      };
      if (problemCount === before) events.push(e);
    } else {
      const e = {
        kind: k,
        time: time ?? 0,
        viewer: cell('viewer'),
        gift: id('gift'),
        coins: whole('coins', 1),
        creator: cell('creator'),
      };
      if (problemCount === before) events.push(e);
    }
  });
  if (problemCount > 0) {
    const more = problemCount - problems.length;
    if (more > 0) problems.push({ field: 'events', expected: 'no more problems', found: `${more} more` });
    throw new InputError(problems, file);
  }
  return events;
}
