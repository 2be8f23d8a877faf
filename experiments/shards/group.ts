/**
 * Do these shard folders belong together? Same kind, scenario (hash), spec, seed, replications and
 * shard count; every shard 1..n present exactly once; each holding exactly its own items. Every
 * problem found is reported at once, naming the folders involved (exit 2); then the items are joined
 * in the unsharded order.
 */
import { assert } from '../../common/assert.ts';
import { InputError, type InputProblem } from '../../common/input-error.ts';
import { firstDifference } from './canonical.ts';
import type { LoadedShard, ResultLine, ShardKind, ShardManifest } from './folder.ts';
import { shardItems } from './shard.ts';

export function checkShardGroup(shards: readonly LoadedShard[]): void {
  if (shards.length === 0) throw new InputError({ field: 'merge', expected: 'shard folders', found: 'none' });
  const problems: InputProblem[] = [];
  const first = shards[0];
  const m0 = first.manifest;
  for (const s of shards.slice(1)) {
    const m = s.manifest;
    const against = `as in ${first.shown}`;
    const differ = (what: string, a: unknown, b: unknown) =>
      problems.push({ field: s.shown, expected: `${what} ${String(a)} ${against}`, found: String(b) });
    if (m.kind !== m0.kind) differ('a shard of a', m0.kind, m.kind);
    if (m.scenarioHash !== m0.scenarioHash) {
      // A value that differs is named before the --set lists that may have made it differ.
      const { overrides: _a, ...values0 } = m0.scenario;
      const { overrides: _b, ...values } = m.scenario;
      const where = firstDifference(values0, values) ?? 'overrides';
      differ(
        'scenario',
        `${m0.scenarioName} (${m0.scenarioHash.slice(0, 19)}…)`,
        `${m.scenarioName} (${m.scenarioHash.slice(0, 19)}…; differs at ${where})`,
      );
    }
    const spec = firstDifference(m0.spec, m.spec);
    if (spec !== undefined)
      problems.push({
        field: s.shown,
        expected: `the same ${m0.kind} spec ${against}`,
        found: `a different ${spec}`,
      });
    if (m.seed !== m0.seed) differ('seed', m0.seed, m.seed);
    if (m.replications !== m0.replications) differ('replications', m0.replications, m.replications);
    if (m.shard.count !== m0.shard.count)
      differ('a shard of', `n = ${m0.shard.count}`, `n = ${m.shard.count}`);
    if (m.items.total !== m0.items.total) differ('total items', m0.items.total, m.items.total);
  }
  if (problems.length === 0) problems.push(...indexProblems(shards), ...itemProblems(shards));
  if (problems.length > 0) throw new InputError(problems, 'merge');
}

/**
 * Checks the group (exit 2 on a mismatch) and returns its manifest (the first shard's, which the rest
 * now match): a `kind` merger is only handed shards of that kind.
 */
export function checkedGroupManifest<Spec>(
  shards: readonly LoadedShard[],
  kind: ShardKind,
): ShardManifest<Spec> {
  checkShardGroup(shards);
  const m = shards[0].manifest as ShardManifest<Spec>;
  assert(m.kind === kind, `${kind} shards`);
  return m;
}

/** A merged folder's wall time: the sum of its shards' own. */
export function summedWallSeconds(shards: readonly LoadedShard[]): number {
  return shards.reduce((s, x) => s + x.manifest.wallSeconds, 0);
}

function indexProblems(shards: readonly LoadedShard[]): InputProblem[] {
  const n = shards[0].manifest.shard.count;
  const byIndex = new Map<number, string[]>();
  for (const s of shards)
    byIndex.set(s.manifest.shard.index, [...(byIndex.get(s.manifest.shard.index) ?? []), s.shown]);
  const problems: InputProblem[] = [];
  for (const [index, dirs] of [...byIndex].sort((a, b) => a[0] - b[0])) {
    if (dirs.length > 1)
      problems.push({
        field: `shard ${index}/${n}`,
        expected: 'once',
        found: `${dirs.length} times (${dirs.join(', ')})`,
      });
  }
  const missing: number[] = [];
  for (let i = 1; i <= n; i++) if (!byIndex.has(i)) missing.push(i);
  if (missing.length > 0) {
    const list = missing.length > 20 ? `${missing.slice(0, 20).join(', ')}, …` : missing.join(', ');
    problems.push({
      field: `shards of ${n}`,
      expected: `all of 1..${n}`,
      found: `missing ${list} (${missing.length} of ${n})`,
    });
  }
  return problems;
}

function itemProblems(shards: readonly LoadedShard[]): InputProblem[] {
  const problems: InputProblem[] = [];
  for (const s of shards) {
    const want = shardItems(s.manifest.items.total, s.manifest.shard);
    const got = s.lines.map((l) => l.item);
    if (want.length !== got.length || want.some((k, i) => got[i] !== k)) {
      problems.push({
        field: `${s.shown}/results.jsonl`,
        expected: `items ${preview(want)} (${want.length}) for shard ${s.manifest.shard.index}/${s.manifest.shard.count}`,
        found: `${preview(got)} (${got.length})`,
      });
    }
  }
  return problems;
}

function preview(items: readonly number[]): string {
  if (items.length === 0) return 'none';
  return items.length > 6
    ? `${items.slice(0, 5).join(', ')}, …, ${items[items.length - 1]}`
    : items.join(', ');
}

/** Every shard's lines in item order (0..total−1): what the unsharded command computed. */
export function joinShards<Line extends ResultLine>(shards: readonly LoadedShard<unknown, Line>[]): Line[] {
  const total = shards[0].manifest.items.total;
  const out: Line[] = new Array(total);
  for (const s of shards) for (const line of s.lines) out[line.item] = line;
  return out;
}
