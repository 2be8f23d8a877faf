/**
 * `giftlab fit-data <events.csv>… --extends <scenario>`: estimates from an export of purchases and gifts
 * (experiments/fit-data/) what a scenario needs, and writes a scenario extending the given one with
 * them, spend-fit.csv and summary.json to runs/<scenario>-fit-data/ or `--out`. The estimates go to
 * stdout, progress and notes to stderr; the last line on stdout is the fitted scenario's path.
 */
import { join, resolve } from 'node:path';
import { estimate } from '../experiments/fit-data/estimate.ts';
import { readExports } from '../experiments/fit-data/events.ts';
import { fitDataText } from '../reports/fit-data/text.ts';
import { FITTED_FILE, writeFitDataFolder } from '../reports/fit-data/write.ts';
import { loadScenarioFile } from '../scenarios/load.ts';
import type { Io } from './commands.ts';
import { InputError } from './errors.ts';
import { checkOutFolder } from './out-folder.ts';

export interface FitDataCliOptions {
  extends?: string;
  viewers?: number;
  days?: number;
  out?: string;
  quiet?: boolean;
}

export async function fitData(files: string[], options: FitDataCliOptions, io: Io): Promise<number> {
  if (files.length === 0)
    throw new InputError({ field: 'events', expected: 'one or more CSV exports', found: 'nothing' });
  if (options.extends === undefined)
    throw new InputError({ field: '--extends', expected: 'the scenario to extend', found: 'nothing' });
  const baseFile = resolve(io.cwd, options.extends);
  const base = loadScenarioFile(baseFile, { field: '--extends' });
  const typedOut = options.out ?? join('runs', `${base.name}-fit-data`);
  const paths = files.map((f) => resolve(io.cwd, f));
  checkOutFolder(typedOut, { flag: '--out', kind: 'fit-data', cwd: io.cwd, inputs: [baseFile, ...paths] });
  const out = resolve(io.cwd, typedOut);
  const say = (line: string) => {
    if (!options.quiet) io.stderr.write(`giftlab fit-data: ${line}\n`);
  };
  say(`reading ${files.join(', ')}`);
  const events = readExports(files.map((f, i) => ({ shown: f, path: paths[i] })));
  say(`${events.length.toLocaleString('en-US')} rows read; fitting`);
  const estimates = estimate(events, { viewers: options.viewers, days: options.days });
  const notes = await writeFitDataFolder(out, {
    base,
    baseFile,
    baseShown: options.extends,
    files,
    estimates,
  });
  for (const n of notes) io.stderr.write(`giftlab fit-data: ${n}\n`);
  if (!options.quiet) io.stdout.write(fitDataText(estimates));
  io.stdout.write(`${join(out, FITTED_FILE)}\n`);
  return 0;
}
