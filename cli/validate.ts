/** `giftlab validate <scenario>`: check a scenario file; print it resolved (defaults filled) or its errors. */
import { Document, isMap, isPair, isScalar } from 'yaml';
import { loadScenarioFile } from '../scenarios/load.ts';
import { type Population, populationNote } from '../scenarios/schema/population.ts';
import type { Scenario } from '../scenarios/schema/scenario.ts';
import type { Io } from './commands.ts';

export interface ValidateOptions {
  set?: string[];
  json?: boolean;
}

export async function validate(file: string, options: ValidateOptions, io: Io): Promise<number> {
  const scenario = loadScenarioFile(file, { sets: options.set });
  const resolved = printable(scenario);
  io.stdout.write(
    options.json ? `${JSON.stringify(resolved, null, 2)}\n` : withNote(resolved, scenario.population),
  );
  io.stderr.write(`${file}: valid (${populationNote(scenario.population)})\n`);
  return 0;
}

/**
 * The scenario as a file that reads back the same: the population as the scenario gave it (creators
 * written out would stop them growing with viewers), the counts it resolves to in a comment.
 */
function printable(scenario: Scenario): Record<string, unknown> {
  const { economy: _economy, ...rest } = scenario;
  return Object.fromEntries(
    Object.entries(rest).map(([key, value]) => [
      key,
      key === 'population' ? scenario.population.given : value,
    ]),
  );
}

function withNote(resolved: Record<string, unknown>, population: Population): string {
  const doc = new Document(resolved);
  if (isMap(doc.contents)) {
    const pair = doc.contents.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === 'population');
    if (pair !== undefined && isScalar(pair.key)) pair.key.comment = ` ${populationNote(population)}`;
  }
  return doc.toString({ lineWidth: 0 });
}
