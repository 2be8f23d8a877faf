/**
 * What a worker thread loads: worker.ts and everything it imports, bundled by esbuild into one plain
 * JavaScript module (cached by common/bundle-cache.mjs, as the CLI's own bundle is). A thread that loads
 * it starts in tens of milliseconds; one that registers tsx and transpiles the sources module by module
 * (worker-bootstrap.mjs) takes about a quarter of a second, with a loader thread of its own. Where
 * esbuild is missing or fails, the threads fall back to the tsx bootstrap: failures here only ever cost
 * time, never a run.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cachedBundle, ROOT } from '../common/bundle-cache.mjs';

export interface WorkerScript {
  url: URL;
  /** Plain JavaScript (no loader needed), or the tsx bootstrap that needs `workerData.entry`. */
  bundled: boolean;
}

const ENTRY = fileURLToPath(new URL('./worker.ts', import.meta.url));
const BOOTSTRAP = new URL('./worker-bootstrap.mjs', import.meta.url);

let script: Promise<WorkerScript> | undefined;

/** The worker script, built or found at the first call in a process. */
export function workerScript(): Promise<WorkerScript> {
  script ??= cachedBundle({
    name: 'worker',
    entry: ENTRY,
    // Stack traces from a thread name the TypeScript sources (the pool runs threads with source maps).
    options: { sourcemap: 'inline', sourcesContent: false, sourceRoot: pathToFileURL(ROOT).href },
  })
    .then((url) => ({ url, bundled: true }))
    .catch(() => ({ url: BOOTSTRAP, bundled: false }));
  return script;
}

/** The tsx bootstrap's workerData field naming the TypeScript entry. */
export const WORKER_ENTRY = pathToFileURL(ENTRY).href;
