// A TypeScript entry and everything it imports, bundled by esbuild into one plain JavaScript module and
// kept in node_modules/.cache/giftlab beside a manifest of the sources it was built from (their content
// hashes): a later process checks those in a few milliseconds and reuses it; a changed source rebuilds
// it. The CLI (bin/giftlab.js) and the worker threads (experiments/worker-bundle.ts) start from such
// bundles instead of loading tsx and transpiling module by module. Plain JavaScript because bin/ loads
// it before any TypeScript loader exists. Failures reject: callers fall back to tsx, so they only ever
// cost time.
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

/** The repository's root: esbuild's working directory, so that the manifest's paths are stable. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Bumped when what the plugin below does changes (part of the cache key). */
const PLUGIN_VERSION = 1;

/**
 * Each source keeps its own `import.meta.url`: files found relative to a module (the k6 entry, the
 * baseline scenario, package.json) are found where they are, not relative to the bundle.
 */
const ownUrl = {
  name: 'giftlab-own-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.(?:[cm]?ts|mjs)$/ }, (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const source = readFileSync(args.path, 'utf8');
      const url = JSON.stringify(pathToFileURL(args.path).href);
      const loader = args.path.endsWith('.mjs') ? 'js' : 'ts';
      return { contents: source.replaceAll('import.meta.url', url), loader };
    });
  },
};

/**
 * The URL of a bundle of `entry` (absolute path) built with esbuild `options` (merged over the defaults
 * below), reused while its sources are unchanged. `name` prefixes the cached files.
 * @param {{ name: string, entry: string, options?: Record<string, unknown> }} what
 * @returns {Promise<URL>}
 */
export async function cachedBundle({ name, entry, options = {} }) {
  const build = {
    entryPoints: [entry],
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: `node${process.versions.node}`,
    write: false,
    metafile: true,
    logLevel: 'silent',
    // Bundled CommonJS packages may `require` Node's built-ins.
    banner: {
      js: `import { createRequire as __giftlabRequire } from 'node:module'; const require = __giftlabRequire(${JSON.stringify(entry)});`,
    },
    ...options,
  };
  const dir = path.join(ROOT, 'node_modules', '.cache', 'giftlab');
  const key = digest(`${process.version}\0${PLUGIN_VERSION}\0${JSON.stringify(build)}`).slice(0, 16);
  const manifestPath = path.join(dir, `${name}-${key}.json`);
  const found = reuse(dir, manifestPath);
  if (found !== undefined) return found;
  const esbuild = await import('esbuild');
  const result = await esbuild.build({ ...build, plugins: [ownUrl] });
  const code = result.outputFiles[0].text;
  /** @type {Record<string, string>} */
  const inputs = {};
  for (const input of Object.keys(result.metafile.inputs))
    inputs[input] = digest(readFileSync(path.resolve(ROOT, input)));
  try {
    mkdirSync(dir, { recursive: true });
    const bundle = `${name}-${digest(code).slice(0, 16)}.mjs`;
    writeAtomically(path.join(dir, bundle), code);
    writeAtomically(manifestPath, JSON.stringify({ bundle, inputs }));
    prune(dir, name, bundle);
    return pathToFileURL(path.join(dir, bundle));
  } catch {
    // A read-only checkout: the bundle travels as a data: URL (rebuilt by every process).
    return new URL(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
  }
}

/** The cached bundle's URL when every source it was built from is unchanged. */
function reuse(dir, manifestPath) {
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
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
function prune(dir, name, keep) {
  const before = Date.now() - 3600_000;
  const ours = new RegExp(`^${name}-.*\\.(mjs|tmp)$`);
  for (const file of readdirSync(dir)) {
    if (file === keep || !ours.test(file)) continue;
    try {
      if (statSync(path.join(dir, file)).mtimeMs < before) unlinkSync(path.join(dir, file));
    } catch {
      // Gone already, or not ours to remove.
    }
  }
}

function digest(data) {
  return createHash('sha256').update(data).digest('hex');
}

/** Writes to a temporary name, then renames: a concurrent reader sees the old file or the new one. */
let written = 0;
function writeAtomically(file, data) {
  const temporary = `${file}.${process.pid}-${threadId}-${written++}.tmp`;
  writeFileSync(temporary, data);
  renameSync(temporary, file);
}
