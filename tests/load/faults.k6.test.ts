/**
 * The fault matrix, run (k6 on PATH or K6_BIN; otherwise reported as skipped): every cell of the fault
 * table — a profile that provokes a fault — on a fresh server with that fault, where the audit must
 * find one of the fault's invariants violated (exit 3); and `race` on a server that first served a
 * healthy `smoke` and `steady` and was then restarted on the same database with the fault, where
 * balances left by earlier runs must not hide anything.
 */

import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import type { LoadProfile } from '../../load/k6/lib/profiles.ts';
import { FAULT_TABLE, FAULTS, type Fault } from '../../load/target/faults.ts';
import { INVARIANT_IDS } from '../../sim/invariants/types.ts';
import { BASELINE, capture, K6, startTarget, tempDir } from './support.ts';

const temp = tempDir();
afterAll(() => temp.remove());

/** Short runs, long enough for every profile's provocations to fall (double taps, replays). */
const ARGS: Record<LoadProfile, string[]> = {
  smoke: [],
  steady: ['--rate', '100/s', '--duration', '5s'],
  spike: ['--rate', '100/s', '--duration', '4s'],
  soak: ['--rate', '100/s', '--duration', '4s'],
  race: ['--duration', '3s', '--vus', '16'],
};

let runs = 0;

async function load(url: string, usersFile: string, profile: LoadProfile) {
  const out = join(temp.dir, `run-${++runs}-${profile}`);
  const c = capture(temp.dir, { ...process.env, K6_BIN: K6 });
  const args = ['load', BASELINE, '--set', 'population.viewers=20000', '--target', url, '--users', usersFile];
  const code = await main([...args, '--profile', profile, '--out', out, ...ARGS[profile]], c.io);
  const violated = [...c.out().matchAll(/^\s+(\d)\s{2}.*VIOLATED/gm)].map((m) => Number(m[1]));
  return { code, violated, stdout: c.out(), stderr: c.err() };
}

function expectCaught(fault: Fault, r: { code: number; violated: number[]; stderr: string }): void {
  const { invariants } = FAULT_TABLE[fault];
  expect(r.code, r.stderr.slice(-2000)).toBe(3);
  expect(
    invariants.some((i) => r.violated.includes(i)),
    `violated ${r.violated.join(', ')}; expected one of ${invariants.join(', ')}`,
  ).toBe(true);
}

const TITLE =
  K6 === undefined
    ? 'skipped: no k6 (set K6_BIN or put k6 on PATH)'
    : `the fault matrix with k6 (${K6}) against the reference server`;
describe.skipIf(K6 === undefined)(TITLE, () => {
  for (const fault of FAULTS) {
    for (const profile of FAULT_TABLE[fault].profiles) {
      it(`${profile} provokes ${fault}: invariant ${FAULT_TABLE[fault].invariants.join(' or ')}`, async () => {
        const target = await startTarget(temp.dir, 200, fault, `${fault}-${profile}`);
        try {
          expectCaught(fault, await load(target.url, target.usersFile, profile));
        } finally {
          await target.close();
        }
      });
    }

    it(`race catches ${fault} on a server that already served a smoke and a steady run`, async () => {
      const db = join(temp.dir, `after-${fault}.db`);
      const healthy = await startTarget(temp.dir, 200, undefined, `healthy-before-${fault}`, db);
      try {
        for (const profile of ['smoke', 'steady'] as const) {
          // They only leave balances behind: the audit must be clean; k6's delivery thresholds may be
          // crossed on a busy machine (exit 99), which is not what this test is about.
          const r = await load(healthy.url, healthy.usersFile, profile);
          expect([0, 99], r.stderr.slice(-2000)).toContain(r.code);
          expect(r.stdout).toContain(`clean: ${INVARIANT_IDS.length} invariants hold`);
        }
      } finally {
        await healthy.close();
      }
      // The same database (and users: the token secret is in it), now with the fault.
      const faulty = await startTarget(temp.dir, 200, fault, `faulty-after-${fault}`, db);
      try {
        expectCaught(fault, await load(faulty.url, healthy.usersFile, 'race'));
      } finally {
        await faulty.close();
      }
    });
  }
});
