/**
 * Fuzz: generated and hand-picked hostile requests never get a 5xx, and a refused request never moves
 * a balance or writes an entry. (A request that happens to be valid may succeed; it is then the new
 * baseline.)
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HostileRequest, hostileRequestArb } from './support/hostile.ts';
import { auth, injectedTarget, type TestTarget } from './support/server.ts';

let t: TestTarget;
const internal: unknown[] = [];
beforeAll(async () => {
  t = await injectedTarget({ onInternalError: (e) => internal.push(e) }, 2);
  const v = t.users.viewers[0];
  await t.app.inject({
    method: 'POST',
    url: '/v1/purchases',
    headers: auth(v.token, 'seed'),
    payload: { viewerId: 0, channel: 'app', pack: 'c1400' },
  });
});
afterAll(() => t.close());

async function ledgerState(): Promise<string> {
  const admin = auth(t.users.adminToken);
  const journal = await t.app.inject({ url: '/v1/journal?limit=10000', headers: admin });
  const balances = await t.app.inject({ url: '/v1/balances?limit=10000', headers: admin });
  return `${journal.body}\n${balances.body}`;
}

async function send(r: HostileRequest) {
  const payload = typeof r.payload === 'string' ? r.payload : JSON.stringify(r.payload ?? null);
  return t.app.inject({ method: 'POST', url: r.url, headers: r.headers, payload });
}

describe('hostile requests', () => {
  it('get 4xx with a { code, message } body, never 5xx, and change nothing when refused', async () => {
    let before = await ledgerState();
    await fc.assert(
      fc.asyncProperty(hostileRequestArb(t.users), async (request) => {
        const r = await send(request);
        expect(r.statusCode, r.body).toBeLessThan(500);
        const after = await ledgerState();
        if (r.statusCode >= 400) {
          const body = r.json();
          expect(typeof body.code).toBe('string');
          expect(typeof body.message).toBe('string');
          expect(after).toBe(before);
        }
        before = after;
      }),
      { numRuns: 400 },
    );
    expect(internal).toEqual([]);
  });

  it('hostile headers on reads are 4xx too', async () => {
    for (const url of [
      '/v1/journal?after=9999999999999999',
      '/v1/journal?limit=abc',
      '/v1/balances?after=%00',
      '/v1/viewers/01/balance',
      '/v1/viewers/-1/balance',
      '/v1/creators/99999999999/balance',
      '/v1/journal?after=1&after=2',
    ]) {
      const r = await t.app.inject({ url, headers: auth(t.users.adminToken) });
      expect(r.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(r.statusCode, url).toBeLessThan(500);
    }
  });
});
