/**
 * The part every write route shares: the Idempotency-Key header, the caller, the clock, the writer,
 * and the answer (the first answer again on a replay, marked `Idempotent-Replayed: true`).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WriteOp } from '../book.ts';
import type { TargetContext } from '../context.ts';
import { errorResponses, IDEMPOTENCY_HEADERS, ref } from '../schemas.ts';
import { principalName } from '../tokens.ts';
import { type AuthRule, principalOf } from './auth.ts';

export const REPLAYED_HEADER = 'idempotent-replayed';

/** A write's body: its operation's fields as the book takes them, without the `kind` its route gives. */
export type OpBody<Kind extends WriteOp['kind']> = Omit<Extract<WriteOp, { kind: Kind }>, 'kind'>;

export interface WriteRouteSpec<Body> {
  url: string;
  operationId: string;
  summary: string;
  auth: AuthRule;
  body: string;
  response: string;
  /** Checks who may do this (403) and turns the body into an operation. */
  toOp: (body: Body, request: FastifyRequest) => WriteOp;
}

export function writeRoute<Body>(app: FastifyInstance, ctx: TargetContext, spec: WriteRouteSpec<Body>): void {
  app.post(spec.url, {
    config: { auth: spec.auth, operationId: spec.operationId },
    schema: {
      summary: spec.summary,
      headers: IDEMPOTENCY_HEADERS,
      body: ref(spec.body),
      response: {
        201: ref(spec.response),
        ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422, 500, 503),
      },
    },
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      const op = spec.toOp(request.body as Body, request);
      const key = request.headers['idempotency-key'] as string;
      const outcome = await ctx.writer.write({
        key,
        principal: principalName(principalOf(request)),
        op,
        at: ctx.now(),
      });
      if (outcome.replayed) reply.header(REPLAYED_HEADER, 'true');
      // Serialised once by the book (and stored for replays); sent as is.
      return reply.code(outcome.status).type('application/json; charset=utf-8').send(outcome.json);
    },
  });
}
