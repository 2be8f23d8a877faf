/**
 * `giftlab plan` and `giftlab load` without k6: plans written, manifests emitted, bad input and no k6 →
 * exit 2; a load that fails before k6 ran the test leaves no run folder behind (fake k6 binaries).
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { runLoad } from '../../load/bundle/run.ts';
import { PROFILE_TABLE, PROFILES } from '../../load/k6/lib/profiles.ts';
import { compilePlan } from '../../load/plan/compile.ts';
import { readPlanFile } from '../../load/plan/schema.ts';
import { toWorkload } from '../../load/plan/workload.ts';
import { loadTargetProfile } from '../../load/profiles/profile.ts';
import { loadScenarioFile } from '../../scenarios/load.ts';
import { freePort } from '../target/support/server.ts';
import { BASELINE, capture, type RunningTarget, startTarget, tempDir } from './support.ts';

const temp = tempDir();
afterAll(() => temp.remove());
const SMALL = ['--set', 'population.viewers=5000', '--set', 'population.creators=100'];
const users = join(temp.dir, 'users.json');
writeFileSync(
  users,
  JSON.stringify({
    target: 'http://127.0.0.1:1',
    viewers: [{ id: 0, token: 'v' }],
    creators: [{ id: 0, token: 'c' }],
    adminToken: 'a',
  }),
);
/** An environment where k6 cannot be found. */
const NO_K6 = { PATH: temp.dir };

describe('giftlab plan', () => {
  it('writes a valid plan, the same bytes every time', async () => {
    const out = join(temp.dir, 'plan.json');
    const c = capture(temp.dir);
    expect(await main(['plan', BASELINE, ...SMALL, '--out', out], c.io)).toBe(0);
    expect(c.err()).toContain('gift requests');
    const first = readFileSync(out, 'utf8');
    expect(readPlanFile(out).scenario.viewers).toBe(5000);
    expect(await main(['plan', BASELINE, ...SMALL, '--out', out], capture(temp.dir).io)).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(first);
  });

  it('--out naming a folder: exit 2 naming --out, before compiling', async () => {
    const c = capture(temp.dir);
    expect(await main(['plan', BASELINE, ...SMALL, '--out', temp.dir], c.io)).toBe(2);
    expect(c.err()).toMatch(/^giftlab: --out: expected a file to write, found .*: a folder\n$/);
  });

  it('prints the plan without --out', async () => {
    const c = capture(temp.dir);
    expect(await main(['plan', BASELINE, ...SMALL], c.io)).toBe(0);
    expect(JSON.parse(c.out()).version).toBe(1);
  });
});

describe('giftlab load --help', () => {
  it('states the --rate, --vus and --duration defaults of every profile, from the profile table', async () => {
    const c = capture(temp.dir);
    expect(await main(['load', '--help'], c.io)).toBe(0);
    const help = c.out().replace(/\s+/g, ' ');
    const human = (s: number) => (s % 60 === 0 ? `${s / 60}m` : `${s}s`);
    for (const profile of PROFILES) {
      const d = PROFILE_TABLE[profile].defaults;
      expect(help).toContain(`${profile}: ${PROFILE_TABLE[profile].summary}`);
      if (d.vus !== undefined) expect(help).toContain(`${profile} ${d.vus}`);
      if (d.ratePerSecond !== undefined) expect(help).toContain(`${profile} ${d.ratePerSecond}/s`);
      if (profile !== 'smoke') expect(help).toContain(`${profile} ${human(d.durationSeconds)}`);
    }
    expect(help).toContain('smoke ends after its iterations');
    expect(help).not.toContain('per profile');
  });
});

