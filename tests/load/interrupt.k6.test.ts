/**
 * Ctrl-C during `giftlab load`: the signal reaches k6, which stops early (its exit 105, ExternalAbort);
 * giftlab says it was interrupted, keeps what was sent and audits it, and exits 130 as an interrupted
 * replay does — not "k6 exited 105". Needs k6: skipped without it.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BASELINE, K6, startTarget, tempDir } from './support.ts';

const temp = tempDir();
afterAll(() => temp.remove());

const TITLE =
  K6 === undefined ? 'skipped: no k6 (set K6_BIN or put k6 on PATH)' : `k6 (${K6}): load interrupted`;
describe.skipIf(K6 === undefined)(TITLE, () => {
  it('exits 130 saying it was interrupted, with the acks kept and audited', async () => {
    const target = await startTarget(temp.dir, 20, undefined, 'interrupt');
    try {
      const out = join(temp.dir, 'run');
      const args = ['load', BASELINE, '--target', target.url, '--users', target.usersFile, '--out', out];
      const child = spawn(
        process.execPath,
        ['bin/giftlab.js', ...args, '--profile', 'steady', '--rate', '5/s', '--duration', '60s'],
        { env: { ...process.env, K6_BIN: K6 }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let err = '';
      child.stderr.on('data', (d) => {
        err += String(d);
      });
      child.stdout.resume();
      const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
      // Once k6 is sending (its workload written, a few seconds in), interrupt as a terminal's Ctrl-C would.
      for (let i = 0; i < 200 && !existsSync(join(out, 'workload.json')); i++)
        await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 4000));
      child.kill('SIGINT');
      expect(await closed, err).toBe(130);
      expect(err).toContain('interrupted: a signal (Ctrl-C) stopped k6 before the test');
      expect(err).toContain('the audit of it was clean');
      expect(existsSync(join(out, 'acks.jsonl'))).toBe(true);
      expect(existsSync(join(out, 'audit.txt'))).toBe(true);
    } finally {
      await target.close();
    }
  }, 120_000);
});
