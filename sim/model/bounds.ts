/**
 * Bounds of the agent model and engine, beside the project-wide ones in common/limits.ts. Each one sizes a
 * typed array or bounds a loop; the relations between them are asserted here, at load.
 */
import { assert } from '../../common/assert.ts';
import { limits } from '../../common/limits.ts';

export const modelLimits = {
  /** Budgets and spend per viewer live in Int32Arrays. */
  budgetCentsMax: 2 ** 31 - 1,
  /** Packs one viewer may buy to afford one gift (the rule buys the largest pack until one covers). */
  packsPerGiftMax: 64,
  /** Width of the timing wheel in seconds (a power of two); later events wait for the next turn. */
  wheelSecondsMax: 2 ** 17,
  /** viewers.csv lists every viewer up to this population, segments above it. */
  viewerRowsMax: 10_000,
  /** Audience bins are powers of two: [1, 2), [2, 4), … up to 2^31. */
  audienceBins: 32,
  /** Timeseries rows per replication. */
  intervalsMax: 100_000,
  /** Audience-spike events per scenario (also bounded by the schema). */
  eventsMax: 100,
  /** A stream never restarts within this many seconds of its end, so its last viewers have left. */
  restartGapSeconds: 2,
  /** A wallet saves up for its channel's cheapest pack for at most this long (a budget of 1 ¢ a day). */
  walletSpanSecondsMax: limits.durationSecondsMax,
} as const;

assert(
  limits.viewersMax + limits.creatorsMax * 2 + modelLimits.eventsMax * 2 < 2 ** 31,
  'event slots overflow int32',
);
assert(limits.durationSecondsMax < 2 ** 32 - modelLimits.wheelSecondsMax, 'times overflow uint32');
assert(limits.viewersMax < 2 ** 31, 'audience counts overflow int32');
// Wallets count from a second in Int32, from a span before the run's start (and its opening days, see
// engine/opening.ts) to its end.
assert(
  modelLimits.walletSpanSecondsMax + limits.durationSecondsMax < 2 ** 31,
  'wallet seconds overflow int32',
);
assert(
  (modelLimits.wheelSecondsMax & (modelLimits.wheelSecondsMax - 1)) === 0,
  'wheel width is a power of two',
);
