#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx), so a fresh `npm ci` needs no build step.
import { register } from 'tsx/esm/api';

// A reader that went away (`giftlab … | head`) is not an error of ours: stop quietly, as Unix tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
