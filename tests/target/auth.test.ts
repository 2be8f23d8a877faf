/** Who may do what: 401 without a valid token, 403 for someone else's account or an admin route. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken, verifyToken } from '../../load/target/tokens.ts';
import { auth, injectedTarget, type TestTarget } from './support/server.ts';

let t: TestTarget;
beforeAll(async () => {
  t = await injectedTarget({}, 3);
  const v = t.users.viewers[0];
  await t.app.inject({
    method: 'POST',
    url: '/v1/purchases',
    headers: auth(v.token, 'seed'),
    payload: { viewerId: 0, channel: 'app', pack: 'c1400' },
  });
});
afterAll(() => t.close());

const gift = (headers: Record<string, string>, viewerId = 0) =>
  t.app.inject({
    method: 'POST',
    url: '/v1/gifts',
    headers,
    payload: { viewerId, creatorId: 0, giftId: 'rose', count: 1, context: { kind: 'video', id: 'v' } },
  });

describe('authentication (401)', () => {
  it('refuses a missing token', async () => {
    const r = await gift({ 'idempotency-key': 'a1' });
    expect(r.statusCode).toBe(401);
    expect(r.json()).toMatchObject({ code: 'GIFT_ERR_UNAUTHENTICATED', field: 'Authorization' });
  });

  it('refuses a forged, altered or foreign token', async () => {
    const v = t.users.viewers[0].token;
    const altered = `${v.slice(0, -2)}${v.endsWith('AA') ? 'BB' : 'AA'}`;
    const otherSecret = signToken(Buffer.alloc(32, 7), { role: 'viewer', id: 0 });
    const promoted = v.replace('gl1.viewer.', 'gl1.admin.');
    for (const token of [altered, otherSecret, promoted, 'gl1.viewer.0.x', 'not-a-token']) {
      const r = await gift({ ...auth(token, 'a2') });
      expect(r.statusCode, token).toBe(401);
      expect(r.json().code).toBe('GIFT_ERR_BAD_TOKEN');
    }
  });

  it('refuses every change of the last character, even one a lenient base64 decoder reads as the same bytes', async () => {
    const v = t.users.viewers[0].token;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // The last of 43 characters carries 2 padding bits: 3 other characters decode to the same signature.
    const twins = [...alphabet].filter(
      (c) =>
        c !== v.at(-1) &&
        Buffer.from(v.slice(-43, -1) + c, 'base64url').equals(Buffer.from(v.slice(-43), 'base64url')),
    );
    expect(twins).toHaveLength(3);
    for (const c of alphabet) {
      if (c === v.at(-1)) continue;
      const tampered = v.slice(0, -1) + c;
      expect(verifyToken(t.app.target.secret, tampered), tampered).toBeUndefined();
    }
    const r = await gift(auth(`${v.slice(0, -1)}${twins[0]}`, 'a5'));
    expect(r.statusCode).toBe(401);
    expect(r.json().code).toBe('GIFT_ERR_BAD_TOKEN');
  });

  it('refuses other schemes and empty bearers', async () => {
    for (const header of ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer ', `Token ${t.users.viewers[0].token}`]) {
      const r = await gift({ authorization: header, 'idempotency-key': 'a3' });
      expect(r.statusCode, header).toBe(401);
    }
  });

  it('refuses a signed token for a user that is not registered', async () => {
    const stranger = signToken(t.app.target.secret, { role: 'viewer', id: 77 });
    expect(verifyToken(t.app.target.secret, stranger)).toEqual({ role: 'viewer', id: 77 });
    const r = await gift(auth(stranger, 'a4'), 77);
    expect(r.statusCode).toBe(401);
  });
});

describe('authorisation (403)', () => {
  it("a viewer cannot spend another viewer's coins", async () => {
    const r = await gift(auth(t.users.viewers[1].token, 'b1'), 0);
    expect(r.statusCode).toBe(403);
    expect(r.json()).toMatchObject({ code: 'GIFT_ERR_FORBIDDEN', field: 'viewerId' });
    expect(r.json().message).toBe('viewer:1 may not act for viewer:0');
  });

  it("a creator cannot withdraw another creator's diamonds", async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/withdrawals',
      headers: auth(t.users.creators[2].token, 'b2'),
      payload: { creatorId: 0, diamonds: 100 },
    });
    expect(r.statusCode).toBe(403);
    expect(r.json()).toMatchObject({ code: 'GIFT_ERR_FORBIDDEN', field: 'creatorId' });
  });

  it('roles are kept apart: no gifts by creators or admins, no admin routes for users', async () => {
    expect((await gift(auth(t.users.creators[0].token, 'b3'))).statusCode).toBe(403);
    expect((await gift(auth(t.users.adminToken, 'b4'))).statusCode).toBe(403);
    for (const url of ['/v1/journal', '/v1/balances']) {
      const r = await t.app.inject({ url, headers: auth(t.users.viewers[0].token) });
      expect(r.statusCode, url).toBe(403);
      // It read 'needs a admin token'.
      expect(r.json().message, url).toBe("this route needs an admin token; this one is viewer:0's");
    }
    const other = await t.app.inject({
      url: '/v1/viewers/1/balance',
      headers: auth(t.users.viewers[0].token),
    });
    expect(other.statusCode).toBe(403);
    const admin = await t.app.inject({ url: '/v1/viewers/1/balance', headers: auth(t.users.adminToken) });
    expect(admin.json()).toEqual({ viewerId: 1, coins: 0 });
  });

  it('nothing refused above changed the journal', async () => {
    const r = await t.app.inject({ url: '/v1/journal', headers: auth(t.users.adminToken) });
    expect(r.json().entries).toHaveLength(1);
  });
});
