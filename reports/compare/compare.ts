/**
 * Compares two runs KPI by KPI: side by side, the absolute and relative difference (B − A), whether
 * the 95 % confidence intervals separate, and Welch's t-test where both runs have replications. When
 * both runs used the same seed and replication count (and kpis.csv has the values), replication i of A
 * and of B drew the same random numbers: a paired t-test over the differences is then also computed,
 * and it decides the verdict. The noise the runs share cancels in it as far as their replications move
 * together (the correlation r, per KPI: reports/compare/pairing.ts); Welch ignores the pairing and can
 * miss a difference that every single replication shows, but a change that alters what happens in each
 * replication leaves little shared noise to cancel.
 */
import { realpathSync } from 'node:fs';
import { InputError } from '../../common/input-error.ts';
import { daysText } from '../../experiments/kpi-value.ts';
import { ALPHA, skewness } from '../../experiments/stats.ts';
import { type KpiUnit, kpiUnit } from '../format.ts';
import { skewWarnings } from '../run-warnings.ts';
import type { ComparePrecision } from './precision.ts';
import type { KpiSample, RunFolder } from './run-folder.ts';
import { differencesNote, scenarioDifferences } from './scenario-diff.ts';
import { pairedT, pearson, type WelchResult, welch } from './stats.ts';

/** Significance level for the verdict column (one for every verdict: experiments/stats.ts). */
export { ALPHA };
/** ALPHA as the report and the terminal say it. */
export const P_BELOW_ALPHA = `p < ${ALPHA}`;
export const AT_ALPHA = `the ${ALPHA * 100} % level`;

export type Verdict = 'B higher' | 'B lower' | 'no clear difference' | 'identical' | 'single replication';

export interface KpiComparison {
  kpi: string;
  unit: KpiUnit;
  a: KpiSample;
  b: KpiSample;
  /** mean(B) − mean(A). */
  diff: number;
  /** diff / |mean(A)|; null when A's mean is 0. */
  relDiff: number | null;
  /** Whether the two 95 % CIs do not overlap; null when either run has one replication. */
  cisSeparate: boolean | null;
  /** Welch's test; null when either run has one replication. */
  welch: WelchResult | null;
  /** Paired t-test over replications; null unless the runs are paired (same seed and replications). */
  paired: WelchResult | null;
  /**
   * Pearson's r of A's and B's per-replication values when paired: how much noise the pairing cancels.
   * Null when not paired, or when either run's replications all have one value (r is undefined).
   */
  correlation: number | null;
  /** The test the verdict rests on. */
  test: 'paired' | 'welch' | null;
  verdict: Verdict;
}

export interface Comparison {
  a: RunFolder;
  b: RunFolder;
  rows: KpiComparison[];
  /** KPIs only one of the runs reports (left out of `rows`). */
  onlyInA: string[];
  onlyInB: string[];
  /** Whether replications are paired: same seed and number of replications, values in both kpis.csv. */
  paired: boolean;
  warnings: string[];
  /** `compare --precision`: each named KPI's precision against the target. */
  precision?: ComparePrecision;
}

