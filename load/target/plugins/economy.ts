/** GET /v1/economy (the rules this server runs, for clients and the audit) and GET /healthz. */
import type { FastifyInstance } from 'fastify';
import type { TargetContext } from '../context.ts';
import { ref } from '../schemas.ts';

export function economyPlugin(ctx: TargetContext) {
  return async (app: FastifyInstance) => {
    app.get('/v1/economy', {
      config: { auth: 'public', operationId: 'economy' },
      schema: {
        summary: 'Packs, fees, gifts, creator share and withdrawal rules this server applies',
        response: { 200: ref('Economy') },
      },
      handler: async () => ({ scenario: ctx.scenarioName, economy: ctx.economy }),
    });

    app.get('/healthz', {
      config: { auth: 'public', operationId: 'health' },
      schema: { summary: 'Liveness, fault mode, durability setting', response: { 200: ref('Health') } },
      // The entries counted are durable when answered; after a failed WAL sync this is a 500.
      handler: async () =>
        ctx.visible({
          status: 'ok',
          fault: ctx.fault ?? 'none',
          entries: ctx.store.lastSeq(),
          synchronous: ctx.store.synchronous,
          commits: {
            batches: ctx.committer.batches,
            writes: ctx.committer.writes,
            ...(ctx.durable === undefined ? {} : { walSyncs: ctx.durable.syncs }),
          },
        }),
    });
  };
}
