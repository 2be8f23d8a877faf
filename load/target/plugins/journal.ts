/** GET /v1/journal?after=seq&limit=n: the journal in the journal entry shape (ARCHITECTURE.md, sim/ledger/journal.ts), page by page (admin). */
import type { FastifyInstance } from 'fastify';
import type { TargetContext } from '../context.ts';
import { errorResponses, pageQuery, ref } from '../schemas.ts';
import { pageLimit } from './paging.ts';

export function journalPlugin(ctx: TargetContext) {
  return async (app: FastifyInstance) => {
    app.get('/v1/journal', {
      config: { auth: 'admin', operationId: 'journal' },
      schema: {
        summary: 'Journal entries with seq > after, oldest first (admin)',
        querystring: pageQuery('the last seq already read (0 for the start)', '^[0-9]{1,15}$'),
        response: { 200: ref('JournalPage'), ...errorResponses(400, 401, 403) },
      },
      handler: async (request) => {
        const q = request.query as { after?: string; limit?: string };
        const limit = pageLimit(q.limit);
        const entries = ctx.store.journalPage(Number(q.after ?? 0), limit);
        // Sent once every entry it holds is durable (only `--synchronous full` waits).
        return ctx.visible({
          entries,
          next: entries.length === limit ? entries[entries.length - 1].seq : null,
        });
      },
    });
  };
}
