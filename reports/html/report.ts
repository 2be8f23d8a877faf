/**
 * The HTML report of a run: one self-contained file. This first version holds the KPI table; the
 * charts (vega-lite rendered to inline SVG at write time) come with the analyst-toolkit work.
 */
import { writeFile } from 'node:fs/promises';
import type { Scenario } from '../../scenarios/schema/scenario.ts';
import { KPI_NAMES, type RunResult } from '../../sim/experiments/result.ts';

export async function writeHtmlReport(run: RunResult, scenario: Scenario, file: string): Promise<void> {
  const rows = KPI_NAMES.map((k) => {
    const s = run.kpiStats[k];
    return `<tr><th>${k}</th><td>${s.mean}</td><td>${s.ci95[0]} – ${s.ci95[1]}</td></tr>`;
  }).join('\n');
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>giftlab — ${escapeHtml(scenario.name)}</title></head>
<body><h1>${escapeHtml(scenario.name)}</h1><p>seed ${run.seed}, ${run.replications.length} replication(s)</p>
<table><thead><tr><th>KPI</th><th>mean</th><th>95 % CI</th></tr></thead><tbody>${rows}</tbody></table></body></html>\n`;
  await writeFile(file, html);
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
