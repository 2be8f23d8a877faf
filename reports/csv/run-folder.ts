/**
 * Writes a run's folder all at once or not at all: summary.json, the CSV files and report.html go to a
 * temporary sibling folder, which then replaces the target in one rename (experiments/shards/
 * atomic-dir.ts). A failure half-way leaves the previous folder (if any) untouched and no partial one
 * behind; a folder holding anything but a run's own files is never replaced.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckMode } from '../../experiments/invariants.ts';
import { JOURNAL_FILE, OPS_FILE } from '../../experiments/oplog/files.ts';
import type { RunResult } from '../../experiments/result.ts';
import { writeFolderAtomically } from '../../experiments/shards/atomic-dir.ts';
import { summaryJson } from '../../experiments/summary-json.ts';
import type { Scenario } from '../../scenarios/schema/scenario.ts';
import { writeHtmlReport } from '../html/report.ts';
import { CSV_FILES, writeRunCsvs } from './index.ts';

export const REPORT_FILE = 'report.html';
export const SUMMARY_FILE = 'summary.json';

/** Every name a run folder may hold (`--journal` adds the operation log, written after the folder). */
export const RUN_FILES = [
  SUMMARY_FILE,
  ...CSV_FILES,
  REPORT_FILE,
  OPS_FILE,
  JOURNAL_FILE,
  `${OPS_FILE}.partial`,
  `${JOURNAL_FILE}.partial`,
] as const;

export async function writeRunFolder(
  dir: string,
  run: RunResult,
  scenario: Scenario,
  mode: CheckMode,
): Promise<void> {
  await writeFolderAtomically(dir, RUN_FILES, async (staging) => {
    writeFileSync(
      join(staging, SUMMARY_FILE),
      `${JSON.stringify(summaryJson(run, mode, scenario.overrides, scenario.duration), null, 2)}\n`,
    );
    await writeRunCsvs(
      run,
      scenario.economy.channels.map((c) => c.id),
      staging,
    );
    await writeHtmlReport(run, scenario, join(staging, REPORT_FILE));
  });
}
