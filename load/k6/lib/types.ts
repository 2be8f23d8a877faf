/**
 * The two JSON documents the k6 script reads with `open()`, written by `giftlab load` (Node side):
 *
 * - the **workload**: one run's shape (profile, rates, stages, VUs) and the plan's mixes as cumulative
 *   tables, so that the script draws operations without knowing anything about the model;
 * - the **target profile**: how the operations map onto an HTTP API (paths, headers, body templates,
 *   where the answer states the journal seq and the new balance).
 *
 * Plain data only: this file is shared by the k6 script and the Node code that writes the documents.
 */

import type { LoadProfile, Phase } from './profiles.ts';
import type { StreamLayout } from './streams.ts';

/** What the script writes to the ledger; the ack `kind`. */
/** The writes, in the order a stream's write tuples number them (lib/streams.ts OPS). */
export const WRITE_KINDS = ['purchase', 'gift', 'withdrawal'] as const;
export type WriteKind = (typeof WRITE_KINDS)[number];

/** Operations a target profile maps. The three writes are required; reads are optional. */
export const OPERATIONS = [
  'purchase',
  'gift',
  'withdrawal',
  'viewerBalance',
  'creatorBalance',
  'journal',
  'health',
  'economy',
  'openapi',
] as const;
export type OperationName = (typeof OPERATIONS)[number];

/** Values of the `op` tag on requests and checks: one per operation, reads grouped. */
export const OP_TAGS = ['purchase', 'gift', 'withdrawal', 'read'] as const;
export type OpTag = (typeof OP_TAGS)[number];

/** Pass/fail limits of one `op` tag. */
export interface Slo {
  /** Largest acceptable share of failed requests (k6 `http_req_failed`). */
  errorRate: number;
  p95Ms: number;
  p99Ms: number;
  /** Smallest acceptable share of passed checks. */
  checksRate: number;
}

export interface Operation {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path and query after the target URL, with `{{placeholders}}`. */
  path: string;
  /** Whose token goes into the auth header. */
  as: 'viewer' | 'creator' | 'admin' | 'none';
  /** JSON body template: a string that is exactly `{{name}}` keeps the value's type. */
  body?: unknown;
  /** Statuses that mean the operation was done (or, for reads, answered). */
  ok: number[];
  /** Dotted paths into the answer. */
  read: {
    /** The journal sequence number the write produced (the audit matches acks on it). */
    seq?: string;
    /** The viewer's coins after the operation (purchase, gift, viewerBalance). */
    coins?: string;
    /** The creator's diamonds after the operation (withdrawal, creatorBalance). */
    diamonds?: string;
    /** The error code of a refusal. */
    code?: string;
  };
  /** A refusal for lack of funds: statuses, and the error code when the API has one. */
  insufficient?: { status: number[]; code?: string };
  /** A withdrawal under the minimum. */
  belowMinimum?: { status: number[]; code?: string };
}

export interface TargetProfile {
  name: string;
  /** Sent with every request. */
  headers: Record<string, string>;
  auth: { header: string; template: string };
  idempotency: {
    header: string;
    /** A header the API sets on a replayed answer (optional). */
    replayedHeader?: string;
  };
  operations: Partial<Record<OperationName, Operation>> & Record<WriteKind, Operation>;
  slo: Record<OpTag, Slo>;
  /**
   * Statuses that do not say whether a write happened (a gateway's 502 or 504): their acks are written
   * as outcome unknown (status 0), which the audit allows in the journal at most once. Absent: none.
   */
  outcomeUnknown?: number[];
}

/** A purchase channel: its packs sorted by coins (the model's shelf). */
export interface WorkloadChannel {
  id: string;
  packs: WorkloadPack[];
}

export interface WorkloadPack {
  id: string;
  coins: number;
  /**
   * The pack's share of the channel's purchases in the plan (the channel's shares sum to 1, or are all
   * 0 when the plan saw no purchase on it): the streams draw packs by it (`lib/pick.ts` `packsDrawn`).
   */
  share: number;
}

