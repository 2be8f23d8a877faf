/**
 * The economy part of a scenario — packs, fees, gifts, creator share, diamond value, withdrawals —
 * in the units analysts think in (fractions, cents), and its conversion to the integer `Economy`.
 */
import { z } from 'zod';
import { limits, MILLI } from '../../common/limits.ts';
import type { PurchaseFeeFamily } from '../../sim/economy/rules.ts';
import type { Economy } from '../../sim/economy/types.ts';
import { fraction, id, toBp } from './common.ts';
import { firstPurchaseBonusSchema } from './promotions.ts';

const pack = z.strictObject({
  id,
  coins: z.number().int().min(1).max(limits.packCoinsMax),
  priceCents: z.number().int().min(1).max(limits.packPriceCentsMax).describe('price in US cents'),
});

/**
 * Ids name a pack within its channel and a gift among the gifts (the ledger, packs.csv and gifts.csv
 * key on them): a second item with an earlier one's id is a problem at its id, not an internal error.
 */
function uniqueIds(noun: string, among = '') {
  return (items: readonly { id?: unknown }[], ctx: z.RefinementCtx): void => {
    const first = new Map<unknown, number>();
    items.forEach((item, i) => {
      const earlier = first.get(item?.id);
      if (earlier === undefined) first.set(item?.id, i);
      else
        ctx.addIssue({
          code: 'custom',
          path: [i, 'id'],
          message: `an id no other ${noun}${among} has (${noun} ${earlier} is ${String(item.id)})`,
        });
    });
  };
}

/**
 * A channel's scenario fields of each fee kind (the rows of PURCHASE_FEES, sim/economy/rules.ts): what a
 * message asks to lower. A fee kind without its fields here is a type error.
 */
export const FEE_FIELDS: Record<PurchaseFeeFamily, readonly string[]> = {
  store_fees: ['storeFee'],
  payment_fees: ['paymentFee', 'paymentFeeFixedCents'],
};

const channel = z.strictObject({
  storeFee: fraction.default(0).describe("the app store's cut of the gross (0.3 = 30 %)"),
  paymentFee: fraction.default(0).describe("the card processor's percentage"),
  paymentFeeFixedCents: z
    .number()
    .int()
    .min(0)
    .max(limits.paymentFeeFixedCentsMax)
    .default(0)
    .describe('fixed processor fee per purchase'),
  packs: z
    .array(pack)
    .min(1)
    .max(limits.packsPerChannelMax)
    .superRefine(uniqueIds('pack', ' of the channel')),
});

const gift = z.strictObject({
  id,
  name: z.string().max(limits.giftNameCharsMax).optional(),
  coins: z.number().int().min(1).max(limits.giftCoinsMax),
  weight: z
    .number()
    .min(0)
    .default(1)
    .describe('relative popularity when a viewer picks a gift it can afford'),
});

export const pricingSchema = z.strictObject({
  channels: z
    .record(id, channel)
    .refine(
      (r) => Object.keys(r).length >= 1 && Object.keys(r).length <= limits.channelsMax,
      `1 to ${limits.channelsMax} channels`,
    ),
  firstPurchaseBonus: firstPurchaseBonusSchema.prefault({}),
});

export const giftsSchema = z
  .array(gift)
  .min(1)
  .max(limits.giftsMax)
  .superRefine(uniqueIds('gift'))
  // Weights are normalised over the gifts a viewer can afford: all zero, no gift is ever sent.
  .refine(
    (gifts) => gifts.length === 0 || gifts.some((g) => g.weight > 0),
    'at least one gift with a weight above 0',
  );

export const payoutSchema = z.strictObject({
  creatorShare: fraction
    .default(0.5)
    .describe("share of a gift's coins that becomes diamonds (0.5 = 2 coins make 1 diamond)"),
  diamondValueCents: z
    .number()
    .positive()
    .max(limits.diamondValueMilliCentsMax / MILLI)
    .refine((x) => Math.abs(x * MILLI - Math.round(x * MILLI)) < 1e-9, 'a multiple of 0.001 cent')
    .default(0.5)
    .describe('cash value of one diamond in cents (0.5 = $0.005)'),
  withdrawal: z
    .strictObject({
      minDiamonds: z.number().int().min(0).default(100),
      fee: fraction.default(0),
      feeFixedCents: z.number().int().min(0).default(0),
    })
    .prefault({}),
});

export type PricingInput = z.output<typeof pricingSchema>;
export type GiftsInput = z.output<typeof giftsSchema>;
export type PayoutInput = z.output<typeof payoutSchema>;

export function toEconomy(pricing: PricingInput, gifts: GiftsInput, payout: PayoutInput): Economy {
  return {
    channels: Object.entries(pricing.channels).map(([channelId, c]) => ({
      id: channelId,
      storeFeeBp: toBp(c.storeFee),
      paymentFeeBp: toBp(c.paymentFee),
      paymentFeeFixedCents: c.paymentFeeFixedCents,
      packs: c.packs.map((p) => ({ id: p.id, coins: p.coins, priceCents: p.priceCents })),
    })),
    gifts: gifts.map((g) => ({ id: g.id, coins: g.coins })),
    creatorShareBp: toBp(payout.creatorShare),
    diamondValueMilliCents: Math.round(payout.diamondValueCents * MILLI),
    withdrawal: {
      minDiamonds: payout.withdrawal.minDiamonds,
      feeBp: toBp(payout.withdrawal.fee),
      feeFixedCents: payout.withdrawal.feeFixedCents,
    },
  };
}
