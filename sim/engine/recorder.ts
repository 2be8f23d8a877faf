/**
 * What a run records besides the ledger: per-interval flows and samples (timeseries.csv), and
 * viewer-seconds, gifts and coins by concurrent audience size (the audience-size effect as observed).
 * Flat typed arrays indexed by interval (× channel) or by audience bin.
 */
import { modelLimits } from '../../common/limits.ts';

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
  /** Distinct viewers in a session at some moment of the interval, and distinct viewers who bought in it. */
  readonly viewersActive: Float64Array;
  readonly payersActive: Float64Array;
  /** By audience bin b = floor(log2(audience)): [2^b, 2^(b+1)). */
  readonly audienceSeconds = new Float64Array(modelLimits.audienceBins);
  readonly audienceGifts = new Float64Array(modelLimits.audienceBins);
  readonly audienceCoins = new Float64Array(modelLimits.audienceBins);

  /** Per viewer: the last interval it was counted in viewersActive, and in payersActive (−1: none). */
  private readonly viewerSeen: Int32Array;
  private readonly payerSeen: Int32Array;

  constructor(
    readonly intervals: number,
    readonly channels: number,
    viewers = 0,
  ) {
    this.viewersActive = new Float64Array(intervals);
    this.payersActive = new Float64Array(intervals);
    this.viewerSeen = new Int32Array(viewers).fill(-1);
    this.payerSeen = new Int32Array(viewers).fill(-1);
    this.bookingsCents = new Float64Array(intervals * channels);
    this.coinsSold = new Float64Array(intervals * channels);
    this.purchases = new Float64Array(intervals);
    this.gifts = new Float64Array(intervals);
    this.coinsSpent = new Float64Array(intervals);
    this.diamondsCredited = new Float64Array(intervals);
    this.withdrawals = new Float64Array(intervals);
    this.activeStreams = new Float64Array(intervals);
    this.activeViewers = new Float64Array(intervals);
  }

  purchase(interval: number, channel: number, priceCents: number, coins: number): void {
    this.purchases[interval]++;
    this.bookingsCents[interval * this.channels + channel] += priceCents;
    this.coinsSold[interval * this.channels + channel] += coins;
  }

  gift(interval: number, coins: number, diamonds: number): void {
    this.gifts[interval]++;
    this.coinsSpent[interval] += coins;
    this.diamondsCredited[interval] += diamonds;
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

  /** Viewer v is in a session in `interval`. */
  sawViewer(v: number, interval: number): void {
    if (this.viewerSeen[v] === interval) return;
    this.viewerSeen[v] = interval;
    this.viewersActive[interval]++;
  }

  /** Viewer v ends a session in `interval`: it was watching in every interval since it was last counted. */
  sawViewerThrough(v: number, interval: number): void {
    for (let i = this.viewerSeen[v] + 1; i <= interval; i++) this.viewersActive[i]++;
    if (interval > this.viewerSeen[v]) this.viewerSeen[v] = interval;
  }

  sawPayer(v: number, interval: number): void {
    if (this.payerSeen[v] === interval) return;
    this.payerSeen[v] = interval;
    this.payersActive[interval]++;
  }

  sample(interval: number, streams: number, viewers: number): void {
    this.activeStreams[interval] = streams;
    this.activeViewers[interval] = viewers;
  }
}

export function audienceBin(audience: number): number {
  return 31 - Math.clz32(Math.max(1, audience));
}
