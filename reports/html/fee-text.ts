/**
 * What a channel charges on a purchase, as the report words it, in one place: the key assumptions'
 * table (a rate per fee), the packs section's lede and the channel-mix chart's labels (in words). The
 * fees and their names are `PURCHASE_FEES` (sim/economy/rules.ts), in its order; only how each one's
 * rate reads is here.
 */
import { PURCHASE_FEES, type PurchaseFeeFamily } from '../../sim/economy/rules.ts';
import type { Channel } from '../../sim/economy/types.ts';
import { bpPercent, NBSP } from '../format.ts';

/** Each fee's rate on a channel (`30 %`, `2.9 % + 30 ¢`), null where the channel does not charge it. */
const RATE: Record<PurchaseFeeFamily, (c: Channel) => string | null> = {
  store_fees: (c) => (c.storeFeeBp > 0 ? bpPercent(c.storeFeeBp) : null),
  payment_fees: (c) =>
    c.paymentFeeBp > 0 || c.paymentFeeFixedCents > 0
      ? `${bpPercent(c.paymentFeeBp)} + ${c.paymentFeeFixedCents}${NBSP}¢`
      : null,
};

export interface ChannelFee {
  /** The fee's name (`store fee`, `payment fee`). */
  label: string;
  /** Its rate on the channel, null when the channel does not charge it. */
  rate: string | null;
}

/** Each fee of `PURCHASE_FEES` on `channel`, in that order. */
export function channelFees(channel: Channel): ChannelFee[] {
  return PURCHASE_FEES.map((f) => ({ label: f.label, rate: RATE[f.family](channel) }));
}

/** The fees `channel` charges, in words: `30 % store fee`, `2.9 % + 30 ¢ payment fee`, `no fees`. */
export function feeText(channel: Channel): string {
  const charged = channelFees(channel).flatMap((f) => (f.rate === null ? [] : [`${f.rate} ${f.label}`]));
  return charged.length === 0 ? 'no fees' : charged.join(' and ');
}
