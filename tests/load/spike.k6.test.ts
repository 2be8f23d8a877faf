/**
 * The spike judged by phase, with a real k6 (K6_BIN or PATH; skipped without one). An engineer's review
 * found that a spike run passed with every gift taking 2 s (its latency limits ×10 over the whole run):
 * here a proxy in front of the reference server holds every gift back, so the base rate before and after
 * the spike is as slow as the spike itself — and the run fails on the phases at the base rate, while the
 * spike's own, ×10 looser, passes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { BASELINE, capture, giftGateway, K6, startTarget, tempDir } from './support.ts';

const temp = tempDir();
afterAll(() => temp.remove());

const TITLE =
  K6 === undefined
    ? 'skipped: no k6 (set K6_BIN or put k6 on PATH)'
    : `k6 (${K6}): the spike judged by phase`;
describe.skipIf(K6 === undefined)(TITLE, () => {
  it('gifts 600 ms slow all along: the phases before and after the spike fail their SLO (exit 99), the spike’s ×10 passes', async () => {
    const target = await startTarget(temp.dir, 100, undefined, 'spike-slow');
    const proxy = await giftGateway(target.url, { giftDelayMs: 600 });
    const out = join(temp.dir, 'spike-slow');
    const c = capture(temp.dir, { ...process.env, K6_BIN: K6 });
    try {
      const code = await main(
        [
          'load',
          BASELINE,
          '--target',
          proxy.url,
          '--users',
          target.usersFile,
          '--profile',
          'spike',
          '--rate',
          '20/s',
          '--duration',
          '6s',
          // Sized by the proxy's fast health round trip, the VUs would be too few for 600 ms gifts.
          '--vus',
          '40',
          '--out',
          out,
        ],
        c.io,
      );
      const stdout = c.out();
      expect(stdout).toContain('  FAIL http_req_duration{op:gift,phase:after} p(95)<500');
      expect(stdout).toContain('  ok   http_req_duration{op:gift,phase:spike} p(95)<5000');
      expect(stdout).toMatch(/^ {2}ok {3}dropped_iterations count<1$/m);
      expect(c.err()).toContain('giftlab: k6: thresholds crossed (exit 99); the audit was clean');
      expect(c.err()).toContain(
        '(2/s spiking to 20/s and back for 6 s: before 1.2 s, spike 2.4 s, after 2.4 s)',
      );
      expect(code).toBe(99);
      // Every phase had its gifts, each as slow as the proxy made it.
      const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as {
        metrics: Record<string, { values: Record<string, number> }>;
      };
      for (const phase of ['before', 'spike', 'after']) {
        const gifts = summary.metrics[`http_req_duration{op:gift,phase:${phase}}`].values;
        expect(gifts.count, phase).toBeGreaterThan(0);
        expect(gifts.min, phase).toBeGreaterThanOrEqual(600);
      }
    } finally {
      await proxy.close();
      await target.close();
    }
  });
});
