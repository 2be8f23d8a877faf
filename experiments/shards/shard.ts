/**
 * `--shard i/n`: which work items shard i of n computes. Items are numbered in the order the unsharded
 * command lists them (a sweep: point-major, k = point × replications + replication; a run: k =
 * replication) and dealt round-robin: item k belongs to shard (k mod n) + 1. Round-robin rather than
 * blocks, so that expensive points (more viewers, longer durations) spread over every shard. The split
 * never changes what an item computes: its random streams depend on the seed, point and replication
 * only, never on the shard or the worker.
 */

import { assert } from '../../common/assert.ts';
import { InputError, shown } from '../../common/input-error.ts';
import { limits } from '../../common/limits.ts';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

export const SHARD_SPLIT =
  'round-robin: work item k (numbered as the unsharded command lists them) belongs to shard (k mod n) + 1';

export function parseShard(text: string, field = '--shard'): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m === null ? Number.NaN : Number(m[1]);
  const count = m === null ? Number.NaN : Number(m[2]);
  if (m === null || !(index >= 1 && index <= count && count <= limits.shardsMax)) {
    throw new InputError({
      field,
      expected: `i/n with 1 <= i <= n <= ${limits.shardsMax} (1-based), e.g. 2/8`,
      found: shown(text),
    });
  }
  return { index, count };
}

/**
 * More shards than work items leaves some with nothing to compute (and a merge waiting for folders
 * that hold nothing): bad input, named with what the items are (`replications`, `runs`).
 */
export function checkShardCount(shard: Shard, total: number, items: string, field = '--shard'): void {
  if (shard.count <= total) return;
  throw new InputError({
    field: `${field} ${shard.index}/${shard.count}`,
    expected: `at most as many shards as work items (${total})`,
    found: `${shard.count} shards for ${total} ${items}${shard.index > total ? `: shard ${shard.index} would compute nothing` : ''}`,
  });
}

/** The item numbers (ascending) that `shard` computes out of `total`. */
export function shardItems(total: number, shard: Shard): number[] {
  assert(Number.isSafeInteger(total) && total >= 0, 'item count');
  assert(shard.index >= 1 && shard.index <= shard.count, 'shard index in 1..count');
  const out: number[] = [];
  for (let k = shard.index - 1; k < total; k += shard.count) out.push(k);
  return out;
}

export function shardLabel(shard: Shard): string {
  return `shard-${shard.index}-of-${shard.count}`;
}
