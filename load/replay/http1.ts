/**
 * A small HTTP/1.1 client for replay's POSTs over plain TCP (`node:net`), with kept-alive connections
 * and no pipelining: one request per connection at a time, a connection per operation in flight. Each
 * request is one `write` of its bytes; the answer is read by its status line, `Content-Length` (or
 * chunked, or until the connection closes) and the few headers replay reads. node:http's client spends
 * most of replay's CPU on what replay does not need (an agent, URL objects, header objects, events per
 * chunk, a writev of headers and body): about 2× this one's per request.
 *
 * A kept-alive connection the target closed while idle (its keep-alive timeout) fails the next request
 * before any byte of the answer: that request goes again once on a new connection (safe: replay's
 * requests carry an Idempotency-Key). Other failures reject with the socket's error (its `code`:
 * ECONNREFUSED, ECONNRESET, …) or a `TimeoutError`; the caller retries or reports.
 */
import net from 'node:net';
import { assert } from '../../common/assert.ts';
import { loadLimits } from '../../common/limits.ts';

export interface Http1Reply {
  status: number;
  /** Header names in lower case; a repeated header keeps its last value. */
  headers: Record<string, string>;
  body: string;
}

export interface Http1Options {
  /** An `http:` base URL: its host and port are where connections go. */
  target: URL;
  /** No byte received for this long fails the request (default 30 s). */
  timeoutMs?: number;
  /** Idle connections kept for reuse at most (default: replay's concurrency bound). */
  idleMax?: number;
}

/** Header values may not hold CR, LF or other control characters (request splitting). */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const HEAD_END = Buffer.from('\r\n\r\n');

export class Http1Client {
  private readonly host: string;
  private readonly port: number;
  private readonly hostHeader: string;
  private readonly timeoutMs: number;
  private readonly idleMax: number;
  private readonly idle: Connection[] = [];
  private closed = false;

  constructor(options: Http1Options) {
    assert(options.target.protocol === 'http:', 'Http1Client: an http: target');
    this.host = options.target.hostname.replace(/^\[(.*)\]$/, '$1');
    this.port = options.target.port === '' ? 80 : Number(options.target.port);
    this.hostHeader = options.target.host;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.idleMax = options.idleMax ?? loadLimits.replayConcurrencyMax;
  }

