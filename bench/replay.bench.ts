/**
 * Replay throughput: a recorded baseline run (2,000 viewers, payer share 0.5: about 2,200 operations)
 * replayed into a fresh `giftlab serve` child process (in memory) at concurrency 1, 4 and 8 — operations
 * per second, each round's verdict (it must be an exact match). Figures only, nothing asserted.
 *
 *   npx tsx bench/replay.bench.ts          (or `npm run bench -- replay`)
 *   BENCH_QUICK=1 npx tsx bench/replay.bench.ts   (one round)
 *   BENCH_REPLAY_VIEWERS=20000 npx tsx bench/replay.bench.ts   (a log ten times longer: less start-up in it)
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeOpLog } from '../experiments/oplog/files.ts';
import { recordReplication } from '../experiments/oplog/record.ts';
import { runReplay } from '../load/replay/replay.ts';
import { readUsersFile } from '../load/users-file.ts';
import { loadScenarioFile } from '../scenarios/load.ts';

const quick = process.env.BENCH_QUICK === '1';
const rounds = quick ? 1 : 3;
const BIN = fileURLToPath(new URL('../bin/giftlab.js', import.meta.url));
const BASELINE = fileURLToPath(new URL('../scenarios/baseline.yaml', import.meta.url));

const dir = mkdtempSync(join(os.tmpdir(), 'giftlab-bench-replay-'));
const VIEWERS = Number(process.env.BENCH_REPLAY_VIEWERS ?? 2000);
const scenario = loadScenarioFile(BASELINE, {
  sets: [`population.viewers=${VIEWERS}`, 'viewers.payerShare=0.5'],
});
const recording = recordReplication(scenario);
writeOpLog(dir, recording);
const ops = recording.ops.length;
console.log(
  `replay of ${ops.toLocaleString('en-US')} operations (baseline, ${VIEWERS.toLocaleString('en-US')} viewers) into giftlab serve, ${rounds} round(s) each; ${os.availableParallelism()} cores, load average ${os.loadavg()[0].toFixed(1)}`,
);

async function fresh(): Promise<{ users: string; stop: () => void }> {
  const users = join(mkdtempSync(join(dir, 'serve-')), 'users.json');
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--port', '0', '--seed-users', String(VIEWERS), '--users-file', users],
    {
      stdio: 'ignore',
    },
  );
  for (let i = 0; i < 300 && !existsSync(users); i++) await new Promise((r) => setTimeout(r, 50));
  while (readFileSync(users, 'utf8').length === 0) await new Promise((r) => setTimeout(r, 20));
  return { users, stop: () => child.kill('SIGTERM') };
}

for (const concurrency of [1, 4, 8]) {
  const rates: number[] = [];
  let verdict = '';
  for (let round = 0; round < rounds; round++) {
    const server = await fresh();
    try {
      const report = await runReplay({
        input: dir,
        users: readUsersFile(server.users, 'users'),
        concurrency,
      });
      rates.push(report.dispatched.sent / report.sendSeconds);
      verdict = report.comparison?.exact ? 'exact match' : 'DIFFERENT';
    } finally {
      server.stop();
    }
  }
  rates.sort((a, b) => a - b);
  const median = rates[Math.floor(rates.length / 2)];
  console.log(
    `  concurrency ${concurrency}: ${Math.round(median).toLocaleString('en-US')} ops/s median (${rates.map((r) => Math.round(r).toLocaleString('en-US')).join(', ')}), ${(1000 / median).toFixed(2)} ms an operation; ${verdict}`,
  );
}
rmSync(dir, { recursive: true, force: true });
