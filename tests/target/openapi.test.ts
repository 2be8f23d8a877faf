/**
 * /openapi.json is an OpenAPI 3.1 document generated from the routes' schemas: the structure the
 * specification requires, every reference resolvable, every route documented with its auth, and the
 * Idempotency-Key on every write. (Checked once by hand against the official 3.1 JSON schema too.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { injectedTarget, type TestTarget } from './support/server.ts';

type Json = Record<string, unknown>;
let t: TestTarget;
let doc: Json;
beforeAll(async () => {
  t = await injectedTarget();
  const r = await t.app.inject({ url: '/openapi.json' });
  expect(r.headers['content-type']).toContain('application/json');
  doc = r.json();
});
afterAll(() => t.close());

const operations = () =>
  Object.entries(doc.paths as Record<string, Record<string, Json>>).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ path, method, op })),
  );

function refs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refs(v, out);
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref') out.push(String(v));
      else refs(v, out);
    }
  }
  return out;
}

describe('OpenAPI document', () => {
  it('has the fields OpenAPI 3.1 requires', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    for (const { path, method, op } of operations()) {
      expect(path.startsWith('/'), path).toBe(true);
      expect(['get', 'post'], path).toContain(method);
      const responses = op.responses as Record<string, Json>;
      expect(Object.keys(responses).length, path).toBeGreaterThan(0);
      for (const [status, response] of Object.entries(responses)) {
        expect(status).toMatch(/^[1-5][0-9]{2}$/);
        expect(typeof response.description).toBe('string');
      }
      for (const p of (op.parameters ?? []) as Json[]) {
        expect(['query', 'header', 'path']).toContain(p.in);
        expect(p.schema, `${path} ${p.name}`).toBeTypeOf('object');
        if (p.in === 'path') {
          expect(p.required).toBe(true);
          expect(path).toContain(`{${p.name}}`);
        }
      }
      for (const name of path.match(/\{([^}]+)\}/g) ?? []) {
        const params = (op.parameters ?? []) as Json[];
        expect(
          params.some((p) => `{${p.name}}` === name && p.in === 'path'),
          `${path} ${name}`,
        ).toBe(true);
      }
    }
    const ids = operations().map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('resolves every $ref to a component, and every component name is legal', () => {
    const schemas = (doc.components as { schemas: Json }).schemas;
    for (const name of Object.keys(schemas)) expect(name).toMatch(/^[a-zA-Z0-9._-]+$/);
    const all = refs(doc);
    expect(all.length).toBeGreaterThan(10);
    for (const ref of all) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(schemas[ref.split('/').pop()!], ref).toBeDefined();
    }
    expect(JSON.stringify(doc)).not.toContain('"$id"');
  });

  it('documents every route, with its auth and the Idempotency-Key on writes', () => {
    const routes = operations().map(({ path, method }) => `${method.toUpperCase()} ${path}`);
    expect(routes.sort()).toEqual(
      [
        'GET /healthz',
        'GET /v1/balances',
        'GET /v1/creators/{creatorId}/balance',
        'GET /v1/economy',
        'GET /v1/journal',
        'GET /v1/viewers/{viewerId}/balance',
        'POST /v1/gifts',
        'POST /v1/purchases',
        'POST /v1/refunds',
        'POST /v1/withdrawals',
      ].sort(),
    );
    for (const { path, method, op } of operations()) {
      const isPublic = path === '/healthz' || path === '/v1/economy';
      expect(op.security, path).toEqual(isPublic ? [] : [{ bearer: [] }]);
      if (method !== 'post') continue;
      const params = op.parameters as Json[];
      expect(params).toContainEqual(
        expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true }),
      );
      expect((op.requestBody as Json).required).toBe(true);
      expect(Object.keys(op.responses as Json)).toEqual(
        expect.arrayContaining(['201', '400', '401', '403', '409', '422']),
      );
    }
    const bearer = (doc.components as { securitySchemes: Record<string, Json> }).securitySchemes.bearer;
    expect(bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('is generated from the same schemas the server validates with', () => {
    const schemas = (doc.components as { schemas: Record<string, Json> }).schemas;
    const gift = schemas.GiftRequest as { required: string[]; properties: Record<string, Json> };
    expect(gift.required.sort()).toEqual(['context', 'count', 'creatorId', 'giftId', 'viewerId']);
    expect(gift.properties.count).toMatchObject({ type: 'integer', minimum: 1, maximum: 10_000 });
    expect(gift.properties.context).toEqual({ $ref: '#/components/schemas/GiftContext' });
    const codes = (schemas.ErrorBody as { properties: { code: { enum: string[] } } }).properties.code.enum;
    expect(codes).toContain('GIFT_ERR_INSUFFICIENT_COINS');
    expect(codes).toContain('GIFT_ERR_IDEMPOTENCY_CONFLICT');
  });

  it("describes each error status by the catalogue's codes for it", () => {
    const paths = doc.paths as Record<
      string,
      Record<string, { responses: Record<string, { description: string }> }>
    >;
    const gifts = paths['/v1/gifts'].post.responses;
    expect(gifts['409'].description).toContain('GIFT_ERR_INSUFFICIENT_COINS: not enough coins');
    expect(gifts['409'].description).not.toContain('GIFT_ERR_BELOW_MINIMUM');
    const withdrawals = paths['/v1/withdrawals'].post.responses;
    expect(withdrawals['422'].description).toContain('GIFT_ERR_BELOW_MINIMUM');
  });
});
