/**
 * Creator popularity: the creator ranked k (index k − 1) pulls viewers in proportion to 1/k^s. Weights
 * are whole numbers so that the live-stream picker can add and remove them without rounding drift.
 */
import { assert } from '../../common/assert.ts';

/** Weight of the most popular creator; the sum over 5 M creators stays far below 2^53. */
export const TOP_WEIGHT = 2 ** 30;

export function zipfWeights(creators: number, exponent: number): Float64Array {
  assert(Number.isSafeInteger(creators) && creators >= 1, 'creators must be a positive integer');
  assert(exponent >= 0, 'the Zipf exponent must not be negative');
  const weights = new Float64Array(creators);
  for (let k = 0; k < creators; k++) weights[k] = Math.max(1, Math.round(TOP_WEIGHT / (k + 1) ** exponent));
  return weights;
}

/** Cumulative sums, for drawing from a fixed weighting (videos are watched whether or not a creator is live). */
export function cumulative(weights: Float64Array): Float64Array {
  const cum = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    sum += weights[i];
    cum[i] = sum;
  }
  assert(Number.isSafeInteger(sum), 'weights must sum to a safe integer');
  return cum;
}
