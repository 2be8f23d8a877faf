/**
 * GET /openapi.json: collects every route as it is registered (so this plugin goes first) and builds
 * the document from their schemas on the first request.
 */
import type { FastifyInstance } from 'fastify';
import { openApiDocument, type RouteInfo } from '../openapi.ts';
import { SHARED_SCHEMAS } from '../schemas.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    operationId?: string;
  }
}

export function openApiPlugin(version: string) {
  const plugin = async (app: FastifyInstance) => {
    const routes: RouteInfo[] = [];
    app.addHook('onRoute', (route) => {
      if (route.schema === undefined || route.config?.operationId === undefined) return;
      for (const method of [route.method].flat()) {
        if (method === 'HEAD') continue;
        routes.push({
          method,
          url: route.url,
          schema: route.schema as Record<string, unknown>,
          auth: route.config.auth ?? 'public',
          operationId: route.config.operationId,
        });
      }
    });
    let document: string | undefined;
    app.get('/openapi.json', { config: { auth: 'public' } }, async (_request, reply) => {
      document ??= JSON.stringify(openApiDocument(SHARED_SCHEMAS, routes, version));
      return reply.type('application/json').send(document);
    });
  };
  Object.assign(plugin, { [Symbol.for('skip-override')]: true });
  return plugin;
}
