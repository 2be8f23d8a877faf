/** POST /v1/refunds: the platform reverses a purchase (admin token). */
import type { FastifyInstance } from 'fastify';
import type { TargetContext } from '../context.ts';
import { type OpBody, writeRoute } from './write-route.ts';

export function refundsPlugin(ctx: TargetContext) {
  return async (app: FastifyInstance) => {
    writeRoute<OpBody<'refund'>>(app, ctx, {
      url: '/v1/refunds',
      operationId: 'refundPurchase',
      summary: 'Refund a purchase by its opId (admin token; the viewer must still hold the coins)',
      auth: 'admin',
      body: 'RefundRequest',
      response: 'Refund',
      toOp: (body) => ({ kind: 'refund', purchaseOpId: body.purchaseOpId }),
    });
  };
}
