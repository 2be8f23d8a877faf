/** Starting the reference target in tests: injected (no port) or listening on 127.0.0.1, a free port. */
import { createServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp, type TargetOptions } from '../../../load/target/app.ts';
import { listen } from '../../../load/target/listen.ts';
import type { UsersFile } from '../../../load/users-file.ts';
import { testEconomy } from '../../support/economy.ts';

export interface TestTarget {
  app: FastifyInstance;
  users: UsersFile;
  /** Base URL when listening; undefined for an injected app. */
  url: string;
  close(): Promise<void>;
}

export async function injectedTarget(options: Partial<TargetOptions> = {}, users = 4): Promise<TestTarget> {
  const app = buildApp({ economy: testEconomy, scenarioName: 'test', ...options });
  await app.ready();
  return { app, users: app.target.seedUsers(users), url: '', close: () => app.close() };
}

export async function listeningTarget(options: Partial<TargetOptions> = {}, users = 8): Promise<TestTarget> {
  const app = buildApp({ economy: testEconomy, scenarioName: 'test', ...options });
  const url = await listen(app, { port: 0, host: '127.0.0.1' });
  return { app, users: app.target.seedUsers(users), url, close: () => app.close() };
}

export function auth(token: string, key?: string): Record<string, string> {
  return { authorization: `Bearer ${token}`, ...(key === undefined ? {} : { 'idempotency-key': key }) };
}

/** A port nothing listens on now (taken, then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
