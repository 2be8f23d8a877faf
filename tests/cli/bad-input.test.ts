/**
 * Bad input exits 2 with a message naming the field — never "internal error" (exit 1): output folders
 * that cannot be created, scenario values the model cannot use, whichever command meets them first.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { captureIo } from '../support/io.ts';

const BASELINE = resolve('scenarios/baseline.yaml');
const TINY = ['--set', 'population.viewers=2000', '--set', 'population.creators=50', '--set', 'duration=6h'];
const root = mkdtempSync(join(tmpdir(), 'giftlab-bad-input-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function giftlab(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const c = captureIo(root);
  const code = await main(args, c.io);
  return { code, out: c.out(), err: c.err() };
}

describe('--out that cannot be created', () => {
  it.skipIf(!existsSync('/proc/self'))(
    'run --out /proc/nope exits 2 naming --out, before simulating',
    async () => {
      const r = await giftlab(['run', BASELINE, ...TINY, '--out', '/proc/nope']);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(
        /^giftlab: --out: expected a folder to write into, found \/proc\/nope: cannot write in \/proc/,
      );
      expect(r.out).toBe('');
    },
  );

  it('run, sweep and merge with --out under a file exit 2 naming --out', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    const out = join(file, 'run');
    const run = await giftlab(['run', BASELINE, ...TINY, '--out', out]);
    expect([run.code, run.err]).toEqual([
      2,
      `giftlab: --out: expected a folder to write into, found ${out}: ${file} is not a folder\n`,
    ]);
    const sweep = await giftlab([
      'sweep',
      BASELINE,
      ...TINY,
      '--vary',
      'payout.creatorShare=0.4,0.6',
      '--out',
      out,
    ]);
    expect(sweep.code).toBe(2);
    expect(sweep.err).toContain('--out: expected a folder to write into');
    const shard = join(root, 'shard');
    expect(
      (await giftlab(['run', BASELINE, ...TINY, '--shard', '1/1', '--out', shard, '--quiet'])).code,
    ).toBe(0);
    const merge = await giftlab(['merge', shard, '--out', out]);
    expect(merge.code).toBe(2);
    expect(merge.err).toContain('--out: expected a folder to write into');
  });
});

describe('a channel mix with no share', () => {
  const empty = ['--set', 'viewers.channels={}'];
  const zeros = ['--set', 'viewers.channels.app=0', '--set', 'viewers.channels.web=0'];
  const expected =
    /viewers\.channels.*: expected a share above 0 for at least one channel of pricing\.channels \(app, web\)/;

  it('validate, run and sweep reject it with exit 2 naming the path', async () => {
    for (const args of [
      ['validate', BASELINE, ...empty],
      ['validate', BASELINE, ...zeros],
      ['run', BASELINE, ...TINY, ...empty],
      ['run', BASELINE, ...TINY, ...zeros],
      ['sweep', BASELINE, ...TINY, ...zeros, '--vary', 'payout.creatorShare=0.4,0.6'],
    ]) {
      const r = await giftlab(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(expected);
    }
  });
});

describe('run --shard with more shards than replications', () => {
  it('exits 2 instead of writing an empty shard', async () => {
    const out = join(root, 'empty-shard');
    const r = await giftlab(['run', BASELINE, ...TINY, '--shard', '2/2', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'giftlab: --shard 2/2: expected at most as many shards as work items (1), found 2 shards for 1 replication: shard 2 would compute nothing\n',
    );
    expect(existsSync(out)).toBe(false);
    const three = await giftlab([
      'run',
      BASELINE,
      ...TINY,
      '--replications',
      '2',
      '--shard',
      '1/3',
      '--out',
      out,
    ]);
    expect(three.code).toBe(2);
    expect(three.err).toContain('--shard 1/3: expected at most as many shards as work items (2)');
  });
});
