/** `giftlab compare <runA> <runB> [--out dir]`: side-by-side KPIs of two run folders, with differences and tests. */
import { basename, isAbsolute, relative, resolve } from 'node:path';
import { compareRuns } from '../reports/compare/compare.ts';
import { readRunFolder } from '../reports/compare/run-folder.ts';
import { compareTable } from '../reports/compare/table.ts';
import { writeComparison } from '../reports/compare/write.ts';
import type { Io } from './commands.ts';
import { InputError } from './errors.ts';
import { writableOutputFolder } from './output-path.ts';

export interface CompareOptions {
  /** Folder for compare.csv and compare.html; default `runs/compare/<A>-vs-<B>` under the working directory. */
  out?: string;
}

export async function compare(runA: string, runB: string, options: CompareOptions, io: Io): Promise<number> {
  if (!runA || !runB) {
    throw new InputError({ field: 'runB', expected: 'two run folders', found: runA ? 'one' : 'none' });
  }
  const a = readRunFolder(resolve(io.cwd, runA), 'runA', runA);
  const b = readRunFolder(resolve(io.cwd, runB), 'runB', runB);
  const outDir = writableOutputFolder(
    '--out',
    options.out ?? `runs/compare/${basename(a.dir)}-vs-${basename(b.dir)}`,
    io.cwd,
  );
  const comparison = compareRuns(a, b);
  // Folders as the user typed them.
  const shownA = { ...a, dir: runA };
  const shownB = { ...b, dir: runB };
  io.stdout.write(compareTable({ ...comparison, a: shownA, b: shownB }));
  const written = await writeComparison({ ...comparison, a: shownA, b: shownB }, outDir);
  io.stderr.write(`wrote ${near(io.cwd, written.csv)} and ${near(io.cwd, written.html)}\n`);
  return 0;
}

/** A path relative to the working directory when it lies inside it, else absolute. */
function near(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}
