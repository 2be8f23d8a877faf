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
  /** 128 + SIGINT, as shells report it (an interrupted replay, which resumes where it stopped). */
  interrupted: 130,
} as const;

export class ExitError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}
