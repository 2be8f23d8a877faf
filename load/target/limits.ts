/**
 * Bounds of the reference target, beside the project-wide ones in `common/limits.ts`. Every queue and page
 * the server keeps is bounded by one of these; how they relate to each other is asserted at load.
 */
import { assert } from '../../common/assert.ts';
import { limits } from '../../common/limits.ts';

export const targetLimits = {
  /** Request bodies larger than this are answered 413 before they are parsed. */
  bodyBytesMax: limits.requestBodyBytesMax,
  /** Journal and balance pages. */
  pageMax: limits.journalPageMax,
  pageDefault: 1_000,
  /** Writes committed together in one transaction (one fsync); a fuller queue is flushed at once. */
  commitBatchMax: 1_024,
  /** Idempotency keys: printable ASCII, at most this long. */
  idempotencyKeyCharsMax: 128,
  /** Bearer tokens in a users file (the server's own are about 60 characters). */
  tokenCharsMax: 512,
  /** Viewer and creator ids are 0 ≤ id < this (the in-memory ledger's bound too). */
  userIdMax: 2 ** 28,
  /** `--seed-users n`. */
  seedUsersMax: 1_000_000,
  /** Stream or video id a gift is sent on. */
  contextIdCharsMax: 128,
  /** Writes answered on the `slow` fault's deadline while they go on to commit. */
  slowLatencyMsMin: 20,
  slowLatencyMsMax: 200,
  slowDeadlineMs: 100,
} as const;

assert(targetLimits.pageDefault <= targetLimits.pageMax, 'default page larger than the largest page');
assert(targetLimits.commitBatchMax >= 1, 'a commit batch holds at least one write');
assert(targetLimits.userIdMax <= limits.viewersMax * 8, 'user ids bounded near the population limits');
assert(
  targetLimits.slowLatencyMsMin < targetLimits.slowDeadlineMs &&
    targetLimits.slowDeadlineMs < targetLimits.slowLatencyMsMax,
  'the slow fault must answer some writes in time and miss the deadline on others',
);
