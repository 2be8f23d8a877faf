/**
 * The worker-thread side of the pool: claims items from the shared counter until none is left, runs
 * each, posts its result back, with progress now and then. An error goes back as a message and stops
 * the claiming (the pool decides what it means); the thread then ends on its own.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { assert } from '../common/assert.ts';
import { abandonItems, claimItem, type WorkerData, type WorkerReply } from './protocol.ts';
import { runWorkItem } from './work.ts';

const port = parentPort;
assert(port !== null, 'worker.ts runs in a worker thread');
const { items, claims, progress = port } = workerData as WorkerData;

for (let index = claimItem(claims, items.length); index >= 0; index = claimItem(claims, items.length)) {
  try {
    const result = runWorkItem(items[index], (simSeconds, events) => {
      progress.postMessage({ type: 'progress', index, simSeconds, events } satisfies WorkerReply);
    });
    port.postMessage({ type: 'done', index, result } satisfies WorkerReply);
  } catch (error) {
    abandonItems(claims, items.length);
    const e = error instanceof Error ? error : new Error(String(error));
    port.postMessage({
      type: 'error',
      index,
      name: e.name,
      message: e.message,
      stack: e.stack ?? '',
    } satisfies WorkerReply);
    break;
  }
}