describe('giftlab load without k6', () => {
  it('exits 2 with how to install k6, and no stack trace', async () => {
    const c = capture(temp.dir, NO_K6);
    const code = await main(
      ['load', BASELINE, ...SMALL, '--target', 'http://127.0.0.1:1', '--users', users],
      c.io,
    );
    expect(code).toBe(2);
    expect(c.err()).toMatch(/install k6/);
    expect(c.err()).toMatch(/K6_BIN/);
    expect(c.err()).not.toMatch(/\n\s+at /);
  });

  it('exits 2 when K6_BIN names no executable', async () => {
    const c = capture(temp.dir, { K6_BIN: join(temp.dir, 'nope') });
    expect(
      await main(['load', BASELINE, ...SMALL, '--target', 'http://127.0.0.1:1', '--users', users], c.io),
    ).toBe(2);
    expect(c.err()).toContain('K6_BIN');
  });

  it('emits k6-operator manifests with --emit-k8s, k6 or not', async () => {
    const dir = join(temp.dir, 'k8s');
    const c = capture(temp.dir, NO_K6);
    const args = [
      'load',
      BASELINE,
      ...SMALL,
      '--target',
      'http://api:8080',
      '--users',
      users,
      '--profile',
      'steady',
    ];
    expect(await main([...args, '--emit-k8s', dir, '--parallelism', '3'], c.io)).toBe(0);
    for (const f of ['configmap.yaml', 'secret.yaml', 'testrun.yaml'])
      expect(existsSync(join(dir, f))).toBe(true);
    expect(readFileSync(join(dir, 'testrun.yaml'), 'utf8')).toContain('parallelism: 3');
    expect(c.out()).toContain('kubectl apply');
  });

  // 1% reads like "at most 1 % may be lost": as a floor it lets 99 arrivals in 100 go undelivered.
  it.each([
    ['1%', true],
    ['0.3', true],
    ['50%', false],
    ['90%', false],
  ])(
    '--min-delivered %s: warned when it passes a run that delivered a minority (%s)',
    async (share, warned) => {
      const c = capture(temp.dir, NO_K6);
      const args = ['load', BASELINE, ...SMALL, '--target', 'http://127.0.0.1:1', '--users', users];
      expect(await main([...args, '--min-delivered', share], c.io)).toBe(2); // no k6 here
      const warning = c
        .err()
        .split('\n')
        .find((l) => l.startsWith('giftlab load: warning: --min-delivered'));
      expect(warning !== undefined).toBe(warned);
      if (share === '1%')
        expect(warning).toBe(
          'giftlab load: warning: --min-delivered 1% passes a run that delivers 1 % of the arrivals it asks for; the default is 95 % (did you mean 99 %?)',
        );
    },
  );

  it('takes a plan file as well as a scenario', async () => {
    const plan = join(temp.dir, 'plan-for-load.json');
    expect(await main(['plan', BASELINE, ...SMALL, '--out', plan], capture(temp.dir).io)).toBe(0);
    const c = capture(temp.dir, NO_K6);
    const args = [
      'load',
      plan,
      '--target',
      'http://api:8080',
      '--users',
      users,
      '--emit-k8s',
      join(temp.dir, 'k8s2'),
    ];
    expect(await main(args, c.io)).toBe(0);
  });

  it.each([
    ['--out', /^giftlab: --out: expected a folder to write into, found .*users\.json: a file\n$/],
    ['--emit-k8s', /^giftlab: --emit-k8s: expected a folder to write into, found .*users\.json: a file\n$/],
  ])('%s naming a file: exit 2 naming it, before anything runs', async (flag, message) => {
    const c = capture(temp.dir, { K6_BIN: fakeK6('k6-never', 'exit 1') });
    const args = ['load', BASELINE, ...SMALL, '--target', 'http://127.0.0.1:1', '--users', users];
    expect(await main([...args, flag, users], c.io)).toBe(2);
    expect(c.err()).toMatch(message);
  });

  it.each([
    [['--profile', 'heavy'], '--profile'],
    [['--duration', 'soon'], '--duration'],
    [['--rate', '-1'], '--rate'],
    [['--rate', 'fast'], '--rate'],
    // Above the bound: the message says what the bound is.
    [['--rate', '1e9'], '--rate: expected arrivals per second above 0 and at most 1,000,000'],
    [['--duration', '8d'], '--duration: expected a duration from 1s to 7d'],
    [['--min-delivered', '120%'], '--min-delivered'],
    [['--threshold', 'p95<200'], '--threshold'],
    // A tag or value no request carries: k6 would judge it over zero samples and call it passed.
    [
      ['--threshold', 'http_req_duration{op:Gift}:p(95)<1'],
      '--threshold: expected op to be one of purchase, gift, withdrawal, read',
    ],
    [['--threshold', 'http_req_duration{opp:gift}:p(95)<1'], 'found opp in'],
    // The plan's channels, known once it is compiled: still before k6 is looked for.
    [['--threshold', 'http_reqs{channel:console}:count<9'], 'expected channel to be one of app, web'],
    [['--profile', 'race', '--compress'], '--compress'],
    // smoke (the default profile) runs a fixed set of iterations: a rate would be ignored.
    [
      ['--rate', '300/s'],
      '--rate: expected a profile that runs at a rate (steady, spike, soak, race); smoke',
    ],
    [['--profile', 'smoke', '--rate', '300/s'], 'found --rate 300/s with --profile smoke'],
    // It only set k6's maxDuration: a cap on the iterations, not the longer test it reads as.
    [
      ['--duration', '10s'],
      '--duration: expected a profile that runs for a duration (steady, spike, soak, race); smoke ends after its iterations, found --duration 10s with --profile smoke',
    ],
    // They shape the k6-operator manifests; a local run ignored them without a word.
    [['--parallelism', '3'], '--parallelism: expected it only with --emit-k8s'],
    [['--namespace', 'ns'], 'found --namespace ns without --emit-k8s'],
    [['--target', 'ftp://x'], '--target'],
    [['--users', 'missing.json'], '--users'],
    [['--target-profile', 'nope'], '--target-profile'],
  ])('refuses %j naming %s', async (extra, field) => {
    const c = capture(temp.dir, NO_K6);
    const base = ['load', BASELINE, ...SMALL, '--target', 'http://127.0.0.1:1', '--users', users];
    expect(await main([...base, ...extra], c.io)).toBe(2);
    expect(c.err()).toContain(field);
  });
});