  /**
   * POSTs `body` (JSON) to `path` (absolute, with its query if any) with `headers` (`name: value`
   * pairs, names as sent). Resolves with the answer, whatever its status.
   */
  post(path: string, headers: readonly (readonly [string, string])[], body: string): Promise<Http1Reply> {
    if (this.closed) return Promise.reject(new Error('the client is closed'));
    let head = `POST ${path} HTTP/1.1\r\nHost: ${this.hostHeader}\r\n`;
    for (const [name, value] of headers) {
      if (!HEADER_VALUE.test(value)) {
        return Promise.reject(new Error(`the ${name} header holds a control character`));
      }
      head += `${name}: ${value}\r\n`;
    }
    const request = `${head}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    let reused = this.idle.pop();
    while (reused?.dead) reused = this.idle.pop();
    if (reused === undefined) return this.fresh().send(request);
    return reused.send(request).catch((error: unknown) => {
      // Closed by the target while idle: nothing of the answer came, so the request may go again.
      if (error instanceof StaleConnection) return this.fresh().send(request);
      throw error;
    });
  }

  /** Closes every idle connection; busy ones close when their answer is in. */
  close(): void {
    this.closed = true;
    for (const c of this.idle.splice(0)) c.destroy();
  }

  private fresh(): Connection {
    return new Connection(this.host, this.port, this.timeoutMs, (c) => this.release(c));
  }

  private release(c: Connection): void {
    if (this.closed || this.idle.length >= this.idleMax) c.destroy();
    else this.idle.push(c);
  }
}

/** A kept-alive connection that failed before any byte of the answer came (closed while idle). */
class StaleConnection extends Error {
  constructor(readonly reason: unknown) {
    super('the kept-alive connection was closed by the target');
  }
}

interface Waiting {
  resolve: (reply: Http1Reply) => void;
  reject: (error: unknown) => void;
}

/** One socket; one request at a time. */
class Connection {
  private readonly socket: net.Socket;
  private waiting: Waiting | undefined;
  /** Bytes of the answer in so far (undefined: none). */
  private buffered: Buffer | undefined;
  /** The connection has answered before: a failure before any byte is a stale connection. */
  private used = false;
  /** Destroyed: never used again (an idle one is dropped when taken). */
  dead = false;

  constructor(
    host: string,
    port: number,
    timeoutMs: number,
    private readonly onIdle: (c: Connection) => void,
  ) {
    this.socket = net.connect({ host, port, noDelay: true });
    this.socket.setTimeout(timeoutMs);
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('timeout', () => {
      const e = new Error('timed out');
      e.name = 'TimeoutError';
      this.fail(e);
    });
    this.socket.on('error', (error) => this.fail(error));
    this.socket.on('close', () =>
      this.fail(Object.assign(new Error('connection closed'), { code: 'ECONNRESET' })),
    );
    this.socket.on('end', () => this.onEnd());
  }

  send(request: string): Promise<Http1Reply> {
    assert(this.waiting === undefined, 'Http1Client: one request at a time on a connection');
    if (this.dead) return Promise.reject(new StaleConnection(undefined));
    return new Promise<Http1Reply>((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.buffered = undefined;
      this.socket.write(request);
    });
  }

  destroy(): void {
    this.dead = true;
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    if (this.waiting === undefined) {
      // Bytes nobody asked for: the connection cannot be trusted any more.
      this.destroy();
      return;
    }
    const data = this.buffered === undefined ? chunk : Buffer.concat([this.buffered, chunk]);
    let parsed: Parsed | undefined;
    try {
      parsed = parseAnswer(data, false);
    } catch (error) {
      this.fail(error);
      return;
    }
    if (parsed === undefined) {
      if (data.length > loadLimits.replayAnswerBytesMax) {
        this.fail(new Error(`an answer over ${loadLimits.replayAnswerBytesMax} bytes`));
        return;
      }
      this.buffered = data;
      return;
    }
    this.complete(parsed, data.length);
  }

  /** The target closed its side: an answer read until the close ends here. */
  private onEnd(): void {
    if (this.waiting !== undefined && this.buffered !== undefined) {
      try {
        const parsed = parseAnswer(this.buffered, true);
        if (parsed !== undefined) {
          this.complete(parsed, this.buffered.length);
          return;
        }
      } catch (error) {
        this.fail(error);
        return;
      }
    }
    this.fail(Object.assign(new Error('connection closed'), { code: 'ECONNRESET' }));
  }

  private complete(parsed: Parsed, length: number): void {
    const waiting = this.waiting as Waiting;
    this.waiting = undefined;
    this.buffered = undefined;
    this.used = true;
    // Extra bytes after the answer, or a target that will close: not kept.
    if (parsed.end !== length || !parsed.keepAlive) this.destroy();
    waiting.resolve(parsed.reply);
    if (!this.dead) this.onIdle(this);
  }

  private fail(error: unknown): void {
    const waiting = this.waiting;
    const stale =
      this.used && this.buffered === undefined && (error as Error | undefined)?.name !== 'TimeoutError';
    this.waiting = undefined;
    this.buffered = undefined;
    if (!this.dead) this.destroy();
    waiting?.reject(stale ? new StaleConnection(error) : error);
  }
}

interface Parsed {
  reply: Http1Reply;
  /** Bytes the answer took. */
  end: number;
  keepAlive: boolean;
}

/**
 * The first complete answer in `data` (interim 1xx answers skipped), or undefined when more bytes are
 * needed. `ended`: the connection has closed, so an answer without a length ends here. Throws on bytes
 * that are not an HTTP/1.x answer.
 */
export function parseAnswer(data: Buffer, ended: boolean): Parsed | undefined {
  let start = 0;
  for (;;) {
    const headEnd = data.indexOf(HEAD_END, start);
    if (headEnd < 0) return undefined;
    const lines = data.toString('latin1', start, headEnd).split('\r\n');
    const status = /^HTTP\/1\.([01]) (\d{3})(?: |$)/.exec(lines[0]);
    if (status === null) throw new Error(`not an HTTP/1.x answer: ${JSON.stringify(lines[0].slice(0, 40))}`);
    const code = Number(status[2]);
    const headers: Record<string, string> = {};
    for (let i = 1; i < lines.length; i++) {
      const colon = lines[i].indexOf(':');
      if (colon <= 0)
        throw new Error(`a malformed header line in the answer: ${JSON.stringify(lines[i].slice(0, 40))}`);
      headers[lines[i].slice(0, colon).trim().toLowerCase()] = lines[i].slice(colon + 1).trim();
    }
    const bodyStart = headEnd + HEAD_END.length;
    if (code >= 100 && code < 200) {
      start = bodyStart;
      continue;
    }
    const connection = (headers.connection ?? '').toLowerCase();
    const keepAlive = status[1] === '1' ? connection !== 'close' : connection === 'keep-alive';
    const reply = (body: string): Http1Reply => ({ status: code, headers, body });
    if (code === 204 || code === 304) return { reply: reply(''), end: bodyStart, keepAlive };
    if ((headers['transfer-encoding'] ?? '').toLowerCase().includes('chunked')) {
      const chunked = readChunked(data, bodyStart);
      if (chunked === undefined) return undefined;
      return { reply: reply(chunked.body), end: chunked.end, keepAlive };
    }
    const lengthHeader = headers['content-length'];
    if (lengthHeader !== undefined) {
      if (!/^\d{1,9}$/.test(lengthHeader))
        throw new Error(`a bad Content-Length in the answer: ${lengthHeader}`);
      const end = bodyStart + Number(lengthHeader);
      if (data.length < end) return undefined;
      return { reply: reply(data.toString('utf8', bodyStart, end)), end, keepAlive };
    }
    // No length: the body runs until the target closes the connection.
    if (!ended) return undefined;
    return { reply: reply(data.toString('utf8', bodyStart)), end: data.length, keepAlive: false };
  }
}

/** A chunked body from `at`: its text and where it ends (after the trailers), or undefined when incomplete. */
function readChunked(data: Buffer, at: number): { body: string; end: number } | undefined {
  const parts: Buffer[] = [];
  let i = at;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', i);
    if (lineEnd < 0) return undefined;
    const sizeText = data.toString('latin1', i, lineEnd).split(';')[0].trim();
    if (!/^[0-9a-fA-F]{1,8}$/.test(sizeText)) throw new Error(`a bad chunk size in the answer: ${sizeText}`);
    const size = Number.parseInt(sizeText, 16);
    if (size === 0) {
      // Trailers, if any, end with an empty line.
      const trailersEnd = data.indexOf(HEAD_END, lineEnd);
      if (data.length >= lineEnd + 4 && data.toString('latin1', lineEnd, lineEnd + 4) === '\r\n\r\n') {
        return { body: Buffer.concat(parts).toString('utf8'), end: lineEnd + 4 };
      }
      if (trailersEnd < 0) return undefined;
      return { body: Buffer.concat(parts).toString('utf8'), end: trailersEnd + 4 };
    }
    const chunkEnd = lineEnd + 2 + size;
    if (data.length < chunkEnd + 2) return undefined;
    parts.push(data.subarray(lineEnd + 2, chunkEnd));
    i = chunkEnd + 2;
  }
}
