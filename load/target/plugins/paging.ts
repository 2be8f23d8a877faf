/** The paged admin exports (journal, balances): their route, and their query parameters. */

import type { FastifyInstance } from 'fastify';
import { targetLimits } from '../../../common/limits.ts';
import type { TargetContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { errorResponses, pageQuery, ref } from '../schemas.ts';

export interface PagedExport<Row> {
  url: string;
  operationId: string;
  summary: string;
  /** The `after` query parameter: what it is, and its pattern. */
  afterDescription: string;
  afterPattern: string;
  /** The answer's schema (a `page` in schemas.ts), and the name of its rows in it: the `field` it was made with. */
  response: string;
  rows: string;
  /** Up to `limit` rows after `after` (absent: from the start). */
  read(after: string | undefined, limit: number): Row[];
  /** The `after` that continues from `last`. */
  cursor(last: Row): string | number;
}

/**
 * An admin export page by page: `limit` checked, the rows, then `next`, the cursor of the last row when
 * the page is full (null when it is not: the last page).
 */
export function pagedExport<Row>(app: FastifyInstance, ctx: TargetContext, spec: PagedExport<Row>): void {
  app.get(spec.url, {
    config: { auth: 'admin', operationId: spec.operationId },
    schema: {
      summary: spec.summary,
      querystring: pageQuery(spec.afterDescription, spec.afterPattern),
      response: { 200: ref(spec.response), ...errorResponses(400, 401, 403) },
    },
    handler: async (request) => {
      const q = request.query as { after?: string; limit?: string };
      const limit = pageLimit(q.limit);
      const rows = spec.read(q.after, limit);
      // Sent once every row it holds is durable (only `--synchronous full` waits).
      return ctx.visible({
        [spec.rows]: rows,
        next: rows.length === limit ? spec.cursor(rows[rows.length - 1]) : null,
      });
    },
  });
}

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
