/** Mean, sample standard deviation and a Student-t 95 % confidence interval of the mean. */
import type { KpiStat } from '../sim/kpis.ts';

/** Two-sided 95 % Student-t quantiles for 1..30 degrees of freedom. */
const T95 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

export function t95(df: number): number {
  if (df <= 0) return Number.NaN;
  if (df <= T95.length) return T95[df - 1];
  // Cornish–Fisher expansion around the normal quantile; within 0.001 of the table past 30.
  const z = 1.959964;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2);
}

export function describe(values: readonly number[]): KpiStat {
  const n = values.length;
  if (n === 0) return { mean: 0, ci95: [0, 0], sd: 0 };
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  if (n === 1) return { mean, ci95: [mean, mean], sd: 0 };
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  const sd = Math.sqrt(squares / (n - 1));
  const half = (t95(n - 1) * sd) / Math.sqrt(n);
  return { mean, ci95: [mean - half, mean + half], sd };
}
