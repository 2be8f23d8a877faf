/**
 * Balances: a viewer's coins and a creator's diamonds (the owner or the admin), and the admin's export
 * of every stated balance, page by page, for the audit (`StatedBalance`: account, unit, balance).
 * Answers wait until what they show is durable (`ctx.visible`; only `--synchronous full` waits).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { creatorAccount, viewerAccount } from '../../../sim/ledger/accounts.ts';
import type { TargetContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { errorResponses, pageQuery, ref } from '../schemas.ts';
import { requireSelf } from './auth.ts';
import { decodeCursor, encodeCursor, pageLimit } from './paging.ts';

const idParam = (name: string) => ({
  type: 'object',
  additionalProperties: false,
  required: [name],
  properties: { [name]: { type: 'string', pattern: '^(0|[1-9][0-9]{0,8})$' } },
});

export function balancesPlugin(ctx: TargetContext) {
  return async (app: FastifyInstance) => {
    app.get('/v1/viewers/:viewerId/balance', {
      config: { auth: 'user', operationId: 'viewerBalance' },
      schema: {
        summary: "A viewer's coins (that viewer's token, or the admin's)",
        params: idParam('viewerId'),
        response: { 200: ref('ViewerBalance'), ...errorResponses(400, 401, 403, 404) },
      },
      handler: async (request) => {
        const id = userParam(request, 'viewerId');
        requireSelf(request, 'viewer', id, 'viewerId', true);
        if (!ctx.users.has('viewer', id))
          throw new ApiError('GIFT_ERR_UNKNOWN_VIEWER', `no viewer ${id}`, 'viewerId');
        return ctx.visible({ viewerId: id, coins: ctx.store.balance(viewerAccount(id), 'COIN') });
      },
    });

    app.get('/v1/creators/:creatorId/balance', {
      config: { auth: 'user', operationId: 'creatorBalance' },
      schema: {
        summary: "A creator's diamonds, coins received and payouts (that creator's token, or the admin's)",
        params: idParam('creatorId'),
        response: { 200: ref('CreatorBalance'), ...errorResponses(400, 401, 403, 404) },
      },
      handler: async (request) => {
        const id = userParam(request, 'creatorId');
        requireSelf(request, 'creator', id, 'creatorId', true);
        if (!ctx.users.has('creator', id)) {
          throw new ApiError('GIFT_ERR_UNKNOWN_CREATOR', `no creator ${id}`, 'creatorId');
        }
        const account = creatorAccount(id);
        return ctx.visible({
          creatorId: id,
          coinsReceived: ctx.store.balance(account, 'COIN'),
          diamonds: ctx.store.balance(account, 'DIAMOND'),
          carryBp: ctx.store.carry(id),
          paidOutCents: ctx.store.balance(account, 'USD'),
        });
      },
    });

    app.get('/v1/balances', {
      config: { auth: 'admin', operationId: 'statedBalances' },
      schema: {
        summary: 'Every stated balance, page by page (admin; what the audit compares with the journal)',
        querystring: pageQuery('cursor from the previous page', '^[A-Za-z0-9_-]+$'),
        response: { 200: ref('BalancesPage'), ...errorResponses(400, 401, 403) },
      },
      handler: async (request) => {
        const q = request.query as { after?: string; limit?: string };
        const limit = pageLimit(q.limit);
        const rows = ctx.store.balancesPage(decodeCursor(q.after), limit);
        const last = rows[rows.length - 1];
        return ctx.visible({
          balances: rows,
          next: rows.length === limit ? encodeCursor(last.account, last.unit) : null,
        });
      },
    });
  };
}

function userParam(request: FastifyRequest, name: string): number {
  return Number((request.params as Record<string, string>)[name]);
}
