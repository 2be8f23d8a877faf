/**
 * The shipped example export, events.csv: a synthetic export (experiments/fit-data/synthetic.ts) drawn
 * from the baseline's parameters — 3,000 viewers over 5 days, 50 creators, seed 1. Regenerate it with
 *
 *   npx tsx examples/fit-data/regenerate.ts
 *
 * and fit it with
 *
 *   npx giftlab fit-data examples/fit-data/events.csv --extends scenarios/baseline.yaml --viewers 3000
 */
import { fileURLToPath } from 'node:url';
import { SYNTHETIC_START, syntheticExport } from '../../experiments/fit-data/synthetic.ts';
import { loadScenarioFile } from '../../scenarios/load.ts';

export const EXAMPLE = {
  scenario: fileURLToPath(new URL('../../scenarios/baseline.yaml', import.meta.url)),
  events: fileURLToPath(new URL('events.csv', import.meta.url)),
  viewers: 3000,
  days: 5,
  creators: 50,
  seed: 1,
} as const;

export function exampleExport(): string {
  return syntheticExport(loadScenarioFile(EXAMPLE.scenario), {
    viewers: EXAMPLE.viewers,
    days: EXAMPLE.days,
    creators: EXAMPLE.creators,
    seed: EXAMPLE.seed,
    start: SYNTHETIC_START,
  });
}
