/**
 * Creators as columns of typed arrays: popularity (Zipf weight, times any running audience spike),
 * whether and until when they are live, the audience of their stream, and what they received.
 */
import { cumulative, zipfWeights } from './zipf.ts';

export class Creators {
  readonly baseWeight: Float64Array;
  /** Weight now (base × running spikes), a whole number: what the live-stream picker holds while live. */
  readonly pull: Float64Array;
  /**
   * For videos: everyone's catalogue is online, whoever is live. A viewer draws from every market's:
   * markets are alike (creator c is ranked ⌊c / markets⌋ + 1 in its own), so that draws the same ranks
   * as its own market would.
   */
  readonly videoCum: Float64Array;
  readonly live: Uint8Array;
  /** A stream start is waiting in the wheel. */
  readonly startPending: Uint8Array;
  /** End of the current (or last) stream. */
  readonly streamEnd: Uint32Array;
  readonly audience: Int32Array;
  /** When `audience` last changed, for viewer-seconds by audience size. */
  readonly audienceSince: Uint32Array;
  readonly peakAudience: Int32Array;
  readonly streams: Uint32Array;
  readonly gifts: Uint32Array;
  readonly diamondsWithdrawn: Float64Array;

  constructor(
    readonly count: number,
    zipf: number,
    readonly markets = 1,
  ) {
    this.baseWeight = zipfWeights(count, zipf, markets);
    this.pull = Float64Array.from(this.baseWeight);
    this.videoCum = cumulative(this.baseWeight);
    this.live = new Uint8Array(count);
    this.startPending = new Uint8Array(count);
    this.streamEnd = new Uint32Array(count);
    this.audience = new Int32Array(count);
    this.audienceSince = new Uint32Array(count);
    this.peakAudience = new Int32Array(count);
    this.streams = new Uint32Array(count);
    this.gifts = new Uint32Array(count);
    this.diamondsWithdrawn = new Float64Array(count);
  }
}
