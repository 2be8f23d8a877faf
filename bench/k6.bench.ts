/**
 * The k6 suite's own cost: requests per second of the `steady` script (plan-shaped gift intents computed
 * ahead in Node as `giftlab load` does, acks logged for the audit, checks and tags on every request) against the reference server, next to a
 * minimal k6 script that only posts gifts to the same server — both driven as hard as they go with the
 * same number of VUs, taking turns in rounds (the machine is shared; the ratio is the median round's).
 * Then k6's memory per VU: the resident set of the steady script at two VU counts.
 *
 *   npm run bench -- k6                       (or: npx tsx bench/k6.bench.ts)
 *   BENCH_ROUNDS=5 BENCH_SECONDS=15 BENCH_VUS=64 npm run bench -- k6
 *
 * Needs k6 (on PATH or K6_BIN); without it, says so and skips. Figures only; nothing asserted.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleK6Script } from '../load/bundle/bundle.ts';
import { findK6, k6Version } from '../load/bundle/k6.ts';
import { compilePlan } from '../load/plan/compile.ts';
import { buildStreams } from '../load/plan/streams.ts';
import { toWorkload } from '../load/plan/workload.ts';
import { loadTargetProfile } from '../load/profiles/profile.ts';
import { readUsersFile } from '../load/users-file.ts';
import { loadScenarioFile } from '../scenarios/load.ts';
import { median, startListening } from './child.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const quick = process.env.BENCH_QUICK === '1';
const SECONDS = Number(process.env.BENCH_SECONDS ?? (quick ? 4 : 8));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (quick ? 1 : 3));
const VUS = Number(process.env.BENCH_VUS ?? 32);
const USERS = 1000;
const MEMORY_VUS = [20, 200] as const;

/** Gifts only: each VU buys a big pack when it runs dry, then a rose per iteration with a fresh key. */
const MINIMAL = `
import http from 'k6/http';
import exec from 'k6/execution';
import { check } from 'k6';
const users = JSON.parse(open(__ENV.USERS));
const url = __ENV.TARGET;
export const options = { scenarios: { minimal: { executor: 'constant-vus', vus: Number(__ENV.VUS), duration: __ENV.DURATION } } };
let coins = 0;
let n = 0;
export default function () {
  const v = users.viewers[(exec.vu.idInTest - 1) % users.viewers.length];
  const key = () => 'min-' + __ENV.RUN + '-' + exec.vu.idInTest + '-' + n++;
  const headers = (k) => ({ authorization: 'Bearer ' + v.token, 'content-type': 'application/json', 'idempotency-key': k });
  if (coins < 1) {
    const p = http.post(url + '/v1/purchases', JSON.stringify({ viewerId: v.id, channel: 'app', pack: 'c17500' }), { headers: headers(key()) });
    if (p.status === 201) coins = JSON.parse(p.body).balance.coins;
  }
  const body = JSON.stringify({ viewerId: v.id, creatorId: n % 1000, giftId: 'rose', count: 1, context: { kind: 'stream', id: 'bench' } });
  const r = http.post(url + '/v1/gifts', body, { headers: headers(key()) });
  check(r, { 'gift 201': (x) => x.status === 201 });
  coins -= 1;
}
`;

interface Measured {
  requestsPerSecond: number;
  requests: number;
  failedRate: number;
  rssMaxBytes: number;
  /** k6's own CPU time (user + system) per request, in microseconds. */
  cpuMicrosPerRequest: number;
}

interface Usage {
  rssMaxBytes: number;
  cpuSeconds: number;
}

