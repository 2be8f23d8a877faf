/**
 * Replay's HTTP/1.1 client (`load/replay/http1.ts`): answers parsed by Content-Length, chunked or the
 * connection's close, interim 1xx skipped; a kept-alive connection the target closed while idle is
 * replaced without the caller seeing it; a refused connection, a connection closed before the answer
 * and a target that never answers reach `ReplayClient` as clear reasons.
 */
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { SimOp } from '../../experiments/oplog/op.ts';
import { ReplayClient } from '../../load/replay/client.ts';
import { Http1Client, parseAnswer } from '../../load/replay/http1.ts';
import type { UsersFile } from '../../load/users-file.ts';
import { closedPort } from './support.ts';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

/** A TCP server whose `onRequest` gets each complete request (head and body) with its socket. */
async function rawServer(onRequest: (socket: Socket, request: string, n: number) => void): Promise<URL> {
  let n = 0;
  const server = createServer((socket) => {
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      for (;;) {
        const headEnd = buffered.indexOf('\r\n\r\n');
        if (headEnd < 0) return;
        const length = Number(/content-length: (\d+)/i.exec(buffered.slice(0, headEnd))?.[1] ?? 0);
        if (buffered.length < headEnd + 4 + length) return;
        const request = buffered.slice(0, headEnd + 4 + length);
        buffered = buffered.slice(request.length);
        onRequest(socket, request, n++);
      }
    });
    socket.on('error', () => {});
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
}

