/**
 * What a run records besides the ledger: per-interval flows and samples (timeseries.csv), viewer-seconds,
 * gifts and coins by concurrent audience size (the audience-size effect as observed), purchases by
 * channel and pack (packs.csv) and sends by gift (gifts.csv). Flat typed arrays indexed by interval
 * (× channel), by audience bin, by pack slot (`packSlot`) or by the economy's gift index.
 */
import { assert } from '../../common/assert.ts';
import { type Column, column } from '../../common/columns.ts';
import { DAY_SECONDS, modelLimits } from '../../common/limits.ts';
import type { Economy } from '../economy/types.ts';
import type { Viewers } from '../model/viewers.ts';

export class Recorder {
  readonly bookingsCents: Float64Array;
  readonly coinsSold: Float64Array;
  readonly purchases: Float64Array;
  readonly gifts: Float64Array;
  readonly coinsSpent: Float64Array;
  readonly diamondsCredited: Float64Array;
  readonly withdrawals: Float64Array;
  readonly activeStreams: Float64Array;
  readonly activeViewers: Float64Array;
  /** Creators on the platform (joined and not left: lifecycle.creators), sampled as activeStreams. */
  readonly creatorsPresent: Float64Array;
  /** Distinct viewers in a session at some moment of the interval, and distinct viewers who bought in it. */
  readonly viewersActive: Float64Array;
  readonly payersActive: Float64Array;
  /**
   * Per day of the run: distinct viewers who bought on it (an interval counts in the day it starts in).
   * Their sum, each day weighted by its share in the run, is the payer-days daily ARPPU divides by.
   */
  readonly payersByDay: Float64Array;
  /** The day each interval starts in. */
  private readonly dayOf: Int32Array;
  /** By audience bin b = floor(log2(audience)): [2^b, 2^(b+1)). */
  readonly audienceSeconds = new Float64Array(modelLimits.audienceBins);
  readonly audienceGifts = new Float64Array(modelLimits.audienceBins);
  readonly audienceCoins = new Float64Array(modelLimits.audienceBins);
  /**
   * Per channel c, where its packs start in the pack arrays: channel c's pack p (its index in the
   * economy's pack list, in the economy's order) is slot `packStart[c] + p`; `packStart[channels]` is
   * the slot count. Sized from the economy, so packs appended to a channel's list have slots too.
   */
  readonly packStart: Int32Array;
  /** Purchases per pack slot (coins and gross follow from the pack: every purchase of it is the same). */
  readonly packPurchases: Float64Array;
  /** Per gift of the economy: sends (a combo of n is one), gifts counted n per combo, coins, diamonds. */
  readonly giftSends: Float64Array;
  readonly giftCount: Float64Array;
  readonly giftCoins: Float64Array;
  readonly giftDiamonds: Float64Array;

  /**
   * Per viewer slot: the last interval it was counted in payersActive (−1: none). The one for
   * viewersActive is in the viewers' hot record (Viewers.seenThrough), read with the session's state.
   */
  private payerSeen: Int32Array;

  readonly channels: number;

  constructor(
    readonly intervals: number,
    economy: Economy,
    viewers = 0,
    intervalSeconds = DAY_SECONDS,
  ) {
    const channels = economy.channels.length;
    this.channels = channels;
    this.packStart = new Int32Array(channels + 1);
    for (let c = 0; c < channels; c++)
      this.packStart[c + 1] = this.packStart[c] + economy.channels[c].packs.length;
    this.packPurchases = new Float64Array(this.packStart[channels]);
    const gifts = economy.gifts.length;
    this.giftSends = new Float64Array(gifts);
    this.giftCount = new Float64Array(gifts);
    this.giftCoins = new Float64Array(gifts);
    this.giftDiamonds = new Float64Array(gifts);
    this.viewersActive = new Float64Array(intervals);
    this.payersActive = new Float64Array(intervals);
    this.dayOf = Int32Array.from({ length: intervals }, (_, i) =>
      Math.floor((i * intervalSeconds) / DAY_SECONDS),
    );
    this.payersByDay = new Float64Array(intervals === 0 ? 0 : this.dayOf[intervals - 1] + 1);
    this.payerSeen = column(Int32Array, viewers).fill(-1);
    this.bookingsCents = new Float64Array(intervals * channels);
    this.coinsSold = new Float64Array(intervals * channels);
    this.purchases = new Float64Array(intervals);
    this.gifts = new Float64Array(intervals);
    this.coinsSpent = new Float64Array(intervals);
    this.diamondsCredited = new Float64Array(intervals);
    this.withdrawals = new Float64Array(intervals);
    this.activeStreams = new Float64Array(intervals);
    this.activeViewers = new Float64Array(intervals);
    this.creatorsPresent = new Float64Array(intervals);
  }

