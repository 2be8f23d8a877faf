/** Writes compare.csv and compare.html into a folder. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Comparison } from './compare.ts';
import { compareCsv } from './write-csv.ts';
import { compareHtml } from './write-html.ts';

export async function writeComparison(c: Comparison, outDir: string): Promise<{ csv: string; html: string }> {
  await mkdir(outDir, { recursive: true });
  const csv = join(outDir, 'compare.csv');
  const html = join(outDir, 'compare.html');
  await writeFile(csv, compareCsv(c));
  await writeFile(html, await compareHtml(c));
  return { csv, html };
}
