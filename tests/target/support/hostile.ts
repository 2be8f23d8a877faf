/**
 * Hostile requests for the reference API, in one place: bodies that are wrong in type, range or shape,
 * raw payloads that are not JSON at all, odd content types, and odd Authorization and Idempotency-Key
 * headers. Most keep everything else valid, so that the fault reaches past the first check.
 */
import fc from 'fast-check';
import type { UsersFile } from '../../../load/users-file.ts';

export type Route = '/v1/purchases' | '/v1/gifts' | '/v1/withdrawals' | '/v1/refunds';

export interface HostileRequest {
  url: Route;
  headers: Record<string, string>;
  /** An object is sent as JSON; a string is sent as is. */
  payload: unknown;
}

const VALID: Record<Route, Record<string, unknown>> = {
  '/v1/purchases': { viewerId: 0, channel: 'app', pack: 'c70' },
  '/v1/gifts': { viewerId: 0, creatorId: 1, giftId: 'rose', count: 1, context: { kind: 'stream', id: 's' } },
  '/v1/withdrawals': { creatorId: 0, diamonds: 100 },
  '/v1/refunds': { purchaseOpId: 'seed' },
};

/** Values no field accepts, or accepts only by luck. */
export const hostileValueArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    -1,
    0,
    1.5,
    -0.0001,
    2 ** 53,
    1e308,
    -1e308,
    Number.MAX_SAFE_INTEGER,
    '',
    '1',
    ' 1',
    '0x10',
    '1e3',
    'NaN',
    null,
    true,
    false,
    [],
    [1],
    {},
    { $gt: 0 },
    'x'.repeat(5_000),
    '\u0000',
    '🎁',
    '../../etc/passwd',
    "' OR 1=1 --",
  ),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.anything({ maxDepth: 2 }),
);

const fieldMutationArb = (route: Route): fc.Arbitrary<Record<string, unknown>> => {
  const fields = [...Object.keys(VALID[route]), 'extra', '__proto__', 'constructor', 'prototype'];
  return fc.oneof(
    fc.tuple(fc.constantFrom(...fields), hostileValueArb).map(([field, value]) => {
      const body: Record<string, unknown> = { ...VALID[route] };
      Object.defineProperty(body, field, { value, enumerable: true, writable: true, configurable: true });
      return body;
    }),
    fc.constantFrom(...Object.keys(VALID[route])).map((field) => {
      const { [field]: _dropped, ...rest } = VALID[route];
      return rest;
    }),
  );
};

const rawPayloadArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    '{',
    '{"viewerId":',
    '[]',
    'null',
    '1',
    '"x"',
    'true',
    '{"__proto__":{"admin":true}}',
    '{"constructor":{"prototype":{"admin":true}}}',
    `${'['.repeat(5_000)}${']'.repeat(5_000)}`,
    `{"pad":"${'x'.repeat(17_000)}"}`,
    '{"viewerId":0,"viewerId":1,"channel":"app","pack":"c70"}',
    '\uFEFF{}',
  ),
  fc.string(),
  fc.json(),
);

const bodyArb = (route: Route): fc.Arbitrary<unknown> =>
  fc.oneof(
    { arbitrary: fieldMutationArb(route), weight: 4 },
    { arbitrary: rawPayloadArb, weight: 2 },
    { arbitrary: fc.anything({ maxDepth: 3 }), weight: 1 },
  );

const contentTypeArb = fc.oneof(
  { arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8'), weight: 12 },
  {
    arbitrary: fc.constantFrom(
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json; charset=latin1',
      '',
    ),
    weight: 1,
  },
);

const keyArb = fc.oneof(
  { arbitrary: fc.uuid(), weight: 6 },
  { arbitrary: fc.constantFrom('', ' ', 'k'.repeat(129), 'clé', '🎁', 'a b', 'seed'), weight: 1 },
  { arbitrary: fc.string({ maxLength: 40 }), weight: 1 },
);

const authArb = (users: UsersFile, route: Route): fc.Arbitrary<string | undefined> => {
  const own =
    route === '/v1/withdrawals'
      ? users.creators[0].token
      : route === '/v1/refunds'
        ? users.adminToken
        : users.viewers[0].token;
  return fc.oneof(
    { arbitrary: fc.constant(`Bearer ${own}`), weight: 6 },
    {
      arbitrary: fc.constantFrom(
        undefined,
        '',
        'Bearer',
        `Bearer ${users.viewers[1].token}`,
        `Bearer ${users.creators[1].token}`,
        `Bearer ${own}x`,
        `Basic ${Buffer.from('a:b').toString('base64')}`,
        `Bearer ${'A'.repeat(4_000)}`,
      ),
      weight: 2,
    },
    { arbitrary: fc.string().map((s) => `Bearer ${s}`), weight: 1 },
  );
};

export const hostileRequestArb = (users: UsersFile): fc.Arbitrary<HostileRequest> =>
  fc
    .constantFrom<Route>('/v1/purchases', '/v1/gifts', '/v1/withdrawals', '/v1/refunds')
    .chain((url) =>
      fc.record({
        url: fc.constant(url),
        payload: bodyArb(url),
        contentType: contentTypeArb,
        key: fc.option(keyArb, { nil: undefined, freq: 8 }),
        authorization: authArb(users, url),
      }),
    )
    .map(({ url, payload, contentType, key, authorization }) => {
      const headers: Record<string, string> = {};
      if (contentType !== '') headers['content-type'] = contentType;
      if (key !== undefined) headers['idempotency-key'] = key;
      if (authorization !== undefined) headers.authorization = authorization;
      return { url, headers, payload };
    });
