/**
 * The CSV files of a run: kpis.csv, timeseries.csv, creators.csv, viewers.csv, audience.csv,
 * cohorts.csv, packs.csv and gifts.csv. The same RunResult always gives the same bytes (no dates, no
 * wall times, replications in order).
 */
import { join } from 'node:path';
import type { RunResult } from '../../experiments/result.ts';
import {
  audienceTable,
  cohortsTable,
  creatorsTable,
  giftsTable,
  kpisTable,
  packsTable,
  type Table,
  timeseriesTable,
  viewersTable,
} from './tables.ts';
import { writeCsv } from './write-csv.ts';

export const CSV_FILES = [
  'kpis.csv',
  'timeseries.csv',
  'creators.csv',
  'viewers.csv',
  'audience.csv',
  'cohorts.csv',
  'packs.csv',
  'gifts.csv',
] as const;

/** Writes every CSV of `run` into `dir`; `channels` are the economy's channel ids, in order. */
export async function writeRunCsvs(run: RunResult, channels: readonly string[], dir: string): Promise<void> {
  const tables: Record<(typeof CSV_FILES)[number], Table> = {
    'kpis.csv': kpisTable(run),
    'timeseries.csv': timeseriesTable(run, channels),
    'creators.csv': creatorsTable(run),
    'viewers.csv': viewersTable(run, channels),
    'audience.csv': audienceTable(run),
    'cohorts.csv': cohortsTable(run),
    'packs.csv': packsTable(run),
    'gifts.csv': giftsTable(run),
  };
  for (const file of CSV_FILES) await writeCsv(join(dir, file), tables[file].header, tables[file].rows());
}

export {
  audienceTable,
  cohortsTable,
  creatorsTable,
  giftsTable,
  kpisTable,
  packsTable,
  type Table,
  timeseriesTable,
  viewersTable,
} from './tables.ts';
export { type Cell, writeCsv } from './write-csv.ts';
