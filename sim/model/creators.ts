/**
 * Creators as columns of typed arrays: popularity (Zipf weight, times any running audience spike),
 * whether and until when they are live, the audience of their stream, and what they received.
 */
import { assert } from '../../common/assert.ts';
import { pickCumulative, type Rng } from '../random/index.ts';
import { Fenwick } from './fenwick.ts';
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
  /**
   * With creators joining or leaving (lifecycle.creators): the catalogue of those on the platform now,
   * which videos are drawn from during the run instead of videoCum (a creator's videos go with it).
   */
  private readonly videos: Fenwick | undefined;
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

  /**
   * `lives`: creators join and leave. Only the first `initial` slots are creators at the start (ranked
   * by Zipf as without lives); a slot after them has no weight until its creator joins.
   */
  constructor(
    readonly count: number,
    zipf: number,
    readonly markets = 1,
    lives?: { initial: number },
  ) {
    const initial = lives?.initial ?? count;
    assert(initial >= 1 && initial <= count, 'the creators present at the start fit their slots');
    this.baseWeight = new Float64Array(count);
    this.baseWeight.set(zipfWeights(initial, zipf, markets));
    this.pull = Float64Array.from(this.baseWeight);
    this.videoCum = cumulative(this.baseWeight);
    this.videos = lives === undefined ? undefined : new Fenwick(count);
    for (let c = 0; c < initial && this.videos !== undefined; c++) this.videos.add(c, this.baseWeight[c]);
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

  /**
   * The creator whose video a viewer watches, by weight: from every creator's catalogue (videoCum), or
   * with lives from those on the platform now (−1 when nobody is). One uniform either way, and the same
   * creator for the same uniform while everyone is present.
   */
  pickVideo(rng: Rng): number {
    const videos = this.videos;
    if (videos === undefined) return pickCumulative(rng, this.videoCum, this.count);
    const u = rng();
    return videos.total > 0 ? videos.find(Math.floor(u * videos.total)) : -1;
  }

  /** Creator c joins with Zipf weight `weight`: its pull, and its videos in the catalogue. */
  join(c: number, weight: number): void {
    assert(this.videos !== undefined && this.baseWeight[c] === 0, 'a creator joins once, with lives');
    assert(Number.isSafeInteger(weight) && weight >= 1, 'weights are whole numbers');
    this.baseWeight[c] = weight;
    this.pull[c] = weight;
    this.videos.add(c, weight);
  }

  /** Creator c leaves: its videos leave the catalogue (its pull no longer matters: it never goes live again). */
  leave(c: number): void {
    assert(this.videos !== undefined && this.live[c] === 0, 'a creator leaves off the air, with lives');
    this.videos.add(c, -this.baseWeight[c]);
  }
}
