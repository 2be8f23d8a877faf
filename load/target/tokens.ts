/**
 * Bearer tokens: `gl1.<role>.<id>.<signature>`, the signature an HMAC-SHA256 of `gl1.<role>.<id>` under
 * the server's secret (base64url). Stateless to check; a token names exactly one principal.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { assert } from '../../common/assert.ts';
import { targetLimits } from '../../common/limits.ts';

export type Role = 'viewer' | 'creator' | 'admin';

export interface Principal {
  role: Role;
  /** Viewer or creator id; 0 for the admin. */
  id: number;
}

const PREFIX = 'gl1';
const TOKEN = /^gl1\.(viewer|creator|admin)\.(0|[1-9][0-9]{0,9})\.([A-Za-z0-9_-]{43})$/;

export function signToken(secret: Buffer, principal: Principal): string {
  assert(secret.length >= 16, 'token secret too short');
  assert(
    Number.isSafeInteger(principal.id) && principal.id >= 0 && principal.id < targetLimits.userIdMax,
    'principal id out of range',
  );
  const payload = `${PREFIX}.${principal.role}.${principal.id}`;
  return `${payload}.${mac(secret, payload).toString('base64url')}`;
}

/** The principal a token names, or undefined when it is malformed or not signed with `secret`. */
export function verifyToken(secret: Buffer, token: string): Principal | undefined {
  const match = TOKEN.exec(token);
  if (match === null) return undefined;
  const role = match[1] as Role;
  const id = Number(match[2]);
  if (id >= targetLimits.userIdMax || (role === 'admin' && id !== 0)) return undefined;
  // Compare the text, not decoded bytes: 43 base64url characters carry 258 bits for 256, and a lenient
  // decoder ignores the last character's low 2 bits — a tampered last character would still verify.
  const given = Buffer.from(match[3], 'latin1');
  const expected = Buffer.from(mac(secret, `${PREFIX}.${role}.${id}`).toString('base64url'), 'latin1');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  return { role, id };
}

export function principalName(p: Principal): string {
  return p.role === 'admin' ? 'admin' : `${p.role}:${p.id}`;
}

function mac(secret: Buffer, payload: string): Buffer {
  return createHmac('sha256', secret).update(payload).digest();
}
