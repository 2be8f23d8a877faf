/** Query parameters of the paged admin exports (journal, balances). */

import { targetLimits } from '../../../common/limits.ts';
import { ApiError } from '../errors.ts';

export function pageLimit(text: string | undefined): number {
  if (text === undefined) return targetLimits.pageDefault;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1 || n > targetLimits.pageMax) {
    throw new ApiError(
      'GIFT_ERR_VALIDATION',
      `limit: expected 1 to ${targetLimits.pageMax}, found ${JSON.stringify(text)}`,
      'limit',
    );
  }
  return n;
}

export function encodeCursor(account: string, unit: string): string {
  return Buffer.from(JSON.stringify([account, unit])).toString('base64url');
}

export function decodeCursor(text: string | undefined): [string, string] | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string')) {
      return value as [string, string];
    }
  } catch {
    // reported below
  }
  throw new ApiError('GIFT_ERR_VALIDATION', 'after: expected a cursor from a previous page', 'after');
}
