/** Test support for the load suite: captured CLI streams, a reference target with a users file, k6 lookup. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findK6 } from '../../load/bundle/k6.ts';
import { compilePlan } from '../../load/plan/compile.ts';
import type { Plan } from '../../load/plan/types.ts';
import { buildApp } from '../../load/target/app.ts';
import type { Fault } from '../../load/target/faults.ts';
import { listen } from '../../load/target/listen.ts';
import { writeUsersFile } from '../../load/users-file.ts';
import { loadScenarioFile } from '../../scenarios/load.ts';
import type { Scenario } from '../../scenarios/schema/scenario.ts';
import { type Captured, captureIo } from '../support/io.ts';

export const BASELINE = fileURLToPath(new URL('../../scenarios/baseline.yaml', import.meta.url));

/** The baseline at 20,000 viewers and 200 creators (and `sets`), the size the plan tests share. */
export function smallScenario(sets: readonly string[] = []): Scenario {
  return loadScenarioFile(BASELINE, {
    sets: ['population.viewers=20000', 'population.creators=200', ...sets],
  });
}

/** The plan of `smallScenario()`. */
export function smallPlan(): Plan {
  return compilePlan(smallScenario());
}

/** The k6 binary the k6 tests use: K6_BIN or k6 on PATH; undefined skips them. */
export const K6 = findK6(process.env);

export type { Captured };

export function capture(cwd: string, env: NodeJS.ProcessEnv = {}): Captured {
  return captureIo(cwd, env);
}

export function tempDir(prefix = 'giftlab-load-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface RunningTarget {
  url: string;
  usersFile: string;
  close(): Promise<void>;
}

/** The reference API on a free port with the baseline economy, `users` viewers and creators, a users file. */
export async function startTarget(
  dir: string,
  users: number,
  fault?: Fault,
  name?: string,
  db?: string,
): Promise<RunningTarget> {
  const scenario = loadScenarioFile(BASELINE, {});
  const app = buildApp({ economy: scenario.economy, scenarioName: scenario.name, fault, db });
  const url = await listen(app, { port: 0, host: '127.0.0.1' });
  const usersFile = join(dir, `users-${name ?? fault ?? 'healthy'}-${url.split(':').at(-1)}.json`);
  writeUsersFile(usersFile, url, app.target.seedUsers(users));
  return { url, usersFile, close: () => app.close() };
}
