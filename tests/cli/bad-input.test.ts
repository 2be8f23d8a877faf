/**
 * Bad input exits 2 with a message naming the field — never "internal error" (exit 1): output folders
 * that cannot be created, scenario values the model cannot use, whichever command meets them first.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

describe('YAML aliases the yaml library cannot resolve', () => {
  // The baseline with its seed (line 9) an alias to no anchor.
  const text = readFileSync(BASELINE, 'utf8');
  const seedLine = text.split('\n').findIndex((l) => l.startsWith('seed:')) + 1;
  const unresolved = join(root, 'unresolved.yaml');
  writeFileSync(unresolved, text.replace(/^seed: .*$/m, 'seed: *nope'));
  const expected = `yaml (line ${seedLine}): expected an anchor defined before the alias, found *nope`;

  it('validate, run, sweep, serve --scenario and calibrate exit 2 naming the line', async () => {
    for (const args of [
      ['validate', unresolved],
      ['run', unresolved, ...TINY],
      ['sweep', unresolved, ...TINY, '--vary', 'payout.creatorShare=0.4,0.6'],
      ['serve', '--scenario', unresolved],
      ['calibrate', unresolved, '--target', 'payerConversion=0.02', '--fit', 'viewers.payerShare=0.02:0.08'],
    ]) {
      const r = await giftlab(args);
      expect([r.code, r.err], args.join(' ')).toEqual([
        2,
        `giftlab: ${unresolved}: 1 problem\n  ${expected}\n`,
      ]);
    }
  });

  it('calibrate --targets names the targets file’s line', async () => {
    const targets = join(root, 'targets.yaml');
    writeFileSync(targets, 'targets:\n  payerConversion: &v 0.02\n  giftsPerPayer: *nope\n');
    const r = await giftlab([
      'calibrate',
      BASELINE,
      '--targets',
      targets,
      '--fit',
      'viewers.payerShare=0.02:0.08',
    ]);
    expect([r.code, r.err]).toEqual([
      2,
      `giftlab: ${targets}: 1 problem\n  yaml (line 3): expected an anchor defined before the alias, found *nope\n`,
    ]);
  });

  it('an alias bomb exits 2 before anything expands it', async () => {
    const bomb = join(root, 'bomb.yaml');
    const lol = (name: string, item: string) => `${name}: &${name} [${Array(9).fill(item).join(', ')}]`;
    writeFileSync(
      bomb,
      [
        `extends: ${BASELINE}`,
        lol('a', 'lol'),
        lol('b', '*a'),
        lol('c', '*b'),
        lol('d', '*c'),
        lol('e', '*d'),
      ].join('\n'),
    );
    const r = await giftlab(['validate', bomb]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('yaml (line 5): expected at most 100 aliases');
    expect(r.err).toContain('found more (a YAML alias bomb?)');
  });
});

describe('an empty positional argument (an unset shell variable)', () => {
  it('is called one, named by the argument, before anything resolves it to the working directory', async () => {
    const cases: [string[], string][] = [
      [['run', ''], 'scenario'],
      [['validate', '  '], 'scenario'],
      [['sweep', '', '--vary', 'seed=1,2'], 'scenario'],
      [['compare', BASELINE, ''], 'runB'],
      [['merge', root, ''], 'dirs'],
      [['replay', ''], 'run|journal'],
    ];
    for (const [args, name] of cases) {
      const r = await giftlab(args);
      expect([args[0], r.code, r.err]).toEqual([
        args[0],
        2,
        `giftlab: ${name}: expected a path, found an empty argument\n`,
      ]);
      expect(r.out).toBe('');
    }
  });
});
