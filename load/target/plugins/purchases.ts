/** POST /v1/purchases: a viewer buys a coin pack on a channel. */
import type { FastifyInstance } from 'fastify';
import type { TargetContext } from '../context.ts';
import { requireSelf } from './auth.ts';
import { type OpBody, writeRoute } from './write-route.ts';

export function purchasesPlugin(ctx: TargetContext) {
  return async (app: FastifyInstance) => {
    writeRoute<OpBody<'purchase'>>(app, ctx, {
      url: '/v1/purchases',
      operationId: 'purchaseCoins',
      summary: 'Buy a coin pack (viewer token; the viewer buys for itself)',
      auth: 'viewer',
      body: 'PurchaseRequest',
      response: 'Purchase',
      toOp: (body, request) => {
        requireSelf(request, 'viewer', body.viewerId, 'viewerId');
        return { kind: 'purchase', viewerId: body.viewerId, channel: body.channel, pack: body.pack };
      },
    });
  };
}
