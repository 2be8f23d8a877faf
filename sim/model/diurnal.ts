/**
 * The daily rhythm: a rate that peaks at `peakHour` and dips twelve hours later,
 * rate(t) = mean × (1 + amplitude × cos(2π (t − peak) / day)), whose daily mean is `mean`. The rate is
 * held constant within each minute; the next event of such a process is found exactly by inverting
 * its integrated rate (a lookup table, then a short scan over the day's 1,440 minutes), so no
 * candidate is ever drawn and thrown away.
 */
import { assert } from '../../common/assert.ts';
import { DAY_SECONDS } from '../../common/limits.ts';
import { exponential, type Rng } from '../random/index.ts';

const MINUTES = 1440;
/** Keeps the rate of the trough minute above zero when amplitude is 1, so the inverse exists. */
const FACTOR_MIN = 1e-6;
/** The inverse's lookup table: one entry per 15 "mean seconds" of the integrated rate. */
const LOOKUP_STEP = 15;
const LOOKUP_SIZE = DAY_SECONDS / LOOKUP_STEP;

export interface DiurnalShape {
  peakHour: number;
  amplitude: number;
}

export class Diurnal {
  /** Rate of each minute relative to the daily mean. */
  private readonly factor = new Float64Array(MINUTES);
  /** Integrated relative rate at the start of each minute, in "mean seconds"; cum[1440] is one day. */
  private readonly cum = new Float64Array(MINUTES + 1);
  /** lookup[k] = the last minute whose integral starts at or before k × LOOKUP_STEP. */
  private readonly lookup = new Int16Array(LOOKUP_SIZE);

  constructor(readonly shape: DiurnalShape) {
    assert(shape.amplitude >= 0 && shape.amplitude <= 1, 'diurnal amplitude must be 0..1');
    let sum = 0;
    for (let m = 0; m < MINUTES; m++) this.factor[m] = Math.max(FACTOR_MIN, this.factorAt(m * 60 + 30));
    for (let m = 0; m < MINUTES; m++) sum += this.factor[m];
    // Normalise so that a day integrates to exactly one mean day.
    for (let m = 0; m < MINUTES; m++) {
      this.factor[m] *= MINUTES / sum;
      this.cum[m + 1] = this.cum[m] + this.factor[m] * 60;
    }
    this.cum[MINUTES] = DAY_SECONDS;
    let m = 0;
    for (let k = 0; k < LOOKUP_SIZE; k++) {
      while (m < MINUTES - 1 && this.cum[m + 1] <= k * LOOKUP_STEP) m++;
      this.lookup[k] = m;
    }
  }

  /** Rate at second `t` relative to the daily mean (the smooth curve, before the per-minute steps). */
  factorAt(t: number): number {
    const phase = (2 * Math.PI * (t - this.shape.peakHour * 3600)) / DAY_SECONDS;
    return 1 + this.shape.amplitude * Math.cos(phase);
  }

  /** Rate in the minute holding second `t`, relative to the daily mean. */
  factorIn(t: number): number {
    return this.factor[Math.floor((t % DAY_SECONDS) / 60)];
  }

  /**
   * The second of the next event after `t` of a process averaging one event per `meanGapSeconds`:
   * at least t + 1 (whole seconds), found by inverting the integrated rate.
   */
  next(t: number, meanGapSeconds: number, rng: Rng): number {
    const day = Math.floor(t / DAY_SECONDS);
    const target = this.integral(t - day * DAY_SECONDS) + exponential(rng, meanGapSeconds);
    const days = Math.floor(target / DAY_SECONDS);
    const at = (day + days) * DAY_SECONDS + this.inverse(target - days * DAY_SECONDS);
    return Math.max(t + 1, Math.ceil(at));
  }

  /**
   * The second (fractional) at which the integrated rate from second 0 reaches `x` mean seconds: a
   * Poisson process on that clock with mean gap g is one following this rhythm with g on average.
   */
  secondAt(x: number): number {
    const days = Math.floor(x / DAY_SECONDS);
    return days * DAY_SECONDS + this.inverse(x - days * DAY_SECONDS);
  }

  /** The integrated rate from second 0 to second `t`, in mean seconds: secondAt's inverse. */
  clockAt(t: number): number {
    const days = Math.floor(t / DAY_SECONDS);
    return days * DAY_SECONDS + this.integral(t - days * DAY_SECONDS);
  }

  /** Integrated relative rate from midnight to second-of-day `s`. */
  private integral(s: number): number {
    const m = Math.floor(s / 60);
    return this.cum[m] + (s - m * 60) * this.factor[m];
  }

  /** Second-of-day where the integrated rate reaches `x` (0 <= x < one day). */
  private inverse(x: number): number {
    let m = this.lookup[Math.min(LOOKUP_SIZE - 1, Math.floor(x / LOOKUP_STEP))];
    while (m < MINUTES - 1 && this.cum[m + 1] <= x) m++;
    return m * 60 + (x - this.cum[m]) / this.factor[m];
  }
}
