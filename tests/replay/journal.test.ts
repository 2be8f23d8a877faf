/**
 * `giftlab run --journal`: ops.jsonl (header + one operation a line) and journal.jsonl (the ledger's
 * entries in the journal entry shape (ARCHITECTURE.md), opIds shared with the operations) beside the run's outputs, replication
 * 0 only, refused for populations past the documented bound and for shards.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { oplogLimits } from '../../common/limits.ts';
import { giftlab, SMALL_RUN, tmp } from './support.ts';

const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

let dir: string;
let out: string;

beforeAll(async () => {
  dir = join(tmp(), 'run');
  const r = await giftlab(['run', 'scenarios/baseline.yaml', ...SMALL_RUN, '--journal', '--out', dir]);
  expect(r.code, r.err).toBe(0);
  out = r.out;
});

describe('giftlab run --journal', () => {
  it('writes the operations and the journal, one id for both', () => {
    const [header, ...ops] = lines(join(dir, 'ops.jsonl'));
    const entries = lines(join(dir, 'journal.jsonl'));
    expect(header).toMatchObject({
      format: 'giftlab-ops/1',
      scenario: 'baseline',
      seed: 42,
      replication: 0,
      population: { viewers: 2000, creators: 20 },
      ops: ops.length,
      entries: entries.length,
    });
    expect(header.economy.creatorShareBp).toBe(5000);
    expect(new Set(ops.map((o) => o.kind))).toEqual(new Set(['purchase', 'gift', 'withdrawal']));
    expect(ops[0]).toEqual({
      opId: 'sim-1',
      kind: 'purchase',
      viewer: expect.any(Number),
      channel: expect.any(String),
      pack: expect.any(String),
      at: expect.any(Number),
      result: 'ok',
    });
    const accepted = ops.filter((o) => o.result === 'ok');
    expect(entries.map((e) => e.opId)).toEqual(accepted.map((o) => o.opId));
    expect(entries.map((e) => e.kind)).toEqual(accepted.map((o) => o.kind));
    expect(entries[0]).toMatchObject({ seq: 1, opId: 'sim-1', kind: 'purchase' });
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(ops.filter((o) => o.kind === 'gift').length).toBe(summary.kpis.giftsSent);
    expect(out).toContain(`journal: ${ops.length.toLocaleString('en-US')} operations`);
  });

  it('writes a journal the audit reads clean', async () => {
    const r = await giftlab([
      'audit',
      '--journal',
      join(dir, 'journal.jsonl'),
      '--scenario',
      'scenarios/baseline.yaml',
    ]);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('clean');
  });

  it('records replication 0 only, the same operations whatever the replication count', async () => {
    const three = join(tmp(), 'three');
    const r = await giftlab([
      'run',
      'scenarios/baseline.yaml',
      ...SMALL_RUN,
      '--journal',
      '--replications',
      '2',
      '--workers',
      '1',
      '--out',
      three,
    ]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('(replication 0 only)');
    expect(readFileSync(join(three, 'ops.jsonl'), 'utf8')).toBe(readFileSync(join(dir, 'ops.jsonl'), 'utf8'));
  });

  it('refuses populations past the bound and shards, before running (exit 2)', async () => {
    const big = join(tmp(), 'big');
    const viewers = oplogLimits.viewersMax + 1;
    const r = await giftlab([
      'run',
      'scenarios/baseline.yaml',
      '--set',
      `population.viewers=${viewers}`,
      '--journal',
      '--out',
      big,
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `population.viewers: expected at most ${oplogLimits.viewersMax.toLocaleString('en-US')}`,
    );
    expect(existsSync(big)).toBe(false);
    const shard = await giftlab([
      'run',
      'scenarios/baseline.yaml',
      ...SMALL_RUN,
      '--journal',
      '--replications',
      '2',
      '--shard',
      '1/2',
      '--out',
      join(tmp(), 's'),
    ]);
    expect(shard.code).toBe(2);
    expect(shard.err).toContain('--journal: expected a run without --shard');
  });
});
