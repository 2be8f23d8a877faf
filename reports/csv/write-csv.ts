/**
 * Writes one CSV file with csv-stringify, streaming rows so that a run with millions of creators never
 * holds its whole file as one string. Numbers are written as JavaScript prints them (shortest exact);
 * NaN, an absent value, as an empty cell.
 */
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';

export type Cell = string | number;

export async function writeCsv(
  file: string,
  header: readonly string[],
  rows: Iterable<Cell[]>,
): Promise<void> {
  // An absent value (NaN: a cohort KPI of a run that cannot measure it, the second a creator that
  // stayed left) is an empty cell in every CSV: the one place this rule lives.
  const csv = stringify({
    header: true,
    columns: [...header],
    cast: { number: (value) => (Number.isNaN(value) ? '' : String(value)) },
  });
  const done = pipeline(csv, createWriteStream(file));
  for (const row of rows) {
    if (!csv.write(row)) await new Promise((resolve) => csv.once('drain', resolve));
  }
  csv.end();
  await done;
}
