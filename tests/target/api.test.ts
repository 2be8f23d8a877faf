/** The reference API by example (app.inject): amounts from the economy, answers, errors and their fields. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newPurchaseSplit, splitPurchase } from '../../sim/economy/rules.ts';
import { testEconomy } from '../support/economy.ts';
import { auth, injectedTarget, type TestTarget } from './support/server.ts';

let t: TestTarget;
beforeEach(async () => {
  t = await injectedTarget();
});
afterEach(() => t.close());

const viewer = () => t.users.viewers[0];
const creator = () => t.users.creators[1];
const post = (url: string, token: string, key: string | undefined, payload: unknown) =>
  t.app.inject({ method: 'POST', url, headers: auth(token, key), payload: payload as object });
const buy = (key: string, pack = 'c350', channel = 'app') =>
  post('/v1/purchases', viewer().token, key, { viewerId: viewer().id, channel, pack });
const give = (key: string, giftId: string, count: number) =>
  post('/v1/gifts', viewer().token, key, {
    viewerId: viewer().id,
    creatorId: creator().id,
    giftId,
    count,
    context: { kind: 'stream', id: 'live-1' },
  });
const journal = async () =>
  (await t.app.inject({ url: '/v1/journal', headers: auth(t.users.adminToken) })).json().entries as {
    opId: string;
    postings: unknown[];
  }[];

describe('writes', () => {
  it('a purchase credits the pack and splits the price with the core rules', async () => {
    const r = await buy('p1', 'c1750', 'web');
    expect(r.statusCode).toBe(201);
    const web = testEconomy.channels[1];
    const split = splitPurchase(web, web.packs[1], newPurchaseSplit());
    expect(r.json()).toEqual({
      opId: 'p1',
      kind: 'purchase',
      seq: 1,
      viewerId: 0,
      channel: 'web',
      pack: 'c1750',
      coins: 1750,
      grossCents: split.grossCents,
      storeFeeCents: 0,
      paymentFeeCents: split.feeCents[1],
      netCents: split.netCents,
      balance: { coins: 1750 },
    });
    expect(split.feeCents[1]).toBe(Math.floor((1500 * 290) / 10_000) + 30);
  });

  it('a gift spends coins and credits diamonds, carrying the fraction', async () => {
    await buy('p1');
    const first = (await give('g1', 'rose', 3)).json();
    expect(first).toMatchObject({ coins: 3, diamonds: 1, balance: { coins: 347 }, seq: 2 });
    const second = (await give('g2', 'rose', 1)).json();
    expect(second).toMatchObject({ coins: 1, diamonds: 1, balance: { coins: 346 } });
    const c = await t.app.inject({
      url: `/v1/creators/${creator().id}/balance`,
      headers: auth(creator().token),
    });
    expect(c.json()).toEqual({ creatorId: 1, coinsReceived: 4, diamonds: 2, carryBp: 0, paidOutCents: 0 });
  });

  it('a withdrawal pays whole cents at the economy value, and refuses under the minimum', async () => {
    await buy('p1', 'c1400');
    await give('g1', 'concert', 2);
    const w = post('/v1/withdrawals', creator().token, 'w1', { creatorId: creator().id, diamonds: 301 });
    expect((await w).json()).toMatchObject({
      requestedDiamonds: 301,
      diamonds: 300,
      grossCents: 150,
      netCents: 150,
    });
    const small = await post('/v1/withdrawals', creator().token, 'w2', {
      creatorId: creator().id,
      diamonds: 99,
    });
    expect(small.statusCode).toBe(422);
    expect(small.json()).toMatchObject({ code: 'GIFT_ERR_BELOW_MINIMUM', field: 'diamonds', minimum: 100 });
  });

  it('an overdraft is 409 with the shortfall, and changes nothing', async () => {
    await buy('p1', 'c70');
    const r = await give('g1', 'concert', 1);
    expect(r.statusCode).toBe(409);
    expect(r.json()).toEqual({
      code: 'GIFT_ERR_INSUFFICIENT_COINS',
      message: 'viewer:0 has 70 coins; this needs 500 (short by 430)',
      field: 'count',
      balance: 70,
      required: 500,
      shortfall: 430,
    });
    expect(await journal()).toHaveLength(1);
    const w = await post('/v1/withdrawals', creator().token, 'w1', {
      creatorId: creator().id,
      diamonds: 100,
    });
    expect(w.json()).toMatchObject({ code: 'GIFT_ERR_INSUFFICIENT_DIAMONDS', shortfall: 100 });
  });

  it('a refund (admin) reverses the purchase once', async () => {
    await buy('p1', 'c70');
    const r = await post('/v1/refunds', t.users.adminToken, 'r1', { purchaseOpId: 'p1' });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ kind: 'refund', coins: 70, grossCents: 99, balance: { coins: 0 } });
    const again = await post('/v1/refunds', t.users.adminToken, 'r2', { purchaseOpId: 'p1' });
    expect(again.json().code).toBe('GIFT_ERR_ALREADY_REFUNDED');
    const unknown = await post('/v1/refunds', t.users.adminToken, 'r3', { purchaseOpId: 'nope' });
    expect(unknown.statusCode).toBe(404);
    const byViewer = await post('/v1/refunds', viewer().token, 'r4', { purchaseOpId: 'p1' });
    expect(byViewer.statusCode).toBe(403);
  });
});

describe('idempotency', () => {
  it('a replay returns the first answer, marked, and writes nothing', async () => {
    const first = await buy('p1');
    const again = await buy('p1');
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(again.json()).toEqual(first.json());
    expect(await journal()).toHaveLength(1);
  });

  it('a refused write is replayed as refused, even after the balance would allow it', async () => {
    const refused = await give('g1', 'rose', 1);
    expect(refused.statusCode).toBe(409);
    await buy('p1');
    const again = await give('g1', 'rose', 1);
    expect(again.statusCode).toBe(409);
    expect(again.headers['idempotent-replayed']).toBe('true');
  });

  it('the same key with another body is 422 and says so', async () => {
    await buy('k1');
    const r = await buy('k1', 'c70');
    expect(r.statusCode).toBe(422);
    expect(r.json()).toMatchObject({ code: 'GIFT_ERR_IDEMPOTENCY_CONFLICT', field: 'Idempotency-Key' });
    expect(r.json().message).toContain('different request');
    const other = await give('k1', 'rose', 1);
    expect(other.statusCode).toBe(422);
    expect(await journal()).toHaveLength(1);
  });

  it('the key becomes the entry opId', async () => {
    await buy('order-42/attempt-1');
    expect((await journal())[0].opId).toBe('order-42/attempt-1');
  });

  it("keys are scoped per principal: another viewer's key is a new key for this one, and the first stays its owner's", async () => {
    const other = t.users.viewers[2];
    const first = await buy('shared-key');
    expect(first.statusCode).toBe(201);
    const mine = await post('/v1/purchases', other.token, 'shared-key', {
      viewerId: other.id,
      channel: 'app',
      pack: 'c350',
    });
    expect(mine.statusCode).toBe(201);
    expect(mine.headers['idempotent-replayed']).toBeUndefined();
    // Its own entry, under an opId no key can be (keys are printable ASCII).
    expect(mine.json().opId).toBe(`shared-key\u00b7viewer:${other.id}`);
    expect((await journal()).map((e) => e.opId)).toEqual([
      'shared-key',
      `shared-key\u00b7viewer:${other.id}`,
    ]);
    // Each principal's replay answers its own first answer.
    const again = await buy('shared-key');
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    const mineAgain = await post('/v1/purchases', other.token, 'shared-key', {
      viewerId: other.id,
      channel: 'app',
      pack: 'c350',
    });
    expect(mineAgain.json()).toEqual(mine.json());
    // A different request of the same principal under its key is still a conflict.
    const conflict = await buy('shared-key', 'c1400');
    expect(conflict.statusCode).toBe(422);
    expect(conflict.json().code).toBe('GIFT_ERR_IDEMPOTENCY_CONFLICT');
    expect(await journal()).toHaveLength(2);
  });

  it('a scoped purchase is refunded by its opId, the other under the plain key stays', async () => {
    const other = t.users.viewers[2];
    await buy('same-key');
    const scoped = (
      await post('/v1/purchases', other.token, 'same-key', {
        viewerId: other.id,
        channel: 'app',
        pack: 'c350',
      })
    ).json().opId;
    const r = await post('/v1/refunds', t.users.adminToken, 'rf-1', { purchaseOpId: scoped });
    expect(r.statusCode).toBe(201);
    expect(r.json().purchaseOpId).toBe(scoped);
    expect((await journal()).map((e) => e.opId)).toEqual(['same-key', scoped, 'rf-1']);
    // A scope the server never writes is no opId (a principal name as principalName writes them).
    for (const bad of [
      'same-key\u00b7viewer:',
      'same-key\u00b7guest:1',
      '\u00b7viewer:1',
      'same-key\u00b7viewer:1\u00b7viewer:2',
    ]) {
      const refused = await post('/v1/refunds', t.users.adminToken, 'rf-2', { purchaseOpId: bad });
      expect(refused.statusCode, bad).toBe(400);
      expect(refused.json().message, bad).toContain('purchaseOpId');
    }
  });
});

describe('bad input names the field, never 5xx, never a change', () => {
  const cases: [string, Record<string, unknown>, number, string, string][] = [
    ['wrong type', { count: '3' }, 400, 'GIFT_ERR_VALIDATION', 'count'],
    ['negative', { count: -1 }, 400, 'GIFT_ERR_VALIDATION', 'count'],
    ['fraction', { count: 1.5 }, 400, 'GIFT_ERR_VALIDATION', 'count'],
    ['huge', { count: 1e12 }, 400, 'GIFT_ERR_VALIDATION', 'count'],
    ['missing', { count: undefined }, 400, 'GIFT_ERR_VALIDATION', 'count'],
    ['unknown field', { tip: 1 }, 400, 'GIFT_ERR_VALIDATION', 'tip'],
    ['nested', { context: { kind: 'radio', id: 'x' } }, 400, 'GIFT_ERR_VALIDATION', 'context.kind'],
    [
      'NUL in a context id',
      { context: { kind: 'stream', id: 'live-1\u0000' } },
      400,
      'GIFT_ERR_VALIDATION',
      'context.id',
    ],
    [
      'newline in a context id',
      { context: { kind: 'video', id: 'v\n2' } },
      400,
      'GIFT_ERR_VALIDATION',
      'context.id',
    ],
    ['unknown gift', { giftId: 'yacht' }, 400, 'GIFT_ERR_UNKNOWN_GIFT', 'giftId'],
    ['unknown creator', { creatorId: 999 }, 404, 'GIFT_ERR_UNKNOWN_CREATOR', 'creatorId'],
    ['negative id', { creatorId: -1 }, 400, 'GIFT_ERR_VALIDATION', 'creatorId'],
  ];
  it('a context id may be any printable text (spaces, accents): only control characters are refused', async () => {
    await buy('p1');
    const r = await post('/v1/gifts', viewer().token, 'g1', {
      viewerId: 0,
      creatorId: 1,
      giftId: 'rose',
      count: 1,
      context: { kind: 'video', id: 'vidéo ~7 «best»' },
    });
    expect(r.statusCode).toBe(201);
  });

  for (const [name, change, status, code, field] of cases) {
    it(`gift: ${name}`, async () => {
      await buy('p1');
      const body = {
        viewerId: 0,
        creatorId: 1,
        giftId: 'rose',
        count: 1,
        context: { kind: 'stream', id: 's' },
        ...change,
      };
      const r = await post('/v1/gifts', viewer().token, 'g1', JSON.parse(JSON.stringify(body)));
      expect(r.statusCode).toBe(status);
      expect(r.json()).toMatchObject({ code, field });
      expect(r.json().message).toContain(field === 'creatorId' && status === 404 ? 'creator' : field);
      expect(await journal()).toHaveLength(1);
    });
  }

  // Expected and found: a schema refusal said 'count: must be integer' without the value it refused.
  it.each([
    [{ count: '3' }, 'count: must be integer, found "3"'],
    [{ count: 1.5 }, 'count: must be integer, found 1.5'],
    [{ count: -1 }, 'count: must be >= 1, found -1'],
    [{ count: 1e12 }, 'count: must be <= 10000, found 1000000000000'],
    [{ count: [1] }, 'count: must be integer, found an array'],
    [
      { context: { kind: 'radio', id: 'x' } },
      'context.kind: must be equal to one of the allowed values, found "radio"',
    ],
    [{ context: { kind: 'stream', id: 'x'.repeat(300) } }, `context.id: must NOT have more than`],
  ])('gift %j: the message names the value found', async (change, message) => {
    const body = {
      viewerId: 0,
      creatorId: 1,
      giftId: 'rose',
      count: 1,
      context: { kind: 'stream', id: 's' },
    };
    const r = await post('/v1/gifts', viewer().token, 'g1', { ...body, ...change });
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toContain(message);
    // A long value is cut: the answer does not echo a request back at its size.
    expect(r.json().message.length).toBeLessThan(160);
  });

  it('unknown channel and pack', async () => {
    const ch = await buy('p1', 'c70', 'tv');
    expect(ch.json()).toMatchObject({ code: 'GIFT_ERR_UNKNOWN_CHANNEL', field: 'channel' });
    expect(ch.json().message).toContain('app, web');
    const pack = await buy('p2', 'c1750', 'app');
    expect(pack.json()).toMatchObject({ code: 'GIFT_ERR_UNKNOWN_PACK', field: 'pack' });
  });

  it('malformed JSON, wrong media type, oversize body, missing key', async () => {
    const headers = { ...auth(viewer().token, 'x1'), 'content-type': 'application/json' };
    const bad = await t.app.inject({ method: 'POST', url: '/v1/gifts', headers, payload: '{"viewerId": 0,' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'GIFT_ERR_MALFORMED_JSON', field: 'body' });
    const proto = await t.app.inject({
      method: 'POST',
      url: '/v1/gifts',
      headers,
      payload: '{"__proto__":{"x":1}}',
    });
    expect(proto.json().code).toBe('GIFT_ERR_MALFORMED_JSON');
    expect(proto.json().message).toContain('__proto__');
    const text = await t.app.inject({
      method: 'POST',
      url: '/v1/gifts',
      headers: { ...headers, 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(text.statusCode).toBe(415);
    // A Content-Encoding the target would not undo: refused, not parsed as the bytes sent.
    const gzip = await t.app.inject({
      method: 'POST',
      url: '/v1/gifts',
      headers: { ...headers, 'content-encoding': 'gzip' },
      payload: JSON.stringify({ viewerId: 0, creatorId: 0, gift: 'rose', count: 1 }),
    });
    expect(gzip.statusCode).toBe(415);
    expect(gzip.json()).toMatchObject({ code: 'GIFT_ERR_UNSUPPORTED_MEDIA_TYPE', field: 'Content-Encoding' });
    expect(gzip.json().message).toBe('send the body uncompressed: no Content-Encoding, found "gzip"');
    const identity = await t.app.inject({
      method: 'POST',
      url: '/v1/gifts',
      headers: { ...headers, 'content-encoding': 'identity' },
      payload: '{"viewerId": 0,',
    });
    expect(identity.json().code).toBe('GIFT_ERR_MALFORMED_JSON');
    const big = await t.app.inject({
      method: 'POST',
      url: '/v1/gifts',
      headers,
      payload: JSON.stringify({ pad: 'x'.repeat(20_000) }),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().code).toBe('GIFT_ERR_BODY_TOO_LARGE');
    const noKey = await post('/v1/purchases', viewer().token, undefined, {
      viewerId: 0,
      channel: 'app',
      pack: 'c70',
    });
    expect(noKey.json()).toMatchObject({ code: 'GIFT_ERR_VALIDATION', field: 'Idempotency-Key' });
    const longKey = await buy('k'.repeat(200));
    expect(longKey.json()).toMatchObject({ code: 'GIFT_ERR_VALIDATION', field: 'Idempotency-Key' });
    // A UTF-8 key reaches the server as Node reads header bytes (Latin-1): refused, shown as it was typed.
    const accented = await buy(Buffer.from('clé-1', 'utf8').toString('latin1'));
    expect(accented.json()).toMatchObject({ code: 'GIFT_ERR_VALIDATION', field: 'Idempotency-Key' });
    expect(accented.json().message).toContain('found "clé-1"');
    expect(await journal()).toHaveLength(0);
  });

  it('paging parameters are checked', async () => {
    const r = await t.app.inject({ url: '/v1/journal?limit=0', headers: auth(t.users.adminToken) });
    expect(r.json()).toMatchObject({ code: 'GIFT_ERR_VALIDATION', field: 'limit' });
    const after = await t.app.inject({ url: '/v1/journal?after=-1', headers: auth(t.users.adminToken) });
    expect(after.json()).toMatchObject({ code: 'GIFT_ERR_VALIDATION', field: 'after' });
    const cursor = await t.app.inject({ url: '/v1/balances?after=zzz', headers: auth(t.users.adminToken) });
    expect(cursor.json()).toMatchObject({ code: 'GIFT_ERR_VALIDATION', field: 'after' });
  });

  it('an unknown route is a 404 in the same shape', async () => {
    const r = await t.app.inject({ url: '/v2/gifts' });
    expect(r.statusCode).toBe(404);
    expect(r.json()).toEqual({
      code: 'GIFT_ERR_NOT_FOUND',
      message: 'no route GET /v2/gifts',
      field: 'path',
    });
  });

  it('a method a path does not take is a 405 naming those it takes, in Allow and in the body', async () => {
    const get = await t.app.inject({ url: '/v1/purchases?x=1', headers: auth(viewer().token) });
    expect(get.statusCode).toBe(405);
    expect(get.headers.allow).toBe('POST');
    expect(get.json()).toEqual({
      code: 'GIFT_ERR_METHOD_NOT_ALLOWED',
      message: 'method: expected POST on /v1/purchases, found GET',
      field: 'method',
    });
    // A path with a parameter, matched as the router matches it; GET routes answer HEAD as well.
    const put = await t.app.inject({ method: 'PUT', url: `/v1/viewers/${viewer().id}/balance` });
    expect(put.statusCode).toBe(405);
    expect(put.headers.allow).toBe('GET, HEAD');
    expect(put.json().message).toBe(
      `method: expected GET or HEAD on /v1/viewers/${viewer().id}/balance, found PUT`,
    );
    const post = await t.app.inject({ method: 'POST', url: '/v1/economy', payload: {} });
    expect([post.statusCode, post.headers.allow]).toEqual([405, 'GET, HEAD']);
    // No route at all for the path stays a 404, with no Allow.
    const none = await t.app.inject({ method: 'DELETE', url: '/v1/viewers/0/nothing' });
    expect([none.statusCode, none.headers.allow]).toEqual([404, undefined]);
  });
});

describe('reads', () => {
  it('pages the journal and the stated balances', async () => {
    for (let i = 0; i < 5; i++) await buy(`p${i}`, 'c70');
    const admin = auth(t.users.adminToken);
    const one = (await t.app.inject({ url: '/v1/journal?after=0&limit=2', headers: admin })).json();
    expect(one.entries.map((e: { seq: number }) => e.seq)).toEqual([1, 2]);
    expect(one.next).toBe(2);
    const last = (await t.app.inject({ url: '/v1/journal?after=4&limit=2', headers: admin })).json();
    expect(last).toMatchObject({ next: null });
    expect(last.entries).toHaveLength(1);
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const q: string = after === null ? '' : `&after=${after}`;
      const page = (await t.app.inject({ url: `/v1/balances?limit=2${q}`, headers: admin })).json();
      seen.push(...page.balances.map((b: { account: string; unit: string }) => `${b.account} ${b.unit}`));
      after = page.next;
    } while (after !== null);
    expect(seen).toContain('viewer:0 COIN');
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("a balance is its owner's or the admin's, of a registered user, each refusal naming the id's field", async () => {
    const admin = auth(t.users.adminToken);
    const refused = async (url: string, headers: Record<string, string>) => {
      const r = await t.app.inject({ url, headers });
      return [r.statusCode, r.json()];
    };
    expect(await refused('/v1/viewers/999/balance', admin)).toEqual([
      404,
      { code: 'GIFT_ERR_UNKNOWN_VIEWER', message: 'no viewer 999', field: 'viewerId' },
    ]);
    expect(await refused('/v1/creators/999/balance', admin)).toEqual([
      404,
      { code: 'GIFT_ERR_UNKNOWN_CREATOR', message: 'no creator 999', field: 'creatorId' },
    ]);
    expect(await refused('/v1/creators/0/balance', auth(t.users.creators[1].token))).toEqual([
      403,
      { code: 'GIFT_ERR_FORBIDDEN', message: 'creator:1 may not act for creator:0', field: 'creatorId' },
    ]);
  });

  it('publishes its economy and health', async () => {
    const e = (await t.app.inject({ url: '/v1/economy' })).json();
    expect(e.scenario).toBe('test');
    expect(e.economy.gifts[0]).toEqual({ id: 'rose', coins: 1 });
    const h = (await t.app.inject({ url: '/healthz' })).json();
    expect(h).toMatchObject({ status: 'ok', fault: 'none', synchronous: 'NORMAL' });
  });
});
