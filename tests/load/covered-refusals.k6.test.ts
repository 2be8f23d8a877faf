/**
 * A gift the economy profiles' streams covered (the viewer's purchases all accepted) refused for funds
 * is the backend's mistake: the run fails on `giftlab_covered_refusals` (count<1), although the
 * failure-rate SLOs let 1 % through and the audit sees a consistent refusal. A proxy in front of the
 * reference target refuses every 8th gift with its own 409; the same proxy refusing none passes.
 * Needs k6: skipped without it.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { CUSTOM_METRICS } from '../../load/k6/lib/summary.ts';
import { BASELINE, capture, giftGateway, K6, startTarget, tempDir } from './support.ts';

const temp = tempDir();
afterAll(() => temp.remove());

/** Every `every`-th new gift key refused (never: 0); a key's replay gets its first answer, as an idempotent backend's would. */
function everyNth(every: number): (key: string) => boolean {
  let gifts = 0;
  const refused = new Map<string, boolean>();
  return (key) => {
    let r = refused.get(key);
    if (r === undefined) {
      r = every > 0 && ++gifts % every === 0;
      refused.set(key, r);
    }
    return r;
  };
}

const TITLE =
  K6 === undefined ? 'skipped: no k6 (set K6_BIN or put k6 on PATH)' : `k6 (${K6}): covered gifts refused`;
describe.skipIf(K6 === undefined)(TITLE, () => {
  it('fails the run when a backend refuses gifts the stream covered, and passes when it refuses none', async () => {
    const target = await startTarget(temp.dir, 400, undefined, 'covered');
    try {
      for (const every of [8, 0]) {
        const proxy = await giftGateway(target.url, { refuseGift: everyNth(every) });
        try {
          const c = capture(temp.dir, { ...process.env, K6_BIN: K6 });
          const out = join(temp.dir, `run-${every}`);
          const code = await main(
            [
              'load',
              BASELINE,
              '--target',
              proxy.url,
              '--users',
              target.usersFile,
              '--profile',
              'steady',
            ].concat(['--rate', '20/s', '--duration', '6s', '--out', out]),
            c.io,
          );
          const said = c.out() + c.err();
          if (every > 0) {
            expect(code, said.slice(-3000)).toBe(99);
            expect(said).toMatch(new RegExp(`${CUSTOM_METRICS.coveredRefusals}.*count<1`));
            expect(said).toMatch(/covered gifts refused [1-9]/);
          } else {
            expect(code, said.slice(-3000)).toBe(0);
            expect(said).toContain('covered gifts refused 0');
          }
        } finally {
          await proxy.close();
        }
      }
    } finally {
      await target.close();
    }
  }, 240_000);
});
