/** Messages between the pool and its worker threads (structured-cloned: plain data only). */
import type { ReplicationResult } from './result.ts';
import type { WorkItem } from './work.ts';

export interface WorkerRequest {
  index: number;
  item: WorkItem;
}

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'progress'; index: number; simSeconds: number; events: number }
  | { type: 'done'; index: number; result: ReplicationResult }
  | { type: 'error'; index: number; name: string; message: string; stack: string };
