// Worker threads start as plain Node: register tsx's loader in this thread, then load the TypeScript
// worker named by workerData (see pool.ts).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
