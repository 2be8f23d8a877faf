/**
 * Sends one simulated operation to the target as the API call a client would make: the acting user's
 * token, an Idempotency-Key derived from the operation id, the body of the reference API. Answers:
 * `201` applied, `409`/`422` with a refusal code refused (and recorded by the target, so a re-send gets
 * the same answer); a network error or a 5xx is retried with the same key (safe: idempotency) a few
 * times; any other answer means the mapping, the tokens or the target are wrong — bad input that stops
 * the replay (what was acknowledged stays; a re-run resumes).
 */
import http from 'node:http';
import https from 'node:https';
import { InputError } from '../../common/input-error.ts';
import type { SimOp } from '../../experiments/oplog/op.ts';
import { RECORDED_REFUSALS } from '../../sim/kernel/status.ts';
import type { UsersFile } from '../users-file.ts';

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
  /** Sends through this instead of node:http (tests); fetch costs the client about 5× node:http's CPU a request. */
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

export class ReplayClient {
  private readonly post: Post;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly agent: http.Agent | undefined;

  constructor(private readonly options: ClientOptions) {
    const f = options.fetch;
    if (f === undefined) {
      const secure = options.target.protocol === 'https:';
      this.agent = new (secure ? https : http).Agent({ keepAlive: true });
      this.post = nodePost(secure ? https : http, this.agent);
    } else {
      this.post = fetchPost(f);
    }
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.agent?.destroy();
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
        response = await this.post(
          new URL(path, this.options.target),
          {
            authorization: `Bearer ${token}`,
            'idempotency-key': key,
            'content-type': 'application/json',
          },
          body,
          this.options.timeoutMs ?? 30_000,
        );
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
    throw new InputError({
      field: '--target',
      expected: `an answer to ${op.opId} (key ${key})`,
      found: `${last} after ${retries + 1} attempts; what was acknowledged stays: run the same command again to resume`,
    });
  }

  private answer(op: SimOp, key: string, response: Reply, text: string): Answer {
    const replayed = response.replayed;
    const { code, message, seq } = codeOf(text);
    if (response.status === 201) return { status: 201, result: 'ok', seq, replayed };
    if ((response.status === 409 || response.status === 422) && REFUSAL_CODES.includes(code)) {
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

type Post = (url: URL, headers: Record<string, string>, body: string, timeoutMs: number) => Promise<Reply>;

function fetchPost(f: typeof fetch): Post {
  return async (url, headers, body, timeoutMs) => {
    const response = await f(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    return {
      status: response.status,
      text,
      replayed: response.headers.get('idempotent-replayed') === 'true',
    };
  };
}

function nodePost(transport: typeof http | typeof https, agent: http.Agent): Post {
  return (url, headers, body, timeoutMs) =>
    new Promise((resolve, reject) => {
      const request = transport.request(
        url,
        { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
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
              replayed: response.headers['idempotent-replayed'] === 'true',
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

function reason(error: unknown): string {
  // fetch wraps the socket's error as `cause`; node:http raises it as is.
  type Cause = { code?: string; message?: string };
  const cause = (error as { cause?: Cause }).cause ?? (error as Cause);
  if (cause?.code !== undefined) return cause.code === 'ECONNREFUSED' ? 'connection refused' : cause.code;
  if ((error as Error).name === 'TimeoutError') return 'timed out';
  return cause?.message ?? (error as Error).message ?? String(error);
}
