/**
 * The suite against the reference server with a real k6 (`k6` on PATH or K6_BIN). Skipped without one:
 * k6 is a separate binary that CI does not have, and everything around it is tested without it.
 */

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import type { Fault } from '../../load/target/faults.ts';
import { INVARIANT_IDS } from '../../sim/invariants/types.ts';
import { startServe } from '../target/support/child.ts';
import { BASELINE, capture, K6, startTarget, tempDir } from './support.ts';

const temp = tempDir();
afterAll(() => temp.remove());

async function load(profile: string, fault: Fault | undefined, extra: string[] = [], name?: string) {
  const target = await startTarget(temp.dir, 200, fault, name);
  const out = join(
    temp.dir,
    name ?? `${profile}-${fault ?? 'healthy'}-${extra.join('_').replace(/[^A-Za-z0-9]/g, '')}`,
  );
  const c = capture(temp.dir, { ...process.env, K6_BIN: K6 });
  try {
    const code = await main(
      [
        'load',
        BASELINE,
        '--set',
        'population.viewers=20000',
        '--target',
        target.url,
        '--users',
        target.usersFile,
        '--profile',
        profile,
        '--out',
        out,
        ...extra,
      ],
      c.io,
    );
    return { code, out, stdout: c.out(), stderr: c.err() };
  } finally {
    await target.close();
  }
}

// Skipped where there is no k6 binary (CI has none): the title then says so.
const TITLE =
  K6 === undefined
    ? 'skipped: no k6 (set K6_BIN or put k6 on PATH)'
    : `k6 (${K6}) against the reference server`;
