/**
 * Repeated keys in a JSON body: the scanner finds exactly those (property tests over generated JSON),
 * and the target refuses such a body with a 400 naming the key, before it can move money (a proxy that
 * reads the first of two keys and a server that reads the last would see different requests).
 */
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { duplicateKeyPath } from '../../load/target/json-body.ts';
import { loadScenarioFile } from '../../scenarios/load.ts';
import { duplicateKeyBodyArb, jsonValueArb } from './support/hostile.ts';
import { auth, injectedTarget, type TestTarget } from './support/server.ts';

describe('duplicateKeyPath', () => {
  it('finds nothing in what JSON.stringify writes, compact or indented', () => {
    fc.assert(
      fc.property(jsonValueArb, fc.constantFrom(undefined, 2, '\t'), (value, space) => {
        expect(duplicateKeyPath(JSON.stringify(value, null, space))).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });

  it('finds a repeated key at any depth, spelt plain or escaped, and says where it is', () => {
    fc.assert(
      fc.property(duplicateKeyBodyArb, ({ text, path }) => {
        expect(() => JSON.parse(text)).not.toThrow(); // the case is valid JSON, as the parser hands it over
        expect(duplicateKeyPath(text)).toEqual(path);
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    ['{"a\\"b":1,"a\\"b":2}', ['a"b']],
    ['{"a":"\\\\","a":1}', ['a']],
    ['{"p\\u0061ck":1,"pack":2}', ['pack']],
    ['{"x":[{"a":1},{"b":2,"b":3}]}', ['x', '1', 'b']],
    ['{"":1,"":2}', ['']],
    ['{"a":{"b":1},"b":2}', undefined],
    ['[{"a":1},{"a":1}]', undefined],
    ['{"a":"\\",\\"a\\":1"}', undefined],
  ])('%s → %j', (text, path) => {
    expect(duplicateKeyPath(text)).toEqual(path);
  });
});

describe('the target refuses a body with a repeated key', () => {
  // The baseline economy, where the reviewer's example bought the $249.99 pack for the $0.99 one.
  const economy = loadScenarioFile(
    fileURLToPath(new URL('../../scenarios/baseline.yaml', import.meta.url)),
  ).economy;
  let t: TestTarget;
  beforeEach(async () => {
    t = await injectedTarget({ economy });
  });
  afterEach(() => t.close());

  const post = (url: string, key: string, payload: string) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { ...auth(t.users.viewers[0].token, key), 'content-type': 'application/json' },
      payload,
    });
  const journal = async () =>
    (await t.app.inject({ url: '/v1/journal', headers: auth(t.users.adminToken) })).json().entries;

  it.each([
    ['/v1/purchases', '{"viewerId":0,"channel":"app","pack":"c70","pack":"c17500"}', 'pack'],
    [
      '/v1/gifts',
      '{"viewerId":0,"creatorId":1,"giftId":"rose","count":1,"count":500,"context":{"kind":"stream","id":"s"}}',
      'count',
    ],
    [
      '/v1/gifts',
      '{"viewerId":1,"viewerId":0,"creatorId":1,"giftId":"rose","count":1,"context":{"kind":"stream","id":"s"}}',
      'viewerId',
    ],
    [
      '/v1/gifts',
      '{"viewerId":0,"creatorId":1,"giftId":"rose","count":1,"context":{"kind":"stream","id":"s","id":"t"}}',
      'context.id',
    ],
  ])('%s %s: 400 naming %s, nothing journaled', async (url, body, field) => {
    // Coins first, so that the last-key-wins reading of each body would have been applied (201).
    const bought = await post('/v1/purchases', 'coins', '{"viewerId":0,"channel":"app","pack":"c1400"}');
    expect(bought.statusCode).toBe(201);
    const r = await post(url, 'twice', body);
    expect(r.statusCode, r.body).toBe(400);
    expect(r.json()).toEqual({
      code: 'GIFT_ERR_MALFORMED_JSON',
      message: `${field}: expected each key once in an object, found ${JSON.stringify(field.split('.').at(-1))} more than once`,
      field,
    });
    expect(await journal()).toHaveLength(1);
  });
});
