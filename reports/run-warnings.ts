/**
 * What a run or a comparison should be read with care for, beyond its numbers. Confidence intervals that claim more than replications can give: a KPI whose replications are
 * clearly skewed (a few whales drive a run's bookings) needs many of them before a t-interval's 95 %
 * holds — Cochran's rule, n > 25 G1² (experiments/stats.ts). A model review found a run's gross
 * bookings with G1 4.4 over 24 replications, its CI holding the long-run mean 17 times in 20, and a
 * compare verdict at p 0.008 that 480 replications reversed. Said where the CIs are read: run (stderr,
 * summary.json, report) and compare.
 */
import type { RunResult } from '../experiments/result.ts';
import { tooSkewed } from '../experiments/stats.ts';
import type { Scenario } from '../scenarios/schema/scenario.ts';
import { KPI_NAMES, kpiRange } from '../sim/kpis.ts';
import { demandWarnings } from './demand-warnings.ts';
import { kpiLabel, kpiValue } from './format.ts';

/** Flagged KPIs named in full; the rest counted. */
const NAMED = 6;

/**
 * One line naming the KPIs whose values are too few for their skewness (none: no line). `values` per
 * KPI, one per replication (or, for a paired comparison, per pair: the differences).
 */
export function skewWarnings(
  values: ReadonlyMap<string, readonly number[]>,
  what: 'run' | 'compare',
): string[] {
  const flagged: { kpi: string; g1: number; needed: number; n: number }[] = [];
  for (const [kpi, xs] of values) {
    const s = tooSkewed(xs);
    if (s !== null) flagged.push({ kpi, ...s, n: xs.length });
  }
  if (flagged.length === 0) return [];
  flagged.sort((a, b) => b.needed - a.needed);
  // The label the report uses, then the name kpis.csv's column has.
  const named = flagged
    .slice(0, NAMED)
    .map(
      (f) =>
        `${kpiLabel(f.kpi)} (${f.kpi}, G1 ${f.g1.toFixed(1).replace(/^-/, '−')}: about ${f.needed.toLocaleString('en-US')} needed)`,
    )
    .join(', ');
  const more = flagged.length > NAMED ? ` and ${flagged.length - NAMED} more` : '';
  const n = Math.min(...flagged.map((f) => f.n));
  const consequence =
    what === 'run'
      ? 'their 95 % CIs are likely narrower than they say'
      : 'their CIs and verdicts are likely surer than they should be';
  return [
    `few replications for how skewed some KPIs are across them (a few big payers drive them): ${named}${more}; ${what === 'run' ? 'this run has' : 'these runs have'} ${n.toLocaleString('en-US')} — ${consequence}. Add replications (--replications, or --precision) before acting on them. G1 is the skewness of the ${what === 'run' ? "replications' values" : 'per-pair differences'}; a 95 % CI holds when there are more than 25 × G1² of them (Cochran's rule).`,
  ];
}

/** skewWarnings over a run's replications, KPI by KPI (a KPI a replication did not measure is left out). */
export function runSkewWarnings(run: RunResult): string[] {
  // Skewness takes three values: two say nothing of it, and their CI rests on a t of 12.7.
  if (run.replications.length === 2)
    return [
      '2 replications: too few to tell how skewed the KPIs are across replications (that takes 3), and a 95 % CI from two rests on one degree of freedom. Add replications (--replications 5 or more) before acting on the CIs.',
    ];
  const values = new Map<string, number[]>();
  for (const k of KPI_NAMES) {
    const xs = run.replications.map((r) => r.kpis[k]).filter((x): x is number => Number.isFinite(x));
    if (xs.length === run.replications.length) values.set(k, xs);
  }
  return skewWarnings(values, 'run');
}

/**
 * 95 % CIs that reach past what their KPI can be (a share above 1, a count below 0): a t-interval over
 * few replications is wide, and one bound then says nothing. A model review read a Gini of 0.24–1.01 and
 * a top-1 % share of −0.15–1.12 off two replications. The CIs are kept as computed (compare reads
 * spreads back from them); this says how to read them.
 */
export function rangeWarnings(run: RunResult): string[] {
  const n = run.replications.length;
  if (n < 2) return [];
  const past: string[] = [];
  for (const k of KPI_NAMES) {
    const [lo, hi] = run.kpiStats[k].ci95;
    const [min, max] = kpiRange(k);
    if (lo < min || hi > max) past.push(`${kpiLabel(k)} (${k}) ${bound(k, lo)} to ${bound(k, hi)}`);
  }
  if (past.length === 0) return [];
  const named = past.slice(0, NAMED).join(', ');
  const more = past.length > NAMED ? ` and ${past.length - NAMED} more` : '';
  return [
    `with ${n} replications some 95 % CIs reach past what their KPI can be (${named}${more}): the interval is that wide, and its bound outside the KPI's range says only that; add replications for a bound that does.`,
  ];
}

/** A CI's end in its KPI's unit, a minus sign for a negative one (`−$6.77`, `−15.00 %`, `−3`). */
function bound(kpi: string, x: number): string {
  return kpiValue(kpi, x).replace(/^-/, '−');
}

/**
 * Everything a run's folder says to read with care (summary.json's `warnings`, the report's note): the
 * demand assumptions it ran on, then CIs its replications cannot back.
 */
export function runWarnings(scenario: Scenario, run: RunResult): string[] {
  return [...demandWarnings(scenario), ...runSkewWarnings(run), ...rangeWarnings(run)];
}
