/**
 * Balances: a viewer's coins and a creator's diamonds (the owner or the admin), and the admin's export
 * of every stated balance, page by page, for the audit (`StatedBalance`: account, unit, balance).
 * Answers wait until what they show is durable (`ctx.visible`; only `--synchronous full` waits).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { creatorAccount, viewerAccount } from '../../../sim/ledger/accounts.ts';
import type { TargetContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { errorResponses, ref } from '../schemas.ts';
import { requireSelf } from './auth.ts';
import { decodeCursor, encodeCursor, pagedExport } from './paging.ts';

const idParam = (name: string) => ({
  type: 'object',
  additionalProperties: false,
  required: [name],
  properties: { [name]: { type: 'string', pattern: '^(0|[1-9][0-9]{0,8})$' } },
});

export function balancesPlugin(ctx: TargetContext) {
  return async (app: FastifyInstance) => {
    userRead(app, ctx, {
      url: '/v1/viewers/:viewerId/balance',
      role: 'viewer',
      operationId: 'viewerBalance',
      summary: "A viewer's coins (that viewer's token, or the admin's)",
      response: 'ViewerBalance',
      read: (id) => ({ viewerId: id, coins: ctx.store.balance(viewerAccount(id), 'COIN') }),
    });

    userRead(app, ctx, {
      url: '/v1/creators/:creatorId/balance',
      role: 'creator',
      operationId: 'creatorBalance',
      summary: "A creator's diamonds, coins received and payouts (that creator's token, or the admin's)",
      response: 'CreatorBalance',
      read: (id) => {
        const account = creatorAccount(id);
        return {
          creatorId: id,
          coinsReceived: ctx.store.balance(account, 'COIN'),
          diamonds: ctx.store.balance(account, 'DIAMOND'),
          carryBp: ctx.store.carry(id),
          paidOutCents: ctx.store.balance(account, 'USD'),
        };
      },
    });

    pagedExport(app, ctx, {
      url: '/v1/balances',
      operationId: 'statedBalances',
      summary: 'Every stated balance, page by page (admin; what the audit compares with the journal)',
      afterDescription: 'cursor from the previous page',
      afterPattern: '^[A-Za-z0-9_-]+$',
      response: 'BalancesPage',
      rows: 'balances',
      read: (after, limit) => ctx.store.balancesPage(decodeCursor(after), limit),
      cursor: (last) => encodeCursor(last.account, last.unit),
    });
  };
}

interface UserRead {
  /** Its path names the user as `:viewerId` or `:creatorId`. */
  url: string;
  role: 'viewer' | 'creator';
  operationId: string;
  summary: string;
  response: string;
  read: (id: number) => Record<string, unknown>;
}

const UNKNOWN_USER = { viewer: 'GIFT_ERR_UNKNOWN_VIEWER', creator: 'GIFT_ERR_UNKNOWN_CREATOR' } as const;

/** A user's own figures: that user's token or the admin's, and a 404 for an id not registered. */
function userRead(app: FastifyInstance, ctx: TargetContext, spec: UserRead): void {
  const { role } = spec;
  const param = `${role}Id`;
  app.get(spec.url, {
    config: { auth: 'user', operationId: spec.operationId },
    schema: {
      summary: spec.summary,
      params: idParam(param),
      response: { 200: ref(spec.response), ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request) => {
      const id = userParam(request, param);
      requireSelf(request, role, id, param, true);
      if (!ctx.users.has(role, id)) throw new ApiError(UNKNOWN_USER[role], `no ${role} ${id}`, param);
      return ctx.visible(spec.read(id));
    },
  });
}

function userParam(request: FastifyRequest, name: string): number {
  return Number((request.params as Record<string, string>)[name]);
}
