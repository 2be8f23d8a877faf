/**
 * Writes a run's folder all at once or not at all: summary.json, the CSV files and report.html go to a
 * temporary sibling folder, which then replaces the target in one rename. A failure half-way leaves
 * the previous folder (if any) untouched and no partial one behind.
 */
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Scenario } from '../../scenarios/schema/scenario.ts';
import type { CheckMode } from '../../sim/experiments/invariants.ts';
import type { RunResult } from '../../sim/experiments/result.ts';
import { summaryJson } from '../../sim/experiments/summary-json.ts';
import { InputError, shown } from '../../sim/input-error.ts';
import { writeHtmlReport } from '../html/report.ts';
import { writeRunCsvs } from './index.ts';

export const REPORT_FILE = 'report.html';

/** Fails early, before any simulation, if `dir` cannot become a run folder. */
export function checkOutDir(dir: string, flag: string): void {
  if (existsSync(dir) && !statSync(dir).isDirectory())
    throw new InputError({
      field: flag,
      expected: 'a folder (or a path to create one)',
      found: `${shown(dir)}, a file`,
    });
}

export async function writeRunFolder(
  dir: string,
  run: RunResult,
  scenario: Scenario,
  mode: CheckMode,
): Promise<void> {
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  const staging = mkdtempSync(join(parent, `.${basename(dir)}.partial-`));
  try {
    writeFileSync(join(staging, 'summary.json'), `${JSON.stringify(summaryJson(run, mode), null, 2)}\n`);
    await writeRunCsvs(
      run,
      scenario.economy.channels.map((c) => c.id),
      staging,
    );
    await writeHtmlReport(run, scenario, join(staging, REPORT_FILE));
    replaceDir(staging, dir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

/** Swaps `staging` in for `dir`: the old folder moves aside first and is removed only after. */
function replaceDir(staging: string, dir: string): void {
  if (!existsSync(dir)) {
    renameSync(staging, dir);
    return;
  }
  const old = `${staging}.old`;
  renameSync(dir, old);
  renameSync(staging, dir);
  rmSync(old, { recursive: true, force: true });
}
