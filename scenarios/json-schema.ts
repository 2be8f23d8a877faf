/**
 * The JSON Schema of scenario files, generated from the zod schema so that editors autocomplete and
 * check scenarios. `npm run schema` writes it; a test keeps the committed file in sync.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { scenarioSchema } from './schema/scenario.ts';

export const SCHEMA_FILE = fileURLToPath(new URL('./scenario.schema.json', import.meta.url));

export function scenarioJsonSchema(): string {
  const schema = z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' });
  return `${JSON.stringify({ ...schema, title: 'giftlab scenario' }, null, 2)}\n`;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SCHEMA_FILE, scenarioJsonSchema());
  console.log(`wrote ${SCHEMA_FILE}`);
}
