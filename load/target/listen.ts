/**
 * Listening, separate from `buildApp` so that tests can inject without a port. `closeOnSignals` is
 * the graceful shutdown: stop accepting, let in-flight requests finish (queued writes are committed),
 * then checkpoint the WAL and close the database (the app's onClose hook).
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';

export interface ListenOptions {
  /** 0 picks a free port. */
  port: number;
  host: string;
}

/** Starts listening; returns the base URL (`http://127.0.0.1:PORT`). */
export async function listen(app: FastifyInstance, options: ListenOptions): Promise<string> {
  await app.listen({ port: options.port, host: options.host });
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/** Closes the app gracefully on the first of `signals`; resolves once it is closed. */
export function closeOnSignals(
  app: FastifyInstance,
  signals: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'],
): { closed: Promise<NodeJS.Signals | 'closed'>; dispose: () => void } {
  let dispose = () => {};
  const closed = new Promise<NodeJS.Signals | 'closed'>((resolve, reject) => {
    const onSignal = (signal: NodeJS.Signals) => {
      dispose();
      app.close().then(() => resolve(signal), reject);
    };
    for (const s of signals) process.once(s, onSignal);
    app.addHook('onClose', async () => resolve('closed'));
    dispose = () => {
      for (const s of signals) process.off(s, onSignal);
    };
  });
  return { closed, dispose };
}
