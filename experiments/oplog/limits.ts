/**
 * Bounds of `giftlab run --journal`. A journal keeps every entry in memory and on disk, and replay sends
 * each operation as one HTTP request (about a thousand a second against the reference server), so the
 * operation log is meant for small populations: a cross-check, not a load test.
 */
import { assert } from '../../common/assert.ts';
import { limits } from '../../common/limits.ts';

export const oplogLimits = {
  /** `population.viewers` above this is refused (exit 2): replay maps each viewer onto a target user. */
  viewersMax: 100_000,
  /** `population.creators` above this is refused. */
  creatorsMax: 100_000,
  /** Operations above this are refused after the run: the log would take hours to replay. */
  opsMax: 2_000_000,
  /** Operations above this are written, with a warning on stderr that replay will take minutes. */
  opsWarn: 100_000,
} as const;

assert(oplogLimits.viewersMax <= limits.viewersMax, 'journal viewers within the population limit');
assert(oplogLimits.creatorsMax <= limits.creatorsMax, 'journal creators within the population limit');
assert(oplogLimits.opsWarn < oplogLimits.opsMax, 'the warning comes before the refusal');
