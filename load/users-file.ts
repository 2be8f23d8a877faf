/**
 * The users file, once: who may act on a target and with which bearer token. `giftlab serve
 * --seed-users n` writes it (the only writer); `load`, `audit` and `replay` read it with `readUsersFile`
 * and find it by one default rule (`usersFileFor`). k6's init code reads the same file with `open()` (k6
 * is not Node and cannot import this module); `giftlab load` has checked it here before k6 starts.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError, shown } from '../common/input-error.ts';
import { targetLimits } from '../common/limits.ts';
import { type Infer, int, list, object, optional, shapeProblem, string } from '../common/shape.ts';

const user = object({
  id: int(0, targetLimits.userIdMax - 1, "the user's id at the target"),
  token: string(1, targetLimits.tokenCharsMax, undefined, 'bearer token'),
});

export const USERS_SHAPE = object({
  target: optional(string(1, 2048, undefined, 'base URL of the server that signed the tokens')),
  viewers: list(user, 0, targetLimits.seedUsersMax),
  creators: list(user, 0, targetLimits.seedUsersMax),
  adminToken: string(1, targetLimits.tokenCharsMax, undefined, 'bearer token'),
});

export type UsersFile = Infer<typeof USERS_SHAPE>;
export type User = UsersFile['viewers'][number];

const WHO_WRITES = 'giftlab serve --seed-users n writes one';

/** Where `serve` writes the users file of a server on `port`, and where the readers look by default. */
export function defaultUsersPath(port: number | string): string {
  return `runs/users-${port}.json`;
}

export function writeUsersFile(path: string, target: string, users: Omit<UsersFile, 'target'>): void {
  mkdirSync(dirname(path), { recursive: true });
  const file: UsersFile = { target, ...users };
  writeFileSync(path, `${JSON.stringify(file)}\n`, { mode: 0o600 });
}

/** Reads and checks a users file; `shownAs` is how the message names it (the path as given). */
export function readUsersFile(path: string, shownAs = path, flag = '--users'): UsersFile {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const found =
      code === 'ENOENT' ? `no such file (${WHO_WRITES})` : (error as Error).message.split('\n')[0];
    throw new InputError({
      field: flag,
      expected: 'a users file { viewers, creators, adminToken }',
      found: `${shownAs}: ${found}`,
    });
  }
  const problem = shapeProblem(USERS_SHAPE, value);
  if (problem !== undefined) {
    throw new InputError({
      field: `${flag} ${shownAs}: ${problem.field}`,
      expected: problem.expected,
      found: problem.found,
    });
  }
  return value as UsersFile;
}

export interface FoundUsers {
  users: UsersFile;
  /** The path as the user would type it (the flag's value, or the default's relative path). */
  shownAs: string;
  defaulted: boolean;
}

/**
 * The users file for `target`: `--users` when given, else `runs/users-<port>.json` (the URL's port, or
 * its scheme's) in `cwd` when that file exists and was written for the same server (same port; the same
 * host, or both loopback). Undefined when there is none and `required` is false (audit without a token
 * simply reads less); bad input naming what to pass when `required`.
 */
export function usersFileFor(
  given: string | undefined,
  target: string | undefined,
  cwd: string,
  required: true,
): FoundUsers;
export function usersFileFor(
  given: string | undefined,
  target: string | undefined,
  cwd: string,
  required: boolean,
): FoundUsers | undefined;
export function usersFileFor(
  given: string | undefined,
  target: string | undefined,
  cwd: string,
  required: boolean,
): FoundUsers | undefined {
  if (given !== undefined)
    return { users: readUsersFile(resolve(cwd, given), given), shownAs: given, defaulted: false };
  const url = urlOf(target);
  if (url === undefined) {
    if (!required) return undefined;
    throw new InputError({
      field: '--users',
      expected: 'a users file, or a --target URL to find its default',
      found: shown(target),
    });
  }
  const path = defaultUsersPath(url.port || (url.protocol === 'https:' ? '443' : '80'));
  if (!existsSync(resolve(cwd, path))) {
    if (!required) return undefined;
    throw new InputError({
      field: '--users',
      expected: `a users file (${WHO_WRITES} at ${path} by default)`,
      found: `${path}: no such file`,
    });
  }
  const users = readUsersFile(resolve(cwd, path), path);
  if (users.target !== undefined && !sameServer(users.target, url)) {
    if (!required) return undefined;
    throw new InputError({
      field: '--users',
      expected: `a users file for ${url.origin} (pass --users)`,
      found: `${path}: written for ${shown(users.target)}`,
    });
  }
  return { users, shownAs: path, defaulted: true };
}

function urlOf(text: string | undefined): URL | undefined {
  if (text === undefined) return undefined;
  try {
    return new URL(text);
  } catch {
    return undefined; // the target's own check names the flag
  }
}

function sameServer(written: string, target: URL): boolean {
  const url = urlOf(written);
  if (url === undefined || url.port !== target.port || url.protocol !== target.protocol) return false;
  return url.hostname === target.hostname || (isLoopback(url.hostname) && isLoopback(target.hostname));
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127\./.test(host);
}
