/**
 * A sweep's global sensitivity, from its points' KPI means (each the mean over the point's
 * replications, which share their seeds across points: common random numbers): Sobol' indices for a
 * `--sobol` design, Morris' elementary-effect statistics for a `--morris` one — for every KPI and path,
 * ordered KPI by KPI (in the catalogue's order), path by path (in `--vary` order). Pure: the same
 * points give the same rows, bit for bit, in one run or a merge of shards (the bootstraps draw from
 * streams keyed by the sweep's seed).
 *
 * With two replications or more per point, each KPI's replication noise is measured too (sobol.ts and
 * morris.ts say how): its share of what the indices decompose, and the verdict (`noiseVerdict`) that
 * stdout and the report turn into a warning — the indices then mix noise with effects, and the paths
 * that change what is drawn absorb it.
 */
import { KPI_NAMES, type KpiName, type KpiStat } from '../../sim/kpis.ts';
import { designRng } from './design.ts';
import { effectNoise, elementaryEffects, MORRIS_RESAMPLES, type MorrisStats, morrisStats } from './morris.ts';
import type { SweepSpec } from './plan.ts';
import { SOBOL_RESAMPLES, type SobolIndex, sobolIndices, sobolOutputs } from './sobol.ts';

/** A path's Sobol indices of a KPI (sobol.ts's SobolIndex: S1, ST, their CIs, the noise and corrections). */
export interface SobolRow extends SobolIndex {
  axis: number;
  path: string;
  kpi: KpiName;
}

/** A path's Morris figures of a KPI (morris.ts's MorrisStats: μ, μ*, σ, the noise). */
export interface MorrisRow extends MorrisStats {
  axis: number;
  path: string;
  kpi: KpiName;
}

type PointStats = readonly { stats: Record<KpiName, KpiStat> }[];
/** Every replication of every point, point-major (rows[id · R + r]), as the sweep ran them. */
type Replications = readonly { kpis: Record<KpiName, number> }[];

/** A point's replications of a KPI, in replication order. */
function replicationsOf(rows: Replications, r: number, k: KpiName): (id: number) => number[] {
  return (id) => rows.slice(id * r, (id + 1) * r).map((row) => row.kpis[k]);
}

/**
 * The KPIs every point measured: a cohort KPI absent at any point (NaN: the runs are too short, or
 * nobody arrived) has no sensitivity to compute. Cohort KPIs come last, so leaving them out moves no
 * other KPI's bootstrap draws.
 */
function measuredKpis(points: PointStats): KpiName[] {
  return KPI_NAMES.filter((k) => points.every((p) => !Number.isNaN(p.stats[k].mean)));
}

export function sobolRows(spec: SweepSpec, points: PointStats, rows: Replications): SobolRow[] | null {
  if (spec.design !== 'sobol' || spec.sobolSamples === null) return null;
  const n = spec.sobolSamples;
  const kpis = measuredKpis(points);
  const outputs = kpis.map((k) =>
    sobolOutputs(
      spec.points,
      n,
      spec.axes.length,
      (id) => points[id].stats[k].mean,
      replicationsOf(rows, spec.replications, k),
    ),
  );
  const indices = sobolIndices(outputs, SOBOL_RESAMPLES, designRng(spec.seed, 'sobol-bootstrap'));
  return kpis.flatMap((kpi, k) =>
    spec.axes.map((a, d) => ({ axis: d, path: a.path, kpi, ...indices[k][d] })),
  );
}

export function morrisRows(spec: SweepSpec, points: PointStats, rows: Replications): MorrisRow[] | null {
  if (spec.design !== 'morris' || spec.morrisTrajectories === null) return null;
  const r = spec.morrisTrajectories;
  const kinds = spec.axes.map((a) => a.type);
  const kpis = measuredKpis(points);
  const effects = kpis.map((k) =>
    elementaryEffects(spec.points, spec.axes, kinds, r, (id) => points[id].stats[k].mean),
  );
  const noise = kpis.map((k) =>
    effectNoise(spec.points, spec.axes, kinds, r, replicationsOf(rows, spec.replications, k)),
  );
  const stats = morrisStats(effects, MORRIS_RESAMPLES, designRng(spec.seed, 'morris-bootstrap'), noise);
  return kpis.flatMap((kpi, k) => spec.axes.map((a, d) => ({ axis: d, path: a.path, kpi, ...stats[k][d] })));
}

/** A noise share at or above this is a warning: the indices are then at least a fifth noise. */
export const NOISE_SHARE_WARN = 0.2;
/** A path whose ST holds this much replication noise (as a share of V) is named as absorbing it. */
const ABSORBED_FROM = 0.05;

