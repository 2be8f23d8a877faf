/**
 * `buildApp(options)` returns the reference gifting API, ready to `listen` (see `listen.ts`) or to
 * `inject` in tests. One plugin per feature; the error handler maps every failure onto the catalogue
 * in `errors.ts`, so a client only ever sees `{ code, message, field? }` bodies and no 5xx for input.
 */
import { readFileSync } from 'node:fs';
import { METHODS, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { InputError } from '../../common/input-error.ts';
import { targetLimits } from '../../common/limits.ts';
import { assertEconomy, canonicalEconomy, type Economy } from '../../sim/economy/types.ts';
import { makeContext, type TargetContext } from './context.ts';
import { Store, type Synchronous } from './db/store.ts';
import type { SyncFn } from './db/wal-sync.ts';
import { ApiError, ERRORS, type ErrorBody } from './errors.ts';
import type { Fault } from './faults.ts';
import { parseJsonBodies } from './json-body.ts';
import { authPlugin } from './plugins/auth.ts';
import { balancesPlugin } from './plugins/balances.ts';
import { economyPlugin } from './plugins/economy.ts';
import { giftsPlugin } from './plugins/gifts.ts';
import { journalPlugin } from './plugins/journal.ts';
import { openApiPlugin } from './plugins/openapi.ts';
import { purchasesPlugin } from './plugins/purchases.ts';
import { refundsPlugin } from './plugins/refunds.ts';
import { withdrawalsPlugin } from './plugins/withdrawals.ts';
import { SHARED_SCHEMAS } from './schemas.ts';

export interface TargetOptions {
  /** The rules to apply (`loadScenarioFile(...).economy`). */
  economy: Economy;
  /** Shown at GET /v1/economy. Default `custom`. */
  scenarioName?: string;
  /** SQLite file, or `:memory:` (the default). */
  db?: string;
  /**
   * `NORMAL` (default): a write is in the WAL (the OS has it) before it is acknowledged, which survives
   * `kill -9`; `FULL`: the WAL is also fdatasynced, off the event loop, before the answer (and before any
   * read that could show the write), which survives a power cut; `SQLITE_FULL`: SQLite's own fsync in
   * every commit, blocking the event loop (for comparison). See `db/store.ts` and `db/wal-sync.ts`.
   */
  synchronous?: Synchronous;
  /** The WAL's fdatasync under FULL; tests inject a slow or failing one. */
  walSync?: SyncFn;
  /** A deliberate bug (see `faults.ts`); default none. */
  fault?: Fault;
  /** Token secret; default: generated once and kept in the database. */
  secret?: Buffer;
  /** Clock for entries' `at` (ms since the epoch). Default `Date.now`. */
  now?: () => number;
  /** Random stream for the `slow` fault's latency. Default `Math.random`. */
  rng?: () => number;
  /** Called with internal errors (500s); default: written to stderr. */
  onInternalError?: (error: unknown) => void;
}

declare module 'fastify' {
  interface FastifyInstance {
    target: TargetContext;
  }
}

/** What a body carrying `__proto__` (or `constructor` with `prototype`) gets: a 400, not a cleaned copy. */
const POISONING = { onProtoPoisoning: 'error', onConstructorPoisoning: 'error' } as const;

const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export function buildApp(options: TargetOptions): FastifyInstance {
  assertEconomy(options.economy);
  const store = new Store({ file: options.db ?? ':memory:', synchronous: options.synchronous });
  try {
    checkEconomy(store, options.economy, options.db ?? ':memory:');
  } catch (error) {
    store.close();
    throw error;
  }
  const ctx = makeContext({
    economy: options.economy,
    scenarioName: options.scenarioName ?? 'custom',
    store,
    fault: options.fault,
    secret: options.secret,
    now: options.now ?? Date.now,
    rng: options.rng ?? Math.random,
    walSync: options.walSync,
  });
  const app = Fastify({
    logger: false,
    bodyLimit: targetLimits.bodyBytesMax,
    ...POISONING,
    // Requests arriving while closing get our own 503 body (see `shutDownGracefully`), not Fastify's.
    return503OnClosing: false,
    ajv: {
      // verbose: an issue carries the value it refused, which the answer names (`found …`).
      customOptions: {
        coerceTypes: false,
        removeAdditional: false,
        useDefaults: false,
        allErrors: false,
        verbose: true,
      },
    },
    // Errors found before a route runs answer from the catalogue as well: a URL that does not decode,
    // and requests Node's HTTP parser refuses (headers over its limit, a stalled request, bad syntax).
    frameworkErrors: (error, _request, reply: FastifyReply) => {
      const { status, body } = toErrorAnswer(error);
      reply.code(status).send(body);
    },
    clientErrorHandler: answerClientError,
  });
  app.decorate('target', ctx);
  app.removeContentTypeParser('text/plain');
  parseJsonBodies(app, POISONING);
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  const onInternal =
    options.onInternalError ?? ((e) => process.stderr.write(`giftlab serve: ${String(e)}\n`));
  answerErrors(app, onInternal);
  if (ctx.durable !== undefined) {
    ctx.durable.onFailure = (e) => onInternal(new Error(`the WAL sync failed; no more writes: ${String(e)}`));
  }
  app.register(openApiPlugin(VERSION));
  app.register(authPlugin(ctx));
  app.register(purchasesPlugin(ctx));
  app.register(giftsPlugin(ctx));
  app.register(withdrawalsPlugin(ctx));
  app.register(refundsPlugin(ctx));
  app.register(balancesPlugin(ctx));
  app.register(journalPlugin(ctx));
  app.register(economyPlugin(ctx));
  shutDownGracefully(app, ctx);
  return app;
}

/** Every error, every unknown route and every method a route does not take, answered from the catalogue. */
function answerErrors(app: FastifyInstance, onInternal: (error: unknown) => void): void {
  app.setErrorHandler((error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
    const { status, body } = toErrorAnswer(error);
    if (status >= 500 && !(error instanceof ApiError)) onInternal(error);
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    // The router's own match, method by method: a path some route serves is a 405 with Allow (RFC 9110).
    const allowed = METHODS.filter((method) => app.findRoute({ method, url: request.url }) !== null);
    if (allowed.length > 0) {
      const e = new ApiError(
        'GIFT_ERR_METHOD_NOT_ALLOWED',
        `method: expected ${allowed.join(' or ')} on ${path}, found ${request.method}`,
        'method',
      );
      return reply.code(e.status).header('allow', allowed.join(', ')).send(e.body);
    }
    return reply.code(404).send({
      code: 'GIFT_ERR_NOT_FOUND',
      message: `no route ${request.method} ${path}`,
      field: 'path',
    });
  });
}

/**
 * A request Node's HTTP parser refused (no Fastify request exists): the catalogue's body written on the
 * socket, then the connection closed, as Node itself would.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const code =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? 'GIFT_ERR_HEADERS_TOO_LARGE'
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? 'GIFT_ERR_CLIENT_TIMEOUT'
        : 'GIFT_ERR_BAD_REQUEST';
  const e = new ApiError(code, undefined, code === 'GIFT_ERR_HEADERS_TOO_LARGE' ? 'headers' : undefined);
  const body = JSON.stringify(e.body);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${e.status} ${STATUS_CODES[e.status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/**
 * Requests that arrive while closing are refused; answers given while closing end their connection,
 * so that keep-alive sockets busy when close began do not hold the server open until their keep-alive
 * timeout. Once the last answer is out, queued writes are committed, the WAL checkpointed, the
 * database closed.
 */
function shutDownGracefully(app: FastifyInstance, ctx: TargetContext): void {
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onRequest', (_request, _reply, done) => {
    done(closing ? new ApiError('GIFT_ERR_SHUTTING_DOWN') : undefined);
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
  app.addHook('onClose', async () => {
    ctx.committer.close();
    await ctx.durable?.drained();
    ctx.store.close();
    ctx.durable?.close();
  });
}

/** A database remembers the economy it was created with; opening it with another is refused. */
function checkEconomy(store: Store, economy: Economy, file: string): void {
  const wanted = JSON.stringify(canonicalEconomy(economy));
  const stored = store.metaOrInit('economy', () => wanted);
  if (stored !== wanted) {
    throw new InputError({
      field: '--scenario',
      expected: `the economy ${file} was created with`,
      found: 'a different one (use the same --scenario, or a new --db)',
    });
  }
}

interface AjvIssue {
  keyword: string;
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
  /** The value refused (Ajv's verbose mode). */
  data?: unknown;
}

/** Maps any error onto the catalogue. */
export function toErrorAnswer(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof ApiError) return { status: error.status, body: error.body };
  const e = error as Partial<FastifyError> & { validation?: AjvIssue[]; validationContext?: string };
  if (Array.isArray(e.validation) && e.validation.length > 0) {
    return { status: 400, body: validationBody(e.validation[0], e.validationContext ?? 'body') };
  }
  switch (e.code) {
    case 'FST_ERR_BAD_URL':
      return answer('GIFT_ERR_BAD_REQUEST', `the path does not decode: ${firstLine(e.message)}`, 'path');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return answer('GIFT_ERR_BODY_TOO_LARGE', `the body is over ${targetLimits.bodyBytesMax} bytes`, 'body');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return answer('GIFT_ERR_UNSUPPORTED_MEDIA_TYPE', undefined, 'Content-Type');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return answer('GIFT_ERR_MALFORMED_JSON', 'the body is empty; send a JSON object', 'body');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      // Fastify's parser gives one error for both, without the cause.
      return answer(
        'GIFT_ERR_MALFORMED_JSON',
        'the body is not valid JSON, or holds a key refused anywhere in it (__proto__, or constructor with prototype)',
        'body',
      );
  }
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (
    error instanceof SyntaxError ||
    (status === 400 && /JSON|prototype|constructor/i.test(e.message ?? ''))
  ) {
    return answer('GIFT_ERR_MALFORMED_JSON', `the body is not valid JSON: ${firstLine(e.message)}`, 'body');
  }
  if (status >= 400 && status < 500) {
    return {
      status,
      body: {
        code: 'GIFT_ERR_BAD_REQUEST',
        message: firstLine(e.message) || ERRORS.GIFT_ERR_BAD_REQUEST.message,
      },
    };
  }
  if (status === 503) return answer('GIFT_ERR_SHUTTING_DOWN');
  return answer('GIFT_ERR_INTERNAL');
}

