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

/**
 * Binomial(n, p): successes among n trials of chance p. Exact for any n: by inversion of the pmf when
 * the mean is small (one uniform and about mean + 1 steps), else by skipping over the failures between
 * successes (geometric gaps, one uniform each: O(np), no pmf that underflows at large n).
 */
export function binomial(rng: Rng, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - binomial(rng, n, 1 - p);
  return binomialWith(rng, n, p, Math.log1p(-p));
}

/**
 * binomial(rng, n, p) for p ≤ 0.5 with ln(1 − p) given: a caller drawing many with the same chance
 * (the crowd, every second) works it out once.
 */
export function binomialWith(rng: Rng, n: number, p: number, logq: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (n * p < BINOMIAL_INVERSION_MEAN) return binomialAt(rng(), n, p, logq);
  let k = 0;
  for (let at = 0; ; k++) {
    at += Math.floor(Math.log(1 - rng()) / logq) + 1; // trials up to and including the next success
    if (at > n) return k;
  }
}

/**
 * The value of binomial(n, p) (ln(1 − p) = logq, p ≤ 0.5, mean below BINOMIAL_INVERSION_MEAN) at the
 * uniform u, by inversion from 0 up. A u in [P(0), 1) gives the value given at least one success.
 */
export function binomialAt(uniform: number, n: number, p: number, logq: number): number {
  const odds = p / (1 - p);
  let pk = Math.exp(n * logq);
  let u = uniform;
  for (let k = 0; k < n; k++) {
    if (u < pk) return k;
    u -= pk;
    pk *= (odds * (n - k)) / (k + 1);
  }
  return n; // u left over by rounding: the last value
}

/** Below this mean a binomial is drawn by inversion (its zero term exp(n ln(1 − p)) stays far from underflow). */
const BINOMIAL_INVERSION_MEAN = 30;
