/**
 * Writes a calibration's folder all at once or not at all: calibrated.yaml, calibration.csv,
 * replications.csv, summary.json and report.html. `giftlab calibrate` and `giftlab merge` both call this
 * with the same CalibrationResult, so their folders differ in summary.json's wallSeconds only.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CalibrationResult } from '../../experiments/calibrate/aggregate.ts';
import { writeFolderAtomically } from '../../experiments/shards/atomic-dir.ts';
import { writeCsv } from '../csv/write-csv.ts';
import { writeCalibrationReport } from '../html/calibrate-report.ts';
import { calibratedYaml } from './calibrated-yaml.ts';
import { calibrationSummaryJson } from './summary-json.ts';
import { calibrationTable, replicationsTable } from './tables.ts';

export const CALIBRATION_REPORT_FILE = 'report.html';
export const CALIBRATED_FILE = 'calibrated.yaml';
export const CALIBRATION_REPLICATIONS_FILE = 'replications.csv';

export const CALIBRATION_FILES = [
  CALIBRATED_FILE,
  'calibration.csv',
  CALIBRATION_REPLICATIONS_FILE,
  'summary.json',
  CALIBRATION_REPORT_FILE,
] as const;

export async function writeCalibrationFolder(
  dir: string,
  result: CalibrationResult,
  wallSeconds: number,
): Promise<void> {
  await writeFolderAtomically(dir, CALIBRATION_FILES, async (staging) => {
    for (const [file, table] of [
      ['calibration.csv', calibrationTable(result)],
      [CALIBRATION_REPLICATIONS_FILE, replicationsTable(result)],
    ] as const) {
      await writeCsv(join(staging, file), table.header, table.rows());
    }
    writeFileSync(join(staging, CALIBRATED_FILE), calibratedYaml(result));
    writeFileSync(
      join(staging, 'summary.json'),
      `${JSON.stringify(calibrationSummaryJson(result, wallSeconds), null, 2)}\n`,
    );
    await writeCalibrationReport(result, join(staging, CALIBRATION_REPORT_FILE));
  });
}
