/**
 * The economy's resolved, integer form. Scenario files speak in fractions and dollars; the loader turns
 * them into this, and every consumer (simulation, reference API, audit) reads only this.
 */
export type Unit = 'COIN' | 'DIAMOND' | 'USD';
export const UNITS: readonly Unit[] = ['COIN', 'DIAMOND', 'USD'];

export interface Pack {
  readonly id: string;
  readonly coins: number;
  readonly priceCents: number;
}

export interface Channel {
  readonly id: string;
  /** The app store's cut of the gross, in basis points (3000 = 30 %). 0 on the web. */
  readonly storeFeeBp: number;
  /** The card processor's percentage, in basis points, plus a fixed fee per purchase. */
  readonly paymentFeeBp: number;
  readonly paymentFeeFixedCents: number;
  readonly packs: readonly Pack[];
}

export interface Gift {
  readonly id: string;
  readonly coins: number;
}

export interface WithdrawalRules {
  readonly minDiamonds: number;
  readonly feeBp: number;
  readonly feeFixedCents: number;
}

export interface Economy {
  readonly channels: readonly Channel[];
  readonly gifts: readonly Gift[];
  /** Share of a gift's coins that becomes diamonds, in basis points (5000 = 2 coins make 1 diamond). */
  readonly creatorShareBp: number;
  /** Cash value of one diamond in milli-cents (500 = $0.005). */
  readonly diamondValueMilliCents: number;
  readonly withdrawal: WithdrawalRules;
}
