/**
 * The x scale of compare.html's "How B differs" chart: what can be read, not the widest interval. One
 * noisy KPI's 95 % CI (a review: creator payouts withdrawn, −451 % … +546 %) used to set the axis and
 * squash every real effect (payers −32 %) into a few pixels. The scale covers 0, every point estimate
 * and the CIs no wider than `READABLE_CI_WIDTH`; a longer CI is clipped at the edge, with a mark.
 */

/**
 * A CI wider than 200 percentage points (of A) does not set the scale: it cannot tell B at nothing from
 * B at double A, so drawing it whole says no more than its mark at the edge and its range as text.
 */
export const READABLE_CI_WIDTH = 2;
/** Tick steps: these × a power of ten. */
const STEPS = [1, 2, 2.5, 5] as const;

/** One KPI on the chart: B relative to A, and the 95 % CI of the difference relative to A (null: none). */
export interface RelativeBar {
  rel: number;
  lo: number | null;
  hi: number | null;
}

export interface RelativeScale {
  domain: [number, number];
  /** The ticks, a multiple of one step apart; 0 always among them. */
  ticks: number[];
}

/** Whether a bar's CI sets the scale: it has one, and it is no wider than READABLE_CI_WIDTH. */
export function readableCi(bar: RelativeBar): boolean {
  return bar.lo !== null && bar.hi !== null && bar.hi - bar.lo <= READABLE_CI_WIDTH;
}

/**
 * The chart's domain and ticks: 0, every point estimate and every readable CI, rounded out to a step
 * that gives at most `maxIntervals` intervals between ticks.
 */
export function relativeScale(bars: readonly RelativeBar[], maxIntervals: number): RelativeScale {
  if (!(maxIntervals >= 1)) throw new Error(`maxIntervals must be 1 or more, not ${maxIntervals}`);
  let [lo, hi] = [0, 0];
  for (const b of bars) {
    const ends = readableCi(b) ? [b.rel, b.lo!, b.hi!] : [b.rel];
    for (const x of ends.filter(Number.isFinite)) [lo, hi] = [Math.min(lo, x), Math.max(hi, x)];
  }
  // Nothing moved: ±10 % shows that it did not.
  if (lo === hi) [lo, hi] = [-0.1, 0.1];
  const step = stepFor(lo, hi, maxIntervals);
  const [first, last] = [Math.floor(lo / step), Math.ceil(hi / step)];
  const ticks: number[] = [];
  for (let k = first; k <= last; k++) ticks.push(k === 0 ? 0 : Number((k * step).toFixed(10)));
  return { domain: [ticks[0], ticks[ticks.length - 1]], ticks };
}

/** The smallest step (STEPS × 10^k) whose multiples around [lo, hi] are at most maxIntervals apart. */
function stepFor(lo: number, hi: number, maxIntervals: number): number {
  // No step below (hi − lo) / maxIntervals can do: start at its power of ten.
  for (let power = Math.floor(Math.log10((hi - lo) / maxIntervals)); ; power++)
    for (const s of STEPS) {
      const step = s * 10 ** power;
      if (Math.ceil(hi / step) - Math.floor(lo / step) <= maxIntervals) return step;
    }
}

/** A bar's whisker as drawn: its ends held to the domain, and which end runs off the chart. */
export function clipCi(
  bar: RelativeBar,
  domain: readonly [number, number],
): { lo: number | null; hi: number | null; offLow: boolean; offHigh: boolean } {
  if (bar.lo === null || bar.hi === null) return { lo: null, hi: null, offLow: false, offHigh: false };
  return {
    lo: Math.max(bar.lo, domain[0]),
    hi: Math.min(bar.hi, domain[1]),
    offLow: bar.lo < domain[0],
    offHigh: bar.hi > domain[1],
  };
}