/** A spender class (payers ranked by what they spent in the simulation). */
export interface SpenderClass {
  name: string;
  /** Share of payers in the class. */
  payerShare: number;
  /** Cumulative share of gift intents (over classes, in order). */
  intentCum: number;
  /** Cumulative weights over `Workload.gifts`. */
  giftCum: number[];
  /** Mean `count` per request of each of `Workload.gifts` (the model sends combos). */
  countMean: number[];
  /** Cumulative weights over `Workload.channels`: the channel a payer of this class buys on. */
  channelCum: number[];
}

/** A run of creator ranks [fromRank, toRank) that share gifts evenly; hot streams are runs of one. */
export interface CreatorBucket {
  fromRank: number;
  toRank: number;
  /** Cumulative gift share up to and including this bucket. */
  cum: number;
}

export interface Workload {
  version: 1;
  scenario: string;
  seed: number;
  profile: LoadProfile;
  durationSeconds: number;
  /** VUs of the main scenario (all pre-allocated, so that each VU owns a fixed slice of users). */
  vus: number;
  /** The most VUs the users can keep busy (each economy or smoke VU owns its own viewers). */
  vusLimit: number;
  /** Iterations per VU (smoke). */
  iterations: number;
  rate: {
    /** Arrivals per second: held (constant-arrival-rate) or the ramp's start (ramping-arrival-rate). */
    perSecond: number;
    /** The highest rate of the run. */
    peak: number;
  };
  /**
   * ramping-arrival-rate stages in arrivals per second (spike, soak), each ramping from the last; a shape
   * in phases (spike) says each stage's phase, which tags the requests sent in it (`lib/phases.ts`).
   */
  stages: { target: number; durationMs: number; phase?: Phase }[];
  /** What the run must deliver. */
  asked: {
    /** Arrivals (k6 iterations) over the run. */
    arrivals: number;
    /** Requests one arrival makes on average (sizes VUs; `giftlab load` prints requests asked). */
    requestsPerArrival: number;
    /** Least share of `arrivals` delivered; below it (or any dropped iteration) the run fails. */
    deliveredMin: number;
    /** The delivered share is a threshold of this k6 instance (false when distributed). */
    judged: boolean;
  };
  /** Extra thresholds asked for with `--threshold`: metric → expressions. */
  thresholds: Record<string, string[]>;
  /** The plan's pools; the users file may hold fewer (the script folds ranks onto what it has). */
  pools: { viewers: number; creators: number };
  channels: WorkloadChannel[];
  gifts: { id: string; coins: number }[];
  classes: SpenderClass[];
  /** Share of gifts sent on live streams (the rest on videos). */
  streamShare: number;
  creators: CreatorBucket[];
  withdrawal: {
    minDiamonds: number;
    /** Creators cash out once past this (the scenario's `creators.withdrawAtDiamonds`). */
    atDiamonds: number;
    /** Coins that surely credit one diamond (⌈1 / creator share⌉), for the smoke's withdrawal. */
    coinsPerDiamond: number;
    /** The creator share in basis points: the race sizes gifts whose diamonds do not come out whole. */
    creatorShareBp: number;
  };
  /** Largest `count` of one gift request the economy accepts. */
  giftCountMax: number;
  /** Share of writes sent again with the same key and body, to check idempotent replays. */
  replayShare: number;
  /** Share of economy gift intents sent from two devices at once. */
  doubleTapShare: number;
  /** The economy profiles' precomputed request streams (`lib/streams.ts`); absent for smoke and race. */
  streams?: StreamLayout;
  race: { hotViewers: number; hotCreators: number };
  /** Largest number of packs bought towards one gift (the model's bound). */
  packsPerGiftMax: number;
}

/** What the script records for each write, as JSON lines for the audit (`load/audit`). */
export interface AckRecord {
  opId: string;
  kind: WriteKind;
  /** HTTP status; 0 when the outcome is unknown (sent, no answer yet or never). */
  status: number;
  response: unknown;
}
