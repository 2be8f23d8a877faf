/**
 * The CSV files of a run: kpis.csv, timeseries.csv, creators.csv, viewers.csv, audience.csv,
 * cohorts.csv, packs.csv and gifts.csv. The same RunResult always gives the same bytes (no dates, no
 * wall times, replications in order).
 */
import { join } from 'node:path';
import type { RunResult } from '../../experiments/result.ts';
import * as tables from './tables.ts';
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
  const of: Record<(typeof CSV_FILES)[number], tables.Table> = {
    'kpis.csv': tables.kpisTable(run),
    'timeseries.csv': tables.timeseriesTable(run, channels),
    'creators.csv': tables.creatorsTable(run),
    'viewers.csv': tables.viewersTable(run, channels),
    'audience.csv': tables.audienceTable(run),
    'cohorts.csv': tables.cohortsTable(run),
    'packs.csv': tables.packsTable(run),
    'gifts.csv': tables.giftsTable(run),
  };
  for (const file of CSV_FILES) await writeCsv(join(dir, file), of[file].header, of[file].rows());
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
