#!/usr/bin/env node
// Runs the CLI from an esbuild bundle of the TypeScript sources, built at the first run and reused while
// the sources are unchanged (common/bundle-cache.mjs): no TypeScript loader to start, no module-by-module
// transpiling. Where the bundle cannot be had (esbuild missing, or GIFTLAB_NO_BUNDLE=1 for stack traces
// that name the TypeScript sources), the sources run through tsx, as a fresh `npm ci` allows: no build step.
import { cachedBundle } from '../common/bundle-cache.mjs';

// A reader that went away (`giftlab … | head`) takes nothing more: what would go to it is dropped, and
// the command runs to its end with its own exit code. Stopping there and then would end a load run before
// its audit, with exit 0 — a green run that proved nothing.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
    stream.write = (_chunk, encoding, done) => {
      (typeof encoding === 'function' ? encoding : done)?.();
      return true;
    };
  });
}

// Ctrl-C: commands that write their folder only at their end (writeFolderAtomically) say that nothing of this
// run was written, and exit 130 as a shell reports an interrupt; load, replay and serve handle the
// signal themselves (they keep and audit, or resume, what was done).
const command = process.argv[2];
if (['run', 'sweep', 'calibrate', 'merge', 'fit-data'].includes(command)) {
  process.once('SIGINT', () => {
    process.stderr.write(
      `\ngiftlab ${command}: interrupted (Ctrl-C); its folder is written only when it ends, so nothing of this ${command} was written\n`,
    );
    process.exit(130);
  });
}

const entry = new URL('../cli/main.ts', import.meta.url);
let bundle;
if (process.env.GIFTLAB_NO_BUNDLE !== '1') {
  bundle = await cachedBundle({
    name: 'cli',
    entry: entry.pathname,
    // Packages load from node_modules as they are (native ones, files they read beside themselves).
    options: { packages: 'external' },
  }).catch(() => undefined);
}
if (bundle === undefined) {
  const { register } = await import('tsx/esm/api');
  register();
}
const { main } = await import(bundle?.href ?? entry.href);
process.exitCode = await main(process.argv.slice(2));
