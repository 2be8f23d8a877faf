/** The comparison as a plain-text table for the terminal. */
import { kpiDelta, kpiLabel, kpiValue, signedPercent } from '../format.ts';
import { AT_ALPHA, type Comparison, decidingTest, type KpiComparison } from './compare.ts';
import { pairingSummary, rText } from './pairing.ts';

function ciText(r: KpiComparison): string {
  if (r.cisSeparate === null) return 'n/a';
  return r.cisSeparate ? 'separate' : 'overlap';
}

/**
 * The 95 % CI of the difference B − A from the test the verdict rests on (paired when the runs are):
 * `−$36.14 … +$252.67`; empty with one replication on a side.
 */
export function diffCiText(r: KpiComparison): string {
  const t = decidingTest(r);
  if (t === null || !Number.isFinite(t.ci95[0]) || !Number.isFinite(t.ci95[1])) return '';
  return `${kpiDelta(r.kpi, t.ci95[0])} … ${kpiDelta(r.kpi, t.ci95[1])}`;
}

export function pText(p: number | undefined): string {
  if (p === undefined || !Number.isFinite(p)) return '';
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}

export function runLine(tag: string, run: Comparison['a']): string {
  const reps = `${run.replications} replication${run.replications === 1 ? '' : 's'}`;
  return `${tag}: ${run.dir}  (${run.scenario}, seed ${run.seed}, ${reps}${setsText(run.overrides)})`;
}

/** The `--set`s a run was made with, as a suffix: `, --set population.viewers=5000` (empty: none). */
export function setsText(overrides: readonly string[]): string {
  return overrides.map((o) => `, --set ${o}`).join('');
}

export function compareTable(c: Comparison): string {
  const head = [
    'KPI',
    'A',
    'B',
    'Δ (B − A)',
    'Δ %',
    'Δ 95 % CI',
    '95 % CIs',
    'p Welch',
    ...(c.paired ? ['p paired', 'r'] : []),
    'verdict',
  ];
  const body = c.rows.map((r) => [
    kpiLabel(r.kpi),
    kpiValue(r.kpi, r.a.mean),
    kpiValue(r.kpi, r.b.mean),
    kpiDelta(r.kpi, r.diff),
    r.relDiff === null ? '' : signedPercent(r.relDiff),
    diffCiText(r),
    ciText(r),
    pText(r.welch?.p),
    ...(c.paired ? [pText(r.paired?.p), r.correlation === null ? '—' : rText(r.correlation)] : []),
    r.verdict,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const left = new Set([0, 6, head.length - 1]);
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (left.has(i) ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  const out = [runLine('A', c.a), runLine('B', c.b), '', line(head), rule, ...body.map(line), ''];
  out.push(
    "Δ = B − A. CIs 'separate': the two 95 % confidence intervals do not overlap. p Welch: Welch's t-test, two-sided.",
    `Δ 95 % CI: the interval of the difference itself, from ${c.paired ? 'the paired' : "Welch's"} test that decides the verdict; it leaves out 0 when the verdict is higher or lower.`,
  );
  if (c.paired) {
    out.push(
      `p paired: both runs used seed ${c.a.seed} and ${c.a.replications} replications, so replication i of A and B drew the`,
      `same random numbers; a paired t-test over the per-replication differences decides the verdict (${AT_ALPHA}).`,
      `r: the correlation of A's and B's replications (— where a run's replications all have one value). ${pairingSummary(c)}`,
    );
  } else out.push(`Verdict at ${AT_ALPHA}.`);
  out.push('Money in US dollars from integer cents.');
  for (const w of c.warnings) out.push(`note: ${w}`);
  return `${out.join('\n')}\n`;
}
