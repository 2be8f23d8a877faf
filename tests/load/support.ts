/** Test support for the load suite: captured CLI streams, a reference target with a users file, k6 lookup. */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findK6 } from '../../load/bundle/k6.ts';
import { compilePlan } from '../../load/plan/compile.ts';
import type { Plan } from '../../load/plan/types.ts';
import { buildApp } from '../../load/target/app.ts';
import type { Fault } from '../../load/target/faults.ts';
import { listen } from '../../load/target/listen.ts';
import { writeUsersFile } from '../../load/users-file.ts';
import { loadScenarioFile } from '../../scenarios/load.ts';
import type { Scenario } from '../../scenarios/schema/scenario.ts';
import { type Captured, captureIo } from '../support/io.ts';

export const BASELINE = fileURLToPath(new URL('../../scenarios/baseline.yaml', import.meta.url));

/** The baseline at 20,000 viewers and 200 creators (and `sets`), the size the plan tests share. */
export function smallScenario(sets: readonly string[] = []): Scenario {
  return loadScenarioFile(BASELINE, {
    sets: ['population.viewers=20000', 'population.creators=200', ...sets],
  });
}

/** The plan of `smallScenario()`. */
export function smallPlan(): Plan {
  return compilePlan(smallScenario());
}

/** The k6 binary the k6 tests use: K6_BIN or k6 on PATH; undefined skips them. */
export const K6 = findK6(process.env);

export type { Captured };

export function capture(cwd: string, env: NodeJS.ProcessEnv = {}): Captured {
  return captureIo(cwd, env);
}

export function tempDir(prefix = 'giftlab-load-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface RunningTarget {
  url: string;
  usersFile: string;
  close(): Promise<void>;
}

/** The reference API on a free port with the baseline economy, `users` viewers and creators, a users file. */
export async function startTarget(
  dir: string,
  users: number,
  fault?: Fault,
  name?: string,
  db?: string,
): Promise<RunningTarget> {
  const scenario = loadScenarioFile(BASELINE, {});
  const app = buildApp({ economy: scenario.economy, scenarioName: scenario.name, fault, db });
  const url = await listen(app, { port: 0, host: '127.0.0.1' });
  const usersFile = join(dir, `users-${name ?? fault ?? 'healthy'}-${url.split(':').at(-1)}.json`);
  writeUsersFile(usersFile, url, app.target.seedUsers(users));
  return { url, usersFile, close: () => app.close() };
}

/**
 * A gateway in front of `target` that misbehaves on gifts (POST /v1/gifts) only: it holds their answers
 * back `giftDelayMs`, or answers those `refuseGift` picks (by Idempotency-Key) itself with the reference
 * 409 for funds, without passing them on. Everything else goes through as it is.
 */
export async function giftGateway(
  target: string,
  options: { giftDelayMs?: number; refuseGift?: (key: string) => boolean },
): Promise<{ url: string; close(): Promise<void> }> {
  const to = new URL(target);
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    const gift = req.method === 'POST' && req.url?.startsWith('/v1/gifts') === true;
    if (gift && options.refuseGift?.(String(req.headers['idempotency-key'] ?? '')) === true) {
      req.resume();
      res.writeHead(409, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ error: { code: 'GIFT_ERR_INSUFFICIENT_COINS', message: 'not enough coins' } }),
      );
      return;
    }
    const up = http.request(
      { host: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers, agent },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          setTimeout(
            () => {
              res.writeHead(answer.statusCode ?? 502, answer.headers);
              res.end(Buffer.concat(chunks));
            },
            gift ? (options.giftDelayMs ?? 0) : 0,
          );
        });
      },
    );
    up.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
