/**
 * How far a candidate's simulated KPIs are from the targets: the sum of squared standardised errors,
 *
 *   distance = Σ_k ((mean_k − target_k) / s_k)²,   s_k² = u_k² + e_k²,
 *
 * mean_k the KPI's mean over the candidate's replications, u_k the target's own uncertainty (its `se`,
 * or `tolerance` × |target|, or 0) and e_k the simulation's standard error of that mean (sd / √R at the
 * calibration's first candidate, the starting point: one fixed scale for the whole search, so distances
 * of different candidates compare). When both are 0 — one replication and a bare target — s_k is 5 % of
 * |target| (RELATIVE_DEFAULT). With normal errors, distance is −2 log-likelihood up to a constant, so
 * differences in distance are likelihood-ratio statistics: that is what `WITHIN_NOISE` uses.
 */
import { assert } from '../../common/assert.ts';
import type { KpiStat, Kpis } from '../../sim/kpis.ts';
import { hasValue } from '../kpi-value.ts';
import { describe } from '../stats.ts';
import { STATISTIC_NAMES, type StatisticName, statisticsOf } from './statistics.ts';
import type { Target } from './targets.ts';

/** The scale of a bare target without replications to measure noise: 5 % of its value. */
export const RELATIVE_DEFAULT = 0.05;

/**
 * Candidates whose distance is within this of the best are "within noise": 3.841 is the 95 % quantile
 * of χ² with one degree of freedom, so the fitted values these candidates span approximate each
 * parameter's 95 % profile-likelihood interval.
 */
export const WITHIN_NOISE = 3.841;

/** A standardised miss beyond this (about two standard errors) is a target not reached. */
export const MISS_Z = 2;

export type ScaleBasis = 'target and simulation' | 'target' | 'simulation' | 'relative default';

export interface TargetScale {
  kpi: StatisticName;
  value: number;
  /** u_k: the target's own standard error (from se, or tolerance × |value|), 0 if none. */
  targetSe: number;
  /** e_k: the simulation's standard error of the mean at the starting point, 0 with one replication. */
  simulationSe: number;
  /** s_k, what a miss is divided by. */
  scale: number;
  basis: ScaleBasis;
}

export function targetScales(targets: readonly Target[], reference: readonly Kpis[]): TargetScale[] {
  assert(reference.length >= 1, 'the reference candidate has replications');
  return targets.map((t) => {
    // Replications without a value of the KPI (kpi-value.ts) tell nothing of its noise.
    const values = reference.map((k) => statisticsOf(k)[t.kpi]).filter(Number.isFinite);
    const r = values.length;
    const simulationSe = r < 2 ? 0 : describe(values).sd / Math.sqrt(r);
    const targetSe = t.se ?? (t.tolerance === undefined ? 0 : t.tolerance * Math.abs(t.value));
    const combined = Math.sqrt(targetSe ** 2 + simulationSe ** 2);
    const basis: ScaleBasis =
      targetSe > 0 && simulationSe > 0 ? 'target and simulation' : targetSe > 0 ? 'target' : 'simulation';
    if (combined > 0) return { kpi: t.kpi, value: t.value, targetSe, simulationSe, scale: combined, basis };
    const scale = RELATIVE_DEFAULT * Math.abs(t.value);
    assert(scale > 0, 'a target of 0 comes with its own se (checked when planned)');
    return { kpi: t.kpi, value: t.value, targetSe, simulationSe, scale, basis: 'relative default' };
  });
}

/** Every KPI's and ratio's mean, 95 % CI and sd over a candidate's replications. */
export function kpiStats(rows: readonly Kpis[]): Record<StatisticName, KpiStat> {
  const all = rows.map(statisticsOf);
  const out = {} as Record<StatisticName, KpiStat>;
  for (const k of STATISTIC_NAMES) out[k] = describe(all.map((row) => row[k]));
  return out;
}

export interface Fit {
  /** Infinity for an infeasible candidate: one without a value of some target KPI (`absent`). */
  distance: number;
  /** (mean − target) / scale per target, in the targets' order (NaN where the KPI has no value). */
  z: number[];
  /**
   * Target KPIs the candidate gave no value (kpi-value.ts: a cohort KPI without arrivals early enough
   * in some replication): no distance to them can be computed, so the candidate is infeasible — ranked
   * after every other, never the best, left out of the response surface.
   */
  absent: StatisticName[];
}

export function fitOf(scales: readonly TargetScale[], stats: Record<StatisticName, KpiStat>): Fit {
  const z = scales.map((s) => (stats[s.kpi].mean - s.value) / s.scale);
  const absent = scales.filter((s) => !hasValue(stats[s.kpi])).map((s) => s.kpi);
  const distance = absent.length > 0 ? Number.POSITIVE_INFINITY : z.reduce((sum, v) => sum + v * v, 0);
  return { distance, z, absent };
}

/** Whether a candidate gave every target KPI a value (its distance is finite). */
export function feasible(fit: Fit): boolean {
  return fit.absent.length === 0;
}

/**
 * The 99 % quantile of χ² with `dof` degrees of freedom (Wilson–Hilferty, within 1 % from one degree on):
 * a best distance above it over K targets and p fitted paths (dof = K − p) says the model cannot match
 * all targets at once, whatever the noise.
 */
export function chiSquare99(dof: number): number {
  assert(dof >= 1, 'at least one degree of freedom');
  const z = 2.326348;
  const a = 2 / (9 * dof);
  return dof * (1 - a + z * Math.sqrt(a)) ** 3;
}
