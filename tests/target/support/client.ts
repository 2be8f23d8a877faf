/**
 * A small HTTP client for tests that records every write as an ack `{ opId, kind, status, response }`,
 * as the k6 suite does: status 0 when no answer came (connection reset, server killed).
 */
import type { Ack } from '../../../sim/invariants/ack-format.ts';
import type { EntryKind } from '../../../sim/ledger/journal.ts';

export interface Answer {
  status: number;
  body: Record<string, unknown>;
  replayed: boolean;
}

const PATHS: Record<EntryKind, string> = {
  purchase: '/v1/purchases',
  gift: '/v1/gifts',
  withdrawal: '/v1/withdrawals',
  refund: '/v1/refunds',
};

export class AckingClient {
  readonly acks: Ack[] = [];

  constructor(readonly url: string) {}

  async write(kind: EntryKind, token: string, key: string, body: unknown): Promise<Answer> {
    let answer: Answer;
    try {
      const r = await fetch(`${this.url}${PATHS[kind]}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'idempotency-key': key,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      });
      const text = await r.text();
      answer = {
        status: r.status,
        body: text.length > 0 ? (JSON.parse(text) as Record<string, unknown>) : {},
        replayed: r.headers.get('idempotent-replayed') === 'true',
      };
    } catch {
      answer = { status: 0, body: {}, replayed: false };
    }
    this.acks.push({ opId: key, kind, status: answer.status, response: answer.body });
    return answer;
  }

  async get(path: string, token: string): Promise<Answer> {
    const r = await fetch(`${this.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: r.status, body: (await r.json()) as Record<string, unknown>, replayed: false };
  }
}

/** Runs `tasks` with at most `concurrency` in flight; resolves when all have settled. */
export async function pool<T>(tasks: readonly (() => Promise<T>)[], concurrency: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, tasks.length) }, worker));
  return results;
}
