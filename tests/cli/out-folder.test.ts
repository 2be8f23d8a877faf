/**
 * `--out` of run, sweep and merge never destroys what giftlab did not write: an existing folder is
 * replaced only when it is an earlier giftlab output of the same kind; the working directory, a folder
 * above it and a folder holding the scenario are refused (exit 2, nothing touched). Output folders
 * get ordinary permissions, not mkdtemp's 0700.
 */
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { captureIo } from '../support/io.ts';

const BASELINE = resolve('scenarios/baseline.yaml');
const TINY = ['--set', 'population.viewers=2000', '--set', 'population.creators=50', '--set', 'duration=6h'];
const root = mkdtempSync(join(tmpdir(), 'giftlab-out-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function giftlab(args: string[], cwd = root): Promise<{ code: number; out: string; err: string }> {
  const c = captureIo(cwd);
  const code = await main([...args, '--quiet'], c.io);
  return { code, out: c.out(), err: c.err() };
}

/** A folder of a user's own files: notes.txt and sub/keep.txt. */
function precious(name: string): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'sub'), { recursive: true });
  writeFileSync(join(dir, 'notes.txt'), 'keep\n');
  writeFileSync(join(dir, 'sub', 'keep.txt'), 'keep\n');
  return dir;
}

function untouched(dir: string): void {
  expect(readdirSync(dir).sort()).toEqual(['notes.txt', 'sub']);
  expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('keep\n');
  expect(readFileSync(join(dir, 'sub', 'keep.txt'), 'utf8')).toBe('keep\n');
}

describe('--out on an existing folder', () => {
  it('run refuses a folder holding files giftlab did not write, and touches nothing', async () => {
    const dir = precious('precious-run');
    const r = await giftlab(['run', BASELINE, ...TINY, '--out', dir]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `giftlab: --out: expected a new folder or an earlier giftlab run folder, found ${dir} holding notes.txt, sub/ (not files of a giftlab run folder)\n`,
    );
    untouched(dir);
    expect(readdirSync(root).filter((n) => n.includes('.partial-') || n.includes('.probe-'))).toEqual([]);
  });

  it('sweep and merge refuse it too', async () => {
    const dir = precious('precious-sweep');
    const sweep = await giftlab([
      'sweep',
      BASELINE,
      ...TINY,
      '--vary',
      'payout.creatorShare=0.4,0.6',
      '--out',
      dir,
    ]);
    expect(sweep.code).toBe(2);
    expect(sweep.err).toContain('--out: expected a new folder or an earlier giftlab sweep folder');
    untouched(dir);
    const shard = join(root, 'shards', 'one');
    expect((await giftlab(['run', BASELINE, ...TINY, '--shard', '1/1', '--out', shard])).code).toBe(0);
    const merge = await giftlab(['merge', shard, '--out', dir]);
    expect(merge.code).toBe(2);
    expect(merge.err).toContain('holding notes.txt, sub/ (not files of a giftlab');
    untouched(dir);
  });

  it('never replaces the working directory or a folder above it', async () => {
    const cwd = precious('precious-cwd');
    const here = await giftlab(['run', BASELINE, ...TINY, '--out', '.'], cwd);
    expect(here.code).toBe(2);
    expect(here.err).toContain('--out: expected a folder other than the working directory or one above it');
    const above = await giftlab(['run', BASELINE, ...TINY, '--out', '..'], join(cwd, 'sub'));
    expect(above.code).toBe(2);
    expect(above.err).toContain('a folder above the working directory');
    // An empty --out (a shell variable left unset) is said to be one, not the working directory.
    const empty = await giftlab(['run', BASELINE, ...TINY, '--out', ''], cwd);
    expect(empty.code).toBe(2);
    expect(empty.err).toContain('--out: expected a folder to write into, found an empty path');
    untouched(cwd);
  });

  it('never replaces the folder holding the scenario', async () => {
    const dir = join(root, 'with-scenario');
    mkdirSync(dir);
    copyFileSync(BASELINE, join(dir, 'baseline.yaml'));
    const r = await giftlab(['run', join(dir, 'baseline.yaml'), ...TINY, '--out', dir]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`which holds the scenario ${join(dir, 'baseline.yaml')}`);
    expect(readdirSync(dir)).toEqual(['baseline.yaml']);
  });

  it("says why a run's own scenario.yaml, run again without --out, may not replace its folder", async () => {
    // The README's rerun: scenario.yaml's default folder, runs/<name>-<seed>, is the one it sits in —
    // an earlier giftlab run folder, refused only because it holds the scenario; the message must not
    // ask for what it found.
    const cwd = join(root, 'rerun');
    mkdirSync(cwd);
    expect((await giftlab(['run', BASELINE, ...TINY], cwd)).code).toBe(0);
    const dir = join(cwd, 'runs', 'baseline-42');
    const before = readdirSync(dir).sort();
    const r = await giftlab(['run', join('runs', 'baseline-42', 'scenario.yaml')], cwd);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `giftlab: --out: expected a folder other than the one holding the scenario (give --out a new folder), found ${join('runs', 'baseline-42')}, which holds the scenario`,
    );
    expect(r.err).not.toContain('an earlier giftlab run folder');
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it('replaces an earlier output of the same kind, not one of another kind', async () => {
    const dir = join(root, 'again');
    expect((await giftlab(['run', BASELINE, ...TINY, '--out', dir])).code).toBe(0);
    expect((await giftlab(['run', BASELINE, ...TINY, '--seed', '7', '--out', dir])).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')).seed).toBe(7);
    const sweep = await giftlab([
      'sweep',
      BASELINE,
      ...TINY,
      '--vary',
      'payout.creatorShare=0.4,0.6',
      '--out',
      dir,
    ]);
    expect(sweep.code).toBe(2);
    expect(sweep.err).toContain(`found ${dir}, a giftlab run folder`);
    expect(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')).seed).toBe(7);
  });

  it('writes into an empty folder', async () => {
    const dir = join(root, 'empty');
    mkdirSync(dir);
    expect((await giftlab(['run', BASELINE, ...TINY, '--out', dir])).code).toBe(0);
    expect(readdirSync(dir)).toContain('summary.json');
  });
});

describe('output folder permissions', () => {
  it('run, sweep and shard folders get 0755 less the umask, not 0700', async () => {
    const reference = join(root, 'reference');
    mkdirSync(reference, { mode: 0o755 });
    const mode = (dir: string) => statSync(dir).mode & 0o777;
    const run = join(root, 'perm-run');
    const sweep = join(root, 'perm-sweep');
    const shard = join(root, 'perm-shard');
    expect((await giftlab(['run', BASELINE, ...TINY, '--out', run])).code).toBe(0);
    expect(
      (await giftlab(['sweep', BASELINE, ...TINY, '--vary', 'payout.creatorShare=0.4,0.6', '--out', sweep]))
        .code,
    ).toBe(0);
    expect((await giftlab(['run', BASELINE, ...TINY, '--shard', '1/1', '--out', shard])).code).toBe(0);
    for (const dir of [run, sweep, shard]) expect(mode(dir), dir).toBe(mode(reference));
  });
});
