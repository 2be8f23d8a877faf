/**
 * Maps work items over worker threads and returns the results in the items' order, whichever worker
 * finished first: the output never depends on the worker count. One worker runs in this thread (the
 * very same function), more spawn TypeScript workers through a small .mjs bootstrap that registers tsx.
 */
import { Worker } from 'node:worker_threads';
import { AssertionError } from '../assert.ts';
import type { WorkerReply, WorkerRequest } from './protocol.ts';
import type { ReplicationResult } from './result.ts';
import { runWorkItem, type WorkItem } from './work.ts';

export interface PoolOptions {
  workers: number;
  /** Progress of item `index`: simulated seconds done and events so far. */
  onProgress?: (index: number, simSeconds: number, events: number) => void;
  /** Use worker threads even for one worker (benchmarks compare thread against thread). */
  alwaysThreads?: boolean;
}

const BOOTSTRAP = new URL('./worker-bootstrap.mjs', import.meta.url);
const ENTRY = new URL('./worker.ts', import.meta.url).href;

export async function runPool(
  items: readonly WorkItem[],
  options: PoolOptions,
): Promise<ReplicationResult[]> {
  const workers = Math.max(1, Math.min(options.workers, items.length));
  return workers === 1 && !options.alwaysThreads
    ? runHere(items, options)
    : runThreads(items, workers, options);
}

async function runHere(items: readonly WorkItem[], options: PoolOptions): Promise<ReplicationResult[]> {
  const results: ReplicationResult[] = [];
  for (let index = 0; index < items.length; index++) {
    results.push(runWorkItem(items[index], (s, e) => options.onProgress?.(index, s, e)));
    // Let timers (a progress bar) and signals in between replications.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return results;
}

function runThreads(
  items: readonly WorkItem[],
  count: number,
  options: PoolOptions,
): Promise<ReplicationResult[]> {
  return new Promise((resolve, reject) => {
    const results: ReplicationResult[] = new Array(items.length);
    const threads: Worker[] = [];
    let next = 0;
    let done = 0;
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      for (const t of threads) void t.terminate();
      if (error) reject(error);
      else resolve(results);
    };
    const feed = (thread: Worker) => {
      if (next >= items.length) return;
      const index = next++;
      thread.postMessage({ index, item: items[index] } satisfies WorkerRequest);
    };
    for (let i = 0; i < count; i++) {
      const thread = new Worker(BOOTSTRAP, { workerData: { entry: ENTRY } });
      threads.push(thread);
      thread.on('message', (reply: WorkerReply) => {
        if (reply.type === 'ready') feed(thread);
        else if (reply.type === 'progress') options.onProgress?.(reply.index, reply.simSeconds, reply.events);
        else if (reply.type === 'error') finish(rebuild(reply));
        else {
          results[reply.index] = reply.result;
          if (++done === items.length) finish();
          else feed(thread);
        }
      });
      thread.on('error', (error) => finish(error));
      thread.on('exit', (code) => {
        if (!settled) finish(new Error(`a worker thread exited early (code ${code})`));
      });
    }
  });
}

function rebuild(reply: Extract<WorkerReply, { type: 'error' }>): Error {
  const error =
    reply.name === 'AssertionError' ? new AssertionError(reply.message) : new Error(reply.message);
  error.stack = reply.stack;
  return error;
}
