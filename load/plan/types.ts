/**
 * The workload plan (`giftlab plan`): what the load suite should send, compiled from a scenario by
 * running the simulation's own model and engine and counting the operations it makes. Rates are per
 * second of the scenario's clock, means over `replications`; shares sum to 1 within their list.
 * `load/plan/schema.ts` validates a plan read from a file against these fields.
 */

export const PLAN_VERSION = 1;

export interface PlanScenario {
  name: string;
  seed: number;
  durationSeconds: number;
  intervalSeconds: number;
  viewers: number;
  creators: number;
}

/** Operations in one run, means over the replications. */
export interface PlanTotals {
  purchases: number;
  /** Gift requests (one request may send `count` of a gift). */
  gifts: number;
  /** Gifts sent: the sum of the requests' counts (the simulation's `giftsSent` counts requests). */
  giftUnits: number;
  withdrawals: number;
  coinsPurchased: number;
  coinsGifted: number;
  bookingsCents: number;
  diamondsWithdrawn: number;
}

/** Arrivals per second, by operation. */
export interface PlanRates {
  purchase: number;
  gift: number;
  withdrawal: number;
}

export interface PlanInterval extends PlanRates {
  startSeconds: number;
}

export interface PlanPurchase {
  channel: string;
  pack: string;
  coins: number;
  priceCents: number;
  /** Share of all purchases. */
  share: number;
  perSecond: number;
}

export interface PlanGift {
  gift: string;
  coins: number;
  /** Share of all gift requests. */
  share: number;
  perSecond: number;
  /** Mean `count` per request (combos send several at once). */
  meanCount: number;
  /** Share of this gift's requests sent on live streams (the rest on videos). */
  streamShare: number;
}

/** Payers ranked by what they spent; heavy spenders are the first class. */
export interface PlanSpenderClass {
  name: 'heavy' | 'regular' | 'light';
  /** The class's place in the ranking: the top `payerShare` of payers after the classes before it. */
  payerShare: number;
  payers: number;
  /** Shares of all spend, gift requests and purchases that the class accounts for. */
  spendShare: number;
  giftShare: number;
  purchaseShare: number;
  /** Gift mix of the class: share of its gift requests per gift id, and mean count per gift id. */
  gifts: Record<string, number>;
  meanCount: Record<string, number>;
  /** Purchase channel mix of the class: share of its purchases per channel id. */
  channels: Record<string, number>;
}

/** A creator rank (0 = most popular) and its share of gift requests. */
export interface PlanStream {
  rank: number;
  share: number;
  perSecond: number;
}

/** Creator ranks [fromRank, toRank) and their share of gift requests together. */
export interface PlanCreatorBucket {
  fromRank: number;
  toRank: number;
  share: number;
}

export interface Plan {
  version: typeof PLAN_VERSION;
  generator: string;
  scenario: PlanScenario;
  replications: number;
  totals: PlanTotals;
  /** Mean arrival rates over the whole run. */
  rates: PlanRates;
  /** Arrival rates per interval of `scenario.intervalSeconds` (the diurnal rhythm, spikes). */
  timeline: PlanInterval[];
  purchases: PlanPurchase[];
  gifts: PlanGift[];
  /** Share of gift requests sent on live streams (the rest on videos). */
  streamShare: number;
  pools: {
    viewers: number;
    creators: number;
    /** Viewers who bought anything (mean). */
    payers: number;
    /** Creators who received anything (mean). */
    creatorsGifted: number;
  };
  spenders: {
    classes: PlanSpenderClass[];
    /** Share of all spend by the top 1 % of payers (the simulation's topPayerShare1Pct). */
    topShare1Pct: number;
  };
  /** The most gifted creator ranks, most first. */
  hotStreams: PlanStream[];
  /** Every creator rank in buckets (single ranks first, then widening), for drawing recipients. */
  creators: PlanCreatorBucket[];
  withdrawal: {
    minDiamonds: number;
    /** Creators withdraw once past this (`creators.withdrawAtDiamonds`). */
    atDiamonds: number;
    meanDiamonds: number;
    /** Coins a gift needs to credit at least one diamond (⌈1 / creator share⌉). */
    coinsPerDiamond: number;
    /** The economy's creator share in basis points (which gift sizes round). */
    creatorShareBp?: number;
  };
}
