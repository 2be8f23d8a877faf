/**
 * Replay tests' fixtures: a run recorded with `giftlab run --journal` (in this process), reference
 * servers started with `giftlab serve --scenario … --seed-users …` on a free port (in this process),
 * and `giftlab …` commands run through `main` with captured streams.
 */
import { mkdtempSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { serve } from '../../cli/serve.ts';
import { captureIo, runGiftlab } from '../support/io.ts';

export const BASELINE = resolve('scenarios/baseline.yaml');
/** About 1,900 operations (900 purchases, 950 gifts, a withdrawal; 20 creators) in about half a second. */
export const SMALL_RUN = [
  '--set',
  'population.viewers=2000',
  '--set',
  'viewers.payerShare=0.5',
  '--seed',
  '42',
];

/** A port nothing listens on (bound, then closed). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  await new Promise((r) => server.close(r));
  return port;
}

export function tmp(prefix = 'giftlab-replay-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface Result {
  code: number;
  out: string;
  err: string;
}

/** Runs `giftlab …args` in-process (tests/support/io.ts). */
export const giftlab: (args: string[], cwd?: string, env?: NodeJS.ProcessEnv) => Promise<Result> = runGiftlab;

export interface Server {
  url: string;
  usersFile: string;
  close: () => Promise<void>;
}

/** `giftlab serve` in this process on a free port, its users file in a temp folder. */
export async function startServer(
  options: { scenario?: string; fault?: string; seedUsers?: number; set?: string[] } = {},
): Promise<Server> {
  const dir = tmp('giftlab-serve-');
  const usersFile = join(dir, 'users.json');
  const stop = new AbortController();
  const c = captureIo(dir);
  let listening: (url: string) => void = () => {};
  const url = new Promise<string>((r) => {
    listening = r;
  });
  const done = serve(
    {
      port: 0,
      scenario: resolve(options.scenario ?? BASELINE),
      set: options.set,
      fault: options.fault,
      seedUsers: options.seedUsers ?? 2000,
      usersFile,
    },
    c.io,
    { signal: stop.signal, onListening: listening },
  );
  done.catch(() => {});
  return {
    url: await Promise.race([url, done.then(() => Promise.reject(new Error(`serve ended: ${c.err()}`)))]),
    usersFile,
    close: async () => {
      stop.abort();
      await done;
    },
  };
}
