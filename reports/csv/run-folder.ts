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
import { scenarioInput, scenarioYaml } from '../../scenarios/scenario-yaml.ts';
import type { Scenario } from '../../scenarios/schema/scenario.ts';
import { writeHtmlReport } from '../html/report.ts';
import { runWarnings } from '../run-warnings.ts';
import { CSV_FILES, writeRunCsvs } from './index.ts';

export const REPORT_FILE = 'report.html';
export const SUMMARY_FILE = 'summary.json';
/** The scenario as run: every default filled, the --sets applied (compare reads it to say what differs). */
export const SCENARIO_FILE = 'scenario.yaml';

/** Every name a run folder may hold (`--journal` adds the operation log, written after the folder). */
export const RUN_FILES = [
  SUMMARY_FILE,
  SCENARIO_FILE,
  ...CSV_FILES,
  REPORT_FILE,
  OPS_FILE,
  JOURNAL_FILE,
  `${OPS_FILE}.partial`,
  `${JOURNAL_FILE}.partial`,
] as const;

/** scenario.yaml: what ran, as a file that runs it again (the seed is in it; the replications are a flag). */
function scenarioAsRun(scenario: Scenario, replications: number): string {
  const header = [
    `The scenario this run simulated: ${scenario.name}, every default filled in${
      scenario.overrides === undefined ? '' : `, with --set ${scenario.overrides.join(' --set ')}`
    }.`,
    `giftlab run scenario.yaml --replications ${replications} --out <a new folder> runs it again (the same numbers: the seed is below).`,
  ];
  return scenarioYaml(scenarioInput(scenario), { header });
}

export async function writeRunFolder(
  dir: string,
  run: RunResult,
  scenario: Scenario,
  mode: CheckMode,
): Promise<void> {
  await writeFolderAtomically(dir, RUN_FILES, async (staging) => {
    writeFileSync(
      join(staging, SUMMARY_FILE),
      `${JSON.stringify(summaryJson(run, mode, scenario.overrides, scenario.duration, runWarnings(scenario, run)), null, 2)}\n`,
    );
    writeFileSync(join(staging, SCENARIO_FILE), scenarioAsRun(scenario, run.replications.length));
    await writeRunCsvs(
      run,
      scenario.economy.channels.map((c) => c.id),
      staging,
    );
    await writeHtmlReport(run, scenario, join(staging, REPORT_FILE));
  });
}
