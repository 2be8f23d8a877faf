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
