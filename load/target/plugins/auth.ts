/**
 * Authentication: every route states in `config.auth` who may call it (`public`, `viewer`, `creator`,
 * `admin`, or `user` for any signed token); a hook checks the bearer token before the body is read.
 * Missing or unsigned tokens are 401; a token of the wrong kind is 403. Whether a viewer or creator
 * may act on a given account is the route's to check with `requireSelf`.
 */

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { targetLimits } from '../../../common/limits.ts';
import type { TargetContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { type Principal, principalName, type Role, verifyToken } from '../tokens.ts';

export type AuthRule = 'public' | 'user' | Role;

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    auth?: AuthRule;
  }
}

export function authPlugin(ctx: TargetContext) {
  const plugin = async (app: FastifyInstance) => {
    app.decorateRequest('principal', null);
    app.addHook('onRequest', (request, _reply, done) => {
      const rule = request.routeOptions.config.auth ?? 'public';
      if (rule === 'public') return done();
      try {
        const principal = authenticate(ctx, request.headers.authorization);
        if (rule !== 'user' && principal.role !== rule) {
          throw new ApiError(
            'GIFT_ERR_FORBIDDEN',
            `this route needs ${/^[aeiou]/.test(rule) ? 'an' : 'a'} ${rule} token; this one is ${principalName(principal)}'s`,
            'Authorization',
          );
        }
        request.principal = principal;
        done();
      } catch (error) {
        done(error as Error);
      }
    });
  };
  // Not encapsulated: the hook and the decorator apply to every route of the app.
  Object.assign(plugin, { [Symbol.for('skip-override')]: true });
  return plugin;
}

function authenticate(ctx: TargetContext, header: string | undefined): Principal {
  if (header === undefined || header.length === 0) {
    throw new ApiError(
      'GIFT_ERR_UNAUTHENTICATED',
      'no Authorization header; send Authorization: Bearer <token>',
      'Authorization',
    );
  }
  const match = /^Bearer ([^\s]+)$/i.exec(header);
  if (match === null) {
    throw new ApiError('GIFT_ERR_UNAUTHENTICATED', 'Authorization must be "Bearer <token>"', 'Authorization');
  }
  const principal = verified(ctx, match[1]);
  if (principal === undefined) throw new ApiError('GIFT_ERR_BAD_TOKEN', undefined, 'Authorization');
  if (principal.role !== 'admin' && !ctx.users.has(principal.role, principal.id)) {
    throw new ApiError(
      'GIFT_ERR_BAD_TOKEN',
      `${principalName(principal)} is not registered here`,
      'Authorization',
    );
  }
  return principal;
}

function verified(ctx: TargetContext, token: string): Principal | undefined {
  const cache = ctx.verifiedTokens;
  const known = cache.get(token);
  if (known !== undefined) return known;
  const principal = verifyToken(ctx.secret, token);
  if (principal === undefined) return undefined;
  if (cache.size >= targetLimits.verifiedTokensMax) cache.clear();
  cache.set(token, principal);
  return principal;
}

/** The request's principal (a route with `auth` other than public always has one). */
export function principalOf(request: FastifyRequest): Principal {
  if (request.principal === null) throw new ApiError('GIFT_ERR_UNAUTHENTICATED', undefined, 'Authorization');
  return request.principal;
}

/** 403 unless the caller is `role` `id` (or, when `adminToo`, the admin). */
export function requireSelf(
  request: FastifyRequest,
  role: 'viewer' | 'creator',
  id: number,
  field: string,
  adminToo = false,
): Principal {
  const p = principalOf(request);
  if (p.role === role && p.id === id) return p;
  if (adminToo && p.role === 'admin') return p;
  throw new ApiError('GIFT_ERR_FORBIDDEN', `${principalName(p)} may not act for ${role}:${id}`, field);
}