export function compareRuns(a: RunFolder, b: RunFolder): Comparison {
  const names = [...a.kpis.keys()].filter((k) => b.kpis.has(k));
  const onlyInA = [...a.kpis.keys()].filter((k) => !b.kpis.has(k));
  const onlyInB = [...b.kpis.keys()].filter((k) => !a.kpis.has(k));
  if (names.length === 0) {
    throw new InputError({
      field: 'runB',
      expected: `a run with some of runA's KPIs (${[...a.kpis.keys()].slice(0, 4).join(', ')}, …)`,
      found: `none in common (runB has ${[...b.kpis.keys()].slice(0, 4).join(', ') || 'no KPIs'})`,
    });
  }
  const warnings: string[] = [];
  // The same folder however it was reached (a symlink, a path with `..`).
  const same = a.dir === b.dir || realDir(a.dir) === realDir(b.dir);
  if (same) warnings.push('runA and runB are the same folder: every difference is zero.');
  if (a.durationSeconds !== null && b.durationSeconds !== null && a.durationSeconds !== b.durationSeconds)
    warnings.push(
      `the runs last ${daysText(a.durationSeconds)} and ${daysText(b.durationSeconds)}: what is counted over the run (bookings, gifts, payers, ARPPU, payer conversion) grows with its length; compare the per-day KPIs (ARPPU per day, gifts per payer per day), or runs of one length.`,
    );
  if (!same) {
    const [va, vb] = [a.scenarioValues, b.scenarioValues];
    if (typeof va !== 'string' && typeof vb !== 'string')
      warnings.push(differencesNote(scenarioDifferences(va, vb)));
    else
      warnings.push(
        `the scenarios cannot be compared field by field: ${[typeof va === 'string' ? `runA ${va}` : '', typeof vb === 'string' ? `runB ${vb}` : ''].filter(Boolean).join('; ')}.`,
      );
  }
  if (onlyInA.length) warnings.push(`only in runA, not compared: ${onlyInA.join(', ')}`);
  if (onlyInB.length) warnings.push(`only in runB, not compared: ${onlyInB.join(', ')}`);
  if (a.replications > 1 !== b.replications > 1)
    warnings.push('one run has a single replication: no confidence intervals or tests, differences only.');
  const paired =
    a.seed === b.seed &&
    a.replications === b.replications &&
    a.replications > 1 &&
    names.every(
      (k) =>
        a.kpis.get(k)?.values?.length === a.replications && b.kpis.get(k)?.values?.length === b.replications,
    );
  const rows = names.map((k) => compareKpi(k, a.kpis.get(k)!, b.kpis.get(k)!, paired));
  warnings.push(...skewWarnings(decidingValues(rows, paired), 'compare'));
  return { a, b, rows, onlyInA, onlyInB, paired, warnings };
}

export function compareKpi(kpi: string, a: KpiSample, b: KpiSample, paired = false): KpiComparison {
  const diff = b.mean - a.mean;
  const relDiff = a.mean === 0 ? (diff === 0 ? 0 : null) : diff / Math.abs(a.mean);
  const replicated = a.n > 1 && b.n > 1;
  const cisSeparate = replicated ? a.ci95[1] < b.ci95[0] || b.ci95[1] < a.ci95[0] : null;
  const w = replicated ? welch(a, b) : null;
  const pt = replicated && paired && a.values && b.values ? pairedT(a.values, b.values) : null;
  const test = pt ? 'paired' : w ? 'welch' : null;
  return {
    kpi,
    unit: kpiUnit(kpi),
    a,
    b,
    diff,
    relDiff,
    cisSeparate,
    welch: w,
    paired: pt,
    correlation: pt && a.values && b.values ? pearson(a.values, b.values) : null,
    test,
    verdict: verdictOf(diff, pt ?? w),
  };
}

/** The test the verdict rests on: paired when the runs are paired, else Welch's. */
export function decidingTest(r: KpiComparison): WelchResult | null {
  return r.paired ?? r.welch;
}

function verdictOf(diff: number, w: WelchResult | null): Verdict {
  if (w === null) return diff === 0 ? 'identical' : 'single replication';
  if (diff === 0 && w.se === 0) return 'identical';
  if (Number.isFinite(w.p) && w.p < ALPHA) return diff > 0 ? 'B higher' : 'B lower';
  return 'no clear difference';
}

/**
 * Per KPI, the values its verdict rests on: the per-pair differences when paired, else the more skewed
 * of the two runs' replications (each side's mean carries its own skew into Welch's test).
 */
function decidingValues(rows: readonly KpiComparison[], paired: boolean): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const r of rows) {
    const [a, b] = [r.a.values, r.b.values];
    if (a === undefined || b === undefined) continue;
    if (paired)
      out.set(
        r.kpi,
        b.map((v, i) => v - a[i]),
      );
    else out.set(r.kpi, Math.abs(skewness(a)) >= Math.abs(skewness(b)) || Number.isNaN(skewness(b)) ? a : b);
  }
  return out;
}

function realDir(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return dir;
  }
}
