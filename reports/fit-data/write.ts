/**
 * Writes `fit-data`'s folder all at once or not at all: fitted.yaml (a scenario that extends the given
 * one; read back through the scenario loader before the folder is kept), spend-fit.csv (the spend's
 * quantiles against each fitted distribution) and summary.json (every estimate with its standard error).
 */
import { writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { FitDataEstimates } from '../../experiments/fit-data/estimate.ts';
import { fittedScenario, packMixLines } from '../../experiments/fit-data/fitted.ts';
import { writeFolderAtomically } from '../../experiments/shards/atomic-dir.ts';
import { loadScenarioFile } from '../../scenarios/load.ts';
import { scenarioYaml } from '../../scenarios/scenario-yaml.ts';
import type { Scenario } from '../../scenarios/schema/scenario.ts';
import { writeCsv } from '../csv/write-csv.ts';

export const FITTED_FILE = 'fitted.yaml';
export const FIT_DATA_FILES = [FITTED_FILE, 'spend-fit.csv', 'summary.json'] as const;

export interface FitDataInput {
  /** The scenario extended, loaded, its file and that file as the user typed it. */
  base: Scenario;
  baseFile: string;
  baseShown: string;
  /** The export files as given. */
  files: readonly string[];
  estimates: FitDataEstimates;
}

/** The folder's files; returns the notes (what the scenario could not take). */
export async function writeFitDataFolder(dir: string, input: FitDataInput): Promise<string[]> {
  const fitted = fittedScenario(input.base, input.estimates);
  await writeFolderAtomically(dir, FIT_DATA_FILES, async (staging) => {
    writeFileSync(join(staging, FITTED_FILE), fittedYaml(dir, input, fitted));
    // What is written must read back as a scenario (staging is dir's sibling: the same relative path).
    loadScenarioFile(join(staging, FITTED_FILE));
    const s = input.estimates.spend;
    await writeCsv(
      join(staging, 'spend-fit.csv'),
      ['quantile', 'observedCents', 'paretoCents', 'lognormalCents'],
      s.quantiles.map((q) => [q.p, q.observed, q.pareto, q.lognormal]),
    );
    const summary = {
      kind: 'fit-data',
      extends: input.baseShown,
      files: input.files,
      ...input.estimates,
      notes: fitted.notes,
    };
    writeFileSync(join(staging, 'summary.json'), `${JSON.stringify(summary, jsonNumber, 2)}\n`);
  });
  return fitted.notes;
}

function fittedYaml(dir: string, input: FitDataInput, fitted: ReturnType<typeof fittedScenario>): string {
  const e = input.estimates;
  const name = `${input.base.name}-fitted`;
  const parent = relative(dir, input.baseFile).split(sep).join('/');
  const header = [
    `${name}: ${input.base.name} with what giftlab fit-data measured in ${input.files.join(', ')}`,
    `(${e.rows.purchases.toLocaleString('en-US')} purchases, ${e.rows.gifts.toLocaleString('en-US')} gifts, ${e.viewersInExport.toLocaleString('en-US')} viewers, ${e.period.days} days). Each fitted value is commented with its standard error.`,
    'The pack mix (purchases by pack; no scenario field holds it):',
    ...packMixLines(e),
    ...fitted.notes.map((n) => `Note: ${n}`),
  ];
  return scenarioYaml(
    {
      name,
      description: `${input.base.name}, fitted to ${input.files.join(', ')} by giftlab fit-data`,
      extends: parent,
      ...fitted.value,
    },
    { header, comments: fitted.comments },
  );
}

/** Infinity (a peak hour's se with a flat day) as a string: JSON has no Infinity. */
function jsonNumber(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
}
