/**
 * A gift the economy profiles' streams covered (the viewer's purchases all accepted) refused for funds
 * is the backend's mistake: the run fails on `giftlab_covered_refusals` (count<1), although the
 * failure-rate SLOs let 1 % through and the audit sees a consistent refusal. A proxy in front of the
 * reference target refuses every 8th gift with its own 409; the same proxy refusing none passes.
 * Needs k6: skipped without it.
 */
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { CUSTOM_METRICS } from '../../load/k6/lib/summary.ts';
import { BASELINE, capture, K6, startTarget, tempDir } from './support.ts';

const temp = tempDir();
afterAll(() => temp.remove());

/** Forwards to `target`, answering every `every`-th new gift itself with the reference 409 (never: 0). */
async function refusingProxy(
  target: string,
  every: number,
): Promise<{ url: string; close: () => Promise<void> }> {
  const to = new URL(target);
  let gifts = 0;
  // A key's replay gets the answer its first request got, as an idempotent backend's would.
  const refusedKeys = new Map<string, boolean>();
  const refuses = (key: string): boolean => {
    let refused = refusedKeys.get(key);
    if (refused === undefined) {
      refused = every > 0 && ++gifts % every === 0;
      refusedKeys.set(key, refused);
    }
    return refused;
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const key = String(req.headers['idempotency-key'] ?? '');
    if (req.method === 'POST' && req.url?.startsWith('/v1/gifts') && refuses(key)) {
      req.resume();
      res.writeHead(409, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ error: { code: 'GIFT_ERR_INSUFFICIENT_COINS', message: 'not enough coins' } }),
      );
      return;
    }
    const out = request(
      { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

const TITLE =
  K6 === undefined ? 'skipped: no k6 (set K6_BIN or put k6 on PATH)' : `k6 (${K6}): covered gifts refused`;
describe.skipIf(K6 === undefined)(TITLE, () => {
  it('fails the run when a backend refuses gifts the stream covered, and passes when it refuses none', async () => {
    const target = await startTarget(temp.dir, 400, undefined, 'covered');
    try {
      for (const every of [8, 0]) {
        const proxy = await refusingProxy(target.url, every);
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
