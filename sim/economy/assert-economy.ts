/**
 * Asserts that a resolved economy is internally sound. The scenario loader reports user mistakes with
 * field names; this catches programmer mistakes (an economy built by hand in code or a test).
 */
import { assert, assertNonNegInt } from '../../common/assert.ts';
import { BP, limits } from '../../common/limits.ts';
import type { Economy } from './types.ts';

export function assertEconomy(economy: Economy): void {
  assert(
    economy.channels.length > 0 && economy.channels.length <= limits.channelsMax,
    'channel count out of range',
  );
  assert(unique(economy.channels.map((c) => c.id)), 'channel ids must be unique');
  for (const channel of economy.channels) {
    assertBp(channel.storeFeeBp, `${channel.id}.storeFeeBp`);
    assertBp(channel.paymentFeeBp, `${channel.id}.paymentFeeBp`);
    assertNonNegInt(channel.paymentFeeFixedCents, `${channel.id}.paymentFeeFixedCents`);
    assert(
      channel.packs.length > 0 && channel.packs.length <= limits.packsPerChannelMax,
      `${channel.id}: pack count`,
    );
    assert(unique(channel.packs.map((p) => p.id)), `${channel.id}: pack ids must be unique`);
    for (const pack of channel.packs) {
      assert(
        Number.isSafeInteger(pack.coins) && pack.coins >= 1 && pack.coins <= limits.packCoinsMax,
        `${pack.id}.coins`,
      );
      assert(
        Number.isSafeInteger(pack.priceCents) &&
          pack.priceCents >= 1 &&
          pack.priceCents <= limits.packPriceCentsMax,
        `${pack.id}.priceCents`,
      );
    }
  }
  assert(economy.gifts.length > 0 && economy.gifts.length <= limits.giftsMax, 'gift count out of range');
  assert(unique(economy.gifts.map((g) => g.id)), 'gift ids must be unique');
  for (const gift of economy.gifts) {
    assert(
      Number.isSafeInteger(gift.coins) && gift.coins >= 1 && gift.coins <= limits.giftCoinsMax,
      `${gift.id}.coins`,
    );
  }
  assertBp(economy.creatorShareBp, 'creatorShareBp');
  assert(
    Number.isSafeInteger(economy.diamondValueMilliCents) &&
      economy.diamondValueMilliCents >= 1 &&
      economy.diamondValueMilliCents <= limits.diamondValueMilliCentsMax,
    'diamondValueMilliCents out of range',
  );
  assertNonNegInt(economy.withdrawal.minDiamonds, 'withdrawal.minDiamonds');
  assertBp(economy.withdrawal.feeBp, 'withdrawal.feeBp');
  assertNonNegInt(economy.withdrawal.feeFixedCents, 'withdrawal.feeFixedCents');
}

function assertBp(value: number, what: string): void {
  assert(
    Number.isSafeInteger(value) && value >= 0 && value <= BP,
    `${what} must be 0..${BP} basis points, got ${value}`,
  );
}

function unique(ids: readonly string[]): boolean {
  return new Set(ids).size === ids.length;
}
