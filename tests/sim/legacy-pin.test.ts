/**
 * The previous model stays reachable: with the legacy settings, every shipped scenario gives the results
 * it gave before demand responded to price — the digests below were computed on main at 64bf8e4 (before
 * elasticities, packs chosen for value, channel choice and offers existed), by this same function.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runReplication } from '../../experiments/replication.ts';
import { loadScenarioFile } from '../../scenarios/load.ts';
import { creatorsThen, KPIS_THEN, TIMESERIES_THEN } from '../support/legacy-columns.ts';
import { LEGACY_SETS } from './support.ts';

function digest(file: string, replication: number, sets: readonly string[]): string {
  const s = loadScenarioFile(`scenarios/${file}.yaml`, {
    sets: ['population.viewers=20000', 'population.creators=1000', ...sets],
  });
  const r = runReplication(s, replication);
  const field = <T extends object>(row: T, k: string) => (row as Record<string, unknown>)[k];
  const pick = <T extends object>(row: T, keys: readonly string[]) => keys.map((k) => field(row, k));
  const tables = {
    kpis: pick(r.kpis, KPIS_THEN),
    // Rows as objects, as they were digested then, with the columns of then.
    timeseries: r.timeseries.map((row) => Object.fromEntries(TIMESERIES_THEN.map((k) => [k, field(row, k)]))),
    creators: creatorsThen(r.creators),
    viewers: r.viewers,
    audience: r.audience,
  };
  return createHash('sha256').update(JSON.stringify(tables)).digest('hex').slice(0, 16);
}

const PINNED: [string, number, string][] = [
  ['baseline', 0, 'b57fb1ecc83d7561'],
  ['baseline', 1, '87c5778ee7859444'],
  ['web-push', 0, '0b359d211101eca3'],
  ['whales', 0, '2c7c521f2b75f186'],
  ['viral-spike', 0, 'b0268a2141bb9648'],
  ['small-business-fee', 0, '4ab9efd717f893c3'],
];

describe('the previous model, reachable', () => {
  it.each(PINNED)('%s replication %i gives the results it gave at 64bf8e4', (file, replication, expected) => {
    expect(digest(file, replication, LEGACY_SETS)).toBe(expected);
  });

  it.each([
    ['elasticities 0', ['demand.conversionElasticity=0', 'demand.intensityElasticity=0']],
    ['the default elasticities', []],
    ['strong ones', ['demand.conversionElasticity=-4', 'demand.intensityElasticity=0.5']],
  ])('at the reference prices, %s give the previous results for the same seed', (_, sets) => {
    const previous = ['demand.packChoice.rule=smallest', 'demand.channelChoice.rule=switch'];
    expect(digest('baseline', 0, [...sets, ...previous])).toBe(PINNED[0][2]);
  });
});
