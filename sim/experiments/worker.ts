/**
 * The worker-thread side of the pool: takes work items one at a time, runs them, posts results back,
 * with progress now and then. Errors go back as messages; the pool decides what they mean.
 */
import { parentPort } from 'node:worker_threads';
import { assert } from '../assert.ts';
import type { WorkerReply, WorkerRequest } from './protocol.ts';
import { runWorkItem } from './work.ts';

const port = parentPort;
assert(port !== null, 'worker.ts runs in a worker thread');

port.on('message', (request: WorkerRequest) => {
  try {
    const result = runWorkItem(request.item, (simSeconds, events) => {
      port.postMessage({ type: 'progress', index: request.index, simSeconds, events } satisfies WorkerReply);
    });
    port.postMessage({ type: 'done', index: request.index, result } satisfies WorkerReply);
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    port.postMessage({
      type: 'error',
      index: request.index,
      name: e.name,
      message: e.message,
      stack: e.stack ?? '',
    } satisfies WorkerReply);
  }
});
port.postMessage({ type: 'ready' } satisfies WorkerReply);
