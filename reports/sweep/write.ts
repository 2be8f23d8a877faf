/**
 * Writes a sweep's folder all at once or not at all: sweep.csv, points.csv, replications.csv,
 * tornado.csv (tornado sweeps), sobol.csv (--sobol), morris.csv (--morris), summary.json and report.html. `giftlab sweep` and `giftlab merge` both
 * call this with the same SweepResult, so their folders differ in summary.json's wallSeconds only.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFolderAtomically } from '../../experiments/shards/atomic-dir.ts';
import type { SweepResult } from '../../experiments/sweep/aggregate.ts';
import type { Table } from '../csv/tables.ts';
import { writeCsv } from '../csv/write-csv.ts';
import { writeSweepReport } from '../html/sweep-report.ts';
import { sweepSummaryJson } from './summary-json.ts';
import {
  morrisTable,
  pointsTable,
  replicationsTable,
  sobolTable,
  sweepTable,
  tornadoTable,
} from './tables.ts';

export const SWEEP_REPORT_FILE = 'report.html';

export const SWEEP_FILES = [
  'sweep.csv',
  'points.csv',
  'replications.csv',
  'tornado.csv',
  'sobol.csv',
  'morris.csv',
  'summary.json',
  SWEEP_REPORT_FILE,
] as const;

export async function writeSweepFolder(dir: string, result: SweepResult, wallSeconds: number): Promise<void> {
  const tables: [string, Table][] = [
    ['sweep.csv', sweepTable(result)],
    ['points.csv', pointsTable(result)],
    ['replications.csv', replicationsTable(result)],
    ...(result.tornado ? ([['tornado.csv', tornadoTable(result)]] as [string, Table][]) : []),
    ...(result.sobol ? ([['sobol.csv', sobolTable(result)]] as [string, Table][]) : []),
    ...(result.morris ? ([['morris.csv', morrisTable(result)]] as [string, Table][]) : []),
  ];
  await writeFolderAtomically(dir, SWEEP_FILES, async (staging) => {
    for (const [file, table] of tables) await writeCsv(join(staging, file), table.header, table.rows());
    writeFileSync(
      join(staging, 'summary.json'),
      `${JSON.stringify(sweepSummaryJson(result, wallSeconds), null, 2)}\n`,
    );
    await writeSweepReport(result, join(staging, SWEEP_REPORT_FILE));
  });
}
