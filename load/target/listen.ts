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

export interface Shutdown {
  /** Resolves with the signal (or `closed`) once the app has closed. */
  closed: Promise<NodeJS.Signals | 'closed'>;
  /** Closes the app now, as a signal would. */
  close(): void;
  /** Stops listening for the signals. */
  dispose(): void;
}

/** Closes the app gracefully on the first of `signals` (or `close()`). */
export function closeOnSignals(
  app: FastifyInstance,
  signals: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'],
): Shutdown {
  let resolveClosed: (how: NodeJS.Signals | 'closed') => void = () => {};
  const closed = new Promise<NodeJS.Signals | 'closed'>((resolve) => {
    resolveClosed = resolve;
  });
  let closing = false;
  const shut = (how: NodeJS.Signals | 'closed') => {
    if (closing) return;
    closing = true;
    dispose();
    // onClose hooks commit what is queued, checkpoint the WAL and close the database.
    app.close().then(
      () => resolveClosed(how),
      () => resolveClosed(how),
    );
  };
  const onSignal = (signal: NodeJS.Signals) => shut(signal);
  const dispose = () => {
    for (const s of signals) process.off(s, onSignal);
  };
  for (const s of signals) process.once(s, onSignal);
  return { closed, close: () => shut('closed'), dispose };
}
