/**
 * Whether a scenario sells at the prices its demand was measured at (demand.referencePrices) for the whole
 * run. There every channel's price index is 1, so p^ε = 1 and an elasticity changes nothing: a sweep of
 * an elasticity alone there measures nothing (reports/demand-warnings.ts, the sweep report's tornado note).
 */
import { modelParams } from '../scenarios/model-params.ts';
import type { Scenario } from '../scenarios/schema/scenario.ts';

/** Every channel's price index 1 in every stretch, and no first-purchase bonus that counts for conversion. */
export function atReferencePrices(scenario: Scenario): boolean {
  if (scenario.demand === undefined) return true;
  const bonus = scenario.pricing.firstPurchaseBonus;
  if (bonus.bonus > 0 && bonus.conversionWeight > 0) return false;
  return modelParams(scenario).market.every((state) => state.priceIndex.every((p) => p === 1));
}
