/**
 * Every error answer on a real port is `{ code, message }` from the catalogue, with the catalogue's
 * status — including those Fastify or Node's HTTP parser produce before any route runs: an unknown
 * route (404), a method its path does not take (405), a body over the limit (413), headers over
 * Node's limit (431), a path that does not decode and a request line that does not parse (400).
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { targetLimits } from '../../common/limits.ts';
import { ERRORS, type ErrorCode } from '../../load/target/errors.ts';
import { auth, listeningTarget, type TestTarget } from './support/server.ts';

let t: TestTarget;
beforeAll(async () => {
  t = await listeningTarget({}, 2);
});
afterAll(() => t.close());

/** Raw bytes to the server, the answer's status line and JSON body (whatever a client library allows). */
function raw(request: string): Promise<{ status: number; body: { code: ErrorCode; message: string } }> {
  const { hostname, port } = new URL(t.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(request));
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk) => {
      text += chunk;
    });
    socket.on('error', reject);
    socket.on('close', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);
      const at = text.indexOf('\r\n\r\n');
      try {
        resolve({ status, body: JSON.parse(text.slice(at + 4)) });
      } catch {
        reject(new Error(`not a JSON answer: ${text.slice(0, 300)}`));
      }
    });
  });
}

function expectCatalogued(r: { status: number; body: Record<string, unknown> }, code: ErrorCode): void {
  expect(r.body.code).toBe(code);
  expect(r.status).toBe(ERRORS[code].status);
  expect(typeof r.body.message).toBe('string');
  expect(Object.keys(r.body).every((k) => ['code', 'message', 'field'].includes(k))).toBe(true);
}

describe('error answers on a real port', () => {
  it('404: no such route', async () => {
    expectCatalogued(
      await raw('GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
      'GIFT_ERR_NOT_FOUND',
    );
  });

  it('405: a path that takes other methods', async () => {
    expectCatalogued(
      await raw('GET /v1/purchases HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
      'GIFT_ERR_METHOD_NOT_ALLOWED',
    );
  });

  it('413: a body over the limit', async () => {
    const body = 'a'.repeat(targetLimits.bodyBytesMax + 1);
    const token = t.users.viewers[0].token;
    const headers = Object.entries({ ...auth(token, 'k'), 'content-type': 'application/json' })
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    const r = await raw(
      `POST /v1/gifts HTTP/1.1\r\nHost: x\r\n${headers}Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
    );
    expectCatalogued(r, 'GIFT_ERR_BODY_TOO_LARGE');
  });

  it('431: a 100 KB header', async () => {
    const r = await raw(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\n`);
    expectCatalogued(r, 'GIFT_ERR_HEADERS_TOO_LARGE');
    expect(r.body).toMatchObject({ field: 'headers' });
  });

  it('400: a path that does not decode, and a request line that does not parse', async () => {
    const url = await raw('GET /v1/viewers/%zz/balance HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expectCatalogued(url, 'GIFT_ERR_BAD_REQUEST');
    expect(url.body).toMatchObject({ field: 'path' });
    expectCatalogued(await raw('NOT A REQUEST\r\n\r\n'), 'GIFT_ERR_BAD_REQUEST');
  });
});