/** An executable standing in for k6: answers `version` like k6 v0.49, and runs `run` as `onRun` says. */
function fakeK6(name: string, onRun: string): string {
  mkdirSync(join(temp.dir, 'bin'), { recursive: true });
  const file = join(temp.dir, 'bin', name);
  writeFileSync(
    file,
    `#!/bin/sh\nif [ "$1" = version ]; then echo 'k6 v0.49.0 (fake)'; exit 0; fi\n${onRun}\n`,
  );
  chmodSync(file, 0o755);
  return file;
}

/** A fresh working directory: what a failed load leaves behind shows up in it. */
function freshCwd(name: string): string {
  const dir = join(temp.dir, name);
  mkdirSync(dir);
  return dir;
}

describe('giftlab load leaves nothing behind when it fails', () => {
  let target: RunningTarget;
  beforeAll(async () => {
    target = await startTarget(temp.dir, 5);
  });
  afterAll(() => target.close());

  it('an unreachable target: exit 2 naming --target, no run folder', async () => {
    const cwd = freshCwd('closed-port');
    const c = capture(cwd, { K6_BIN: fakeK6('k6-ok', 'exit 0') });
    const url = `http://127.0.0.1:${await freePort()}`;
    for (let attempt = 0; attempt < 2; attempt++) {
      expect(await main(['load', BASELINE, ...SMALL, '--target', url, '--users', users], c.io)).toBe(2);
    }
    expect(c.err()).toContain(`--target: expected a reachable target, found ${url}: connection refused`);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('another server’s users file: exit 2 naming --users and the file (its admin token), not a flag not given', async () => {
    const other = await startTarget(temp.dir, 5, undefined, 'other');
    try {
      const cwd = freshCwd('other-users');
      const c = capture(cwd, { K6_BIN: fakeK6('k6-ok', 'exit 0') });
      const args = ['load', BASELINE, ...SMALL, '--target', target.url, '--users', other.usersFile];
      expect(await main([...args, '--profile', 'steady'], c.io)).toBe(2);
      // The file it took the token from is named (the run's cwd is elsewhere: its path as given).
      expect(c.err()).toContain(
        `--users ${other.usersFile} (its admin token): expected a token the target accepts`,
      );
      expect(readdirSync(cwd)).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('K6_BIN=/bin/false: exit 2 saying what the binary did, no run folder', async () => {
    const cwd = freshCwd('bin-false');
    const c = capture(cwd, { K6_BIN: '/bin/false' });
    const args = ['load', BASELINE, ...SMALL, '--target', target.url, '--users', target.usersFile];
    expect(await main(args, c.io)).toBe(2);
    expect(c.err()).toMatch(
      /^giftlab: K6_BIN: expected a k6 binary .*, found \/bin\/false: it exited 1 printing nothing\n$/,
    );
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('race: the banner says its VUs are the profile’s, not sized by the rate, and a short fall names --vus', async () => {
    const c = capture(freshCwd('race-banner'), { K6_BIN: fakeK6('k6-107-race', 'exit 107') });
    const args = ['load', BASELINE, ...SMALL, '--target', target.url, '--users', target.usersFile];
    expect(await main([...args, '--profile', 'race', '--rate', '2000/s'], c.io)).toBe(107);
    expect(c.err()).toContain("  VUs: race's default 32, not sized by the rate (--vus to change)\n");
    expect(c.err()).toMatch(
      / {2}warning: the rate needs about \d+ VUs at \d+ ms a batch, 2 batches an arrival; 32 will likely drop arrivals: raise --vus\n/,
    );
    // It said 'VUs sized for … × 1.00 requests' and blamed the users file, which race VUs share on purpose.
    expect(c.err()).not.toContain('VUs sized for');
    expect(c.err()).not.toContain('--seed-users');
  });

  it('k6 stopping before the test (no k6.log): its exit code, the run folder removed', async () => {
    const cwd = freshCwd('k6-107');
    const c = capture(cwd, { K6_BIN: fakeK6('k6-107', 'echo "fake k6: cannot start" >&2; exit 107') });
    const args = ['load', BASELINE, ...SMALL, '--target', target.url, '--users', target.usersFile];
    expect(await main(args, c.io)).toBe(107);
    expect(c.err()).toContain('fake k6: cannot start');
    expect(c.err()).toContain('k6 exited 107 before it ran the test');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('an --out folder of an earlier run: the files this failed run wrote are removed (an old k6.log too)', async () => {
    const out = freshCwd('kept-out');
    writeFileSync(join(out, 'k6.log'), 'an earlier run\n');
    const c = capture(temp.dir, { K6_BIN: fakeK6('k6-1', 'exit 1') });
    const args = ['load', BASELINE, ...SMALL, '--target', target.url, '--users', target.usersFile];
    expect(await main([...args, '--out', out], c.io)).toBe(1);
    expect(readdirSync(out)).toEqual([]);
  });

  it('an --out folder holding files giftlab did not write is refused before anything runs (exit 2)', async () => {
    const out = freshCwd('foreign-out');
    writeFileSync(join(out, 'notes.txt'), 'mine\n');
    writeFileSync(join(out, 'summary.json'), '{"mine": true}\n');
    const c = capture(temp.dir, { K6_BIN: fakeK6('k6-1', 'exit 1') });
    const args = ['load', BASELINE, ...SMALL, '--target', target.url, '--users', target.usersFile];
    expect(await main([...args, '--out', out], c.io)).toBe(2);
    expect(c.err()).toContain('--out: expected a new folder or an earlier giftlab load folder, found');
    expect(c.err()).toContain('notes.txt (not files of a giftlab load folder)');
    expect(readdirSync(out).sort()).toEqual(['notes.txt', 'summary.json']);
    // The scenarios' folder and the working directory are not run folders either.
    expect(await main([...args, '--out', 'scenarios'], capture(process.cwd()).io)).toBe(2);
    expect(await main([...args, '--emit-k8s', '.'], capture(temp.dir).io)).toBe(2);
  });

  it('prints the run folder as given with --out, so that it can be pasted', async () => {
    const cwd = freshCwd('elsewhere');
    const out = join(temp.dir, 'l12');
    const c = capture(cwd, { K6_BIN: fakeK6('k6-107', 'exit 107') });
    const args = ['load', BASELINE, ...SMALL, '--target', target.url, '--users', target.usersFile];
    expect(await main([...args, '--out', out], c.io)).toBe(107);
    expect(c.err()).toContain(`; run folder ${out}\n`);
  });

  it('k6 failing to start: the error, and the folder it created removed', async () => {
    const plan = compilePlan(loadScenarioFile(BASELINE, { sets: SMALL.filter((_, i) => i % 2 === 1) }));
    const outDir = join(temp.dir, 'spawn-error', 'runs', 'load', 'x');
    const run = runLoad({
      k6: join(temp.dir, 'no-such-k6'),
      plan,
      workload: toWorkload(plan, { profile: 'smoke', users: { viewers: 5, creators: 5 } }),
      target: loadTargetProfile('reference').profile,
      audit: false,
      targetUrl: target.url,
      usersFile: target.usersFile,
      adminToken: 'unused',
      runId: 'spawn_error',
      outDir,
      cwd: temp.dir,
      env: {},
      stdout: capture(temp.dir).io.stdout,
      stderr: capture(temp.dir).io.stderr,
    });
    await expect(run).rejects.toThrow(/ENOENT/);
    expect(existsSync(join(temp.dir, 'spawn-error'))).toBe(false);
  });
});

describe('giftlab load: a --threshold that judged no samples fails the run', () => {
  let target: RunningTarget;
  beforeAll(async () => {
    target = await startTarget(temp.dir, 5, undefined, 'vacuous');
  });
  afterAll(() => target.close());

  it('exits 99 naming it, where k6 passed it over zero samples', async () => {
    const asked = 'http_req_duration{op:purchase,tap:double}';
    // What k6 v0.49 writes for a threshold on a sub-metric nothing carried: passed, over zeros.
    const summary = {
      giftlab: { profile: 'steady', scenario: 'baseline', target: target.url, vus: 2 },
      state: { testRunDurationMs: 1000 },
      metrics: {
        iterations: { type: 'counter', values: { count: 5, rate: 5 } },
        [asked]: {
          type: 'trend',
          values: { avg: 0, min: 0, med: 0, max: 0, 'p(95)': 0, 'p(99)': 0, count: 0 },
          thresholds: { 'p(95)<300': { ok: true } },
        },
      },
    };
    const fixture = join(temp.dir, 'vacuous-summary.json');
    writeFileSync(fixture, JSON.stringify(summary));
    const k6 = fakeK6(
      'k6-vacuous',
      [
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the shell's parameter expansions.
        'for a in "$@"; do case "$a" in file=*) log="${a#file=}";; GIFTLAB_OUT_DIR=*) out="${a#GIFTLAB_OUT_DIR=}";; esac; done',
        ': > "$log"',
        `cp ${fixture} "$out/summary.json"`,
        'echo "<testsuites/>" > "$out/junit.xml"',
        'exit 0',
      ].join('\n'),
    );
    const out = join(temp.dir, 'vacuous-run');
    const c = capture(temp.dir, { K6_BIN: k6 });
    const args = ['load', BASELINE, ...SMALL, '--target', target.url, '--users', target.usersFile];
    const extra = ['--profile', 'steady', '--rate', '5/s', '--duration', '1s', '--no-audit', '--out', out];
    expect(await main([...args, ...extra, '--threshold', `${asked}:p(95)<300`], c.io)).toBe(99);
    expect(c.err()).toContain(
      `giftlab load: --threshold '${asked}:p(95)<300' judged no samples (no sample of ${asked} in this run): a threshold that judged nothing fails the run\n`,
    );
    expect(c.err()).toContain(
      `giftlab: --threshold judged no samples, which fails the run (exit 99): ${asked} p(95)<300\n`,
    );
    // (k6's table and junit.xml, which handleSummary writes, are checked with a real k6 in tags.k6.test.ts.)
    // A failed run was not audited either, and says so with the command that audits it.
    expect(c.err()).toContain(
      `giftlab load: not audited (--no-audit); audit it with giftlab audit --target ${target.url}`,
    );
  });
});

describe('giftlab load: a write the target never answered fails the run', () => {
  let target: RunningTarget;
  beforeAll(async () => {
    target = await startTarget(temp.dir, 5, undefined, 'unanswered');
  });
  afterAll(() => target.close());

  /** A k6 that passed its thresholds, logged a write sent with no answer, and counted `unknown` itself. */
  function k6With(name: string, unknown: number | undefined): string {
    const metrics: Record<string, unknown> = {
      iterations: { type: 'counter', values: { count: 5, rate: 5 } },
      http_reqs: { type: 'counter', values: { count: 9, rate: 9 } },
    };
    if (unknown !== undefined)
      metrics.giftlab_unknown_outcomes = { type: 'counter', values: { count: unknown, rate: unknown } };
    const summary = {
      giftlab: { profile: 'steady', scenario: 'baseline', target: target.url, vus: 2 },
      state: { testRunDurationMs: 1000 },
      metrics,
    };
    const fixture = join(temp.dir, `${name}-summary.json`);
    writeFileSync(fixture, JSON.stringify(summary));
    const ack = `GIFTLAB_ACK {"opId":"${name}-1","kind":"gift","status":0,"response":null}`;
    return fakeK6(
      name,
      [
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the shell's parameter expansions.
        'for a in "$@"; do case "$a" in file=*) log="${a#file=}";; GIFTLAB_OUT_DIR=*) out="${a#GIFTLAB_OUT_DIR=}";; esac; done',
        `echo '${ack}' > "$log"`,
        `cp ${fixture} "$out/summary.json"`,
        'echo "<testsuites/>" > "$out/junit.xml"',
        'exit 0',
      ].join('\n'),
    );
  }

  const run = async (k6: string, out: string) => {
    const c = capture(temp.dir, { K6_BIN: k6 });
    const args = ['load', BASELINE, ...SMALL, '--target', target.url, '--users', target.usersFile];
    const extra = ['--profile', 'steady', '--rate', '5/s', '--duration', '1s', '--no-audit', '--out', out];
    return { code: await main([...args, ...extra], c.io), err: c.err() };
  };

  it('exits 99 when k6 passed a run whose metrics leave the write out (cut off at the end)', async () => {
    // Measured against a target that held every 25th write unanswered: 4 of 73 writes, k6's table
    // '0.00% failed', thresholds passed, exit 0.
    const r = await run(k6With('k6-cut-off', undefined), join(temp.dir, 'cut-off-run'));
    expect(r.code, r.err).toBe(99);
    expect(r.err).toContain('  writes answered: no answer × 1');
    expect(r.err).toContain(
      '  FAILED: 1 write was sent and never answered: k6 stopped waiting at the end of the run, so no metric counts it',
    );
    expect(r.err).toContain(
      'giftlab: 1 write was sent and never answered, which fails the run (exit 99): k6 stopped waiting for it at the end and counts it in no metric\n',
    );
  });

  it('leaves it to the thresholds when k6 counted it (a timeout or a reset is in http_req_failed)', async () => {
    const r = await run(k6With('k6-counted', 1), join(temp.dir, 'counted-run'));
    expect(r.code, r.err).toBe(0);
    expect(r.err).not.toContain('never answered');
  });
});

describe('giftlab load on a target that applies another economy', () => {
  let target: RunningTarget;
  beforeAll(async () => {
    target = await startTarget(temp.dir, 5, undefined, 'economy');
  });
  afterAll(() => target.close());
  const args = () => ['load', BASELINE, ...SMALL, '--target', target.url, '--users', target.usersFile];

  it('exits 2 naming each field that differs and how to start a target that applies it, no run folder', async () => {
    const cwd = freshCwd('other-economy');
    const c = capture(cwd, { K6_BIN: fakeK6('k6-ok', 'exit 0') });
    const sets = ['--set', 'payout.creatorShare=0.6', '--set', 'pricing.channels.app.packs[0].priceCents=10'];
    expect(await main([...args(), ...sets, '--profile', 'steady', '--rate', '5/s'], c.io)).toBe(2);
    const err = c.err();
    expect(err).toContain(
      `${target.url}/ serves baseline, the run used baseline with --set population.viewers=5000`,
    );
    expect(err).toContain("economy: expected the run's economy (baseline with --set ");
    expect(err).toContain(
      "found creatorShareBp: the run's 6000, the target's 5000 — start the target with giftlab serve --scenario ",
    );
    expect(err).toContain("found channels.app.packs.c70.priceCents: the run's 10, the target's 99");
    expect(err).toContain(
      "--set payout.creatorShare=0.6 --set 'pricing.channels.app.packs[0].priceCents=10'",
    );
    expect(err).not.toMatch(/\n\s+at /);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('runs when the economies are equal, and says it compared them', async () => {
    const c = capture(freshCwd('same-economy'), { K6_BIN: fakeK6('k6-107', 'exit 107') });
    expect(await main([...args(), '--profile', 'steady', '--rate', '5/s'], c.io)).toBe(107);
    expect(c.err()).toContain(
      "\n  economy   the scenario's (baseline with --set population.viewers=5000 --set population.creators=100), equal to the target's GET /v1/economy\n",
    );
  });

  it('does not refuse a target that publishes no economy (another backend), and says so', async () => {
    const bare = createHttpServer((_, res) => res.writeHead(404).end());
    await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(bare.address() as { port: number }).port}`;
      const c = capture(freshCwd('no-economy'), { K6_BIN: fakeK6('k6-107', 'exit 107') });
      const sets = ['--set', 'payout.creatorShare=0.6', '--no-audit', '--profile', 'steady', '--rate', '5/s'];
      const load = ['load', BASELINE, ...SMALL, '--target', url, '--users', users, ...sets];
      expect(await main(load, c.io)).toBe(107);
      expect(c.err()).toContain(
        '\n  economy   not compared: the target publishes none (GET /v1/economy: 404)\n',
      );
    } finally {
      bare.closeAllConnections();
      await new Promise((resolve) => bare.close(resolve));
    }
  });
});
