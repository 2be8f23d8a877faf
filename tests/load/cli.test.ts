/** `giftlab plan` and `giftlab load` without k6: plans written, manifests emitted, bad input and no k6 → exit 2. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { readPlanFile } from '../../load/plan/schema.ts';
import { BASELINE, capture, tempDir } from './support.ts';

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

  it('prints the plan without --out', async () => {
    const c = capture(temp.dir);
    expect(await main(['plan', BASELINE, ...SMALL], c.io)).toBe(0);
    expect(JSON.parse(c.out()).version).toBe(1);
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
    [['--profile', 'heavy'], '--profile'],
    [['--duration', 'soon'], '--duration'],
    [['--scale', '-1'], '--scale'],
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
