/**
 * Kernels with one rule broken on purpose: the mutant tests hand them to a store to show that the
 * invariant checker names the invariant that rule protects, and the fault modes of the simulation
 * (`GIFTLAB_SIM_FAULT`) and of the reference API (`serve --fault`) are built from them. Each wraps the
 * sound kernel and changes one thing.
 */
import { BP } from '../../common/limits.ts';
import type { PurchaseSplit } from '../economy/rules.ts';
import type { Economy } from '../economy/types.ts';
import { type GiftPlan, type Kernel, kernel } from './operations.ts';
import { Status } from './status.ts';

const UNLIMITED = Number.POSITIVE_INFINITY;

/** What each broken kernel does wrong, and the kernel. */
export const BROKEN = {
  'no-balance-check': broken('lets a viewer spend (and be refunded) coins it does not hold', {
    decideGift: (e, gift, count, _held, carry, out) =>
      kernel.decideGift(e, gift, count, UNLIMITED, carry, out),
    decideRefund: (e, purchase, _held, out) => kernel.decideRefund(e, purchase, UNLIMITED, out),
  }),
  'over-redeem': broken("pays a withdrawal over the creator's diamonds", {
    decideWithdrawal: (e, requested, _held, out) => kernel.decideWithdrawal(e, requested, UNLIMITED, out),
  }),
  'no-minimum': broken('pays a withdrawal under the minimum', {
    decideWithdrawal(e, requested, held, out) {
      const status = kernel.decideWithdrawal(e, requested, held, out);
      if (status !== Status.BelowMinimum) return status;
      return held < out.diamonds ? Status.InsufficientDiamonds : Status.Ok;
    },
  }),
  'round-up': broken("rounds a gift's diamonds up, carry and all", {
    decideGift: alteredGift((e, carry, out) => {
      out.diamonds = Math.ceil((out.coins * e.creatorShareBp + carry) / BP);
    }),
  }),
  'drop-carry': broken('forgets the fraction of a diamond it should carry for the creator', {
    decideGift: alteredGift((_e, _carry, out) => {
      out.carryAfterBp = 0;
    }),
  }),
  'drop-fee': broken('forgets the fees: the platform books the whole price of a pack as net', {
    decidePurchase: (e, channel, pack, out) => dropFees(kernel.decidePurchase(e, channel, pack, out), out),
    decideRefund: (e, purchase, held, out) => dropFees(kernel.decideRefund(e, purchase, held, out), out),
  }),
  'rounding-leak': broken("rounds a gift's diamonds up, dropping the carried fraction", {
    decideGift: alteredGift((e, _carry, out) => {
      out.diamonds = Math.ceil((out.coins * e.creatorShareBp) / BP);
      out.carryAfterBp = 0;
    }),
  }),
} as const;

export type BrokenRule = keyof typeof BROKEN;

function broken(does: string, rules: Partial<Kernel>): { does: string; kernel: Kernel } {
  return { does, kernel: { ...kernel, ...rules } };
}

/** The sound gift decision, with `change` made to every gift it lets through. */
function alteredGift(change: (e: Economy, carryBp: number, out: GiftPlan) => void): Kernel['decideGift'] {
  return (e, gift, count, held, carry, out) => {
    const status = kernel.decideGift(e, gift, count, held, carry, out);
    if (status === Status.Ok) change(e, carry, out);
    return status;
  };
}

/** The split with no fees: the whole price booked as net. */
function dropFees(status: Status, split: PurchaseSplit): Status {
  split.feeCents.fill(0);
  split.netCents = split.grossCents;
  return status;
}
