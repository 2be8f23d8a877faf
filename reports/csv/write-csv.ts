/**
 * Writes one CSV file with csv-stringify, streaming rows so that a run with millions of creators never
 * holds its whole file as one string. Numbers are written as JavaScript prints them (shortest exact).
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
  const csv = stringify({ header: true, columns: [...header] });
  const done = pipeline(csv, createWriteStream(file));
  for (const row of rows) {
    if (!csv.write(row)) await new Promise((resolve) => csv.once('drain', resolve));
  }
  csv.end();
  await done;
}
