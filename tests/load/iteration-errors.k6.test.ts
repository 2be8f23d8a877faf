/**
 * An iteration that throws fails the run. k6 counts it in `iterations` (delivered) although it sent
 * nothing more, and a run whose every iteration threw judged each SLO over no samples: a k6-operator
 * runner whose execution segment does not match the one its streams were built for threw on every
 * iteration, sent no request and passed (with `--emit-k8s` no `iterations` threshold is set). Needs k6:
 * skipped without it.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { BASELINE, capture, K6, startTarget, tempDir } from './support.ts';

const temp = tempDir();
afterAll(() => temp.remove());

const TITLE =
  K6 === undefined
    ? 'skipped: no k6 (set K6_BIN or put k6 on PATH)'
    : `k6 (${K6}): an iteration that threw fails the run`;
describe.skipIf(K6 === undefined)(TITLE, () => {
  it('a runner on another execution segment than its streams: every iteration throws, exit 99 naming it', async () => {
    const target = await startTarget(temp.dir, 20, undefined, 'segments');
    try {
      const out = join(temp.dir, 'run');
      const c = capture(temp.dir, { ...process.env, K6_BIN: K6 });
      const args = ['load', BASELINE, '--target', target.url, '--users', target.usersFile, '--out', out];
      const extra = ['--profile', 'steady', '--rate', '5/s', '--duration', '2s', '--no-audit'];
      expect(await main([...args, ...extra], c.io), c.err()).toBe(0);
      // The run's own inputs, without the iterations threshold (as the k6-operator's runners have it),
      // on half of the test: the streams were laid out for the whole of it.
      const workload = JSON.parse(readFileSync(join(out, 'workload.json'), 'utf8'));
      workload.asked.judged = false;
      const distributed = join(temp.dir, 'workload-distributed.json');
      writeFileSync(distributed, JSON.stringify(workload));
      const env = {
        GIFTLAB_WORKLOAD: distributed,
        GIFTLAB_TARGET_PROFILE: join(out, 'target-profile.json'),
        GIFTLAB_USERS: target.usersFile,
        GIFTLAB_TARGET: target.url,
        GIFTLAB_RUN_ID: 'segments',
        GIFTLAB_OUT_DIR: temp.dir,
        GIFTLAB_STREAMS: join(out, 'streams.json'),
      };
      const k6 = spawnSync(
        K6 as string,
        [
          'run',
          '--no-usage-report',
          '--address',
          '',
          '--execution-segment',
          '0:1/2',
          ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
          join('load', 'dist', 'giftlab-k6.js'),
        ],
        { encoding: 'utf8', env: { ...process.env, K6_NO_USAGE_REPORT: 'true' } },
      );
      expect(k6.stderr + k6.stdout).toContain('the streams were built for segments');
      expect(k6.stdout).toMatch(/^ {2}all +0 /m);
      expect(k6.stdout).toMatch(/^ {2}FAIL giftlab_iteration_errors count<1 {2}\(count = [1-9]\d*\)$/m);
      expect(k6.status).toBe(99);
    } finally {
      await target.close();
    }
  }, 120_000);
});
