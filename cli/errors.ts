/**
 * Errors that carry an exit code. Only `cli/main.ts` turns them into an exit; every command throws.
 * 2 bad input (file, flag, value), 3 an invariant or audit violation, 99 a failed threshold.
 */
export const EXIT = { ok: 0, internal: 1, badInput: 2, violation: 3, threshold: 99 } as const;

export interface InputProblem {
  /** Where: a scenario path (`payout.creatorShare`), a flag (`--seed`), a file, a request field. */
  field: string;
  expected: string;
  found: string;
  /** 1-based line in the file, where known. */
  line?: number;
}

export class ExitError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** Bad input: names the field, what was expected and what was found; exit 2. */
export class BadInputError extends ExitError {
  readonly problems: InputProblem[];

  constructor(problems: InputProblem[] | InputProblem, source?: string) {
    const list = Array.isArray(problems) ? problems : [problems];
    super(formatProblems(list, source), EXIT.badInput);
    this.problems = list;
  }
}

export function formatProblem(p: InputProblem): string {
  const where = p.line === undefined ? p.field : `${p.field} (line ${p.line})`;
  return `${where}: expected ${p.expected}, found ${p.found}`;
}

function formatProblems(problems: InputProblem[], source: string | undefined): string {
  if (problems.length === 1 && source === undefined) return formatProblem(problems[0]);
  const head =
    source === undefined
      ? `${problems.length} problems`
      : `${source}: ${problems.length} problem${problems.length === 1 ? '' : 's'}`;
  return [head, ...problems.map((p) => `  ${formatProblem(p)}`)].join('\n');
}

/** A value of a command-line flag or of anything else that is shown to the user, kept short. */
export function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string')
    return value.length > 60 ? JSON.stringify(`${value.slice(0, 57)}...`) : JSON.stringify(value);
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
