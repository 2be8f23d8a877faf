/**
 * What the lifecycle tests share: a digest of a replication's tables over the columns that existed before
 * viewers arrived and left, so that the previous model can be pinned.
 */
import { createHash } from 'node:crypto';
import { runReplication } from '../../experiments/replication.ts';
import { loadScenarioFile } from '../../scenarios/load.ts';
import { creatorsThen, KPIS_THEN, TIMESERIES_THEN } from '../support/legacy-columns.ts';

/**
 * A digest of replication `replication` of a shipped scenario (5,000 viewers, two days) over the old
 * columns, with the channel choice of then (the one-off switch: the channel logit came later).
 */
export function legacyDigest(file: string, replication: number, sets: readonly string[] = []): string {
  const s = loadScenarioFile(`scenarios/${file}.yaml`, {
    sets: ['population.viewers=5000', 'duration=2d', 'demand.channelChoice.rule=switch', ...sets],
  });
  const r = runReplication(s, replication);
  const pick = <T extends object>(row: T, keys: readonly string[]) =>
    keys.map((k) => (row as Record<string, unknown>)[k]);
  const tables = {
    kpis: pick(r.kpis, KPIS_THEN),
    timeseries: r.timeseries.map((row) => pick(row, TIMESERIES_THEN)),
    creators: creatorsThen(r.creators),
    viewers: r.viewers,
    audience: r.audience,
  };
  return createHash('sha256').update(JSON.stringify(tables)).digest('hex').slice(0, 16);
}

/** steady-365d made small: 300 viewers, 10 creators, a few joins, 20 arrivals a day, payers 30 %. */
export const SMALL_STEADY_SETS: readonly string[] = [
  'population.viewers=300',
  'population.creators=10',
  'lifecycle.creators.joinsPerDay=0.06',
  'lifecycle.arrivalsPerDay=20',
  'viewers.payerShare=0.3',
];
