/**
 * A payer's spending budget over the run, in whole cents: heavy-tailed (Pareto or lognormal) so that
 * a few whales bring much of the revenue, or fixed for analytic checks. Capped at `capCents`.
 */
import { lognormal, pareto, type Rng } from '../random/index.ts';

export interface BudgetSpec {
  distribution: 'pareto' | 'lognormal' | 'fixed';
  minCents: number;
  paretoAlpha: number;
  medianCents: number;
  lognormalSigma: number;
  capCents: number;
}

export function drawBudgetCents(rng: Rng, spec: BudgetSpec): number {
  let cents: number;
  switch (spec.distribution) {
    case 'fixed':
      cents = spec.minCents;
      break;
    case 'pareto':
      cents = pareto(rng, spec.minCents, spec.paretoAlpha);
      break;
    case 'lognormal':
      cents = Math.max(spec.minCents, lognormal(rng, spec.medianCents, spec.lognormalSigma));
      break;
  }
  return Math.min(spec.capCents, Math.max(1, Math.floor(cents)));
}
