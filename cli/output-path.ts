/**
 * Output paths, checked before a command starts its work. A flag that names a file to write (`--junit`,
 * `plan --out`) or a folder to fill (`load --out`, `compare --out`, `--emit-k8s`) is bad input (exit 2,
 * naming the flag) when it cannot be written — a folder where a file goes, a file where a folder goes,
 * a place this user may not write — rather than an internal EISDIR or ENOTDIR error after the work is
 * done, with its results lost.
 *
 * Nothing is created here. Missing parent folders are fine: the caller creates them when it writes
 * (`mkdirSync(dirname(file), { recursive: true })`, or `mkdirSync(folder, { recursive: true })`).
 */
import {
  closeSync,
  mkdtempSync,
  openSync,
  readSync,
  realpathSync,
  rmdirSync,
  type Stats,
  statSync,
} from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { InputError } from './errors.ts';

/**
 * The absolute path of `given` (resolved against `cwd`) when a file can be written there: an existing
 * file this user may overwrite, or a new file whose nearest existing parent is a writable folder.
 */
export function writableOutputFile(flag: string, given: string, cwd: string, own?: OwnFile): string {
  const path = resolve(cwd, given);
  const expected = 'a file to write';
  // What an input, or a file giftlab did not write, is refused as.
  const ours = own === undefined ? expected : `a new file or an earlier ${own.what}`;
  if (given.trim() === '') throw new InputError({ field: flag, expected, found: 'an empty path' });
  const stat = statOf(flag, expected, given, path);
  if (stat?.isDirectory()) throw new InputError({ field: flag, expected, found: `${given}: a folder` });
  for (const input of own?.inputs ?? []) {
    if (sameFile(path, resolve(cwd, input)))
      throw new InputError({ field: flag, expected: ours, found: `${given}, the command's own input` });
  }
  for (const folder of own?.outside ?? []) {
    const rel = relative(resolve(cwd, folder), path);
    if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel))
      throw new InputError({
        field: flag,
        expected: `a file outside ${folder}, which the command replaces`,
        found: given,
      });
  }
  if (stat !== undefined) {
    probe(flag, expected, given, () => closeSync(openSync(path, 'r+')));
    // Overwritten only when giftlab wrote it: a scenario or a user's file given by mistake is kept.
    if (own !== undefined && !own.wrote(readHead(path)))
      throw new InputError({
        field: flag,
        expected: ours,
        found: `${given}, a file of another kind (giftlab overwrites an earlier ${own.what} only)`,
      });
  } else requireCreatable(flag, expected, given, dirname(path));
  return path;
}

/**
 * What a file flag writes, so that an existing file there is replaced only when it is one of those:
 * its name for messages, a test on the file's first bytes, inputs it must not be, folders it must not
 * be in.
 */
export interface OwnFile {
  /** e.g. 'giftlab JUnit report'. */
  what: string;
  /** Whether the file's first 4 KiB are what this flag writes. */
  wrote: (head: string) => boolean;
  inputs?: readonly string[];
  outside?: readonly string[];
}

/** The files giftlab writes through file flags, as their first bytes show them. */
export const OWN_FILES = {
  junit: { what: 'JUnit report', wrote: (head: string) => /^<\?xml[^>]*>\s*<testsuites\b/.test(head) },
  plan: { what: 'giftlab plan', wrote: (head: string) => /"generator":\s*"giftlab plan/.test(head) },
  users: { what: 'giftlab users file', wrote: (head: string) => /^\{\s*"target":/.test(head) },
  // An empty file is a new database to SQLite.
  db: {
    what: 'SQLite database',
    wrote: (head: string) => head === '' || head.startsWith('SQLite format 3\0'),
  },
} as const satisfies Record<string, OwnFile>;

function readHead(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(4096);
    return buf.subarray(0, readSync(fd, buf, 0, buf.length, 0)).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return a === b;
  }
}

/**
 * The absolute path of `given` (resolved against `cwd`) when files can be written into it: an
 * existing folder this user may write into, or a new one whose nearest existing parent is.
 */
export function writableOutputFolder(flag: string, given: string, cwd: string): string {
  const path = resolve(cwd, given);
  const expected = 'a folder to write into';
  const stat = statOf(flag, expected, given, path);
  if (stat !== undefined && !stat.isDirectory())
    throw new InputError({ field: flag, expected, found: `${given}: a file` });
  if (stat !== undefined) probeFolder(flag, expected, given, path);
  else requireCreatable(flag, expected, given, dirname(path));
  return path;
}

/** The nearest existing folder above a path to be created must be a writable folder (not a file). */
function requireCreatable(flag: string, expected: string, given: string, parent: string): void {
  // Bounded by the path's depth: each step drops one component, and the root exists.
  for (let dir = parent; ; dir = dirname(dir)) {
    const stat = statOf(flag, expected, given, dir);
    if (stat === undefined && dirname(dir) !== dir) continue;
    if (stat === undefined || !stat.isDirectory()) {
      throw new InputError({ field: flag, expected, found: `${given}: ${dir} is not a folder` });
    }
    probeFolder(flag, expected, given, dir);
    return;
  }
}

/**
 * Creates and removes an empty folder in `dir`: unlike access(2), this also catches a read-only disk,
 * /proc, and what root may not do either.
 */
function probeFolder(flag: string, expected: string, given: string, dir: string): void {
  probe(flag, expected, given, () => rmdirSync(mkdtempSync(join(dir, '.giftlab-probe-'))), dir);
}

function probe(flag: string, expected: string, given: string, attempt: () => void, where = given): void {
  try {
    attempt();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'an error';
    const found =
      where === given ? `${given}: not writable (${code})` : `${given}: cannot write in ${where} (${code})`;
    throw new InputError({ field: flag, expected, found });
  }
}

/** The path's stat, or undefined when nothing is there (ENOENT; ENOTDIR: a file on the way). */
function statOf(flag: string, expected: string, given: string, path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new InputError({ field: flag, expected, found: `${given}: ${code ?? 'unreadable'}` });
  }
}
