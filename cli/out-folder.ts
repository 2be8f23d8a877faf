/**
 * `--out <dir>` of run, sweep, calibrate and merge: may giftlab write this folder? Checked before anything runs,
 * so that a refusal costs nothing and touches nothing (exit 2 naming the flag):
 *
 * - a path that does not exist yet: fine when a folder can be created there (cli/output-path.ts probes
 *   its nearest existing ancestor: a read-only disk, /proc or a missing permission is caught now, not
 *   after the simulation);
 * - an empty folder: fine;
 * - an existing folder: replaced only when it is an earlier giftlab output of the same kind — its
 *   summary.json (shard.json for a shard) written by giftlab, and nothing in it but giftlab's own file
 *   names; anything else (a user's notes, a subfolder, another kind of output) is refused;
 * - never the working directory or a folder above it, nor a folder holding the scenario file.
 *
 * The folder writer (experiments/shards/atomic-dir.ts) refuses foreign names again at the moment
 * it replaces, in case the folder changed while the simulation ran.
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { foreignEntries, listed } from '../experiments/shards/atomic-dir.ts';
import {
  MANIFEST_FILE,
  SHARD_FILES,
  SHARD_FORMAT,
  SHARD_KINDS,
  type ShardKind,
} from '../experiments/shards/folder.ts';
import { CALIBRATION_FILES } from '../reports/calibrate/write.ts';
import { RUN_FILES, SUMMARY_FILE } from '../reports/csv/run-folder.ts';
import { FIT_DATA_FILES } from '../reports/fit-data/write.ts';
import { SWEEP_FILES } from '../reports/sweep/write.ts';
import { InputError } from './errors.ts';
import { writableOutputFolder } from './output-path.ts';

/** What a command writes: a run, sweep or calibration folder, or a shard folder of one. */
export type OutKind =
  | 'run'
  | 'sweep'
  | 'calibration'
  | 'fit-data'
  | 'run shard'
  | 'sweep shard'
  | 'calibration shard';

const OWN_FILES: Record<OutKind, readonly string[]> = {
  run: RUN_FILES,
  sweep: SWEEP_FILES,
  calibration: CALIBRATION_FILES,
  'fit-data': FIT_DATA_FILES,
  'run shard': SHARD_FILES,
  'sweep shard': SHARD_FILES,
  'calibration shard': SHARD_FILES,
};

export interface OutFolderRules {
  /** The flag, for messages: `--out`. */
  flag: string;
  kind: OutKind;
  /** The working directory: never replaced, nor any folder above it. */
  cwd: string;
  /** Files the output must not swallow: the scenario. */
  inputs?: readonly string[];
}

/**
 * Throws an InputError (exit 2) when `dir` (as the user typed it, or the default; relative to
 * `rules.cwd`) may not be written as `rules.kind`'s output folder.
 */
export function checkOutFolder(dir: string, rules: OutFolderRules): void {
  const path = resolve(rules.cwd, dir);
  const refuse = (
    found: string,
    expected = `a new folder or an earlier giftlab ${rules.kind} folder`,
  ): never => {
    throw new InputError({ field: rules.flag, expected, found });
  };
  if (dir.trim() === '') refuse('an empty path', 'a folder to write into');
  refuseReserved(dir, rules);
  if (existsSync(path)) {
    if (!statSync(path).isDirectory()) refuse(`${dir}, a file`, 'a folder (or a path to create one)');
    const kind = outputKind(path);
    if (kind !== undefined && kind !== rules.kind) refuse(`${dir}, a giftlab ${kind} folder`);
    const foreign = foreignEntries(path, OWN_FILES[rules.kind]);
    if (foreign.length > 0)
      refuse(`${dir} holding ${listed(foreign)} (not files of a giftlab ${rules.kind} folder)`);
    const empty = foreignEntries(path, []).length === 0;
    if (!empty && kind === undefined) {
      const marker = rules.kind.endsWith('shard') ? MANIFEST_FILE : SUMMARY_FILE;
      refuse(`${dir} holding no ${marker} written by giftlab`);
    }
  }
  writableOutputFolder(rules.flag, dir, rules.cwd);
}

