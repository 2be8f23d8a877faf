/** Writes compare.csv and compare.html into a folder. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Comparison } from './compare.ts';
import { compareCsv } from './write-csv.ts';
import { compareHtml } from './write-html.ts';

/** What `compare` writes into its folder. */
export const COMPARE_FILES = ['compare.csv', 'compare.html'] as const;

export async function writeComparison(c: Comparison, outDir: string): Promise<{ csv: string; html: string }> {
  await mkdir(outDir, { recursive: true });
  const [csv, html] = COMPARE_FILES.map((f) => join(outDir, f));
  await writeFile(csv, compareCsv(c));
  await writeFile(html, await compareHtml(c));
  return { csv, html };
}
