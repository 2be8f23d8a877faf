/** `giftlab validate <scenario>`: check a scenario file; print it resolved (defaults filled) or its errors. */
import { Document, isMap, isPair, isScalar } from 'yaml';
import { demandWarnings } from '../reports/demand-warnings.ts';
import { loadScenarioFile } from '../scenarios/load.ts';
import { scenarioInput } from '../scenarios/scenario-yaml.ts';
import { type Population, populationNote } from '../scenarios/schema/population.ts';
import type { Io } from './commands.ts';

export interface ValidateOptions {
  set?: string[];
  json?: boolean;
}

export async function validate(file: string, options: ValidateOptions, io: Io): Promise<number> {
  const scenario = loadScenarioFile(file, { sets: options.set });
  const resolved = scenarioInput(scenario);
  io.stdout.write(
    options.json ? `${JSON.stringify(resolved, null, 2)}\n` : withNote(resolved, scenario.population),
  );
  io.stderr.write(`${file}: valid (${populationNote(scenario.population)})\n`);
  for (const w of demandWarnings(scenario)) io.stderr.write(`giftlab validate: warning: ${w}\n`);
  return 0;
}

function withNote(resolved: Record<string, unknown>, population: Population): string {
  const doc = new Document(resolved);
  if (isMap(doc.contents)) {
    const pair = doc.contents.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === 'population');
    if (pair !== undefined && isScalar(pair.key)) pair.key.comment = ` ${populationNote(population)}`;
  }
  return doc.toString({ lineWidth: 0 });
}
