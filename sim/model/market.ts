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
  /** The packs a viewer's first purchase takes (a first-purchase bonus), or null: `shelves`. */
  readonly firstShelves: PackShelves | null;
  /** Per channel: the conversion factor of a viewer who arrives now (its first pack's price, if it counts). */
  readonly arrivalConversion: Float64Array;
}

/** What a market offers in a stretch: the packs of each channel, and to a first purchase. */
export interface Offer {
  offered?: readonly (readonly number[])[];
  firstOffered?: readonly (readonly number[])[] | null;
  /**
   * How far an arriving viewer's decision to pay responds to its first pack's price rather than the list
   * price: it sees the price index p_list^(1 − w) × p_first^w (0: the bonus does not change who pays).
   */
  firstPriceWeight?: number;
}

/**
 * The state of a market selling `offer.offered` packs of each channel (default all) from `fromSeconds`.
 * A first purchase's packs (with a bonus) do not move the price index: a payer's wallet and intensity
 * follow the prices it pays after its first pack.
 */
export function marketState(
  channels: readonly Channel[],
  demand: DemandSpec,
  fromSeconds = 0,
  offer: Offer = {},
): MarketState {
  assert(demand.reference === null || demand.reference.length === channels.length, 'a reference per channel');
  const index = priceIndices(channels, demand, offer.offered);
  const walletFactors = Array.from(index, (p) => walletFactor(demand, p));
  const conversion = index.map((p) => conversionFactor(demand, p));
  const first = offer.firstOffered ?? null;
  return {
    fromSeconds,
    shelves: new PackShelves(channels, { offered: offer.offered, walletFactors }),
    priceIndex: index,
    conversion,
    firstShelves: first === null ? null : new PackShelves(channels, { offered: first, walletFactors }),
    arrivalConversion:
      first === null || (offer.firstPriceWeight ?? 0) === 0
        ? conversion
        : priceIndices(channels, demand, first).map((p, i) =>
            conversionFactor(
              demand,
              index[i] ** (1 - (offer.firstPriceWeight ?? 0)) * p ** (offer.firstPriceWeight ?? 0),
            ),
          ),
  };
}

/** Per channel: the entry pack's price per coin over the reference's. */
function priceIndices(
  channels: readonly Channel[],
  demand: DemandSpec,
  offered: readonly (readonly number[])[] | undefined,
): Float64Array {
  // The entry pack is the shelf's first position, whatever the prices: sorted before any factor applies.
  const listed = new PackShelves(channels, { offered });
  return Float64Array.from(channels, (c, i) =>
    priceIndex(c.packs[listed.entryLedgerIndex(i)], demand.reference?.[i] ?? null),
  );
}

/** The largest conversion factor any channel has at any time of the run (at least 1). */
export function conversionMax(states: readonly MarketState[]): number {
  let max = 1;
  for (const s of states) {
    for (const m of s.conversion) max = Math.max(max, m);
    for (const m of s.arrivalConversion) max = Math.max(max, m);
  }
  return max;
}
