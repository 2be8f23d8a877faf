/**
 * Creator popularity: the creator ranked k in its market pulls viewers in proportion to 1/k^s. Creators
 * are numbered by rank across markets — creator c is ranked ⌊c / markets⌋ + 1 in market c mod markets —
 * so that with one market creator c is ranked c + 1, and with more the weights still never increase
 * with c. Weights are whole numbers so that the live-stream picker can add and remove them without
 * rounding drift.
 */
import { assert } from '../../common/assert.ts';

/** Weight of the most popular creator; the sum over 5 M creators stays far below 2^53. */
export const TOP_WEIGHT = 2 ** 30;

export function zipfWeights(creators: number, exponent: number, markets = 1): Float64Array {
  assert(Number.isSafeInteger(creators) && creators >= 1, 'creators must be a positive integer');
  assert(Number.isSafeInteger(markets) && markets >= 1 && markets <= creators, '1 to creators markets');
  assert(exponent >= 0, 'the Zipf exponent must not be negative');
  const weights = new Float64Array(creators);
  for (let c = 0; c < creators; c++) {
    const rank = Math.floor(c / markets) + 1;
    weights[c] = Math.max(1, Math.round(TOP_WEIGHT / rank ** exponent));
  }
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
