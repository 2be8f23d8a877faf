/** `giftlab validate <scenario>`: check a scenario file; print it resolved (defaults filled) or its errors. */
import { stringify } from 'yaml';
import { loadScenarioFile } from '../scenarios/load.ts';
import type { Io } from './commands.ts';

export interface ValidateOptions {
  set?: string[];
  json?: boolean;
}

export async function validate(file: string, options: ValidateOptions, io: Io): Promise<number> {
  const scenario = loadScenarioFile(file, { sets: options.set });
  const { economy: _economy, ...resolved } = scenario;
  io.stdout.write(
    options.json ? `${JSON.stringify(resolved, null, 2)}\n` : stringify(resolved, { lineWidth: 0 }),
  );
  io.stderr.write(
    `${file}: valid (${scenario.population.viewers} viewers, ${scenario.population.creators} creators)\n`,
  );
  return 0;
}
