/**
 * A VU's request stream, computed in Node before the run (`load/plan/streams.ts`) so that k6 only sends
 * and records: the economy profiles' draws, pack purchases and request bodies are all decided ahead —
 * a VU owns its viewers, so their coins follow by arithmetic. Plain data shared by both sides.
 *
 * Each item is one arrival (one k6 iteration) of one VU:
 * - `w`: writes sent in order, each `[op, user, path, body, tag]` — op 0 purchase, 1 gift, 2 withdrawal;
 *   `user` an index into the users file's viewers (purchase, gift) or creators (withdrawal); `path` and
 *   `tag` indexes into the workload's `streams.paths` and `streams.tags`; `body` the JSON to send;
 * - `r`: then send the last write again with its key and body (an idempotent replay);
 * - `d`: then a double tap — the viewer sends the same gift from two devices at once, each sized to its
 *   whole live balance (read first), so that exactly one must be refused;
 * - `c`: a withdrawal check of this owned creator: read its diamonds, cash them out past the threshold;
 * - `p`, `g`: coins purchased and gifted by `w` (for the custom metrics).
 */

import { WRITE_KINDS } from './types.ts';

export type StreamWrite = [op: 0 | 1 | 2, user: number, path: number, body: string, tag: number];

export interface DoubleTap {
  viewer: number;
  creator: number;
  /** Index into the workload's gifts. */
  gift: number;
  live: boolean;
}

export interface StreamItem {
  w?: StreamWrite[];
  r?: 1;
  d?: DoubleTap;
  c?: number;
  p?: number;
  g?: number;
}

/** One VU's stream: played in order, and again from the start when the run outlasts it. */
export interface VuStream {
  items: StreamItem[];
}

/** What every VU needs to find and play its stream (small: it rides in the workload). */
export interface StreamLayout {
  /** The execution segments the streams were built for (`from.n_from.d`), in the order of the file. */
  segments: string[];
  /** VUs of each instance: the file holds segments × slots streams, instance by instance. */
  slots: number;
  paths: string[];
  tags: Record<string, string>[];
  /** Diamonds past which a checked creator cashes out (the scenario's withdrawAtDiamonds, at least the minimum). */
  withdrawAtDiamonds: number;
  /** Items in all streams, and how many are withdrawal checks or double taps (for the run's banner). */
  items: number;
  checks: number;
  doubleTaps: number;
  /**
   * Requests of the items the asked arrivals play — each VU's first share of them, as evenly as they
   * divide (a stream starts with the purchases its empty wallets need, so a short run's mix is not the
   * whole stream's).
   */
  askedRequests: number;
}

/**
 * Requests one item sends at most, as `runtime/player.ts` plays it: its writes, a replay, a double tap's
 * balance read and two gifts, a withdrawal check's diamond read and its withdrawal (sent only past the
 * threshold; a double tap only when the target reads balances).
 */
export function itemRequests(item: StreamItem): number {
  return (
    (item.w?.length ?? 0) + (item.r ?? 0) + (item.d === undefined ? 0 : 3) + (item.c === undefined ? 0 : 2)
  );
}

/** A stream write's op number: its index here (0 purchase, 1 gift, 2 withdrawal). */
export const OPS = WRITE_KINDS;

/** `0_1`: the key of an execution segment's start, as the layout lists segments. */
export function segmentKey(from: { n: number; d: number }): string {
  return `${from.n}_${from.d}`;
}

/**
 * Items per chunk as k6 holds the streams: each chunk is one SharedArray element, parsed when its VU
 * reaches it. A VU's first iteration then parses a few items, not its whole stream — k6's arrival-rate
 * executors hand the first arrivals to every VU in turn, so whole streams were all parsed in the run's
 * first fraction of a second (about 60 µs an item in k6 v0.49), a burst that starved the target and
 * dropped iterations. Per item the cost is the same at any chunk size measured (1 to 70 items).
 */
export const STREAM_CHUNK_ITEMS = 8;

/** Where each stream's chunks are in the chunk list (`chunkStreams`). */
export interface StreamIndex {
  chunkItems: number;
  /** Per stream: the index of its first chunk, and its number of items. */
  first: number[];
  items: number[];
}

/** The streams cut into chunks of `chunkItems` items, stream by stream, with their index. */
export function chunkStreams(
  streams: readonly VuStream[],
  chunkItems: number = STREAM_CHUNK_ITEMS,
): { index: StreamIndex; chunks: StreamItem[][] } {
  if (!(Number.isInteger(chunkItems) && chunkItems >= 1)) throw new Error(`chunk of ${chunkItems} items`);
  const index: StreamIndex = { chunkItems, first: [], items: [] };
  const chunks: StreamItem[][] = [];
  for (const stream of streams) {
    index.first.push(chunks.length);
    index.items.push(stream.items.length);
    for (let at = 0; at < stream.items.length; at += chunkItems) {
      chunks.push(stream.items.slice(at, at + chunkItems));
    }
  }
  return { index, chunks };
}

/**
 * One VU's stream, played in order and again from the start when the run outlasts it, holding one
 * chunk at a time: `load(k)` fetches the stream's k-th chunk (a SharedArray element in k6) when reached.
 */
export class StreamCursor {
  /** Items played so far in this cycle. */
  position = 0;
  /** Times played through (keys stay unique: the VU's counter keeps counting). */
  cycle = 0;
  private chunk: StreamItem[] = [];
  private chunkAt = -1;

  constructor(
    readonly length: number,
    private readonly chunkItems: number,
    private readonly load: (chunk: number) => StreamItem[],
  ) {
    if (!(Number.isInteger(length) && length >= 0)) throw new Error(`a stream of ${length} items`);
    if (!(Number.isInteger(chunkItems) && chunkItems >= 1)) throw new Error(`chunk of ${chunkItems} items`);
  }

  /** The next item, or undefined for an empty stream (nothing to send). */
  next(): StreamItem | undefined {
    if (this.length === 0) return undefined;
    if (this.position >= this.length) {
      this.position = 0;
      this.cycle++;
    }
    const k = Math.floor(this.position / this.chunkItems);
    if (k !== this.chunkAt) {
      this.chunk = this.load(k);
      this.chunkAt = k;
    }
    const item = this.chunk[this.position - k * this.chunkItems];
    if (item === undefined) {
      throw new Error(`stream chunk ${k} holds ${this.chunk.length} items; item ${this.position} is missing`);
    }
    this.position++;
    return item;
  }
}
