/**
 * How much a paired comparison gains from its pairing, KPI by KPI. Replication i of two runs with one
 * seed draws the same random numbers, but the paired test narrows a difference only as far as the two
 * runs' replications move together: var(B − A) = var A + var B − 2 r sd A sd B, so with A and B spread
 * alike the paired standard error is Welch's × √(1 − r). A change that alters no behaviour (a store fee)
 * gives r near 1; one that changes what happens in each replication (a price: other payers, other gift
 * draws) can leave r near 0, and the paired test then narrows little (a review: baseline against
 * price-up-20 at 5,000 viewers, gross bookings paired p 0.725, Welch's 0.814).
 */
import { studentTQuantile } from '../../experiments/stats.ts';
import type { Comparison, KpiComparison } from './compare.ts';

/**
 * From r = 0.75 the paired interval is half Welch's or narrower (√(1 − 0.75) = 0.5): the replications
 * move together and the noise they share cancels.
 */
export const TOGETHER_R = 0.75;
/** Below r = 0.3 it is at most a sixth narrower (√(1 − 0.3) ≈ 0.84): pairing narrows little. */
export const BARELY_R = 0.3;

/** The words under r in the table; `undefined`: a run's replications all have one value, so r is undefined. */
export type Pairing = 'together' | 'partly' | 'barely' | 'undefined';

/** How a paired KPI's replications move together; null when the KPI's verdict is not paired. */
export function pairingOf(r: KpiComparison): Pairing | null {
  if (r.test !== 'paired') return null;
  if (r.correlation === null) return 'undefined';
  return r.correlation >= TOGETHER_R ? 'together' : r.correlation >= BARELY_R ? 'partly' : 'barely';
}

/** r as the report prints it: two decimals, a true minus sign. */
export function rText(r: number): string {
  return r.toFixed(2).replace('-', '−');
}

/** What the pairing does for one KPI, in a sentence (empty when its verdict is not paired). */
export function pairingText(r: KpiComparison): string {
  const p = pairingOf(r);
  if (p === null) return '';
  if (p === 'undefined') {
    const constant = [r.a, r.b].filter((s) => s.values?.every((x) => x === s.values?.[0]));
    return constant.length === 2
      ? "paired, but both runs' replications all have one value: r is undefined, and there is no noise to cancel"
      : `paired, but ${constant[0] === r.a ? 'A' : 'B'}'s replications all have one value: r is undefined`;
  }
  const rr = rText(r.correlation!);
  if (p === 'together')
    return `paired: the two runs' replications move together (r = ${rr}), so shared noise cancels`;
  if (p === 'partly')
    return `paired: the two runs' replications partly move together (r = ${rr}), so pairing narrows the interval somewhat`;
  return `paired, but the replications barely move together here (r = ${rr}): the change altered what happened in each replication, so pairing narrows little`;
}

/**
 * One sentence on the whole comparison: how many KPIs' replications move together, partly, barely, or
 * have no r (empty when the comparison is not paired).
 */
export function pairingSummary(
  c: Pick<Comparison, 'paired' | 'rows'> & { a: Pick<Comparison['a'], 'replications'> },
): string {
  if (!c.paired) return '';
  const counts = { together: 0, partly: 0, barely: 0, undefined: 0 };
  for (const r of c.rows) {
    const p = pairingOf(r);
    if (p !== null) counts[p]++;
  }
  const parts = [
    counts.together
      ? `r ≥ ${TOGETHER_R} for ${kpis(counts.together)} (they move together: the noise they share cancels)`
      : '',
    counts.partly ? `r ${BARELY_R} to ${TOGETHER_R} for ${kpis(counts.partly)} (partly)` : '',
    counts.barely
      ? `r < ${BARELY_R} for ${kpis(counts.barely)} (barely: the change altered what happened in each replication, so pairing narrows little)`
      : '',
    counts.undefined
      ? `r undefined for ${kpis(counts.undefined)} (a run's replications all have one value)`
      : '',
  ].filter(Boolean);
  const n = c.a.replications;
  return `Pairing narrows a difference only as far as the two runs' replications move together (their correlation r): ${parts.join('; ')}. Each r comes from ${n} pairs and is rough itself: with no true correlation, |r| exceeds ${chanceR(n).toFixed(2)} one time in 20.`;
}

/**
 * The |r| that n pairs of uncorrelated values exceed with chance 5 % (two-sided): r √(n − 2) / √(1 − r²)
 * is Student's t with n − 2 degrees of freedom, so r = t / √(t² + n − 2). 1 for n ≤ 2 (any r can happen).
 */
export function chanceR(n: number): number {
  if (n <= 2) return 1;
  const t = studentTQuantile(0.975, n - 2);
  return t / Math.sqrt(t * t + n - 2);
}

function kpis(n: number): string {
  return `${n} KPI${n === 1 ? '' : 's'}`;
}
