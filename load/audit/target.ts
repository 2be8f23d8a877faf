/**
 * Reads a target over HTTP: its economy (`GET /v1/economy`), its journal page by page
 * (`GET /v1/journal?after=seq&limit=n`) and its stated balances (`GET /v1/balances`), with the admin
 * token. Anything that stops the audit from reading is bad input with a one-line reason.
 */

import { InputError, shown } from '../../common/input-error.ts';
import { limits } from '../../common/limits.ts';
import { type Economy, economyFrom } from '../../sim/economy/types.ts';
import { parseTargetUrl } from '../target-url.ts';

export interface TargetReaderOptions {
  /** Base URL, e.g. http://127.0.0.1:8080. */
  target: string;
  adminToken?: string;
  /** Where the admin token came from, to name in a refusal (default `--admin-token`; `load`: the users file). */
  adminTokenFrom?: string;
  pageSize?: number;
  /** Per request. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export class TargetReader {
  readonly base: URL;
  private readonly pageSize: number;
  private readonly timeoutMs: number;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly options: TargetReaderOptions) {
    this.base = parseTargetUrl(options.target);
    this.pageSize = Math.min(options.pageSize ?? 1_000, limits.journalPageMax);
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.fetchFn = options.fetch ?? fetch;
  }

  /** The target's economy, or undefined when it does not publish one (404). */
  async economy(): Promise<{ economy: Economy; scenario: string } | undefined> {
    const r = await this.get('/v1/economy', { admin: false, optional: true });
    if (r === undefined) return undefined;
    const body = r as { economy?: unknown; scenario?: unknown };
    return {
      economy: economyFrom(body.economy ?? body, '--target /v1/economy'),
      scenario: String(body.scenario ?? 'target'),
    };
  }

  /** Every journal entry, oldest first (shape unchecked: the checker judges it). */
  async *journal(): AsyncGenerator<unknown> {
    let after = 0;
    for (;;) {
      const page = (await this.get(`/v1/journal?after=${after}&limit=${this.pageSize}`, {})) as {
        entries?: unknown;
        next?: unknown;
      };
      if (!Array.isArray(page.entries))
        throw this.bad('/v1/journal', 'a page { entries, next }', shown(page));
      yield* page.entries;
      if (page.next === null || page.next === undefined || page.entries.length === 0) return;
      if (!Number.isSafeInteger(page.next) || (page.next as number) <= after) {
        throw this.bad('/v1/journal', `a next seq after ${after}`, shown(page.next));
      }
      after = page.next as number;
    }
  }

  /** Every stated balance, or undefined when the target does not state them (404). */
  async balances(): Promise<unknown[] | undefined> {
    const all: unknown[] = [];
    let after: string | undefined;
    for (let pages = 0; ; pages++) {
      const query = `limit=${this.pageSize}${after === undefined ? '' : `&after=${encodeURIComponent(after)}`}`;
      const page = (await this.get(`/v1/balances?${query}`, { optional: pages === 0 })) as
        | { balances?: unknown; next?: unknown }
        | undefined;
      if (page === undefined) return undefined;
      if (!Array.isArray(page.balances))
        throw this.bad('/v1/balances', 'a page { balances, next }', shown(page));
      all.push(...page.balances);
      if (page.next === null || page.next === undefined || page.balances.length === 0) return all;
      if (typeof page.next !== 'string' || page.next === after) {
        throw this.bad('/v1/balances', 'a new cursor in next', shown(page.next));
      }
      after = page.next;
    }
  }

  /** Bad input when nothing answers at the base URL; any HTTP answer will do (the API may not be giftlab's). */
  async reachable(): Promise<void> {
    try {
      const response = await this.fetchFn(this.base, { signal: AbortSignal.timeout(this.timeoutMs) });
      await response.body?.cancel();
    } catch (error) {
      throw new InputError({
        field: '--target',
        expected: 'a reachable target',
        found: `${this.base.origin}: ${reason(error)}`,
      });
    }
  }

  /**
   * The median of `samples` sequential round trips to the base URL (ms), for sizing load: bad input
   * like `reachable` when nothing answers.
   */
  async roundTripMs(samples: number, now: () => number = performance.now.bind(performance)): Promise<number> {
    const times: number[] = [];
    for (let i = 0; i < samples; i++) {
      const start = now();
      await this.reachable();
      times.push(now() - start);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)];
  }

  /** Fetches the entry with this seq (for printing an offending entry). */
  async entry(seq: number): Promise<unknown> {
    const page = (await this.get(`/v1/journal?after=${seq - 1}&limit=1`, {})) as { entries?: unknown[] };
    return page.entries?.[0];
  }

  private async get(path: string, how: { admin?: boolean; optional?: boolean }): Promise<unknown> {
    const url = new URL(path.replace(/^\//, ''), this.base);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (how.admin !== false && this.options.adminToken !== undefined) {
      headers.authorization = `Bearer ${this.options.adminToken}`;
    }
    let response: Response;
    try {
      response = await this.fetchFn(url, { headers, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      throw new InputError({
        field: '--target',
        expected: 'a reachable target',
        found: `${url.origin}: ${reason(error)}`,
      });
    }
    const text = await response.text();
    if (response.status === 404 && how.optional) return undefined;
    if (response.status === 401 || response.status === 403) {
      throw new InputError({
        field: this.options.adminTokenFrom ?? '--admin-token',
        expected: `a token the target accepts for ${url.pathname}`,
        found: `${response.status} ${codeOf(text)}`,
      });
    }
    if (response.status !== 200) {
      throw this.bad(url.pathname, '200', `${response.status} ${codeOf(text)}`.trim());
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw this.bad(url.pathname, 'a JSON body', shown(text.slice(0, 60)));
    }
  }

  private bad(path: string, expected: string, found: string): InputError {
    return new InputError({ field: '--target', expected: `${expected} from ${path}`, found });
  }
}

function reason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code !== undefined) return cause.code === 'ECONNREFUSED' ? 'connection refused' : cause.code;
  if ((error as Error).name === 'TimeoutError') return 'timed out';
  return cause?.message ?? (error as Error).message ?? String(error);
}

function codeOf(text: string): string {
  try {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown };
    return [body.code, body.message].filter((x) => typeof x === 'string').join(': ');
  } catch {
    return '';
  }
}
