/**
 * Concentration measures over amounts sorted ascending: Gini, Lorenz points and the share held by
 * the top fraction of holders. Pure functions; sorting is the caller's (typed arrays sort numerically).
 */
import type { LorenzCurve } from './result.ts';

function total(sorted: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < sorted.length; i++) sum += sorted[i];
  return sum;
}

/** Gini coefficient: 0 when all hold the same, towards 1 when one holds everything. */
export function gini(sorted: Float64Array): number {
  const n = sorted.length;
  const sum = total(sorted);
  if (n === 0 || sum <= 0) return 0;
  let weighted = 0;
  for (let i = 0; i < n; i++) weighted += (i + 1) * sorted[i];
  return (2 * weighted) / (n * sum) - (n + 1) / n;
}

/** Share of the total held by the top `fraction` of holders (at least one holder). */
export function topShare(sorted: Float64Array, fraction: number): number {
  const n = sorted.length;
  const sum = total(sorted);
  if (n === 0 || sum <= 0) return 0;
  const top = Math.max(1, Math.ceil(n * fraction));
  let held = 0;
  for (let i = n - top; i < n; i++) held += sorted[i];
  return held / sum;
}

/** Lorenz curve at `points` + 1 evenly spaced shares of holders. */
export function lorenz(sorted: Float64Array, points = 100): LorenzCurve {
  const n = sorted.length;
  const sum = total(sorted);
  const x: number[] = [0];
  const y: number[] = [0];
  if (n === 0 || sum <= 0) return { x: [0, 1], y: [0, 1], gini: 0 };
  let cum = 0;
  let i = 0;
  for (let k = 1; k <= points; k++) {
    const upTo = Math.round((k * n) / points);
    while (i < upTo) cum += sorted[i++];
    x.push(k / points);
    y.push(cum / sum);
  }
  return { x, y, gini: gini(sorted) };
}
