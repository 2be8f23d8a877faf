/**
 * The tables of one replication — timeseries, creators, viewers, audience bins, packs, gifts — from the
 * recorder, the agent tables and the ledger, in the shapes of result.ts.
 */

import { assert } from '../common/assert.ts';
import { modelLimits } from '../common/limits.ts';
import {
  diamondsToCents,
  newPurchaseSplit,
  PURCHASE_FEES,
  type PurchaseFeeAnswer,
  splitPurchase,
} from '../sim/economy/rules.ts';
import type { Economy } from '../sim/economy/types.ts';
import type { CreatorLives } from '../sim/engine/creator-lives.ts';
import type { ViewerOutcomes } from '../sim/engine/departed.ts';
import type { Recorder } from '../sim/engine/recorder.ts';
import type { Ledger } from '../sim/ledger/ledger.ts';
import type { AudienceCurve } from '../sim/model/audience-curve.ts';
import type { Creators } from '../sim/model/creators.ts';

import type { AudienceBin, CreatorRow, GiftRow, IntervalRow, PackRow, ViewerRow } from './result.ts';

export function intervalRows(recorder: Recorder, economy: Economy, intervalSeconds: number): IntervalRow[] {
  const rows: IntervalRow[] = [];
  const channels = economy.channels;
  for (let i = 0; i < recorder.intervals; i++) {
    const bookingsCents: Record<string, number> = {};
    const coinsSold: Record<string, number> = {};
    channels.forEach((c, ch) => {
      bookingsCents[c.id] = recorder.bookingsCents[i * channels.length + ch];
      coinsSold[c.id] = recorder.coinsSold[i * channels.length + ch];
    });
    rows.push({
      startSeconds: i * intervalSeconds,
      bookingsCents,
      coinsSold,
      purchases: recorder.purchases[i],
      gifts: recorder.gifts[i],
      coinsSpent: recorder.coinsSpent[i],
      diamondsCredited: recorder.diamondsCredited[i],
      withdrawals: recorder.withdrawals[i],
      activeStreams: recorder.activeStreams[i],
      activeViewers: recorder.activeViewers[i],
      viewersActive: recorder.viewersActive[i],
      payersActive: recorder.payersActive[i],
      creatorsPresent: recorder.creatorsPresent[i],
    });
  }
  return rows;
}

export function creatorRows(
  ledger: Ledger,
  creators: Creators,
  lives: CreatorLives,
  endSeconds: number,
): CreatorRow[] {
  const rows: CreatorRow[] = [];
  const value = ledger.economy.diamondValueMilliCents;
  for (let c = 0; c < creators.count; c++) {
    const diamonds = ledger.diamondsOf(c) + creators.diamondsWithdrawn[c];
    rows.push({
      creator: c,
      rank: c + 1,
      streams: creators.streams[c],
      giftsReceived: creators.gifts[c],
      coinsReceived: ledger.coinsReceivedBy(c),
      diamondsEarned: diamonds,
      earningsCents: diamondsToCents(value, diamonds),
      withdrawnCents: ledger.paidOutCentsTo(c),
      peakAudience: creators.peakAudience[c],
      joinedSeconds: lives.joinOf(c),
      leftSeconds: lives.leaveOf(c) < endSeconds ? lives.leaveOf(c) : Number.NaN,
    });
  }
  return rows;
}

/**
 * One row per viewer up to `viewerRowsMax`, else segments by spend: top 1 %, next 9 %, other payers,
 * non-payers. With a crowd (`crowd` given: the viewers counted, not simulated, who join the non-payers)
 * always segments: agents' slots are not viewer numbers, and the shape must not depend on a draw.
 * Viewers are read by number, present or departed (their slots may have gone to later arrivals:
 * sim/engine/departed.ts); the non-payers who left are summed.
 */
export function viewerRows(ledger: Ledger, viewers: ViewerOutcomes, crowd?: number): ViewerRow[] {
  const ids = ledger.economy.channels.map((c) => c.id);
  const add = (row: ViewerRow, i: number) => addViewer(row, viewers, i, ids, ledger.coinsOf(viewers.id(i)));
  if (viewers.viewerIds <= modelLimits.viewerRowsMax && crowd === undefined) {
    const order = viewers.byViewer();
    assert(order.length === viewers.viewerIds, 'a row for every viewer of the run');
    const rows: ViewerRow[] = [];
    for (const i of order) rows.push(add(emptyRow(String(viewers.id(i))), i));
    return rows;
  }
  const payers: number[] = [];
  for (let i = 0; i < viewers.records; i++)
    if (viewers.id(i) >= 0 && viewers.purchases(i) > 0) payers.push(i);
  // Biggest spenders first; ties by viewer number so the segments never depend on sort stability.
  payers.sort((a, b) => viewers.spentCents(b) - viewers.spentCents(a) || viewers.id(a) - viewers.id(b));
  const top1 = Math.ceil(payers.length * 0.01);
  const top10 = Math.ceil(payers.length * 0.1);
  const segments = [emptyRow('payer:top1%'), emptyRow('payer:top10%'), emptyRow('payer:rest')];
  payers.forEach((i, rank) => {
    add(segments[rank < top1 ? 0 : rank < top10 ? 1 : 2], i);
  });
  const rest = emptyRow('non-payer');
  const folded = viewers.folded;
  rest.viewers = (crowd ?? 0) + folded.viewers;
  rest.spentCents = folded.spentCents;
  rest.giftsSent = folded.gifts;
  rest.coinsGifted = folded.coinsGifted;
  rest.coinsBought = folded.coinsGifted + folded.coinsHeld;
  for (let i = 0; i < viewers.records; i++)
    if (viewers.id(i) >= 0 && viewers.purchases(i) === 0) add(rest, i);
  return [...segments, rest];
}