function validationBody(issue: AjvIssue, context: string): ErrorBody {
  const path = issue.instancePath
    .split('/')
    .filter((p) => p.length > 0)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let detail = issue.message ?? 'is invalid';
  if (issue.keyword === 'required') {
    path.push(String(issue.params.missingProperty));
    detail = 'is required';
  } else if (issue.keyword === 'additionalProperty' || issue.keyword === 'additionalProperties') {
    path.push(String(issue.params.additionalProperty));
    detail = 'is not a field of this request';
  } else if ('data' in issue) {
    // Node reads header bytes as Latin-1: a client's UTF-8 (`ké`) is shown as it was typed, not as `kÃ©`.
    const data =
      context === 'headers' && typeof issue.data === 'string' ? utf8Header(issue.data) : issue.data;
    detail = `${detail}, found ${foundValue(data)}`;
  }
  let field = path.length === 0 ? context : path.join('.');
  if (context === 'headers') field = headerName(field);
  return { code: 'GIFT_ERR_VALIDATION', message: `${field}: ${detail}`, field };
}

/** A refused value in a message: JSON, cut to 40 characters (`"5"`, `1.5`, `an object`). */
function foundValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** A header value read as Latin-1, as the UTF-8 its bytes spell when they do (else as it is). */
function utf8Header(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the test is for bytes above ASCII
  if (!/[^\x00-\x7f]/.test(value)) return value;
  const text = Buffer.from(value, 'latin1').toString('utf8');
  return text.includes('\ufffd') ? value : text;
}

function headerName(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

function answer(
  code: keyof typeof ERRORS,
  message?: string,
  field?: string,
): { status: number; body: ErrorBody } {
  const e = new ApiError(code, message, field);
  return { status: e.status, body: e.body };
}

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n')[0].slice(0, 200);
}
