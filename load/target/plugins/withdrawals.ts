/** POST /v1/withdrawals: a creator cashes out diamonds. */
import type { FastifyInstance } from 'fastify';
import type { TargetContext } from '../context.ts';
import { requireSelf } from './auth.ts';
import { type OpBody, writeRoute } from './write-route.ts';

export function withdrawalsPlugin(ctx: TargetContext) {
  return async (app: FastifyInstance) => {
    writeRoute<OpBody<'withdrawal'>>(app, ctx, {
      url: '/v1/withdrawals',
      operationId: 'requestWithdrawal',
      summary: "Withdraw diamonds as cash (creator token; the creator's own diamonds)",
      auth: 'creator',
      body: 'WithdrawalRequest',
      response: 'Withdrawal',
      toOp: (body, request) => {
        requireSelf(request, 'creator', body.creatorId, 'creatorId');
        return { kind: 'withdrawal', creatorId: body.creatorId, diamonds: body.diamonds };
      },
    });
  };
}
