/**
 * The audience-size effect: how a stream's concurrent audience scales each payer's urge to gift.
 * Presets are power laws around `peakAudience` (where they pass 1) with elasticity `strength`:
 *   flat                 1
 *   small-stream-boost   (a / peak)^−s        — a gift stands out more in a small stream (the seed's claim)
 *   rising               (a / peak)^+s        — social image: more onlookers, more tipping (Lu et al. 2021)
 *   inverted-u           (a / peak)^−s·sign   — rises up to the peak, then falls (Yao/Lu/Chen 2023)
 *   custom               piecewise-linear in log10(audience) through the given points, flat beyond them
 */

import { assert } from '../../common/assert.ts';
import { modelLimits } from '../../common/limits.ts';

export type CurveKind = 'flat' | 'small-stream-boost' | 'inverted-u' | 'rising' | 'custom';

export interface CurveSpec {
  curve: CurveKind;
  strength: number;
  peakAudience: number;
  points: readonly { audience: number; multiplier: number }[];
}

/** Whole audiences whose multipliers are kept (32 KiB). */
const CACHED_AUDIENCES = 4096;

export class AudienceCurve {
  private readonly logX: Float64Array;
  private readonly ys: Float64Array;
  /** Multipliers of whole audiences below CACHED_AUDIENCES, NaN until first asked for. */
  private readonly cache = new Float64Array(CACHED_AUDIENCES).fill(Number.NaN);

  constructor(readonly spec: CurveSpec) {
    assert(spec.peakAudience >= 1, 'peakAudience must be at least 1');
    assert(spec.curve !== 'custom' || spec.points.length >= 2, 'a custom curve needs 2 points');
    this.logX = Float64Array.from(spec.points, (p) => Math.log10(p.audience));
    this.ys = Float64Array.from(spec.points, (p) => p.multiplier);
  }

  multiplier(audience: number): number {
    // A run's audiences are whole numbers, mostly small: their multipliers are worked out once (a power
    // costs more than the rest of a gift's rate).
    if (audience >= 0 && audience < CACHED_AUDIENCES && (audience | 0) === audience) {
      if (Number.isNaN(this.cache[audience])) this.cache[audience] = this.compute(audience);
      return this.cache[audience];
    }
    return this.compute(audience);
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
