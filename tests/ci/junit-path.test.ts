/**
 * `--junit` as the README writes it on a fresh clone (`--junit runs/junit/web-push.xml`, no such folder
 * yet) writes the file, creating its folder; a path that cannot be written exits 2 naming --junit
 * before anything runs — not after the run, where exit 2 would hide a crossed threshold (99).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { giftlab, tmp } from '../replay/support.ts';

const BASELINE = 'scenarios/baseline.yaml';
const SMALL = ['--set', 'population.viewers=1000', '--seed', '7', '--quiet'];

function blockedPath(): string {
  const file = join(tmp(), 'a-file');
  writeFileSync(file, '');
  return join(file, 'junit.xml');
}

describe('run --junit', () => {
  it('a file in a folder that does not exist yet: written, folder created', async () => {
    const junit = join(tmp(), 'runs', 'junit', 'web-push.xml');
    const r = await giftlab(['run', BASELINE, ...SMALL, '--out', join(tmp(), 'run'), '--junit', junit]);
    expect(r.code, r.err).toBe(0);
    expect(existsSync(junit)).toBe(true);
  });

  it('a path that cannot be written: exit 2 naming --junit, before the run (nothing written)', async () => {
    const out = join(tmp(), 'run');
    const r = await giftlab([
      'run',
      BASELINE,
      ...SMALL,
      '--out',
      out,
      '--junit',
      blockedPath(),
      '--threshold',
      'giftsSent>1e12',
    ]);
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(/^giftlab: --junit: expected a file to write/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('sweep --junit', () => {
  const sweep = (out: string, junit: string) =>
    giftlab([
      'sweep',
      BASELINE,
      ...SMALL,
      '--vary',
      'payout.creatorShare=0.5,0.6',
      '--threshold',
      'giftsSent>0',
      '--out',
      out,
      '--junit',
      junit,
    ]);

  it('a file in a folder that does not exist yet: written, folder created', async () => {
    const junit = join(tmp(), 'junit', 'sweep.xml');
    const r = await sweep(join(tmp(), 'sweep'), junit);
    expect(r.code, r.err).toBe(0);
    expect(existsSync(junit)).toBe(true);
  });

  it('a path that cannot be written: exit 2 naming --junit, before the sweep', async () => {
    const out = join(tmp(), 'sweep');
    const r = await sweep(out, blockedPath());
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(/^giftlab: --junit: expected a file to write/);
    expect(existsSync(out)).toBe(false);
  });
});
