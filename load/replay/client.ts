/**
 * Sends one simulated operation to the target as the API call a client would make: the acting user's
 * token, an Idempotency-Key derived from the operation id, the body of the reference API. Answers:
 * `201` applied, `409`/`422` with a refusal code refused (and recorded by the target, so a re-send gets
 * the same answer); a network error or a 5xx is retried with the same key (safe: idempotency) a few
 * times; any other answer means the mapping, the tokens or the target are wrong — bad input that stops
 * the replay (what was acknowledged stays; a re-run resumes).
 *
 * An `http:` target is sent to through `http1.ts` (kept-alive connections over node:net, one write a
 * request); an `https:` one through node:https.
 */
import type http from 'node:http';
import https from 'node:https';
import { InputError } from '../../common/input-error.ts';
import type { SimOp } from '../../experiments/oplog/op.ts';
import { RECORDED_REFUSALS, STATUSES, statusOfCode } from '../../sim/kernel/status.ts';
import { TargetLostError } from '../target-lost.ts';
import type { UsersFile } from '../users-file.ts';
import { Http1Client } from './http1.ts';

/** Refusals a sound target records under the key, as the simulation's ledger refuses them (the catalogue's). */
export const REFUSAL_CODES: readonly string[] = RECORDED_REFUSALS;

export interface Answer {
  status: number;
  /** `ok`, or the refusal's code. */
  result: string;
  /** Journal seq of the entry (201 only). */
  seq?: number;
  replayed: boolean;
}

export interface ClientOptions {
  target: URL;
  users: UsersFile;
  keyOf: (op: SimOp) => string;
  timeoutMs?: number;
  /** Attempts after the first on a network error or 5xx (default 6, backing off from 50 ms to 2 s). */
  retries?: number;
  /** Sends through this instead (tests); fetch costs the client about 5× node:http's CPU a request. */
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

export class ReplayClient {
  private readonly post: Post;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly closeConnections: () => void;
  /** The request path of each route, resolved against the target once. */
  private readonly paths = new Map<string, string>();

  constructor(private readonly options: ClientOptions) {
    const f = options.fetch;
    const timeoutMs = options.timeoutMs ?? 30_000;
    if (f !== undefined) {
      this.post = fetchPost(f, options.target, timeoutMs);
      this.closeConnections = () => {};
    } else if (options.target.protocol === 'https:') {
      const agent = new https.Agent({ keepAlive: true });
      this.post = nodePost(https, agent, options.target, timeoutMs);
      this.closeConnections = () => agent.destroy();
    } else {
      const client = new Http1Client({ target: options.target, timeoutMs });
      this.post = http1Post(client);
      this.closeConnections = () => client.close();
    }
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.closeConnections();
  }

  async send(op: SimOp): Promise<Answer> {
    const { path, token, body } = this.request(op);
    const key = this.options.keyOf(op);
    const retries = this.options.retries ?? 6;
    let last = '';
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await this.sleep(Math.min(2_000, 50 * 2 ** (attempt - 1)));
      let response: Reply;
      try {
        response = await this.post(this.pathOf(path), token, key, body);
      } catch (error) {
        last = reason(error);
        continue;
      }
      const text = response.text;
      if (response.status >= 500) {
        last = `${response.status} ${codeOf(text).code}`.trim();
        continue;
      }
      return this.answer(op, key, response, text);
    }
    // It answered before the replay (replay.ts checks): one that stops answering is a failed run.
    throw new TargetLostError(`no answer to ${op.opId} (key ${key}): ${last} after ${retries + 1} attempts`);
  }

  /** `v1/gifts` as the absolute path the target's base URL gives it (`/base/v1/gifts`). */
  private pathOf(route: string): string {
    let path = this.paths.get(route);
    if (path === undefined) {
      const url = new URL(route, this.options.target);
      path = url.pathname + url.search;
      this.paths.set(route, path);
    }
    return path;
  }

  private answer(op: SimOp, key: string, response: Reply, text: string): Answer {
    const replayed = response.replayed;
    const { code, message, seq } = codeOf(text);
    if (response.status === 201) return { status: 201, result: 'ok', seq, replayed };
    // A refusal is a recorded refusal's code at the HTTP status the catalogue gives it (sim/kernel/status.ts).
    const refused = statusOfCode(code);
    if (REFUSAL_CODES.includes(code) && refused !== undefined && STATUSES[refused].http === response.status) {
      return { status: response.status, result: code, replayed };
    }
    const hint =
      code === 'GIFT_ERR_IDEMPOTENCY_CONFLICT'
        ? ': the key was used for another request (another replay, or another users file, wrote to this target)'
        : response.status === 401 || response.status === 403
          ? ': the users file does not belong to this target'
          : '';
    throw new InputError({
      field: response.status === 401 || response.status === 403 ? '--users' : '--target',
      expected: `the target to take ${op.opId} (${op.kind}, key ${key})`,
      found: `${response.status} ${code}${message ? `: ${message}` : ''}${hint}`,
    });
  }