/** Never the working directory or a folder above it, nor one holding (or being) an input. */
function refuseReserved(
  dir: string,
  rules: { flag: string; cwd: string; inputs?: readonly string[]; inputsAre?: string },
): void {
  const inputs = rules.inputsAre ?? 'the scenario';
  const real = realOrResolved(resolve(rules.cwd, dir));
  const cwd = realOrResolved(rules.cwd);
  if (within(real, cwd))
    throw new InputError({
      field: rules.flag,
      expected: 'a folder other than the working directory or one above it',
      found: `${dir}, ${real === cwd ? 'the working directory' : 'a folder above the working directory'}`,
    });
  for (const input of rules.inputs ?? []) {
    const inputReal = realOrResolved(input);
    // A folder input (a compared run) is not written into either.
    const inside = existsSync(inputReal) && statSync(inputReal).isDirectory() && within(inputReal, real);
    if (within(real, inputReal) || inside)
      throw new InputError({
        field: rules.flag,
        expected: `a folder other than the one holding ${inputs} (give ${rules.flag} a new folder)`,
        found: `${dir}, which holds ${inputs} ${input}`,
      });
  }
}

/**
 * A folder a command fills with a fixed set of files — `compare --out`, `load --out`, `load
 * --emit-k8s` — under the rules of `--out` above: never the working directory, a folder above it or
 * one holding an input; an existing folder only when it holds nothing but those files (an earlier
 * output of the same command). Returns its absolute path.
 */
export function checkFilesFolder(
  dir: string,
  rules: {
    flag: string;
    what: string;
    files: readonly string[];
    cwd: string;
    inputs?: readonly string[];
    /** What the inputs are, for messages: 'the scenario', 'a compared run'. */
    inputsAre?: string;
  },
): string {
  if (dir.trim() === '')
    throw new InputError({ field: rules.flag, expected: 'a folder to write into', found: 'an empty path' });
  refuseReserved(dir, rules);
  const path = resolve(rules.cwd, dir);
  if (existsSync(path) && statSync(path).isDirectory()) {
    const foreign = foreignEntries(path, rules.files);
    if (foreign.length > 0)
      throw new InputError({
        field: rules.flag,
        expected: `a new folder or an earlier ${rules.what} folder`,
        found: `${dir} holding ${listed(foreign)} (not files of a ${rules.what} folder)`,
      });
  }
  return writableOutputFolder(rules.flag, dir, rules.cwd);
}

/** The kind of giftlab output `dir` holds, from its summary.json or shard.json; undefined if none. */
export function outputKind(dir: string): OutKind | undefined {
  const manifest = readJson(join(dir, MANIFEST_FILE));
  if (manifest?.format === SHARD_FORMAT && (SHARD_KINDS as readonly unknown[]).includes(manifest.kind))
    return `${manifest.kind as ShardKind} shard`;
  const summary = readJson(join(dir, SUMMARY_FILE));
  if (summary === undefined) return undefined;
  if (summary.kind === 'sweep') return 'sweep';
  if (summary.kind === 'calibration') return 'calibration';
  if (summary.kind === 'fit-data') return 'fit-data';
  const isRun =
    summary.kind === undefined &&
    typeof summary.scenario === 'string' &&
    typeof summary.seed === 'number' &&
    typeof summary.kpis === 'object' &&
    typeof summary.invariants === 'object';
  return isRun ? 'run' : undefined;
}

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The real path (symlinks resolved) of `path`, or of its nearest existing ancestor plus the rest. */
function realOrResolved(path: string): string {
  const rest: string[] = [];
  let cur = resolve(path);
  while (!existsSync(cur) && dirname(cur) !== cur) {
    rest.unshift(basename(cur));
    cur = dirname(cur);
  }
  try {
    return join(realpathSync(cur), ...rest);
  } catch {
    return resolve(path);
  }
}

/** Whether `inner` is `outer` or lies inside it. */
function within(outer: string, inner: string): boolean {
  const rel = relative(outer, inner);
  return rel === '' || (!isAbsolute(rel) && rel.split(sep)[0] !== '..');
}
