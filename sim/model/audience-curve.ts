/**
 * The audience-size effect: how a stream's concurrent audience scales each payer's urge to gift.
 * Presets are power laws around `peakAudience` (where they pass 1) with elasticity `strength`:
 *   flat                 1
 *   small-stream-boost   (a / peak)^−s        — a gift stands out more in a small stream (the seed's claim)
 *   rising               (a / peak)^+s        — social image: more onlookers, more tipping (Lu et al. 2021)
 *   inverted-u           (a / peak)^−s·sign   — rises up to the peak, then falls (Yao/Lu/Chen 2023)
 *   custom               piecewise-linear in log10(audience) through the given points, flat beyond them
 *
 * Scale. With `scale: peak` a curve is used as written, so curves differ in level as well as shape: at
 * the baseline's audiences small-stream-boost averages about 1.5 over viewer-hours and inverted-u at most
 * 1, so switching from one to the other changes how much is gifted, not only where. With `scale: mean`
 * the curve is divided by its expected mean over viewer-hours at the scenario's audiences (`meanMultiplier`,
 * within about 15 % of a run's: it leaves out how audiences build up and hop), and the engine divides it
 * again by the run's own mean so far at each interval (Simulation.curveCorrection), so that every curve
 * averages 1 over the run's viewer-hours and `giftsPerHour` is the rate at an average stream: switching
 * curves then moves gifts between streams of different sizes, at about the same total.
 */

import { assert } from '../../common/assert.ts';
import { modelLimits } from '../../common/limits.ts';

export type CurveKind = 'flat' | 'small-stream-boost' | 'inverted-u' | 'rising' | 'custom';

/** How a curve is scaled: as written (passing 1 at peakAudience), or to an expected mean of 1. */
export const CURVE_SCALES = ['peak', 'mean'] as const;
export type CurveScale = (typeof CURVE_SCALES)[number];

export interface CurveSpec {
  curve: CurveKind;
  strength: number;
  peakAudience: number;
  points: readonly { audience: number; multiplier: number }[];
  /** peak when absent. */
  scale?: CurveScale;
}

/** Whole audiences whose multipliers are kept (32 KiB). */
const CACHED_AUDIENCES = 4096;

export class AudienceCurve {
  private readonly logX: Float64Array;
  private readonly ys: Float64Array;
  /** Multipliers of whole audiences below CACHED_AUDIENCES, NaN until first asked for. */
  private readonly cache = new Float64Array(CACHED_AUDIENCES).fill(Number.NaN);

  constructor(
    readonly spec: CurveSpec,
    /** What every multiplier is divided by (1: the curve as written). */
    readonly divisor = 1,
  ) {
    assert(spec.peakAudience >= 1, 'peakAudience must be at least 1');
    assert(divisor > 0 && Number.isFinite(divisor), 'a curve’s divisor is positive');
    assert(spec.curve !== 'custom' || spec.points.length >= 2, 'a custom curve needs 2 points');
    this.logX = Float64Array.from(spec.points, (p) => Math.log10(p.audience));
    this.ys = Float64Array.from(spec.points, (p) => p.multiplier);
  }

  multiplier(audience: number): number {
    // A run's audiences are whole numbers, mostly small: their multipliers are worked out once (a power
    // costs more than the rest of a gift's rate).
    if (audience >= 0 && audience < CACHED_AUDIENCES && (audience | 0) === audience) {
      if (Number.isNaN(this.cache[audience])) this.cache[audience] = this.compute(audience) / this.divisor;
      return this.cache[audience];
    }
    return this.compute(audience) / this.divisor;
  }

  private compute(audience: number): number {
    const a = Math.max(1, audience);
    const ratio = a / this.spec.peakAudience;
    const s = this.spec.strength;
    switch (this.spec.curve) {
      case 'flat':
        return 1;
      case 'small-stream-boost':
        return Math.min(modelLimits.audienceMultiplierMax, ratio ** -s);
      case 'rising':
        return Math.min(modelLimits.audienceMultiplierMax, ratio ** s);
      case 'inverted-u':
        return ratio <= 1 ? ratio ** s : ratio ** -s;
      case 'custom':
        return this.interpolate(Math.log10(a));
    }
  }

  private interpolate(x: number): number {
    const n = this.logX.length;
    if (x <= this.logX[0]) return this.ys[0];
    if (x >= this.logX[n - 1]) return this.ys[n - 1];
    let i = 1;
    while (this.logX[i] < x) i++;
    const f = (x - this.logX[i - 1]) / (this.logX[i] - this.logX[i - 1]);
    return this.ys[i - 1] + f * (this.ys[i] - this.ys[i - 1]);
  }
}

/**
 * The curve's expected mean over viewer-hours of live watching, given each stream's expected audience
 * when live (`audiences`, all streams live equally long): a viewer watching stream r sees itself and
 * the others, about 1 + Poisson(A_r) (an audience of independent comers and goers), and stream r holds
 * A_r of the viewer-hours. So the mean is Σ A_r E[m(1 + Poisson(A_r))] / Σ A_r. Past 50 expected
 * viewers the Poisson's spread is ignored (m(1 + A_r)): the curves are smooth there.
 */
export function meanMultiplier(curve: AudienceCurve, audiences: ArrayLike<number>): number {
  let weighted = 0;
  let total = 0;
  for (let r = 0; r < audiences.length; r++) {
    const a = audiences[r];
    if (!(a > 0)) continue;
    total += a;
    weighted += a * (a > POISSON_UP_TO ? curve.multiplier(1 + a) : poissonMean(curve, a));
  }
  return total > 0 ? weighted / total : 1;
}

const POISSON_UP_TO = 50;

/** E[m(1 + K)] for K ~ Poisson(a), a ≤ 50: terms up to where they are negligible. */
function poissonMean(curve: AudienceCurve, a: number): number {
  let p = Math.exp(-a);
  let sum = 0;
  let mass = 0;
  const last = Math.ceil(a + 12 * Math.sqrt(a) + 20);
  for (let k = 0; k <= last; k++) {
    sum += p * curve.multiplier(1 + k);
    mass += p;
    p *= a / (k + 1);
  }
  return sum / mass;
}