  private request(op: SimOp): { path: string; token: string; body: string } {
    const { viewers, creators } = this.options.users;
    switch (op.kind) {
      case 'purchase': {
        const v = viewers[op.viewer];
        return {
          path: 'v1/purchases',
          token: v.token,
          body: JSON.stringify({ viewerId: v.id, channel: op.channel, pack: op.pack }),
        };
      }
      case 'gift': {
        const v = viewers[op.viewer];
        const c = creators[op.creator];
        // The log does not keep where a gift was sent (stream or video); money does not depend on it.
        const context = { kind: 'stream', id: `replay-creator-${c.id}` };
        return {
          path: 'v1/gifts',
          token: v.token,
          body: JSON.stringify({
            viewerId: v.id,
            creatorId: c.id,
            giftId: op.gift,
            count: op.count,
            context,
          }),
        };
      }
      case 'withdrawal': {
        const c = creators[op.creator];
        return {
          path: 'v1/withdrawals',
          token: c.token,
          body: JSON.stringify({ creatorId: c.id, diamonds: op.diamonds }),
        };
      }
    }
  }
}

/** An answer as the client needs it. */
interface Reply {
  status: number;
  text: string;
  replayed: boolean;
}

/** POSTs JSON `body` to the target's `path` as the user of `token`, under the Idempotency-Key `key`. */
type Post = (path: string, token: string, key: string, body: string) => Promise<Reply>;

function http1Post(client: Http1Client): Post {
  return async (path, token, key, body) => {
    const reply = await client.post(
      path,
      [
        ['Authorization', `Bearer ${token}`],
        ['Idempotency-Key', key],
        ['Content-Type', 'application/json'],
      ],
      body,
    );
    return { status: reply.status, text: reply.body, replayed: reply.headers[REPLAYED] === 'true' };
  };
}

const REPLAYED = 'idempotent-replayed';

function headersOf(token: string, key: string): Record<string, string> {
  return { authorization: `Bearer ${token}`, 'idempotency-key': key, 'content-type': 'application/json' };
}

function fetchPost(f: typeof fetch, target: URL, timeoutMs: number): Post {
  return async (path, token, key, body) => {
    const response = await f(new URL(path, target), {
      method: 'POST',
      headers: headersOf(token, key),
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    return { status: response.status, text, replayed: response.headers.get(REPLAYED) === 'true' };
  };
}

function nodePost(transport: typeof https, agent: http.Agent, target: URL, timeoutMs: number): Post {
  return (path, token, key, body) =>
    new Promise((resolve, reject) => {
      const headers = { ...headersOf(token, key), 'content-length': Buffer.byteLength(body) };
      const request = transport.request(
        new URL(path, target),
        { method: 'POST', agent, headers },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            text += chunk;
          });
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              text,
              replayed: response.headers[REPLAYED] === 'true',
            }),
          );
          response.on('error', reject);
        },
      );
      request.setTimeout(timeoutMs, () =>
        request.destroy(Object.assign(new Error('timed out'), { name: 'TimeoutError' })),
      );
      request.on('error', reject);
      request.end(body);
    });
}

function codeOf(text: string): { code: string; message: string; seq?: number } {
  try {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown; seq?: unknown };
    return {
      code: typeof body.code === 'string' ? body.code : '',
      message: typeof body.message === 'string' ? body.message : '',
      seq: Number.isSafeInteger(body.seq) ? (body.seq as number) : undefined,
    };
  } catch {
    return { code: '', message: text.slice(0, 80) };
  }
}

/** What went wrong with the connection, in words (the socket's code kept in brackets). */
const CONNECTION_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection closed by the target before its answer',
  EPIPE: 'connection closed by the target while sending',
  ETIMEDOUT: 'connection timed out',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};

function reason(error: unknown): string {
  // fetch wraps the socket's error as `cause`; node:http and http1.ts raise it as is.
  type Cause = { code?: string; message?: string };
  const cause = (error as { cause?: Cause }).cause ?? (error as Cause);
  if (cause?.code !== undefined) {
    const words = CONNECTION_ERRORS[cause.code];
    return cause.code === 'ECONNREFUSED'
      ? words
      : words === undefined
        ? cause.code
        : `${words} (${cause.code})`;
  }
  if ((error as Error).name === 'TimeoutError') return 'timed out';
  return cause?.message ?? (error as Error).message ?? String(error);
}
