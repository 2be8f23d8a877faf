/** A small, realistic economy for example-based tests (property tests generate their own). */
import type { Economy } from '../../sim/economy/types.ts';

export const testEconomy: Economy = {
  channels: [
    {
      id: 'app',
      storeFeeBp: 3000,
      paymentFeeBp: 0,
      paymentFeeFixedCents: 0,
      packs: [
        { id: 'c70', coins: 70, priceCents: 99 },
        { id: 'c350', coins: 350, priceCents: 499 },
        { id: 'c1400', coins: 1400, priceCents: 1999 },
      ],
    },
    {
      id: 'web',
      storeFeeBp: 0,
      paymentFeeBp: 290,
      paymentFeeFixedCents: 30,
      packs: [
        { id: 'c70', coins: 70, priceCents: 74 },
        { id: 'c1750', coins: 1750, priceCents: 1500 },
      ],
    },
  ],
  gifts: [
    { id: 'rose', coins: 1 },
    { id: 'panda', coins: 5 },
    { id: 'concert', coins: 500 },
    { id: 'universe', coins: 34_999 },
  ],
  creatorShareBp: 5000,
  diamondValueMilliCents: 500,
  withdrawal: { minDiamonds: 100, feeBp: 0, feeFixedCents: 0 },
};
