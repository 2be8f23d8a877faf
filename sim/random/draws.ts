/**
 * Draws from the distributions the model uses, over a uniform stream. Inverse-transform where possible:
 * one uniform per draw keeps streams aligned and the hot loop allocation-free.
 */
import type { Rng } from './streams.ts';

/** Exponential with the given mean. `1 - u` keeps the log finite (u is in [0, 1)). */
export function exponential(rng: Rng, mean: number): number {
  return -Math.log(1 - rng()) * mean;
}

/** Whole seconds until an event of a Poisson process with this mean gap: at least 1, so time always moves. */
export function gapSeconds(rng: Rng, meanSeconds: number): number {
  return Math.max(1, Math.ceil(exponential(rng, meanSeconds)));
}

/** Pareto with scale `min` and tail index `alpha` (P(X > x) = (min / x)^alpha). */
export function pareto(rng: Rng, min: number, alpha: number): number {
  return min * (1 - rng()) ** (-1 / alpha);
}

/** Standard normal by Box–Muller (two uniforms, the second value discarded to stay stateless). */
export function standardNormal(rng: Rng): number {
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export function lognormal(rng: Rng, median: number, sigma: number): number {
  return median * Math.exp(sigma * standardNormal(rng));
}

/** Index drawn from cumulative weights `cum` (cum[i] = w0 + … + wi) restricted to the first `n` entries. */
export function pickCumulative(rng: Rng, cum: Float64Array, n: number): number {
  const target = rng() * cum[n - 1];
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cum[mid] > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
