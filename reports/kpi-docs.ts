/**
 * The KPI catalogue (sim/kpis.ts) written out where people read it: the README's KPI table (between its
 * `kpi-catalogue` markers) and experiments/summary.schema.json. `npm run schema` writes both; a test
 * keeps the committed files in sync with the catalogue.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { summaryJsonSchema } from '../experiments/summary-json.ts';
import { KPI_CATALOGUE, KPI_PERIOD_TEXT, KPI_UNIT_TEXT } from '../sim/kpis.ts';

export const README_FILE = fileURLToPath(new URL('../README.md', import.meta.url));
export const SUMMARY_SCHEMA_FILE = fileURLToPath(
  new URL('../experiments/summary.schema.json', import.meta.url),
);
const BEGIN = '<!-- kpi-catalogue: generated from sim/kpis.ts by npm run schema -->';
const END = '<!-- /kpi-catalogue -->';

/** The catalogue as a Markdown table, one row per KPI in summary.json's order. */
export function kpiMarkdownTable(): string {
  const rows = KPI_CATALOGUE.map(
    (k) =>
      `| \`${k.name}\` | ${KPI_UNIT_TEXT[k.unit]} | ${KPI_PERIOD_TEXT[k.period]} | ${k.measures} | ${k.reading} |`,
  );
  return [
    '| KPI | unit | covers | measures | how to read it |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** `text` with the table between the markers replaced by the catalogue's. */
export function withKpiTable(text: string): string {
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (begin < 0 || end < begin) throw new Error(`README.md: no ${BEGIN} … ${END} block`);
  return `${text.slice(0, begin + BEGIN.length)}\n${kpiMarkdownTable()}\n${text.slice(end)}`;
}

export function summarySchemaText(): string {
  return `${JSON.stringify(summaryJsonSchema(), null, 2)}\n`;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(README_FILE, withKpiTable(readFileSync(README_FILE, 'utf8')));
  writeFileSync(SUMMARY_SCHEMA_FILE, summarySchemaText());
  console.log(`wrote the KPI table of ${README_FILE} and ${SUMMARY_SCHEMA_FILE}`);
}