/** An index (of `--kpi`) outside [0, 1], with its CI. */
export interface StrayIndex {
  path: string;
  index: 'S1' | 'ST';
  value: number;
  ci95: [number, number];
  /** True when the CI too lies outside [0, 1]: not the estimator's sampling noise. */
  beyondCi: boolean;
}

/** What the sensitivity of one KPI says about its replication noise: the warning stdout and the report give. */
export interface NoiseVerdict {
  kpi: KpiName;
  replications: number;
  /** False with one replication per point: the noise cannot be told from the effects. */
  separable: boolean;
  /** The KPI's noise share (NaN when not separable, or when the KPI never varies). */
  noiseShare: number;
  /**
   * The paths the noise lands on, most first: Sobol — those whose ST holds ABSORBED_FROM of noise or
   * more; Morris — those whose own noise share reaches NOISE_SHARE_WARN. `raw` is the ST (μ*),
   * `corrected` the ST less the noise (NaN for Morris), `noise` the noise in ST (Morris: the noise sd
   * of one effect).
   */
  absorbers: { path: string; raw: number; corrected: number; noise: number }[];
  /** Raw S1 / ST outside [0, 1] (Sobol), shown as they are, not clipped. */
  stray: StrayIndex[];
  /** The noise share reaches NOISE_SHARE_WARN, or an index is outside [0, 1] beyond its CI. */
  warn: boolean;
}

export function sobolVerdict(
  rows: readonly SobolRow[],
  kpi: KpiName,
  replications: number,
): NoiseVerdict | null {
  const mine = rows.filter((r) => r.kpi === kpi && Number.isFinite(r.st));
  if (mine.length === 0) return null;
  const absorbers = mine
    .filter((r) => r.stNoise >= ABSORBED_FROM)
    .sort((x, y) => y.stNoise - x.stNoise || x.axis - y.axis)
    .map((r) => ({ path: r.path, raw: r.st, corrected: r.stCorrected, noise: r.stNoise }));
  const stray: StrayIndex[] = mine.flatMap((r) =>
    (
      [
        ['S1', r.s1, r.s1Ci95],
        ['ST', r.st, r.stCi95],
      ] as const
    )
      .filter(([, v]) => v < 0 || v > 1)
      .map(([index, value, ci95]) => ({
        path: r.path,
        index,
        value,
        ci95: [ci95[0], ci95[1]] as [number, number],
        beyondCi: ci95[1] < 0 || ci95[0] > 1,
      })),
  );
  return verdictOf(kpi, replications, mine[0].noiseShare, absorbers, stray);
}

export function morrisVerdict(
  rows: readonly MorrisRow[],
  kpi: KpiName,
  replications: number,
): NoiseVerdict | null {
  const mine = rows.filter((r) => r.kpi === kpi);
  if (mine.length === 0) return null;
  const absorbers = mine
    .filter((r) => r.pathNoiseShare >= NOISE_SHARE_WARN)
    .sort((x, y) => y.pathNoiseShare - x.pathNoiseShare || x.axis - y.axis)
    .map((r) => ({ path: r.path, raw: r.muStar, corrected: Number.NaN, noise: r.effectNoiseSd }));
  return verdictOf(kpi, replications, mine[0].noiseShare, absorbers, []);
}

/**
 * What both designs conclude alike from the KPI's noise share (the same on each of its rows): one
 * replication cannot separate it; a share of NOISE_SHARE_WARN or more warns, as does a stray index
 * beyond its CI (Sobol's only).
 */
function verdictOf(
  kpi: KpiName,
  replications: number,
  noiseShare: number,
  absorbers: NoiseVerdict['absorbers'],
  stray: StrayIndex[],
): NoiseVerdict {
  const separable = replications >= 2;
  return {
    kpi,
    replications,
    separable,
    noiseShare,
    absorbers,
    stray,
    warn: (separable && noiseShare >= NOISE_SHARE_WARN) || stray.some((s) => s.beyondCi),
  };
}

/** --kpi's Sobol rows, largest ST first (ties in --vary order): the order stdout and the report list them in. */
export function rankedSobolRows(rows: readonly SobolRow[] | null, kpi: KpiName): SobolRow[] {
  return (rows ?? []).filter((r) => r.kpi === kpi).sort((a, b) => b.st - a.st || a.axis - b.axis);
}

/** --kpi's Morris rows, largest μ* first (ties in --vary order). */
export function rankedMorrisRows(rows: readonly MorrisRow[] | null, kpi: KpiName): MorrisRow[] {
  return (rows ?? []).filter((r) => r.kpi === kpi).sort((a, b) => b.muStar - a.muStar || a.axis - b.axis);
}