function answer(body: string, extra = ''): string {
  return `HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

describe('parseAnswer', () => {
  it('reads Content-Length, chunked and close-delimited bodies, and waits for missing bytes', () => {
    const full = Buffer.from(answer('{"seq":1}', 'Idempotent-Replayed: true\r\n'));
    const parsed = parseAnswer(full, false);
    expect(parsed?.reply).toEqual({
      status: 201,
      headers: { 'content-type': 'application/json', 'idempotent-replayed': 'true', 'content-length': '9' },
      body: '{"seq":1}',
    });
    expect(parsed?.end).toBe(full.length);
    expect(parsed?.keepAlive).toBe(true);
    for (let cut = 0; cut < full.length; cut++)
      expect(parseAnswer(full.subarray(0, cut), false)).toBeUndefined();

    const chunked = Buffer.from(
      'HTTP/1.1 409 Conflict\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{"co\r\n9;x=1\r\nde":"é"}\r\n0\r\n\r\n',
    );
    expect(parseAnswer(chunked, false)?.reply.body).toBe('{"code":"é"}');
    expect(parseAnswer(chunked.subarray(0, chunked.length - 2), false)).toBeUndefined();

    const interim = Buffer.from(`HTTP/1.1 100 Continue\r\n\r\n${answer('{}')}`);
    expect(parseAnswer(interim, false)?.reply.status).toBe(201);

    const untilClose = Buffer.from('HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nabc');
    expect(parseAnswer(untilClose, false)).toBeUndefined();
    expect(parseAnswer(untilClose, true)).toMatchObject({ reply: { body: 'abc' }, keepAlive: false });
    expect(parseAnswer(Buffer.from('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n'), false)?.keepAlive).toBe(
      false,
    );
  });

  it('refuses what is not an HTTP/1.x answer', () => {
    expect(() => parseAnswer(Buffer.from('SSH-2.0-OpenSSH\r\n\r\n'), false)).toThrow(
      'not an HTTP/1.x answer',
    );
    expect(() => parseAnswer(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n'), false)).toThrow(
      'Content-Length',
    );
  });
});

describe('Http1Client', () => {
  it('sends one request per write with its headers, and reuses the connection', async () => {
    const seen: string[] = [];
    const sockets = new Set<Socket>();
    const target = await rawServer((socket, request) => {
      seen.push(request);
      sockets.add(socket);
      socket.write(answer(`{"n":${seen.length}}`));
    });
    const client = new Http1Client({ target });
    for (let i = 1; i <= 3; i++) {
      const reply = await client.post('/v1/gifts', [['Idempotency-Key', `k${i}`]], '{"a":"é"}');
      expect(reply).toMatchObject({ status: 201, body: `{"n":${i}}` });
    }
    client.close();
    expect(sockets.size).toBe(1);
    expect(seen[0]).toBe(
      `POST /v1/gifts HTTP/1.1\r\nHost: ${target.host}\r\nIdempotency-Key: k1\r\nContent-Length: 10\r\n\r\n{"a":"é"}`.replace(
        'é',
        Buffer.from('é').toString('latin1'),
      ),
    );
  });

  it('replaces a kept-alive connection the target closed while idle, unseen by the caller', async () => {
    const target = await rawServer((socket, _request, n) => {
      // The first connection closes after its first answer, as a keep-alive timeout would.
      socket.write(answer(`{"n":${n}}`), () => {
        if (n === 0) setTimeout(() => socket.destroy(), 20);
      });
    });
    const client = new Http1Client({ target });
    expect((await client.post('/x', [], '{}')).body).toBe('{"n":0}');
    await new Promise((r) => setTimeout(r, 60));
    expect((await client.post('/x', [], '{}')).body).toBe('{"n":1}');
    client.close();
  });

  it('refuses a header value that would split the request', async () => {
    const client = new Http1Client({ target: new URL('http://127.0.0.1:9/') });
    await expect(client.post('/x', [['Authorization', 'Bearer a\r\nX-Evil: 1']], '{}')).rejects.toThrow(
      'control character',
    );
  });
});

describe('ReplayClient over http1', () => {
  const users: UsersFile = {
    viewers: [{ id: 0, token: 't0' }],
    creators: [{ id: 0, token: 'c0' }],
    adminToken: 'a',
  };
  const op: SimOp = {
    kind: 'purchase',
    opId: 'sim-1',
    at: 0,
    result: 'ok',
    viewer: 0,
    channel: 'app',
    pack: 'p',
  };
  const send = async (target: URL, timeoutMs = 30_000) => {
    const client = new ReplayClient({
      target,
      users,
      keyOf: () => 'k',
      retries: 1,
      sleep: async () => {},
      timeoutMs,
    });
    try {
      return await client.send(op);
    } finally {
      client.close();
    }
  };

  it('says the connection was refused', async () => {
    const port = await closedPort();
    await expect(send(new URL(`http://127.0.0.1:${port}/`))).rejects.toThrow(
      'connection refused after 2 attempts',
    );
  });

  it('says the target closed the connection before its answer', async () => {
    const target = await rawServer((socket) => socket.destroy());
    await expect(send(target)).rejects.toThrow(
      'connection closed by the target before its answer (ECONNRESET)',
    );
  });

  it('says the target did not answer in time', async () => {
    const target = await rawServer(() => {});
    await expect(send(target, 100)).rejects.toThrow('timed out after 2 attempts');
  });

  it('reads a 201 with its seq and the replayed mark', async () => {
    const target = await rawServer((socket) =>
      socket.write(answer('{"seq":7}', 'Idempotent-Replayed: true\r\n')),
    );
    await expect(send(target)).resolves.toEqual({ status: 201, result: 'ok', seq: 7, replayed: true });
  });

  it('takes a refusal only at the status the catalogue gives its code, else stops naming what came', async () => {
    const refusal = (status: string, code: string) => {
      const body = JSON.stringify({ code, message: 'no' });
      return `HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    };
    const right = await rawServer((socket) =>
      socket.write(refusal('409 Conflict', 'GIFT_ERR_INSUFFICIENT_COINS')),
    );
    await expect(send(right)).resolves.toMatchObject({ status: 409, result: 'GIFT_ERR_INSUFFICIENT_COINS' });
    // Below the minimum is a 422 in the catalogue: a 409 with that code is not the API's answer.
    const wrong = await rawServer((socket) =>
      socket.write(refusal('409 Conflict', 'GIFT_ERR_BELOW_MINIMUM')),
    );
    await expect(send(wrong)).rejects.toThrow('409 GIFT_ERR_BELOW_MINIMUM');
  });
});
