/**
 * What the pool and its worker threads share. A worker thread gets every item of the run at its start
 * (workerData, structured-cloned once) and a shared counter: it claims the next item with an atomic
 * add, as the pool's own thread does, so no executor ever waits for another to hand it work. Replies
 * are messages (plain data).
 */
import type { MessagePort } from 'node:worker_threads';
import type { ReplicationResult } from './result.ts';
import type { WorkItem } from './work.ts';

export interface WorkerData {
  items: readonly WorkItem[];
  /** [CLAIM]: the next item to claim (past the end once all are claimed or the run is abandoned). */
  claims: Int32Array;
  /** The TypeScript worker's URL, for the tsx bootstrap (unused by the bundled worker). */
  entry: string;
  /**
   * Where the thread posts its progress: a port of its own, which the pool's thread reads synchronously
   * while it runs an item of its own (a progress bar would otherwise stand still for the threads' items).
   */
  progress?: MessagePort;
}

export const CLAIM = 0;

/** The next item's index for this executor, or −1 when there is none left. */
export function claimItem(claims: Int32Array, count: number): number {
  const index = Atomics.add(claims, CLAIM, 1);
  return index < count ? index : -1;
}

/** No executor claims another item (the ones running finish). */
export function abandonItems(claims: Int32Array, count: number): void {
  Atomics.store(claims, CLAIM, count);
}

export type WorkerReply =
  | { type: 'progress'; index: number; simSeconds: number; events: number }
  | { type: 'done'; index: number; result: ReplicationResult }
  | { type: 'error'; index: number; name: string; message: string; stack: string };
