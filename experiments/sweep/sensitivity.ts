/**
 * A sweep's global sensitivity, from its points' KPI means (each the mean over the point's
 * replications, which share their seeds across points: common random numbers): Sobol' indices for a
 * `--sobol` design, Morris' elementary-effect statistics for a `--morris` one — for every KPI and path,
 * ordered KPI by KPI (in the catalogue's order), path by path (in `--vary` order). Pure: the same
 * points give the same rows, bit for bit, in one run or a merge of shards (the bootstraps draw from
 * streams keyed by the sweep's seed).
 */
import { KPI_NAMES, type KpiName, type KpiStat } from '../../sim/kpis.ts';
import { designRng } from './design.ts';
import { elementaryEffects, MORRIS_RESAMPLES, morrisStats } from './morris.ts';
import type { SweepSpec } from './plan.ts';
import { SOBOL_RESAMPLES, sobolIndices, sobolOutputs } from './sobol.ts';

export interface SobolRow {
  axis: number;
  path: string;
  kpi: KpiName;
  /** First-order index: the share of the KPI's variance the path explains alone. */
  s1: number;
  s1Ci95: [number, number];
  /** Total-order index: the share it explains with every interaction it takes part in. */
  st: number;
  stCi95: [number, number];
}

export interface MorrisRow {
  axis: number;
  path: string;
  kpi: KpiName;
  /** Mean elementary effect (signed: the direction, when it does not change). */
  mu: number;
  /** Mean absolute elementary effect: how much the path matters, in KPI units per its whole range. */
  muStar: number;
  muStarCi95: [number, number];
  /** Spread of the effects: non-linearity or interaction with other paths. */
  sigma: number;
  effects: number;
}

type PointStats = readonly { stats: Record<KpiName, KpiStat> }[];

/**
 * The KPIs every point measured: a cohort KPI absent at any point (NaN: the runs are too short, or
 * nobody arrived) has no sensitivity to compute. Cohort KPIs come last, so leaving them out moves no
 * other KPI's bootstrap draws.
 */
function measuredKpis(points: PointStats): KpiName[] {
  return KPI_NAMES.filter((k) => points.every((p) => !Number.isNaN(p.stats[k].mean)));
}

export function sobolRows(spec: SweepSpec, points: PointStats): SobolRow[] | null {
  if (spec.design !== 'sobol' || spec.sobolSamples === null) return null;
  const n = spec.sobolSamples;
  const kpis = measuredKpis(points);
  const outputs = kpis.map((k) =>
    sobolOutputs(spec.points, n, spec.axes.length, (id) => points[id].stats[k].mean),
  );
  const indices = sobolIndices(outputs, SOBOL_RESAMPLES, designRng(spec.seed, 'sobol-bootstrap'));
  return kpis.flatMap((kpi, k) =>
    spec.axes.map((a, d) => ({ axis: d, path: a.path, kpi, ...indices[k][d] })),
  );
}

export function morrisRows(spec: SweepSpec, points: PointStats): MorrisRow[] | null {
  if (spec.design !== 'morris' || spec.morrisTrajectories === null) return null;
  const r = spec.morrisTrajectories;
  const kinds = spec.axes.map((a) => a.type);
  const kpis = measuredKpis(points);
  const effects = kpis.map((k) =>
    elementaryEffects(spec.points, spec.axes, kinds, r, (id) => points[id].stats[k].mean),
  );
  const stats = morrisStats(effects, MORRIS_RESAMPLES, designRng(spec.seed, 'morris-bootstrap'));
  return kpis.flatMap((kpi, k) => spec.axes.map((a, d) => ({ axis: d, path: a.path, kpi, ...stats[k][d] })));
}
