/**
 * The race profile's sizes, from the live balances it reads at the start of each batch — so that the
 * batch overspends whatever earlier runs left on the hot viewer and creator:
 *
 * - three gifts, each more than a third of what the viewer holds once the batch's two purchases land,
 *   so that together they overspend it, and each no more than that (one alone is affordable);
 * - of a size whose diamonds do not come out whole (coins × creator share not a multiple of 10,000 bp),
 *   so that a backend rounding them up is seen;
 * - a withdrawal of more than half the creator's diamonds (at least the minimum): two of them overdraw.
 *
 * Pure, so that Node tests check the sizes the script sends.
 */
import type { Workload } from './types.ts';

export interface RaceSizes {
  /** Index into the workload's gifts. */
  gift: number;
  count: number;
  withdrawDiamonds: number;
}

const BP = 10_000;
/** Counts tried past the smallest one that covers, looking for one that rounds. */
const ROUNDING_TRIES = 16;

export function raceSizes(w: Workload, liveCoins: number, liveDiamonds: number): RaceSizes {
  const purchases = 2 * w.channels[0].packs[0].coins;
  const budget = Math.max(0, liveCoins) + purchases;
  const each = Math.floor(budget / 3) + 1;
  // The smallest gift that reaches `each` within the count limit and a count that rounds; failing
  // that (an economy where nothing rounds), the smallest that reaches it.
  let pick: { gift: number; count: number } | undefined;
  for (let gift = 0; gift < w.gifts.length && pick === undefined; gift++) {
    const coins = w.gifts[gift].coins;
    if (coins * w.giftCountMax < each) continue;
    const least = Math.max(1, Math.ceil(each / coins));
    for (let count = least; count <= Math.min(w.giftCountMax, least + ROUNDING_TRIES); count++) {
      if (rounds(w, coins * count)) {
        pick = { gift, count };
        break;
      }
    }
  }
  if (pick === undefined) {
    const gift = Math.max(
      0,
      w.gifts.findIndex((g) => g.coins * w.giftCountMax >= each),
    );
    pick = { gift, count: Math.min(w.giftCountMax, Math.max(1, Math.ceil(each / w.gifts[gift].coins))) };
  }
  const withdrawDiamonds = Math.max(
    1,
    w.withdrawal.minDiamonds,
    Math.floor(Math.max(0, liveDiamonds) / 2) + 1,
  );
  return { gift: pick.gift, count: pick.count, withdrawDiamonds };
}

/** Whether a gift of these coins credits a fraction of a diamond (carried or, by a faulty backend, rounded). */
export function rounds(w: Pick<Workload, 'withdrawal'>, coins: number): boolean {
  return (coins * w.withdrawal.creatorShareBp) % BP !== 0;
}
