/** POST /v1/gifts: a viewer sends a gift to a creator on a stream or a video. */
import type { FastifyInstance } from 'fastify';
import type { TargetContext } from '../context.ts';
import { requireSelf } from './auth.ts';
import { type OpBody, writeRoute } from './write-route.ts';

export function giftsPlugin(ctx: TargetContext) {
  return async (app: FastifyInstance) => {
    writeRoute<OpBody<'gift'>>(app, ctx, {
      url: '/v1/gifts',
      operationId: 'sendGift',
      summary: "Send a gift (viewer token; spends the viewer's own coins)",
      auth: 'viewer',
      body: 'GiftRequest',
      response: 'Gift',
      toOp: (body, request) => {
        requireSelf(request, 'viewer', body.viewerId, 'viewerId');
        return {
          kind: 'gift',
          viewerId: body.viewerId,
          creatorId: body.creatorId,
          giftId: body.giftId,
          count: body.count,
          context: { kind: body.context.kind, id: body.context.id },
        };
      },
    });
  };
}
