// The fallback for worker threads when the worker cannot be bundled (see worker-bundle.ts): threads
// start as plain Node, so register tsx's loader in this thread, then load the TypeScript worker named
// by workerData.entry.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
