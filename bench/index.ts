/**
 * `npm run bench`: runs every `bench/*.bench.ts` in its own process (so one suite's heap and JIT state
 * do not colour another's), after printing the machine it runs on. Figures only; nothing asserted.
 * `npm run bench -- ledger target` runs the suites whose names contain one of the words.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const filters = process.argv.slice(2);
const suites = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)))
  .sort();

console.log(
  `giftlab bench — ${os.availableParallelism()} cores (${os.cpus()[0]?.model ?? 'unknown cpu'}), Node ${process.version}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
);
let failed = 0;
for (const suite of suites) {
  console.log(`\n== ${suite}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', `${dir}${suite}`], {
    stdio: 'inherit',
  });
  if (r.status !== 0) {
    failed++;
    console.log(`(${suite} exited ${r.status})`);
  }
}
process.exitCode = failed === 0 ? 0 : 1;