/** A viewers.csv row of `segment` with nothing counted yet. */
export function emptyRow(segment: string): ViewerRow {
  return {
    segment,
    viewers: 0,
    payers: 0,
    purchases: 0,
    spentCents: 0,
    coinsBought: 0,
    giftsSent: 0,
    coinsGifted: 0,
    purchasesByChannel: {},
  };
}

/** Adds record `i` (a viewer) to `row`; coins bought are those gifted plus those still held. */
function addViewer(
  row: ViewerRow,
  viewers: ViewerOutcomes,
  i: number,
  channelIds: readonly string[],
  coinsHeld: number,
): ViewerRow {
  const purchases = viewers.purchases(i);
  row.viewers++;
  if (purchases > 0) {
    row.payers++;
    const id = channelIds[viewers.channel(i)];
    row.purchasesByChannel[id] = (row.purchasesByChannel[id] ?? 0) + purchases;
  }
  row.purchases += purchases;
  row.spentCents += viewers.spentCents(i);
  row.giftsSent += viewers.gifts(i);
  row.coinsGifted += viewers.coinsGifted(i);
  row.coinsBought += viewers.coinsGifted(i) + coinsHeld;
  return row;
}

/** `correction`: the run's own rescaling of the curve (Simulation.curveCorrection; 1 but with scale: mean). */
export function audienceRows(recorder: Recorder, curve: AudienceCurve, correction = 1): AudienceBin[] {
  const rows: AudienceBin[] = [];
  for (let b = 0; b < modelLimits.audienceBins; b++) {
    if (recorder.audienceSeconds[b] === 0 && recorder.audienceGifts[b] === 0) continue;
    const audienceMin = 2 ** b;
    const audienceMax = 2 ** (b + 1);
    rows.push({
      audienceMin,
      audienceMax,
      viewerHours: recorder.audienceSeconds[b] / 3600,
      gifts: recorder.audienceGifts[b],
      coins: recorder.audienceCoins[b],
      curveMultiplier: curve.multiplier(Math.sqrt(audienceMin * audienceMax)) * correction,
    });
  }
  return rows;
}

/**
 * Every pack of every channel, in the economy's order, bought or not: purchases as recorded, the money
 * as purchases times the pack's split (the ledger's own rule, so the rows add up to the cash KPIs).
 */
export function packRows(recorder: Recorder, economy: Economy): PackRow[] {
  return packRowsOf(economy, (c, p) => recorder.packPurchases[recorder.packSlot(c, p)]);
}

/** Net revenue per 1,000 coins sold: packs.csv's rate of a pack, and the report's of a channel (NaN for none sold). */
export function netPerThousandCoins(netCents: number, coins: number): number {
  return coins > 0 ? (netCents * 1000) / coins : Number.NaN;
}

/** The pack rows of `economy` given the purchases of channel c's pack p. */
export function packRowsOf(
  economy: Economy,
  purchasesOf: (channel: number, pack: number) => number,
): PackRow[] {
  const rows: PackRow[] = [];
  const split = newPurchaseSplit();
  economy.channels.forEach((channel, c) => {
    channel.packs.forEach((pack, p) => {
      splitPurchase(channel, pack, split);
      const n = purchasesOf(c, p);
      const feesCents = Object.fromEntries(
        PURCHASE_FEES.map((f, i) => [f.answer, n * split.feeCents[i]]),
      ) as Record<PurchaseFeeAnswer, number>;
      rows.push({
        channel: channel.id,
        pack: pack.id,
        coinsPerPack: pack.coins,
        priceCents: pack.priceCents,
        purchases: n,
        coinsSold: n * split.coins,
        grossCents: n * split.grossCents,
        feesCents,
        netRevenueCents: n * split.netCents,
        netCentsPerThousandCoins: netPerThousandCoins(split.netCents, split.coins),
      });
    });
  });
  return rows;
}

/** Every gift, in the economy's order, sent or not. */
export function giftRows(recorder: Recorder, economy: Economy): GiftRow[] {
  return economy.gifts.map((gift, g) => ({
    gift: gift.id,
    coinsPerGift: gift.coins,
    sends: recorder.giftSends[g],
    giftCount: recorder.giftCount[g],
    coinsSpent: recorder.giftCoins[g],
    diamondsCredited: recorder.giftDiamonds[g],
  }));
}
