/**
 * The tags a giftlab k6 run records, metric by metric, with their values: the one table that
 * `giftlab load --threshold` is checked against (load/bundle/k6-thresholds.ts). k6 judges a threshold
 * over a tag nothing carries as passed (zero samples), so a tag or value not in this table is bad input.
 *
 * The suite's request tags are built here: `requestTags` (the economy streams' writes,
 * load/plan/streams.ts) and `runTags` (every sample's, lib/options.ts); `phase` is told per request from
 * the clock (lib/phases.ts, added in runtime/client.ts and runtime/player.ts). The runtime's own literal tags
 * (load/k6/runtime/: checks, smoke and race writes, replays, double taps, the custom counters) are held
 * to this table by a k6 test that reads every sample a run records (tests/load/tags.k6.test.ts).
 * Plain data only: k6 reads this file too.
 */
import { isProfile, PHASES_OF, PROFILE_TABLE } from './profiles.ts';
import { CUSTOM_METRICS } from './summary.ts';
import type { OpTag, TargetProfile } from './types.ts';
import { OP_TAGS } from './types.ts';

/** Where a gift was sent, as the `context` tag says it (the target's `context.kind`). */
export const GIFT_CONTEXT_TAGS = ['stream', 'video'] as const;
export type GiftContextTag = (typeof GIFT_CONTEXT_TAGS)[number];

/**
 * A gift's context as k6 and the plan's streams send it: on creator `creatorId`'s live stream
 * (`stream`, id `live-<creator>`) or on its videos (`video`, id `video-<creator>`). One rule for the
 * ids, which the target takes as given (CONTEXT_ID_PATTERN).
 */
export function giftContextOf(live: boolean, creatorId: number): { kind: GiftContextTag; id: string } {
  return live ? { kind: 'stream', id: `live-${creatorId}` } : { kind: 'video', id: `video-${creatorId}` };
}

/** The value of `replay` on a request that re-sends an earlier key, and of `tap` on a double tap's two gifts. */
export const REPLAY_TAG = 'true';
export const DOUBLE_TAP_TAG = 'double';

/** k6's metrics of an HTTP request: every one carries the request's tags. */
export const REQUEST_METRICS = [
  'http_reqs',
  'http_req_duration',
  'http_req_blocked',
  'http_req_connecting',
  'http_req_tls_handshaking',
  'http_req_sending',
  'http_req_waiting',
  'http_req_receiving',
  'http_req_failed',
] as const;

/** Every metric a VU records outside a request (tagged with its scenario and group, as requests are). */
const VU_METRICS = [
  'checks',
  'iterations',
  'iteration_duration',
  'group_duration',
  'data_sent',
  'data_received',
  ...Object.values(CUSTOM_METRICS),
];

/**
 * A tag's values: a list; the run's own, known once its plan and target profile are (`RunTagValues`);
 * or any text of a shape.
 */
export type TagValues = readonly string[] | keyof RunTagValues | { shape: RegExp; text: string };

export interface TagSpec {
  /** Who sets it: the script, or k6 itself (its system tags that are on by default). */
  by: 'giftlab' | 'k6';
  values: TagValues;
  /** The metrics whose samples carry it, or `all` (the test-wide tags). */
  on: readonly string[] | 'all';
}

const ANY = { shape: /\S/, text: 'any text' };

