/**
 * Bad input from a user — a scenario file, a flag, a value, a request — as opposed to a bug. Every
 * problem names the field, what was expected and what was found; the CLI prints them and exits 2.
 */
import { limits } from './limits.ts';

export interface InputProblem {
  /** Where: a scenario path (`payout.creatorShare`), a flag (`--seed`), a file, a request field. */
  field: string;
  expected: string;
  found: string;
  /** 1-based line in the file, where known. */
  line?: number;
  /** Where the value came from when not the file itself: `from --set payout.creatorShare=0.6`. */
  from?: string;
}

export class InputError extends Error {
  override name = 'InputError';
  readonly problems: InputProblem[];

  constructor(problems: InputProblem[] | InputProblem, source?: string) {
    const list = Array.isArray(problems) ? problems : [problems];
    super(formatProblems(list, source));
    this.problems = list;
  }
}

export function formatProblem(p: InputProblem): string {
  const notes = [
    ...(p.line === undefined ? [] : [`line ${p.line}`]),
    ...(p.from === undefined ? [] : [p.from]),
  ];
  const where = notes.length === 0 ? p.field : `${p.field} (${notes.join(', ')})`;
  return printable(`${where}: expected ${p.expected}, found ${p.found}`);
}

function formatProblems(problems: InputProblem[], source: string | undefined): string {
  if (problems.length === 1 && source === undefined) return formatProblem(problems[0]);
  const s = problems.length === 1 ? '' : 's';
  const head =
    source === undefined ? `${problems.length} problems` : `${source}: ${problems.length} problem${s}`;
  const listed = problems.slice(0, limits.problemsShownMax).map((p) => `  ${formatProblem(p)}`);
  const more = problems.length - listed.length;
  if (more > 0) listed.push(`  … and ${more} more (the first ${listed.length} are listed; fix them first)`);
  return printable([head, ...listed].join('\n'));
}

/** A value as shown to the user in a message, kept short, control characters escaped; never throws. */
export function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number' && !Number.isFinite(value)) return nonFinite(value);
  let text: string | undefined;
  try {
    // NaN and the infinities as YAML writes them (JSON would print null: `.nan` found "null").
    text = JSON.stringify(value, (_key, v) =>
      typeof v === 'number' && !Number.isFinite(v) ? nonFinite(v) : v,
    );
  } catch {
    text = undefined; // a cycle
  }
  text ??=
    typeof value === 'symbol' || typeof value === 'function'
      ? String(value)
      : Object.prototype.toString.call(value);
  return printable(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

function nonFinite(v: number): string {
  return Number.isNaN(v) ? '.nan' : v > 0 ? '.inf' : '-.inf';
}

/**
 * Characters that would move the cursor, ring, recolour or reorder a terminal line (C0 and C1 controls
 * other than the newline, DEL, line separators, bidirectional overrides), escaped as `\u001b`: a
 * message never prints them raw, whatever file or flag they came from.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point.
const UNPRINTABLE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
