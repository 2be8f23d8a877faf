/**
 * The k6 binary: found on PATH or named by K6_BIN (never installed by giftlab: the package registries
 * here do not carry it), and run as a child process whose output streams through to ours.
 */
import { type SpawnSyncReturns, spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { InputError, shown } from '../../common/input-error.ts';

/**
 * The k6 release giftlab is tested with (`K6_BIN`): the Kubernetes runners' image is pinned to it. k6
 * 1.x runs the bundle as well (load/k6/README.md says what changes there).
 */
export const K6_TESTED_VERSION = '0.49.0';

export const INSTALL_K6 = [
  'install k6 (https://grafana.com/docs/k6/latest/set-up/install-k6/): e.g. `brew install k6`,',
  '`winget install k6`, the k6 apt or rpm repository, or a release binary from',
  'https://github.com/grafana/k6/releases — then put it on PATH or set K6_BIN=/path/to/k6',
].join(' ');

/** The k6 executable: K6_BIN when set (it must exist), else `k6` on PATH, else undefined. */
export function findK6(env: NodeJS.ProcessEnv): string | undefined {
  const named = env.K6_BIN;
  if (named !== undefined && named !== '') return isExecutable(named) ? named : undefined;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    for (const name of process.platform === 'win32' ? ['k6.exe', 'k6'] : ['k6']) {
      const candidate = join(dir, name);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

/** Like `findK6`, but bad input (exit 2) that says how to install k6 when there is none. */
export function requireK6(env: NodeJS.ProcessEnv): string {
  const found = findK6(env);
  if (found !== undefined) return found;
  const named = env.K6_BIN;
  throw new InputError({
    field: named ? 'K6_BIN' : 'k6',
    expected: named ? 'the path of an executable k6 binary' : 'the k6 binary on PATH or named by K6_BIN',
    found: `${named ? `${named}: not an executable file` : 'no k6'}; ${INSTALL_K6}`,
  });
}

/**
 * `k6 version`'s first line, e.g. `k6 v0.49.0 (go1.19.8, linux/amd64)`, from a binary that answers as
 * k6 does. Anything else — `K6_BIN=/bin/false`, a wrapper that fails, a hang — is bad input (exit 2)
 * naming K6_BIN (or k6 on PATH) and what the binary did, found before a run folder is written.
 */
export function requireK6Version(bin: string, env: NodeJS.ProcessEnv): string {
  const r = spawnSync(bin, ['version'], { encoding: 'utf8', timeout: K6_VERSION_TIMEOUT_MS, env });
  const first = (r.stdout ?? '').trim().split('\n')[0].trim();
  if (r.error === undefined && r.status === 0 && /^k6 v?\d/.test(first)) return first;
  throw new InputError({
    field: env.K6_BIN ? 'K6_BIN' : 'k6',
    expected: 'a k6 binary (`k6 version` prints "k6 v0.49.0 …" or later)',
    found: `${bin}: ${versionFailure(r)}`,
  });
}

const K6_VERSION_TIMEOUT_MS = 10_000;

function versionFailure(r: SpawnSyncReturns<string>): string {
  const code = (r.error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ETIMEDOUT') return `it did not answer \`version\` within ${K6_VERSION_TIMEOUT_MS / 1000} s`;
  if (r.error !== undefined) return `it could not be started (${code ?? r.error.message})`;
  if (r.signal !== null) return `it was killed by ${r.signal}`;
  const printed = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.trim().split('\n')[0].trim();
  return `it exited ${r.status} printing ${printed === '' ? 'nothing' : shown(printed)}`;
}

/** `k6 version`'s first line, e.g. `k6 v0.49.0 (go1.19.8, linux/amd64)`. */
export function k6Version(bin: string): string {
  const r = spawnSync(bin, ['version'], { encoding: 'utf8', timeout: K6_VERSION_TIMEOUT_MS });
  return (r.stdout ?? '').split('\n')[0].trim() || 'unknown version';
}

export interface K6Run {
  bin: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Runs k6 to the end; resolves with its exit code (k6's own codes: 99 thresholds, 107 script error…). */
export function runK6(run: K6Run): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(run.bin, run.args, { cwd: run.cwd, env: run.env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(run.stdout, { end: false });
    child.stderr.pipe(run.stderr, { end: false });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('error', (error) => {
      cleanup();
      reject(error);
    });
    child.on('close', (code, signal) => {
      cleanup();
      resolve(code ?? (signal === null ? 1 : 128 + signalNumber(signal)));
    });
    function cleanup(): void {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
    }
  });
}

function signalNumber(signal: NodeJS.Signals): number {
  return signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : signal === 'SIGKILL' ? 9 : 1;
}

function isExecutable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
