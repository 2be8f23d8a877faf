import { relative } from 'node:path';
import fc from 'fast-check';
import { expect } from 'vitest';

// One place for property-test settings. FC_SEED replays a reported failure; FC_RUNS widens a search;
// FC_VERBOSE=1 lists every failure met while shrinking (2: every value tried), 0 by default so that a
// CI log shows the counterexample, not pages of the shrinker's path to it.
function intFromEnv(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value))
    throw new Error(`${name}: expected an integer, found ${JSON.stringify(text)}`);
  return value;
}

const runs = intFromEnv('FC_RUNS');

/**
 * The command that brings a failure back: its seed, on the test file it failed in, with FC_RUNS when a
 * search set it (a failure found past the 100th run is not met again in 100: the line came back green).
 */
function rerun(seed: number): string {
  const path = expect.getState().testPath;
  const file = path === undefined ? '<test file>' : relative(process.cwd(), path);
  const widened = runs === undefined ? '' : `FC_RUNS=${runs} `;
  return `rerun: ${widened}FC_SEED=${seed} npx vitest run ${file}   (FC_VERBOSE=1 lists the failures met while shrinking)`;
}

const seed = intFromEnv('FC_SEED');
const verbose = intFromEnv('FC_VERBOSE') ?? 0;
fc.configureGlobal({
  numRuns: runs ?? 100,
  ...(seed === undefined ? {} : { seed }),
  verbose: Math.min(2, Math.max(0, verbose)) as fc.VerbosityLevel,
  // fast-check's own message and the line a reader of a CI log copies to replay it; the property's
  // own error stays the cause, as with fast-check's default reporter.
  reporter(out) {
    if (!out.failed) return;
    const message = `${fc.defaultReportMessage(out)}\n\n${rerun(out.seed)}`;
    throw out.runConfiguration.includeErrorInReport
      ? new Error(message)
      : new Error(message, { cause: out.errorInstance });
  },
});
