/**
 * KPI thresholds on the command line, shared by `run` and `sweep`: collecting `--threshold` flags (and,
 * for `run`, the scenario's `thresholds:` block), the lines printed for them, the JUnit file, and the
 * exit-99 error that lists what crossed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { dollarsExact } from '../reports/format.ts';
import {
  describeOutcome,
  parseThreshold,
  type Threshold,
  type ThresholdOutcome,
} from '../scenarios/thresholds.ts';
import type { Io } from './commands.ts';
import { EXIT, ExitError, InputError } from './errors.ts';

/**
 * Parses the scenario's block (fields `thresholds[i]`) then the flags; the same expression counts once.
 * One on an interval's end or the spread (`.ci95[0]`, `.ci95[1]`, `.sd`) needs 2 replications or more:
 * with one there is neither, and the value alone would stand in for them unseen.
 */
export function collectThresholds(
  flags: readonly string[] | undefined,
  block: readonly string[],
  replications: number,
): Threshold[] {
  const fields = [...block.map((_, i) => `thresholds[${i}]`), ...(flags ?? []).map(() => '--threshold')];
  const parsed = [...block, ...(flags ?? [])].map((expression, i) => parseThreshold(expression, fields[i]));
  const lonely = parsed.flatMap((t, i) =>
    t.stat !== 'mean' && replications < 2
      ? [
          {
            field: fields[i],
            expected: `--replications 2 or more for ${t.kpi}.${t.stat} (one replication has no interval and no spread)`,
            found: `${t.expression} with ${replications} replication`,
          },
        ]
      : [],
  );
  if (lonely.length > 0) throw new InputError(lonely);
  const seen = new Set<string>();
  return parsed.filter((t) => {
    const key = t.expression.replace(/\s+/g, '');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** `thresholds: 2 held, 1 crossed` and one line per threshold (prefixed, e.g. with a sweep point). */
export function outcomeLines(outcomes: readonly ThresholdOutcome[], prefix = ''): string[] {
  return outcomes.map((o) => `  ${prefix}${describeOutcome(o, dollarsExact)}`);
}

export function outcomeHeading(outcomes: readonly ThresholdOutcome[]): string {
  const crossed = outcomes.filter((o) => !o.passed).length;
  return `thresholds: ${outcomes.length - crossed} held, ${crossed} crossed`;
}

/** The exit-99 error: what crossed, with values, CIs and limits, and the command that reruns it. */
export function thresholdFailure(failed: readonly string[], total: number, rerun?: string): ExitError {
  const s = total === 1 ? '' : 's';
  const how = rerun === undefined ? [] : [`to reproduce: ${rerun}`];
  return new ExitError(
    [`${failed.length} of ${total} threshold${s} crossed (exit 99):`, ...failed, ...how].join('\n'),
    EXIT.threshold,
  );
}

/** Writes the JUnit file, creating its folder (`--junit runs/junit/x.xml` on a fresh clone). */
export function writeJunitFile(io: Io, file: string, xml: string, command: string): void {
  try {
    const path = resolve(io.cwd, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, xml);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unwritable';
    throw new InputError({ field: '--junit', expected: 'a writable file', found: `${file}: ${code}` });
  }
  io.stderr.write(`giftlab ${command}: JUnit written to ${file}\n`);
}
