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

/**
 * Object keys that look like JSON's own syntax once written out (quotes, backslashes, braces, commas,
 * colons, controls), and any code points: what a scanner of raw JSON text could mistake for structure.
 */
export const jsonKeyArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'a',
    '',
    ' ',
    'a"b',
    'a\\',
    '\\"',
    '"',
    '}',
    '{',
    ']',
    ',',
    ':',
    '{"k":1}',
    '\u0000',
    'é',
    '🎁',
  ),
  fc.string({ unit: 'binary', maxLength: 6 }),
);

/** JSON values (no repeated keys: objects are dictionaries) whose keys and strings are `jsonKeyArb`'s. */
export const jsonValueArb: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    jsonKeyArb,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    tie('array'),
    tie('object'),
  ),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(jsonKeyArb, tie('value'), { maxKeys: 4 }),
})).value;

/** A key as JSON text with every UTF-16 unit written as `\uXXXX`: the same key, spelt differently. */
const escapedKey = (key: string) =>
  `"${Array.from({ length: key.length }, (_u, i) => `\\u${key.charCodeAt(i).toString(16).padStart(4, '0')}`).join('')}"`;

const members = (object: Record<string, unknown>) =>
  Object.entries(object).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);

/** One step from a container down to the member that holds the next one: a key, or an array position. */
const stepArb = fc.oneof(
  fc.record({ key: jsonKeyArb, siblings: fc.dictionary(jsonKeyArb, jsonValueArb, { maxKeys: 3 }) }),
  fc.record({
    before: fc.array(jsonValueArb, { maxLength: 3 }),
    after: fc.array(jsonValueArb, { maxLength: 3 }),
  }),
);

/**
 * Valid JSON text in which exactly one object repeats one of its keys (the second time plain or fully
 * `\u`-escaped), nested under random objects and arrays; `path` is where: the keys and array positions
 * down to that object, then the key.
 */
export const duplicateKeyBodyArb: fc.Arbitrary<{ text: string; path: string[] }> = fc
  .record({
    object: fc.dictionary(jsonKeyArb, jsonValueArb, { minKeys: 1, maxKeys: 4 }),
    pick: fc.nat(),
    again: jsonValueArb,
    escaped: fc.boolean(),
    steps: fc.array(stepArb, { maxLength: 3 }),
  })
  .map(({ object, pick, again, escaped, steps }) => {
    const keys = Object.keys(object);
    const key = keys[pick % keys.length];
    const repeat = `${escaped ? escapedKey(key) : JSON.stringify(key)}:${JSON.stringify(again)}`;
    let text = `{${[...members(object), repeat].join(',')}}`;
    const path = [key];
    // Wrapped from the inside out; a sibling named like the step's key is dropped so that the only
    // repeated key is the one above.
    for (const step of steps) {
      if ('key' in step) {
        const { [step.key]: _same, ...siblings } = step.siblings;
        text = `{${[...members(siblings), `${JSON.stringify(step.key)}:${text}`].join(',')}}`;
        path.unshift(step.key);
      } else {
        const around = [
          ...step.before.map((v) => JSON.stringify(v)),
          text,
          ...step.after.map((v) => JSON.stringify(v)),
        ];
        text = `[${around.join(',')}]`;
        path.unshift(String(step.before.length));
      }
    }
    return { text, path };
  });

const bodyArb = (route: Route): fc.Arbitrary<unknown> =>
  fc.oneof(
    { arbitrary: fieldMutationArb(route), weight: 4 },
    { arbitrary: rawPayloadArb, weight: 2 },
    { arbitrary: duplicateKeyBodyArb.map((d) => d.text), weight: 1 },
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