async function main(): Promise<void> {
  const k6 = findK6(process.env);
  if (k6 === undefined) {
    console.log('k6: skipped — no k6 on PATH and no K6_BIN (install k6 to measure the load suite)');
    return;
  }
  const dir = mkdtempSync(join(os.tmpdir(), 'giftlab-bench-k6-'));
  const children: ChildProcess[] = [];
  try {
    console.log(
      `k6: ${k6Version(k6)}; ${VUS} VUs, ${ROUNDS} round(s) of ${SECONDS} s per script; server: giftlab serve (synchronous default); ${os.availableParallelism()} cores, load average ${os.loadavg()[0].toFixed(1)}`,
    );
    const usersFile = join(dir, 'users.json');
    const { url } = await startListening(
      process.execPath,
      [
        'bin/giftlab.js',
        'serve',
        '--port',
        '0',
        '--db',
        join(dir, 't.db'),
        '--seed-users',
        String(USERS),
        '--users-file',
        usersFile,
      ],
      children,
      'giftlab serve',
    );
    writeFileSync(join(dir, 'minimal.js'), MINIMAL);
    const bundle = await bundleK6Script(join(dir, 'giftlab-k6.js'));
    const steady = (vus: number, seconds: number, round: string, rate: number) =>
      steadyRun(k6, dir, bundle.file, url, usersFile, vus, seconds, round, rate);
    const minimal = (vus: number, seconds: number, round: string) =>
      minimalRun(k6, dir, url, usersFile, vus, seconds, round);
    const ratios: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const m = await minimal(VUS, SECONDS, `r${round}`);
      // Asked for as many gift intents a second as the minimal script managed requests (each intent is
      // one request or more), the steady script shows how much of that its own work lets it send.
      const s = await steady(VUS, SECONDS, `r${round}`, m.requestsPerSecond);
      ratios.push(s.requestsPerSecond / m.requestsPerSecond);
      console.log(
        `  round ${round + 1}: minimal ${fmt(m)}; steady ${fmt(s)}; steady/minimal ${(100 * ratios[round]).toFixed(0)} %`,
      );
    }
    console.log(
      `  steady script: median ${(100 * median(ratios)).toFixed(0)} % of the minimal script's requests/s (target ≥ 80 %)`,
    );
    const [low, high] = MEMORY_VUS;
    const a = await steady(low, 5, 'memlow', 1000);
    const b = await steady(high, 5, 'memhigh', 1000);
    const perVu = (b.rssMaxBytes - a.rssMaxBytes) / (high - low);
    console.log(
      `  memory: steady script ${mb(a.rssMaxBytes)} at ${low} VUs, ${mb(b.rssMaxBytes)} at ${high} VUs → ${(perVu / 1024).toFixed(0)} KiB per VU`,
    );
    const c = await minimal(low, 5, 'mem-low');
    const d = await minimal(high, 5, 'mem-high');
    console.log(
      `  memory: minimal script → ${((d.rssMaxBytes - c.rssMaxBytes) / (high - low) / 1024).toFixed(0)} KiB per VU`,
    );
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The steady profile at a given rate of gift intents, its VUs all pre-allocated. */
async function steadyRun(
  k6: string,
  dir: string,
  bundle: string,
  url: string,
  usersFile: string,
  vus: number,
  seconds: number,
  round: string,
  rate: number,
): Promise<Measured> {
  const plan = compilePlan(loadScenarioFile(join(ROOT, 'scenarios/baseline.yaml'), {}));
  const w = toWorkload(plan, {
    profile: 'steady',
    durationSeconds: seconds,
    vus,
    ratePerSecond: rate,
    users: { viewers: USERS, creators: USERS },
  });
  const target = loadTargetProfile('reference').profile;
  // As `giftlab load` does: each VU's requests computed here, before the run (load/plan/streams.ts).
  const built = buildStreams(w, target, readUsersFile(usersFile));
  const workload = { ...w, streams: built.layout };
  const out = join(dir, `steady-${round}`);
  writeFileSync(`${out}-workload.json`, JSON.stringify(workload));
  writeFileSync(`${out}-profile.json`, JSON.stringify(target));
  writeFileSync(`${out}-streams.json`, JSON.stringify(built.streams));
  const env = {
    GIFTLAB_WORKLOAD: `${out}-workload.json`,
    GIFTLAB_TARGET_PROFILE: `${out}-profile.json`,
    GIFTLAB_STREAMS: `${out}-streams.json`,
    GIFTLAB_USERS: usersFile,
    GIFTLAB_TARGET: url,
    GIFTLAB_RUN_ID: `bench.${round.replace(/[^A-Za-z0-9]/g, '')}.${Date.now().toString(36)}`,
    GIFTLAB_OUT_DIR: dir,
  };
  const args = ['run', '-q', '--no-usage-report', '--log-format', 'raw', '--log-output', `file=${out}.log`];
  const usage = await runK6(k6, [...args, ...envArgs(env), bundle]);
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as SummaryJson;
  return measured(summary, usage);
}

async function minimalRun(
  k6: string,
  dir: string,
  url: string,
  usersFile: string,
  vus: number,
  seconds: number,
  round: string,
): Promise<Measured> {
  const summaryFile = join(dir, `minimal-${round}.json`);
  const env = {
    USERS: usersFile,
    TARGET: url,
    VUS: String(vus),
    DURATION: `${seconds}s`,
    RUN: `${round}${Date.now().toString(36)}`,
  };
  const usage = await runK6(k6, [
    'run',
    '-q',
    '--no-usage-report',
    '--summary-export',
    summaryFile,
    ...envArgs(env),
    join(dir, 'minimal.js'),
  ]);
  return measured(JSON.parse(readFileSync(summaryFile, 'utf8')) as SummaryJson, usage);
}

interface SummaryJson {
  metrics: Record<string, { values?: Record<string, number> } & Record<string, unknown>>;
}

function measured(summary: SummaryJson, usage: Usage): Measured {
  // handleSummary data has `values`; --summary-export has the figures at the top level.
  const get = (metric: string, stat: string) => {
    const m = summary.metrics[metric];
    return Number(m?.values?.[stat] ?? m?.[stat] ?? m?.[stat === 'rate' ? 'value' : stat] ?? 0);
  };
  const requests = get('http_reqs', 'count');
  return {
    requestsPerSecond: get('http_reqs', 'rate'),
    requests,
    failedRate: get('http_req_failed', 'rate'),
    rssMaxBytes: usage.rssMaxBytes,
    cpuMicrosPerRequest: (usage.cpuSeconds * 1e6) / Math.max(1, requests),
  };
}

const TICKS_PER_SECOND = 100;

/** Runs k6 to the end, sampling its resident set and CPU time (Linux /proc; zeros elsewhere). */
function runK6(k6: string, args: string[]): Promise<Usage> {
  return new Promise((resolve, reject) => {
    const child = spawn(k6, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    let rss = 0;
    let cpu = 0;
    const timer = setInterval(() => {
      try {
        const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m !== null) rss = Math.max(rss, Number(m[1]) * 1024);
        const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
        cpu = (Number(stat[11]) + Number(stat[12])) / TICKS_PER_SECOND;
      } catch {
        // not on Linux, or already gone
      }
    }, 100);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearInterval(timer);
      if (code !== 0 && code !== 99) reject(new Error(`k6 ${args.join(' ')} exited ${code}`));
      else resolve({ rssMaxBytes: rss, cpuSeconds: cpu });
    });
  });
}

function envArgs(env: Record<string, string>): string[] {
  return Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
}

function fmt(m: Measured): string {
  return `${Math.round(m.requestsPerSecond)} req/s (${m.requests} requests, ${(100 * m.failedRate).toFixed(2)} % failed, k6 ${Math.round(m.cpuMicrosPerRequest)} µs CPU/request)`;
}

function mb(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}

await main();
