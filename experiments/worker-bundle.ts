/**
 * What a worker thread loads: worker.ts and everything it imports, bundled by esbuild into one plain
 * JavaScript module. A thread that loads it starts in tens of milliseconds; one that registers tsx and
 * transpiles the sources module by module (worker-bootstrap.mjs) takes about a quarter of a second,
 * with a loader thread of its own.
 *
 * The bundle is built once and kept in node_modules/.cache/giftlab, next to a manifest of the sources
 * it was built from (their content hashes): a later process checks those in about a millisecond and
 * reuses it; a changed source rebuilds it. Where that folder cannot be written, the bundle goes to the
 * threads as a data: URL; where esbuild is missing or fails, the threads fall back to the tsx bootstrap.
 * Failures here only ever cost time, never a run.
 */
import { createHash } from 'node:crypto';
import {
  accessSync,
  constants,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { threadId } from 'node:worker_threads';
import type { BuildOptions } from 'esbuild';

export interface WorkerScript {
  url: URL;
  /** Plain JavaScript (no loader needed), or the tsx bootstrap that needs `workerData.entry`. */
  bundled: boolean;
}

const ENTRY = fileURLToPath(new URL('./worker.ts', import.meta.url));
const BOOTSTRAP = new URL('./worker-bootstrap.mjs', import.meta.url);
/** The sources' folder: esbuild's working directory, so that the manifest's paths are stable. */
const ROOT = path.resolve(path.dirname(ENTRY), '..');

let script: Promise<WorkerScript> | undefined;

/** The worker script, built or found at the first call in a process. */
export function workerScript(): Promise<WorkerScript> {
  script ??= bundledScript().catch(() => ({ url: BOOTSTRAP, bundled: false }));
  return script;
}

/** The tsx bootstrap's workerData field naming the TypeScript entry. */
export const WORKER_ENTRY = pathToFileURL(ENTRY).href;

interface Manifest {
  bundle: string;
  /** Source path (relative to ROOT) → sha256 of its content. */
  inputs: Record<string, string>;
}

/** esbuild's options (part of the cache key: changing them rebuilds the bundle). */
const BUILD: BuildOptions & { write: false; metafile: true } = {
  entryPoints: [ENTRY],
  absWorkingDir: ROOT,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: `node${process.versions.node}`,
  write: false,
  metafile: true,
  logLevel: 'silent',
  // Stack traces from a thread name the TypeScript sources (the pool runs threads with source maps).
  sourcemap: 'inline',
  sourcesContent: false,
  sourceRoot: `${pathToFileURL(ROOT).href}/`,
  // Bundled CommonJS packages may `require` Node's built-ins.
  banner: {
    js: `import { createRequire as __giftlabRequire } from 'node:module'; const require = __giftlabRequire(${JSON.stringify(ENTRY)});`,
  },
};

async function bundledScript(): Promise<WorkerScript> {
  const dir = cacheDir();
  const key = digest(`${process.version}\0${JSON.stringify(BUILD)}`).slice(0, 16);
  const manifestPath = path.join(dir, `worker-${key}.json`);
  const found = reuse(dir, manifestPath);
  if (found !== undefined) return { url: found, bundled: true };
  const { build } = await import('esbuild');
  const result = await build(BUILD);
  const code = result.outputFiles[0].text;
  const inputs: Record<string, string> = {};
  for (const input of Object.keys(result.metafile.inputs))
    inputs[input] = digest(readFileSync(path.resolve(ROOT, input)));
  try {
    mkdirSync(dir, { recursive: true });
    const bundle = `worker-${digest(code).slice(0, 16)}.mjs`;
    writeAtomically(path.join(dir, bundle), code);
    writeAtomically(manifestPath, JSON.stringify({ bundle, inputs } satisfies Manifest));
    prune(dir, bundle);
    return { url: pathToFileURL(path.join(dir, bundle)), bundled: true };
  } catch {
    return {
      url: new URL(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`),
      bundled: true,
    };
  }
}

/** The cached bundle's URL when every source it was built from is unchanged. */
function reuse(dir: string, manifestPath: string): URL | undefined {
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    for (const [input, hash] of Object.entries(manifest.inputs)) {
      if (digest(readFileSync(path.resolve(ROOT, input))) !== hash) return undefined;
    }
    const bundle = path.join(dir, manifest.bundle);
    accessSync(bundle, constants.R_OK);
    return pathToFileURL(bundle);
  } catch {
    return undefined;
  }
}

/** Removes bundles of earlier sources once they are an hour old (a process may still be starting one). */
function prune(dir: string, keep: string): void {
  const before = Date.now() - 3600_000;
  for (const name of readdirSync(dir)) {
    if (name === keep || !/^worker-.*\.(mjs|tmp)$/.test(name)) continue;
    try {
      if (statSync(path.join(dir, name)).mtimeMs < before) unlinkSync(path.join(dir, name));
    } catch {
      // Gone already, or not ours to remove.
    }
  }
}

/** Beside the packages the sources run with (as trusted as they are), not in a shared temp folder. */
function cacheDir(): string {
  return path.join(ROOT, 'node_modules', '.cache', 'giftlab');
}

function digest(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Writes to a temporary name, then renames: a concurrent reader sees the old file or the new one. */
let written = 0;
function writeAtomically(file: string, data: string): void {
  const temporary = `${file}.${process.pid}-${threadId}-${written++}.tmp`;
  writeFileSync(temporary, data);
  renameSync(temporary, file);
}
