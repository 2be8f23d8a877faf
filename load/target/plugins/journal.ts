/** GET /v1/journal?after=seq&limit=n: the journal in the journal entry shape (ARCHITECTURE.md, sim/ledger/journal.ts), page by page (admin). */
import type { FastifyInstance } from 'fastify';
import type { TargetContext } from '../context.ts';
import { pagedExport } from './paging.ts';

export function journalPlugin(ctx: TargetContext) {
  return async (app: FastifyInstance) => {
    pagedExport(app, ctx, {
      url: '/v1/journal',
      operationId: 'journal',
      summary: 'Journal entries with seq > after, oldest first (admin)',
      afterDescription: 'the last seq already read (0 for the start)',
      afterPattern: '^[0-9]{1,15}$',
      response: 'JournalPage',
      rows: 'entries',
      read: (after, limit) => ctx.store.journalPage(Number(after ?? 0), limit),
      cursor: (last) => last.seq,
    });
  };
}
