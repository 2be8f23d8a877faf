/**
 * What is on sale, and how demand sees it, during one stretch of the run: the shelves of every channel
 * and, per channel, the price index and what it does to conversion (demand.ts). A run without timed
 * price events has one state for its whole length.
 */
import { assert } from '../../common/assert.ts';
import type { Channel } from '../economy/types.ts';
import { conversionFactor, type DemandSpec, priceIndex, walletFactor } from './demand.ts';
import { PackShelves } from './packs.ts';

export interface MarketState {
  /** The second the state starts (the first one holds from before the run). */
  readonly fromSeconds: number;
  readonly shelves: PackShelves;
  /** Per channel: the entry pack's price per coin over the reference's. */
  readonly priceIndex: Float64Array;
  /** Per channel: what the payer share is multiplied by. */
  readonly conversion: Float64Array;
}

/** The state of a market selling `offered` packs of each channel (default all) from `fromSeconds`. */
export function marketState(
  channels: readonly Channel[],
  demand: DemandSpec,
  fromSeconds = 0,
  offered?: readonly (readonly number[])[],
): MarketState {
  assert(demand.reference === null || demand.reference.length === channels.length, 'a reference per channel');
  // The entry pack is the shelf's first position, whatever the prices: sorted before any factor applies.
  const listed = new PackShelves(channels, { offered });
  const index = Float64Array.from(channels, (c, i) =>
    priceIndex(c.packs[listed.entryLedgerIndex(i)], demand.reference?.[i] ?? null),
  );
  return {
    fromSeconds,
    shelves: new PackShelves(channels, {
      offered,
      walletFactors: Array.from(index, (p) => walletFactor(demand, p)),
    }),
    priceIndex: index,
    conversion: index.map((p) => conversionFactor(demand, p)),
  };
}

/** The largest conversion factor any channel has at any time of the run (at least 1). */
export function conversionMax(states: readonly MarketState[]): number {
  let max = 1;
  for (const s of states) for (const m of s.conversion) max = Math.max(max, m);
  return max;
}
