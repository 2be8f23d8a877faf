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
}

export const OPS = ['purchase', 'gift', 'withdrawal'] as const;

/** `0_1`: the key of an execution segment's start, as the layout lists segments. */
export function segmentKey(from: { n: number; d: number }): string {
  return `${from.n}_${from.d}`;
}
