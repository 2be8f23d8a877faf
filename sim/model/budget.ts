/**
 * A payer's budget is a spending rate, in whole cents a day: heavy-tailed (Pareto or lognormal) so that
 * a few whales bring much of the revenue, or fixed for analytic checks; capped at `capCents`.
 *
 * It accrues second by second into the payer's wallet, which holds at most one day's budget — or the
 * price of the channel's cheapest pack when that is dearer: a small budget saves up for it. The wallet
 * is one integer, the second its accrual counts from: wallet(t) = ⌊perDay × min(t − since, span) / day⌋.
 * Spending p cents moves `since` on by p's accrual time, rounded up, so a payer never spends a cent it
 * has not accrued; accrual older than the span is lost. Over d days a payer therefore spends at most
 * what its wallet held at the start (one span's accrual) plus d × its budget per day.
 */

import { DAY_SECONDS, modelLimits } from '../../common/limits.ts';
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

/** Whole seconds of accrual that `cents` take at `perDayCents` a day (rounded up). */
export function accrualSeconds(cents: number, perDayCents: number): number {
  return Math.ceil((cents * DAY_SECONDS) / perDayCents);
}

/** How long a wallet keeps accruing: a day, or until it holds `cheapestCents` (within a bound). */
export function walletSpanSeconds(perDayCents: number, cheapestCents: number): number {
  return Math.min(
    modelLimits.walletSpanSecondsMax,
    Math.max(DAY_SECONDS, accrualSeconds(cheapestCents, perDayCents)),
  );
}

/** Cents in the wallet at second `t`. */
export function walletCents(
  perDayCents: number,
  sinceSeconds: number,
  t: number,
  spanSeconds: number,
): number {
  return Math.floor((perDayCents * Math.min(t - sinceSeconds, spanSeconds)) / DAY_SECONDS);
}
