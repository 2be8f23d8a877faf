/**
 * Whether a sweep's extremes and a tornado's swings stand out of the replications' noise: what the
 * report's cards and tornado chart say of them. A point with the highest mean is named a winner only
 * when its difference from the next highest has a 95 % CI above 0; when even highest − lowest has a CI
 * that includes 0, no point differs from the others beyond the noise. Pure: the same rows give the same
 * verdict, so a merge of shards writes what the unsharded sweep does.
 */

import { hasValue } from '../../experiments/kpi-value.ts';
import { ALPHA, differenceCi, differenceDf, studentTQuantile } from '../../experiments/stats.ts';
import type { SweepResult } from '../../experiments/sweep/aggregate.ts';

/** A point of the sweep with a value of `--kpi`: its id and the KPI in each replication, in order. */
export interface PointValues {
  id: number;
  values: readonly number[];
}

/** Whether a difference's 95 % CI leaves 0 out (a zero-width CI at 0, an elasticity's, does not); null without a CI. */
export function beyondNoise(ci: readonly [number, number] | null): boolean | null {
  if (ci === null) return null;
  return ci[0] > 0 || ci[1] < 0;
}

/** An extreme point against the next one on its side (the runner-up): the difference and its CI. */
export interface AgainstNext {
  /** The runner-up's id: the next highest (of the highest) or next lowest (of the lowest) mean. */
  next: number;
  /** extreme − runner-up, of the means. */
  difference: number;
  ci95: [number, number] | null;
}

export interface SweepVerdict {
  highest: number;
  lowest: number;
  /**
   * highest − lowest of the means, with its CI at the level that makes every pair's hold at 95 % at once
   * (Bonferroni; plain 95 % with two points). Null with one replication or one point.
   */
  range: number;
  rangeCi95: [number, number] | null;
  /**
   * 'single' with one point; 'unknown' with one replication (no CI); 'noise' when no two points differ
   * (every pair's difference has a CI that includes 0, all pairs' CIs together at 95 %); 'differs' otherwise.
   */
  rangeVerdict: 'single' | 'unknown' | 'noise' | 'differs';
  /** Two points that differ beyond the noise (the first pair found, largest gaps first); null when none. */
  differing: [number, number] | null;
  /** The highest against the next highest, the lowest against the next lowest; null with one point. */
  highestVsNext: AgainstNext | null;
  lowestVsNext: AgainstNext | null;
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/**
 * The verdict on a sweep's extremes of `--kpi`, over the points with a value (in id order: a tie goes to
 * the first, as experiments/sweep/aggregate.ts's `extremes`). `paired` under common random numbers.
 */
export function sweepVerdict(points: readonly PointValues[], paired: boolean): SweepVerdict {
  if (points.length === 0) throw new Error('sweepVerdict: no point with a value');
  const means = points.map((p) => mean(p.values));
  // Stable sorts: a tie keeps id order, so the first of a tie is the extreme and the next its runner-up.
  const byId = points.map((_, i) => i);
  const down = [...byId].sort((i, j) => means[j] - means[i]);
  const up = [...byId].sort((i, j) => means[i] - means[j]);
  const hi = down[0];
  const lo = up[0];
  const against = (k: number, next: number | undefined): AgainstNext | null =>
    next === undefined
      ? null
      : {
          next: points[next].id,
          difference: means[k] - means[next],
          ci95: differenceCi(points[k].values, points[next].values, paired),
        };
  // "No point differs" is said of every pair at once: each pair's CI at 1 − 5 % / pairs (Bonferroni), so
  // that 78 pairs of an LHS's 13 points do not find one by chance; highest − lowest at the same level, so
  // that the Range card and the Highest card cannot disagree.
  const pairs = (points.length * (points.length - 1)) / 2;
  const n = points[0].values.length;
  const t =
    pairs <= 1 || n < 2 ? undefined : studentTQuantile(1 - ALPHA / 2 / pairs, differenceDf(n, paired));
  const rangeCi95 = points.length < 2 ? null : differenceCi(points[hi].values, points[lo].values, paired, t);
  const differing = rangeCi95 === null ? null : differingPair(points, down, means, paired, t);
  return {
    highest: points[hi].id,
    lowest: points[lo].id,
    range: means[hi] - means[lo],
    rangeCi95,
    rangeVerdict:
      points.length < 2
        ? 'single'
        : rangeCi95 === null
          ? 'unknown'
          : differing === null
            ? 'noise'
            : 'differs',
    differing,
    highestVsNext: against(hi, down[1]),
    lowestVsNext: against(lo, up[1]),
  };
}

/**
 * The first pair of points whose difference has a 95 % CI without 0, trying the widest gaps first (the
 * highest against the lowest, then the next lowest, …), so a sweep with any real effect stops early; null
 * when no pair differs. Equal means never differ (the CI is around a difference of 0): when every mean is
 * the same, nothing is tried.
 */
function differingPair(
  points: readonly PointValues[],
  down: readonly number[],
  means: readonly number[],
  paired: boolean,
  t: number | undefined,
): [number, number] | null {
  if (means[down[0]] === means[down[down.length - 1]]) return null;
  for (let a = 0; a < down.length; a++) {
    for (let b = down.length - 1; b > a; b--) {
      const i = down[a];
      const j = down[b];
      if (means[i] === means[j]) break; // every later j is as close to i
      if (beyondNoise(differenceCi(points[i].values, points[j].values, paired, t))) {
        return [points[i].id, points[j].id];
      }
    }
  }
  return null;
}

/** The verdict on a sweep result's `--kpi`, over the points with a value (kpi-value.ts). */
export function sweepResultVerdict(result: Pick<SweepResult, 'spec' | 'points' | 'rows'>): SweepVerdict {
  const { spec } = result;
  const r = spec.replications;
  const points = result.points
    .filter((p) => hasValue(p.stats[spec.kpi]))
    .map((p) => ({
      id: p.id,
      values: result.rows.slice(p.id * r, (p.id + 1) * r).map((row) => row.kpis[spec.kpi]),
    }));
  return sweepVerdict(points, spec.streams === 'common');
}
