/**
 * `giftlab compare <runA> <runB> [--out dir] [--precision h --kpi k…]`: side-by-side KPIs of two run
 * folders, with differences and tests; with `--precision`, whether the named KPIs are known to within
 * ±h of their means (exit 99 after the outputs when not, with the replications it would take).
 */
import { basename, isAbsolute, relative, resolve } from 'node:path';
import { DEFAULT_KPI } from '../experiments/sweep/plan.ts';
import { compareRuns } from '../reports/compare/compare.ts';
import { comparePrecision, precisionLines, precisionShortfall } from '../reports/compare/precision.ts';
import { readRunFolder } from '../reports/compare/run-folder.ts';
import { compareTable } from '../reports/compare/table.ts';
import { COMPARE_FILES, writeComparison } from '../reports/compare/write.ts';
import type { Io } from './commands.ts';
import { EXIT, ExitError, InputError } from './errors.ts';
import { checkFilesFolder } from './out-folder.ts';

export interface CompareOptions {
  /** Folder for compare.csv and compare.html; default `runs/compare/<A>-vs-<B>` under the working directory. */
  out?: string;
  precision?: number;
  kpi?: string[];
}

export async function compare(runA: string, runB: string, options: CompareOptions, io: Io): Promise<number> {
  if (!runA || !runB) {
    throw new InputError({ field: 'runB', expected: 'two run folders', found: runA ? 'one' : 'none' });
  }
  const a = readRunFolder(resolve(io.cwd, runA), 'runA', runA);
  const b = readRunFolder(resolve(io.cwd, runB), 'runB', runB);
  // Refused as run's --out is (the working directory, a compared run, a folder of other files).
  const outDir = checkFilesFolder(options.out ?? `runs/compare/${basename(a.dir)}-vs-${basename(b.dir)}`, {
    flag: '--out',
    what: 'giftlab compare',
    files: COMPARE_FILES,
    cwd: io.cwd,
    inputs: [a.dir, b.dir],
    inputsAre: 'a compared run',
  });
  if (options.precision === undefined && options.kpi !== undefined)
    throw new InputError({ field: '--kpi', expected: '--precision h with it', found: 'no --precision' });
  const compared = compareRuns(a, b);
  const precision =
    options.precision === undefined
      ? undefined
      : comparePrecision(compared, options.kpi ?? [DEFAULT_KPI], options.precision);
  const comparison = { ...compared, precision };
  // Folders as the user typed them.
  const shownA = { ...a, dir: runA };
  const shownB = { ...b, dir: runB };
  io.stdout.write(compareTable({ ...comparison, a: shownA, b: shownB }));
  const written = await writeComparison({ ...comparison, a: shownA, b: shownB }, outDir);
  if (precision !== undefined) io.stdout.write(`${precisionLines(precision).join('\n')}\n`);
  io.stderr.write(`wrote ${near(io.cwd, written.csv)} and ${near(io.cwd, written.html)}\n`);
  if (precision !== undefined && !precision.met)
    throw new ExitError(precisionShortfall(precision), EXIT.threshold);
  return EXIT.ok;
}

/** A path relative to the working directory when it lies inside it, else absolute. */
function near(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}