  /** A purchase of `pack` (its index in the channel's pack list) on `channel`. */
  purchase(interval: number, channel: number, pack: number, priceCents: number, coins: number): void {
    this.purchases[interval]++;
    this.packPurchases[this.packSlot(channel, pack)]++;
    this.bookingsCents[interval * this.channels + channel] += priceCents;
    this.coinsSold[interval * this.channels + channel] += coins;
  }

  /** One send of `count` of `gift` (its index in the economy's gift list), `coins` in all. */
  gift(interval: number, gift: number, count: number, coins: number, diamonds: number): void {
    this.gifts[interval]++;
    this.coinsSpent[interval] += coins;
    this.diamondsCredited[interval] += diamonds;
    this.giftSends[gift]++;
    this.giftCount[gift] += count;
    this.giftCoins[gift] += coins;
    this.giftDiamonds[gift] += diamonds;
  }

  /** The slot of channel `channel`'s pack `pack` in the pack arrays. */
  packSlot(channel: number, pack: number): number {
    const slot = this.packStart[channel] + pack;
    // An index past the channel's packs would count under the next channel's: a bug, not a typo to skip.
    assert(pack >= 0 && slot < this.packStart[channel + 1], 'a pack index within its channel');
    return slot;
  }

  liveGift(audience: number, coins: number): void {
    const b = audienceBin(audience);
    this.audienceGifts[b]++;
    this.audienceCoins[b] += coins;
  }

  /** `audience` viewers watched one stream for `seconds`. */
  watched(audience: number, seconds: number): void {
    this.audienceSeconds[audienceBin(audience)] += audience * seconds;
  }

  /** Viewer v of `viewers` is in a session in `interval`. */
  sawViewer(viewers: Viewers, v: number, interval: number): void {
    if (viewers.seenThrough(v) === interval) return;
    viewers.setSeenThrough(v, interval);
    this.viewersActive[interval]++;
  }

  /** Viewer v ends a session in `interval`: it was watching in every interval since it was last counted. */
  sawViewerThrough(viewers: Viewers, v: number, interval: number): void {
    const seen = viewers.seenThrough(v);
    for (let i = seen + 1; i <= interval; i++) this.viewersActive[i]++;
    if (interval > seen) viewers.setSeenThrough(v, interval);
  }

  sawPayer(v: number, interval: number): void {
    const seen = this.payerSeen[v];
    if (seen === interval) return;
    this.payerSeen[v] = interval;
    this.payersActive[interval]++;
    // Intervals only move forward: a viewer last counted in another day is new to this one.
    if (seen < 0 || this.dayOf[seen] !== this.dayOf[interval]) this.payersByDay[this.dayOf[interval]]++;
  }

  /**
   * Paying viewer-days: each day's buyers times the share of that day the run covers (a 2-hour run's
   * buyers count 1/12 each), so a per-day KPI of a partial day is scaled to a whole one.
   */
  payerDays(durationSeconds: number): number {
    let sum = 0;
    for (let d = 0; d < this.payersByDay.length; d++)
      sum += (this.payersByDay[d] * Math.min(DAY_SECONDS, durationSeconds - d * DAY_SECONDS)) / DAY_SECONDS;
    return sum;
  }

  /** Room for `slots` viewer slots (a table of reused slots grew). */
  growViewers(slots: number): void {
    this.payerSeen = grownSeen(this.payerSeen, slots);
  }

  /** Slot v has a new viewer: not counted yet in any interval (its viewers' record starts at none). */
  resetViewer(v: number): void {
    this.payerSeen[v] = -1;
  }

  /**
   * The per-viewer columns, for a later recorder to take (common/columns.ts); once given they are not
   * used again, but the per-interval counts stay readable.
   */
  get viewerColumns(): Column[] {
    return [this.payerSeen];
  }

  get viewerBytes(): number {
    return this.payerSeen.byteLength;
  }

  sample(interval: number, streams: number, viewers: number, creators: number): void {
    this.activeStreams[interval] = streams;
    this.activeViewers[interval] = viewers;
    this.creatorsPresent[interval] = creators;
  }
}

export function audienceBin(audience: number): number {
  return 31 - Math.clz32(Math.max(1, audience));
}

function grownSeen(from: Int32Array, length: number): Int32Array {
  const to = new Int32Array(length).fill(-1);
  to.set(from);
  return to;
}
