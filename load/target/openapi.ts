/**
 * The OpenAPI 3.1 document, generated from the routes' own JSON schemas and the shared `$id` schemas
 * (`Name#` references become `#/components/schemas/Name`). Nothing in it is written by hand except
 * the titles of HTTP statuses.
 */
import { ERROR_CODES, ERRORS } from './errors.ts';
import type { AuthRule } from './plugins/auth.ts';

type Schema = Record<string, unknown>;

export interface RouteInfo {
  method: string;
  url: string;
  schema: Schema;
  auth: AuthRule;
  operationId: string;
}

/**
 * A response's description: a success as written here; an error status lists the codes the catalogue
 * (sim/kernel/status.ts) answers with it, so the document and the API cannot disagree.
 */
function statusText(status: string): string {
  if (status === '200') return 'OK';
  if (status === '201')
    return 'Created; a replay with the same Idempotency-Key and body answers this again, with Idempotent-Replayed: true';
  const codes = ERROR_CODES.filter((code) => ERRORS[code].status === Number(status));
  return codes.length === 0 ? status : codes.map((code) => `${code}: ${ERRORS[code].message}`).join('; ');
}

const HEADER_NAMES: Record<string, string> = { 'idempotency-key': 'Idempotency-Key' };

export function openApiDocument(
  shared: readonly Schema[],
  routes: readonly RouteInfo[],
  version: string,
): Schema {
  const byId = new Map(shared.map((s) => [String(s.$id), s]));
  const components: Record<string, Schema> = {};
  for (const s of shared) {
    const { $id: _id, ...rest } = s;
    components[String(s.$id)] = rewriteRefs(rest) as Schema;
  }
  const paths: Record<string, Record<string, Schema>> = {};
  for (const route of [...routes].sort((a, b) => a.url.localeCompare(b.url))) {
    const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = operation(route, byId);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'giftlab reference gifting API',
      version,
      description:
        'Coins bought with money, gifts that become diamonds, diamonds cashed out; every write is idempotent by its Idempotency-Key and journaled double-entry.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'gl1.<role>.<id>.<HMAC-SHA256>, issued by `giftlab serve --seed-users n` (users file)',
        },
      },
    },
  };
}

function operation(route: RouteInfo, byId: Map<string, Schema>): Schema {
  const s = route.schema;
  const parameters = [
    ...params(resolve(s.params, byId), 'path'),
    ...params(resolve(s.querystring, byId), 'query'),
    ...params(resolve(s.headers, byId), 'header'),
  ];
  const responses: Record<string, Schema> = {};
  for (const [status, schema] of Object.entries((s.response ?? {}) as Record<string, Schema>)) {
    responses[status] = {
      description: statusText(status),
      ...(status === '201'
        ? { headers: { 'Idempotent-Replayed': { schema: { type: 'string', enum: ['true'] } } } }
        : {}),
      content: { 'application/json': { schema: rewriteRefs(schema) } },
    };
  }
  return {
    operationId: route.operationId,
    summary: s.summary,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(s.body === undefined
      ? {}
      : {
          requestBody: { required: true, content: { 'application/json': { schema: rewriteRefs(s.body) } } },
        }),
    responses,
    security: route.auth === 'public' ? [] : [{ bearer: [] }],
  };
}

function params(schema: Schema | undefined, where: 'path' | 'query' | 'header'): Schema[] {
  if (schema === undefined) return [];
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries((schema.properties ?? {}) as Record<string, Schema>).map(([name, prop]) => {
    const { description, ...rest } = prop;
    return {
      name: where === 'header' ? (HEADER_NAMES[name] ?? name) : name,
      in: where,
      required: where === 'path' || required.has(name),
      ...(description === undefined ? {} : { description }),
      schema: rewriteRefs(rest),
    };
  });
}

function resolve(schema: unknown, byId: Map<string, Schema>): Schema | undefined {
  if (schema === undefined || schema === null) return undefined;
  const ref = (schema as Schema).$ref;
  if (typeof ref === 'string') return byId.get(ref.replace(/#$/, ''));
  return schema as Schema;
}

function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (typeof value !== 'object' || value === null) return value;
  const out: Schema = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] =
      k === '$ref' && typeof v === 'string' ? `#/components/schemas/${v.replace(/#$/, '')}` : rewriteRefs(v);
  }
  return out;
}
