/**
 * The KPIs and timeseries columns of the model before demand responded to price (main at 64bf8e4,
 * unchanged through 67f8cf1): the legacy pins digest only these, so that later additions leave them be.
 */
export const KPIS_THEN = [
  'grossBookingsCents',
  'storeFeesCents',
  'paymentFeesCents',
  'netRevenueCents',
  'creatorEarningsCents',
  'creatorPayoutsCents',
  'platformMarginCents',
  'coinsPurchased',
  'coinsSpent',
  'unspentCoins',
  'giftsSent',
  'viewers',
  'payers',
  'payerConversion',
  'arppuCents',
  'creatorEarningsGini',
  'topCreatorShare1Pct',
  'topPayerShare1Pct',
] as const;
export const TIMESERIES_THEN = [
  'startSeconds',
  'bookingsCents',
  'coinsSold',
  'purchases',
  'gifts',
  'coinsSpent',
  'diamondsCredited',
  'withdrawals',
  'activeStreams',
  'activeViewers',
] as const;

/**
 * creators.csv's columns before creators' careers showed in it (joinedSeconds, leftSeconds came later):
 * the pins digest each creator row as an object of these, in this order, as they were digested then.
 */
export const CREATORS_THEN = [
  'creator',
  'rank',
  'streams',
  'giftsReceived',
  'coinsReceived',
  'diamondsEarned',
  'earningsCents',
  'withdrawnCents',
  'peakAudience',
] as const;

/** Creator rows with the columns of then only (see CREATORS_THEN). */
export function creatorsThen<T extends object>(rows: readonly T[]): Record<string, unknown>[] {
  return rows.map((row) =>
    Object.fromEntries(CREATORS_THEN.map((k) => [k, (row as Record<string, unknown>)[k]])),
  );
}
