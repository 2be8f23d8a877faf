/**
 * How long a viewer stays: a survival curve S(age), the share of a cohort not yet gone `age` seconds
 * after it arrived. Given as points (age, share), S(0) = 1, with ln S linear between them (a constant
 * hazard on each stretch) and the last stretch's hazard going on after the last point — so a curve
 * through D1/D7/D30 points keeps losing viewers at its D7→D30 rate, and one that ends flat keeps the
 * rest for good. Lifetimes are drawn by inverting S; the viewers present when a run starts draw what is
 * left of theirs in a steady state (their ages spread as S, so the time they have left has density
 * S(r) / mean lifetime).
 */
import { assert } from '../../common/assert.ts';

export interface SurvivalPoint {
  ageSeconds: number;
  share: number;
}

export class Survival {
  /** Knots: ages (seconds, from 0) and ln S there. */
  private readonly ages: Float64Array;
  private readonly logShares: Float64Array;
  /** Hazard per second on stretch i (between knots i and i + 1); the last one goes on for ever. */
  private readonly hazards: Float64Array;
  /** ∫ S from knot i to knot i + 1 (the last: to infinity, Infinity when its hazard is 0). */
  private readonly areas: Float64Array;
  /** Mean lifetime, seconds (∫ S over all ages): Infinity when the curve ends flat. */
  readonly meanSeconds: number;

  constructor(points: readonly SurvivalPoint[]) {
    assert(points.length >= 1, 'a survival curve has a point');
    const n = points.length + 1;
    this.ages = new Float64Array(n);
    this.logShares = new Float64Array(n);
    this.hazards = new Float64Array(n);
    this.areas = new Float64Array(n);
    points.forEach((p, i) => {
      assert(
        p.ageSeconds > this.ages[i] && p.share > 0 && p.share <= 1,
        'survival points rise in age, shares in (0, 1]',
      );
      this.ages[i + 1] = p.ageSeconds;
      this.logShares[i + 1] = Math.log(p.share);
      assert(this.logShares[i + 1] <= this.logShares[i], 'survival shares never rise');
    });
    for (let i = 0; i < n - 1; i++)
      this.hazards[i] = (this.logShares[i] - this.logShares[i + 1]) / (this.ages[i + 1] - this.ages[i]);
    this.hazards[n - 1] = this.hazards[n - 2];
    let mean = 0;
    for (let i = 0; i < n; i++) {
      const width = i < n - 1 ? this.ages[i + 1] - this.ages[i] : Number.POSITIVE_INFINITY;
      this.areas[i] = stretchArea(Math.exp(this.logShares[i]), this.hazards[i], width);
      mean += this.areas[i];
    }
    this.meanSeconds = mean;
  }

  /** S(age): the share of a cohort still there `ageSeconds` after arriving. */
  share(ageSeconds: number): number {
    const i = this.stretchOf(ageSeconds);
    return Math.exp(this.logShares[i] - this.hazards[i] * (ageSeconds - this.ages[i]));
  }

  /** A new viewer's lifetime in seconds for a uniform u in (0, 1]: the age where S falls to u (Infinity: never). */
  lifetime(u: number): number {
    const log = Math.log(u);
    for (let i = 0; i < this.ages.length; i++) {
      const last = i === this.ages.length - 1;
      if (last || log >= this.logShares[i + 1]) {
        if (log >= this.logShares[i]) return this.ages[i];
        const h = this.hazards[i];
        return h > 0 ? this.ages[i] + (this.logShares[i] - log) / h : Number.POSITIVE_INFINITY;
      }
    }
    return Number.POSITIVE_INFINITY;
  }

  /**
   * The time a viewer present at the start has left, for a uniform u in (0, 1]: r with ∫_r^∞ S = u × the
   * mean lifetime (the steady state's residual lifetime). Infinity when the mean is: a curve that ends
   * flat keeps, in steady state, only viewers who never leave.
   */
  residual(u: number): number {
    if (this.meanSeconds === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
    // Walk the stretches until the area from r on is u × mean: ∫_0^r S = (1 − u) × mean.
    let left = (1 - u) * this.meanSeconds;
    for (let i = 0; i < this.ages.length; i++) {
      const last = i === this.ages.length - 1;
      if (!last && left > this.areas[i]) {
        left -= this.areas[i];
        continue;
      }
      const s0 = Math.exp(this.logShares[i]);
      const h = this.hazards[i];
      if (h === 0) return this.ages[i] + left / s0;
      // ∫_a^(a+x) s0 e^(−h y) dy = s0 (1 − e^(−h x)) / h = left.
      const inner = 1 - (left * h) / s0;
      return inner > 0 ? this.ages[i] - Math.log(inner) / h : Number.POSITIVE_INFINITY;
    }
    return Number.POSITIVE_INFINITY;
  }

  /**
   * The share of a steady state's viewers with more than `seconds` left (∫ from `seconds` on of S over the
   * mean lifetime): 1 when the curve ends flat (the mean is infinite and nobody leaves).
   */
  residualShare(seconds: number): number {
    if (this.meanSeconds === Number.POSITIVE_INFINITY) return 1;
    let before = 0;
    for (let i = 0; i < this.ages.length; i++) {
      const last = i === this.ages.length - 1;
      if (!last && seconds >= this.ages[i + 1]) {
        before += this.areas[i];
        continue;
      }
      before += stretchArea(Math.exp(this.logShares[i]), this.hazards[i], seconds - this.ages[i]);
      break;
    }
    return Math.max(0, 1 - before / this.meanSeconds);
  }

  private stretchOf(age: number): number {
    let i = 0;
    while (i < this.ages.length - 1 && age >= this.ages[i + 1]) i++;
    return i;
  }
}

/** ∫ of s0 e^(−h y) for y from 0 to width. */
function stretchArea(s0: number, h: number, width: number): number {
  if (h === 0) return s0 * width;
  return width === Number.POSITIVE_INFINITY ? s0 / h : (s0 * (1 - Math.exp(-h * width))) / h;
}
