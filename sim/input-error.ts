/**
 * Bad input from a user — a scenario file, a flag, a value, a request — as opposed to a bug. Every
 * problem names the field, what was expected and what was found; the CLI prints them and exits 2.
 */
export interface InputProblem {
  /** Where: a scenario path (`payout.creatorShare`), a flag (`--seed`), a file, a request field. */
  field: string;
  expected: string;
  found: string;
  /** 1-based line in the file, where known. */
  line?: number;
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
  const where = p.line === undefined ? p.field : `${p.field} (line ${p.line})`;
  return `${where}: expected ${p.expected}, found ${p.found}`;
}

function formatProblems(problems: InputProblem[], source: string | undefined): string {
  if (problems.length === 1 && source === undefined) return formatProblem(problems[0]);
  const s = problems.length === 1 ? '' : 's';
  const head =
    source === undefined ? `${problems.length} problems` : `${source}: ${problems.length} problem${s}`;
  return [head, ...problems.map((p) => `  ${formatProblem(p)}`)].join('\n');
}

/** A value as shown to the user in a message, kept short. */
export function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