describe.skipIf(K6 === undefined)(TITLE, () => {
  it('smoke passes its thresholds and the audit', async () => {
    const r = await load('smoke', undefined);
    expect(r.stdout).toMatch(/thresholds: \d+ passed, 0 failed/);
    expect(r.stdout).toContain(`clean: ${INVARIANT_IDS.length} invariants hold`);
    expect(r.code, r.stderr).toBe(0);
    for (const f of [
      'acks.jsonl',
      'summary.json',
      'junit.xml',
      'audit.txt',
      'audit-junit.xml',
      'workload.json',
      'plan.json',
    ]) {
      expect(existsSync(join(r.out, f)), f).toBe(true);
    }
    const acks = readFileSync(join(r.out, 'acks.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(acks.some((a) => a.kind === 'withdrawal' && a.status === 201)).toBe(true);
    expect(acks.some((a) => a.kind === 'gift' && a.status === 409)).toBe(true);
  });

  it('race passes the audit on a healthy server', async () => {
    const r = await load('race', undefined, ['--duration', '3s', '--vus', '16']);
    expect(r.stdout).toContain(`clean: ${INVARIANT_IDS.length} invariants hold`);
    expect(r.code, r.stderr).toBe(0);
  });

  it('the README’s fault example: race against giftlab serve --fault overdraft in its own process exits 3', async () => {
    // As an engineer runs it: a fresh server (its first viewers hold no coins yet), the default rate.
    const server = await startServe(
      ['--fault', 'overdraft', '--seed-users', '1000'],
      join(temp.dir, 'users-child.json'),
    );
    const out = join(temp.dir, 'race-overdraft-child');
    const c = capture(temp.dir, { ...process.env, K6_BIN: K6 });
    try {
      const args = ['load', BASELINE, '--target', server.url, '--users', join(temp.dir, 'users-child.json')];
      const code = await main([...args, '--profile', 'race', '--out', out], c.io);
      expect(c.out()).toMatch(/2 {2}no viewer coin balance.*VIOLATED/);
      expect(code).toBe(3);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it('a reused --out keeps nothing of the earlier run: no audit verdict beside acks it did not judge', async () => {
    const first = await load('smoke', undefined, [], 'reused-out');
    expect(first.code, first.stderr).toBe(0);
    expect(existsSync(join(first.out, 'audit-junit.xml'))).toBe(true);
    const again = await load('smoke', undefined, ['--no-audit'], 'reused-out');
    expect(again.code, again.stderr).toBe(0);
    expect(existsSync(join(again.out, 'acks.jsonl'))).toBe(true);
    expect(existsSync(join(again.out, 'audit.txt'))).toBe(false);
    expect(existsSync(join(again.out, 'audit-junit.xml'))).toBe(false);
    // The command it gives names the target and its users file: `audit --acks` alone is bad input (exit 2).
    expect(again.stderr).toMatch(
      /giftlab load: not audited \(--no-audit\); audit it with giftlab audit --target http:\/\/\S+ --users \S+ --acks \S+acks\.jsonl/,
    );
  });

  it('a target that stops answering mid-run: k6 counts every write without an answer as an unknown outcome', async () => {
    const target = await startTarget(temp.dir, 200, undefined, 'dies');
    const out = join(temp.dir, 'dies');
    const c = capture(temp.dir, { ...process.env, K6_BIN: K6 });
    const args = ['load', BASELINE, '--set', 'population.viewers=20000', '--target', target.url];
    const run = main(
      [
        ...args,
        '--users',
        target.usersFile,
        '--profile',
        'steady',
        '--rate',
        '50/s',
        '--duration',
        '6s',
        '--out',
        out,
      ],
      c.io,
    );
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await target.close();
    // A crash under load is a failed load test (99), not bad input: the target answered before the run.
    expect(await run).toBe(99);
    expect(c.err()).toContain('the target stopped answering during the run');
    const unanswered = readFileSync(join(out, 'acks.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.includes('"status":0,')).length;
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(unanswered).toBeGreaterThan(0);
    // k6's count is taken as each answer fails; an iteration cut short at the end may not have flushed
    // its ack lines yet (at most one iteration's writes a VU), so the acks hold as many or a few fewer.
    const counted = summary.metrics.giftlab_unknown_outcomes?.values.count;
    const vus = JSON.parse(readFileSync(join(out, 'workload.json'), 'utf8')).vus;
    expect(counted).toBeGreaterThanOrEqual(unanswered);
    expect(counted).toBeLessThanOrEqual(unanswered + 8 * vus);
  });

  it('steady delivers the rate it was asked for within 5 %, with no dropped iteration', async () => {
    // A modest rate that the shared 2-core machine sustains with other jobs running: the load tool's
    // correctness (it sends what it says), not the machine's speed.
    const r = await load('steady', undefined, ['--rate', '100/s', '--duration', '5s']);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(r.out, 'summary.json'), 'utf8'));
    const iterations = summary.metrics.iterations.values;
    // k6's own rate: iterations over the whole run (setup and the last iterations' tail included).
    expect(Math.abs(iterations.rate - 100), `${iterations.rate}/s`).toBeLessThanOrEqual(5);
    expect(Math.abs(iterations.count - 500), `${iterations.count} iterations`).toBeLessThanOrEqual(25);
    expect(summary.metrics.dropped_iterations?.values.count ?? 0).toBe(0);
    expect(r.stderr).toMatch(/asked 500 arrivals \(100\/s for 5 s\); delivered \d{3} \(\d+\.\d\/s, /);
    // The requests asked for are what the streams send, not the plan's ratio (which knew nothing of the
    // purchases a fresh target's empty wallets need): within 10 % of what k6 sent.
    const asked = Number(
      /requests [\d,]+ \([^;]+; about ([\d,]+) asked\)/.exec(r.stderr)?.[1].replace(/,/g, ''),
    );
    const sent = summary.metrics.http_reqs.values.count;
    expect(Math.abs(sent / asked - 1), `${sent} requests sent, ${asked} asked`).toBeLessThan(0.1);
    expect(existsSync(join(r.out, 'report.html'))).toBe(true);
  });

  it('an impossible rate fails with exit 99 and says how much was delivered', async () => {
    const r = await load('steady', undefined, ['--rate', '5000/s', '--duration', '2s', '--vus', '2']);
    expect(r.code).toBe(99);
    expect(r.stderr).toMatch(/asked 10,000 arrivals .* delivered [\d,]+ .* dropped — FAILED/);
    expect(r.stderr).toMatch(/thresholds crossed \(exit 99\); delivered \d+ of 10000 arrivals asked/);
  });

  it('two loads started at once on one machine both succeed (no fixed port)', async () => {
    const [a, b] = await Promise.all([
      load('steady', undefined, ['--rate', '20/s', '--duration', '3s'], 'twin-a'),
      load('steady', undefined, ['--rate', '20/s', '--duration', '3s'], 'twin-b'),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
  });

  it.each([
    ['lost-update', /VIOLATED/],
    ['overdraft', /2 {2}no viewer coin balance.*VIOLATED/],
  ] as const)('race fails the audit against --fault %s (exit 3)', async (fault, pattern) => {
    const r = await load('race', fault, ['--duration', '3s', '--vus', '16']);
    expect(r.stdout).toMatch(pattern);
    expect(r.code).toBe(3);
  });
});
