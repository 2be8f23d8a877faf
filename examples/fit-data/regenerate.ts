/** Rewrites examples/fit-data/events.csv from its definition in example.ts: `npx tsx examples/fit-data/regenerate.ts`. */
import { writeFileSync } from 'node:fs';
import { EXAMPLE, exampleExport } from './example.ts';

writeFileSync(EXAMPLE.events, exampleExport());
console.log(`wrote ${EXAMPLE.events}`);
