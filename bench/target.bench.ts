/**
 * Reference target throughput: gift POSTs per second against `giftlab serve` (a real SQLite file,
 * every answer durable before it is sent) versus a bare `node:http` server answering a fixed JSON, with
 * the same client (autocannon), the same requests, the same concurrency. Both servers run as child
 * processes, as in production; the client runs here. The durability settings are measured side by
 * side: `--synchronous normal` (the default: survives kill -9), `full` (survives a power cut: each answer
 * waits for an fdatasync of the WAL, off the event loop) and `sqlite-full` (SQLite's own fsync in each
 * commit, blocking). Prints the core count and load average, requests/s, p50/p99 latency, the ratio to
 * bare per round and its median, the servers' CPU per request (from /proc, steadier than requests/s
 * on a busy machine), the mean commit group (and WAL syncs), then audits what each target journaled.
 *
 *   npm run bench -- target                 (or: npx tsx bench/target.bench.ts)
 *   BENCH_ROUNDS=5 BENCH_SECONDS=10 BENCH_CONNECTIONS=64 npm run bench -- target
 *   BENCH_SYNC=normal,full npm run bench -- target     (the settings to measure; default all three)
 *
 * Figures only; nothing asserted.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { join } from 'node:path';
import { runAudit } from '../load/audit/audit.ts';
import { readUsersFile, type UsersFile } from '../load/users-file.ts';
import { median, startListening } from './child.ts';

interface CannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
}
interface CannonRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}
type Autocannon = (options: Record<string, unknown>) => Promise<CannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const quick = process.env.BENCH_QUICK === '1';
const SECONDS = Number(process.env.BENCH_SECONDS ?? (quick ? 3 : 6));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (quick ? 1 : 3));
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const PRIME_SECONDS = Number(process.env.BENCH_PRIME_SECONDS ?? (quick ? 3 : 5));
const VIEWERS = 200;
const SYNC_MODES = (process.env.BENCH_SYNC ?? 'normal,full,sqlite-full').split(',');

const BARE = `
const http = require('node:http');
const answer = JSON.stringify({ opId: 'x', kind: 'gift', seq: 1, viewerId: 0, creatorId: 0, giftId: 'rose', count: 1,
  context: { kind: 'stream', id: 'bench' }, coins: 1, diamonds: 0, balance: { coins: 17499 } });
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => { res.writeHead(201, { 'content-type': 'application/json; charset=utf-8' }); res.end(answer); });
});
server.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + server.address().port));
process.on('SIGTERM', () => server.close());
`;

interface Contender {
  label: string;
  url: string;
  pid: number;
  users: UsersFile;
  results: CannonResult[];
  /** Server CPU (user + system) per request, from /proc; less sensitive to a busy machine than req/s. */
  cpuUs: (number | undefined)[];
}

/**
 * The machine is shared, so the contenders take turns: each round runs bare and each setting one
 * after the other, and the ratio is taken within a round; the median round is reported.
 */
async function main(): Promise<void> {
  const dir = mkdtempSync(join(os.tmpdir(), 'giftlab-bench-'));
  const children: ChildProcess[] = [];
  try {
    console.log(
      `target: gift POST with autocannon, ${CONNECTIONS} connections; each server primed with ${PRIME_SECONDS} s of the load, then ${ROUNDS} round(s) of ${SECONDS} s each (after 1 s of warm-up), taking turns; ${os.availableParallelism()} cores, ${loadAverage()}`,
    );
    const bare: Contender = {
      label: 'bare node:http, fixed JSON',
      ...(await startListening(process.execPath, ['-e', BARE], children)),
      users: fixedUsers(),
      results: [],
      cpuUs: [],
    };
    const targets: Contender[] = [];
    for (const sync of SYNC_MODES) {
      const usersFile = join(dir, `users-${sync}.json`);
      const db = join(dir, `target-${sync}.db`);
      const args = ['bin/giftlab.js', 'serve', '--port', '0', '--db', db, '--synchronous', sync];
      args.push('--seed-users', String(VIEWERS), '--users-file', usersFile);
      const { url, pid } = await startListening(process.execPath, args, children);
      const users = readUsersFile(usersFile);
      await fund(url, users);
      targets.push({ label: `giftlab serve --synchronous ${sync}`, url, pid, users, results: [], cpuUs: [] });
    }
    // Primed once, so that rounds measure warm servers: JIT-compiled paths, and a database past its
    // first growth (the first tens of thousands of writes cost about twice the CPU of later ones).
    for (const c of [bare, ...targets]) await prime(c);
    for (let round = 0; round < ROUNDS; round++) {
      for (const c of [bare, ...targets]) await blast(c, round);
    }
    for (let round = 0; round < ROUNDS; round++) {
      console.log(`  round ${round + 1} (${loadOfRound(round)})`);
      report(bare, round, undefined);
      for (const t of targets) report(t, round, bare);
    }
    for (const t of targets) {
      const ratios = t.results.map((r, i) => r.requests.average / bare.results[i].requests.average);
      const health = (await (await fetch(`${t.url}/healthz`)).json()) as {
        commits: { batches: number; writes: number; walSyncs?: number };
      };
      const group = health.commits.writes / Math.max(1, health.commits.batches);
      const perSync =
        health.commits.walSyncs === undefined
          ? ''
          : `, ${(health.commits.writes / Math.max(1, health.commits.walSyncs)).toFixed(1)} writes per WAL sync`;
      const shares = ratios.map((r) => `${(100 * r).toFixed(0)} %`).join(', ');
      console.log(
        `  ${t.label}: median ${(100 * median(ratios)).toFixed(0)} % of bare (rounds: ${shares})` +
          `${cpuRatio(t, bare)}; ${group.toFixed(1)} writes per commit${perSync}`,
      );
      await audit(t);
    }
    console.log(`  ${loadAverage()} at the end`);
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    rmSync(dir, { recursive: true, force: true });
  }
}

