/**
 * Exit codes, and errors that carry one. Only `cli/main.ts` turns errors into an exit; commands throw:
 * `InputError` (bad file, flag or value) → 2, `ExitError` with its own code (3 violation, 99 threshold,
 * 130 interrupted; `load` passes k6's own code through when k6 failed otherwise, e.g. 107 a script error).
 */
export { InputError, type InputProblem, shown } from '../common/input-error.ts';

export const EXIT = {
  ok: 0,
  internal: 1,
  badInput: 2,
  violation: 3,
  threshold: 99,
  /**
   * 128 + SIGINT, as shells report it: an interrupted replay (it resumes where it stopped) or load run;
   * run, sweep, calibrate and merge exit with it from bin/giftlab.js, having written nothing.
   */
  interrupted: 130,
} as const;

/** What each exit code means, in one line: `giftlab --help` ends on it. */
export const EXIT_MEANINGS: Record<(typeof EXIT)[keyof typeof EXIT], string> = {
  [EXIT.ok]: 'ok',
  [EXIT.internal]: 'internal error',
  [EXIT.badInput]: 'bad input',
  [EXIT.violation]: 'invariant or audit violation',
  [EXIT.threshold]: 'failed threshold or target lost',
  [EXIT.interrupted]: 'interrupted (Ctrl-C)',
};

export function exitCodesLine(): string {
  return `Exit codes: ${Object.entries(EXIT_MEANINGS)
    .map(([code, meaning]) => `${code} ${meaning}`)
    .join(', ')}.`;
}

export class ExitError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}