/** Every tag a giftlab run records, and where. The order is the order messages list them in. */
export const TAG_TABLE: Readonly<Record<string, TagSpec>> = {
  op: {
    by: 'giftlab',
    values: OP_TAGS,
    on: [
      ...REQUEST_METRICS,
      'checks',
      CUSTOM_METRICS.overdraftRejections,
      CUSTOM_METRICS.idempotentReplays,
      CUSTOM_METRICS.unknownOutcomes,
    ],
  },
  name: { by: 'giftlab', values: 'operations', on: REQUEST_METRICS },
  channel: { by: 'giftlab', values: 'channels', on: [...REQUEST_METRICS, CUSTOM_METRICS.coinsPurchased] },
  context: { by: 'giftlab', values: GIFT_CONTEXT_TAGS, on: [...REQUEST_METRICS, CUSTOM_METRICS.coinsGifted] },
  replay: { by: 'giftlab', values: [REPLAY_TAG], on: REQUEST_METRICS },
  tap: { by: 'giftlab', values: [DOUBLE_TAP_TAG], on: REQUEST_METRICS },
  phase: { by: 'giftlab', values: 'phases', on: REQUEST_METRICS },
  giftlab_profile: { by: 'giftlab', values: 'profile', on: 'all' },
  giftlab_scenario: { by: 'giftlab', values: 'scenario', on: 'all' },
  scenario: { by: 'k6', values: 'profile', on: [...REQUEST_METRICS, ...VU_METRICS, 'dropped_iterations'] },
  group: { by: 'k6', values: ANY, on: [...REQUEST_METRICS, ...VU_METRICS] },
  check: { by: 'k6', values: ANY, on: ['checks'] },
  method: { by: 'k6', values: 'methods', on: REQUEST_METRICS },
  status: {
    by: 'k6',
    values: { shape: /^(0|[1-5][0-9][0-9])$/, text: 'an HTTP status (0: no answer)' },
    on: REQUEST_METRICS,
  },
  expected_response: { by: 'k6', values: ['true', 'false'], on: REQUEST_METRICS },
  url: { by: 'k6', values: ANY, on: REQUEST_METRICS },
  proto: { by: 'k6', values: ANY, on: REQUEST_METRICS },
  tls_version: { by: 'k6', values: ANY, on: REQUEST_METRICS },
  error: { by: 'k6', values: ANY, on: REQUEST_METRICS },
  error_code: {
    by: 'k6',
    values: { shape: /^[0-9]+$/, text: 'a k6 error code, e.g. 1409' },
    on: REQUEST_METRICS,
  },
};

/** The values that depend on the run: its plan's channels, its target profile's operations, its names. */
export interface RunTagValues {
  /** `name`: each operation of the target profile as `METHOD path template`. */
  operations: readonly string[];
  /** `method`: the target profile's HTTP methods. */
  methods: readonly string[];
  /** `channel`: the channels the plan buys on. */
  channels: readonly string[];
  /** `giftlab_profile`, and k6's `scenario` (the script names its one scenario after the profile). */
  profile: readonly string[];
  /** `phase`: the phases of the profile's shape (`PHASES_OF`; spike only, none for the others). */
  phases: readonly string[];
  /** `giftlab_scenario`. */
  scenario: readonly string[];
}

/** The `name` tag of a request to a target profile's operation: its method and path template. */
export function operationName(op: { method: string; path: string }): string {
  return `${op.method} ${op.path}`;
}

export function runTagValues(run: {
  profile: string;
  scenario: string;
  channels: readonly string[];
  target: Pick<TargetProfile, 'operations'>;
}): RunTagValues {
  const ops = Object.values(run.target.operations).filter((op) => op !== undefined && op !== null);
  return {
    operations: ops.map(operationName),
    methods: [...new Set(ops.map((op) => op.method))],
    channels: [...new Set(run.channels)],
    profile: [run.profile],
    phases: isProfile(run.profile) ? PHASES_OF[PROFILE_TABLE[run.profile].shape] : [],
    scenario: [run.scenario],
  };
}

/** The tags a metric's samples can carry, in the table's order. */
export function tagsOn(metric: string): string[] {
  return Object.keys(TAG_TABLE).filter((tag) => {
    const on = TAG_TABLE[tag].on;
    return on === 'all' || on.includes(metric);
  });
}

/** The tags on every sample of a run (`options.tags`). */
export function runTags(w: { profile: string; scenario: string }): Record<string, string> {
  return { giftlab_profile: w.profile, giftlab_scenario: w.scenario };
}

/** A write's tags as the economy streams send them: the op, the operation's name, its channel or context. */
export function requestTags(
  tags:
    | { op: Extract<OpTag, 'purchase'>; name: string; channel: string }
    | { op: Extract<OpTag, 'gift'>; name: string; context: GiftContextTag },
): Record<string, string> {
  return tags as unknown as Record<string, string>;
}
