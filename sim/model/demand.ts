/**
 * How demand responds to the price of coins. Budgets and the payer share were measured at reference
 * prices (the scenario's `demand.referencePrices`, which `extends:` and `--set` of packs leave alone);
 * a channel's price index is its entry pack's price per coin over the reference's (1 exactly when they
 * are the same pack). At price index p:
 *
 * - conversion: the chance a viewer pays at all is min(1, payerShare × p^εc);
 * - intensity: a payer's coins a day are (budget / p_ref) × p^εi, so it spends budget × p^(1+εi) cents a
 *   day. Its wallet keeps counting the budget in reference cents; a pack of list price P takes
 *   ⌈P / p^(1+εi)⌉ of them (`walletFactor`).
 *
 * At reference prices every elasticity gives the previous model (p = 1); at any prices εc = 0, εi = −1
 * does (a budget in cents buys what it buys: unit-elastic coins).
 */
import { assert } from '../../common/assert.ts';
import type { Pack } from '../economy/types.ts';

/** The entry pack the budgets were measured at: so many coins for so many cents. */
export interface ReferencePrice {
  coins: number;
  priceCents: number;
}

export interface DemandSpec {
  conversionElasticity: number;
  intensityElasticity: number;
  /** One per channel, in the economy's order; null: no reference, so no response beyond budgets in cents. */
  reference: readonly ReferencePrice[] | null;
}

/** The previous model's demand: no reference, budgets in cents whatever coins cost. */
export const UNIT_ELASTIC: DemandSpec = { conversionElasticity: 0, intensityElasticity: -1, reference: null };

/** A channel's price index: its entry pack's price per coin over the reference's (exactly 1 for the same rate). */
export function priceIndex(entry: Pack, reference: ReferencePrice | null): number {
  if (reference === null) return 1;
  const index = (entry.priceCents * reference.coins) / (entry.coins * reference.priceCents);
  assert(index > 0 && Number.isFinite(index), 'a price index is positive');
  return index;
}

/** Multiplies the payer share at price index `p`. */
export function conversionFactor(spec: DemandSpec, p: number): number {
  return p ** spec.conversionElasticity;
}

/** List cents one wallet cent pays for at price index `p`: p^(1 + εi). */
export function walletFactor(spec: DemandSpec, p: number): number {
  return p ** (1 + spec.intensityElasticity);
}

/** Wallet cents a pack of `priceCents` takes when a wallet cent pays for `factor` list cents (rounded up). */
export function walletCost(priceCents: number, factor: number): number {
  return Math.ceil(priceCents / factor);
}
