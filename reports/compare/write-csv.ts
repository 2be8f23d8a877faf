/**
 * compare.csv: one row per KPI, raw units (cents, counts, shares), empty cells where a figure does not
 * apply. `diff_ci95_*` is the 95 % CI of the difference from the test named in `test` (paired or welch);
 * `paired_r` (last: added after the others) the correlation of the runs' replications when paired.
 */
import { stringify } from 'csv-stringify/sync';
import { type Comparison, decidingTest } from './compare.ts';

export const COMPARE_COLUMNS = [
  'kpi',
  'unit',
  'a_n',
  'a_mean',
  'a_ci95_low',
  'a_ci95_high',
  'b_n',
  'b_mean',
  'b_ci95_low',
  'b_ci95_high',
  'diff',
  'rel_diff',
  'diff_ci95_low',
  'diff_ci95_high',
  'cis_separate',
  'welch_t',
  'welch_df',
  'welch_p',
  'paired_t',
  'paired_df',
  'paired_p',
  'test',
  'verdict',
  'paired_r',
] as const;

/** Six decimals at most: enough for shares and Gini, and no binary-float noise in the file. */
function num(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '';
  return String(Number(x.toFixed(6)));
}

export function compareCsv(c: Comparison): string {
  const rows = c.rows.map((r) => [
    r.kpi,
    r.unit,
    String(r.a.n),
    num(r.a.mean),
    num(r.a.ci95[0]),
    num(r.a.ci95[1]),
    String(r.b.n),
    num(r.b.mean),
    num(r.b.ci95[0]),
    num(r.b.ci95[1]),
    num(r.diff),
    num(r.relDiff),
    num(decidingTest(r)?.ci95[0]),
    num(decidingTest(r)?.ci95[1]),
    r.cisSeparate === null ? '' : String(r.cisSeparate),
    num(r.welch?.t),
    num(r.welch?.df),
    num(r.welch?.p),
    num(r.paired?.t),
    num(r.paired?.df),
    num(r.paired?.p),
    r.test ?? '',
    r.verdict,
    num(r.correlation),
  ]);
  return stringify([[...COMPARE_COLUMNS], ...rows]);
}