function loadAverage(): string {
  return `load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(', ')}`;
}

/** The load average when the round's bare blast began. */
const roundLoad: string[] = [];
function loadOfRound(round: number): string {
  return roundLoad[round] ?? '';
}

/** Bare's server CPU per request over the target's, medians of the rounds (as a throughput share). */
function cpuRatio(t: Contender, bare: Contender): string {
  const mine = t.cpuUs.filter((x): x is number => x !== undefined);
  const theirs = bare.cpuUs.filter((x): x is number => x !== undefined);
  if (mine.length === 0 || theirs.length === 0) return '';
  const m = median(mine);
  const b = median(theirs);
  return `; server CPU ${m.toFixed(0)} µs a request vs bare ${b.toFixed(0)} µs (${((100 * b) / m).toFixed(0)} %)`;
}

/** utime + stime of a process in µs (Linux, 100 ticks a second), or undefined elsewhere. */
function cpuOf(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return undefined;
  }
}

/** Enough coins for every viewer to send roses for the whole run. */
async function fund(url: string, users: UsersFile): Promise<void> {
  await Promise.all(
    users.viewers.map(async (v) => {
      for (let i = 0; i < 4; i++) {
        const r = await fetch(`${url}/v1/purchases`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${v.token}`,
            'idempotency-key': `fund-${v.id}-${i}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ viewerId: v.id, channel: 'app', pack: 'c17500' }),
        });
        if (r.status !== 201) throw new Error(`funding viewer ${v.id}: ${r.status} ${await r.text()}`);
      }
    }),
  );
}

function fixedUsers(): UsersFile {
  const viewers = Array.from({ length: VIEWERS }, (_, id) => ({
    id,
    token: `gl1.viewer.${id}.${'A'.repeat(43)}`,
  }));
  return { target: '', viewers, creators: viewers, adminToken: '' };
}

/** The same requests for every server: a rose from viewer i to creator i, a fresh key each time. */
function cannonOptions(c: Contender, tag: string) {
  let n = 0;
  const setupRequest = (request: CannonRequest) => {
    const i = n++;
    const v = c.users.viewers[i % c.users.viewers.length];
    request.headers = {
      'content-type': 'application/json',
      authorization: `Bearer ${v.token}`,
      'idempotency-key': `bench-${tag}-${i}`,
    };
    request.body = `{"viewerId":${v.id},"creatorId":${i % c.users.creators.length},"giftId":"rose","count":1,"context":{"kind":"stream","id":"bench"}}`;
    return request;
  };
  return {
    url: c.url,
    connections: CONNECTIONS,
    requests: [{ method: 'POST', path: '/v1/gifts', setupRequest }],
  };
}

async function prime(c: Contender): Promise<void> {
  await autocannon({ ...cannonOptions(c, `${slug(c.label)}-prime`), duration: PRIME_SECONDS });
}

async function blast(c: Contender, round: number): Promise<void> {
  roundLoad[round] ??= loadAverage();
  const options = cannonOptions(c, `${slug(c.label)}-${round}`);
  await autocannon({ ...options, duration: 1 });
  const before = cpuOf(c.pid);
  const result = await autocannon({ ...options, duration: SECONDS });
  const after = cpuOf(c.pid);
  if (result.non2xx > 0) console.log(`  (${c.label}: ${result.non2xx} answers were not 2xx)`);
  c.results.push(result);
  c.cpuUs.push(
    before === undefined || after === undefined ? undefined : (after - before) / result.requests.total,
  );
}

function slug(label: string): string {
  return label.replace(/[^a-z0-9]+/gi, '-');
}

function report(c: Contender, round: number, bare: Contender | undefined): void {
  const r = c.results[round];
  const share = bare === undefined ? undefined : r.requests.average / bare.results[round].requests.average;
  const failures = r.non2xx + r.errors + r.timeouts;
  const cpu = c.cpuUs[round];
  console.log(
    `    ${c.label.padEnd(36)} ${Math.round(r.requests.average).toLocaleString('en-US').padStart(7)} req/s` +
      `  p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms  non-2xx/errors ${failures}` +
      (cpu === undefined ? '' : `  server CPU ${cpu.toFixed(0)} µs/req`) +
      (share === undefined ? '' : `  ${(100 * share).toFixed(0)} % of bare`),
  );
}

async function audit(t: Contender): Promise<void> {
  const started = Date.now();
  const result = await runAudit({ target: t.url, adminToken: t.users.adminToken });
  const verdict = result.clean ? 'clean' : `${result.result.violationCount} violations`;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `    then audited: ${result.result.entries.toLocaleString('en-US')} entries, ${verdict} (${seconds} s)`,
  );
}

await main();
