/**
 * A shard folder: what `--shard i/n` writes and `giftlab merge` reads (format described in
 * experiments/sweep/k8s/README.md):
 *
 *   shard.json     the manifest: kind (sweep, run or calibration), which shard of how many, the
 *                  scenario (resolved) and its hash, seed, replications, the spec (a sweep's design,
 *                  axes and points; a run's check mode; a calibration's spec, generation and history),
 *                  item counts and the shard's own wall time;
 *   results.jsonl  one line per work item the shard computed, in item order: {"item": k, …} with the
 *                  per-replication results (a sweep: KPIs, events, invariants; a run: the whole
 *                  replication — KPIs and every table row — so that merge writes the very same CSVs).
 *
 * Numbers are written as JSON prints them (shortest round-trip form), so a value read back is the
 * same double; the rare non-finite number is written as {"$nonFinite": "NaN"}.
 */
import { closeSync, existsSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, shown } from '../../common/input-error.ts';
import { isRecord } from '../../common/shape.ts';
import type { Scenario } from '../../scenarios/schema/scenario.ts';
import { writeFolderAtomically } from './atomic-dir.ts';
import { SHARD_SPLIT, type Shard } from './shard.ts';

export const SHARD_FORMAT = 'giftlab-shard';
export const SHARD_VERSION = 1;
export const MANIFEST_FILE = 'shard.json';
export const RESULTS_FILE = 'results.jsonl';
/** Every file a shard folder holds: the only names an earlier shard folder may hold to be replaced. */
export const SHARD_FILES = [MANIFEST_FILE, RESULTS_FILE] as const;

export const SHARD_KINDS = ['sweep', 'run', 'calibration'] as const;
export type ShardKind = (typeof SHARD_KINDS)[number];

export interface ShardManifest<Spec = unknown> {
  format: typeof SHARD_FORMAT;
  version: typeof SHARD_VERSION;
  kind: ShardKind;
  shard: Shard;
  /** How items were dealt to shards (see shard.ts). */
  split: string;
  scenarioName: string;
  scenarioHash: string;
  seed: number;
  replications: number;
  items: { total: number; inShard: number };
  /** What was computed beyond the scenario: a sweep's spec, a run's check mode. */
  spec: Spec;
  /** The resolved scenario (a sweep's base, before any --vary value). */
  scenario: Scenario;
  /** This shard's own wall time; merged outputs report the sum. */
  wallSeconds: number;
  /** What the command warned of before it ran (a sweep's: its merged report repeats them); none when absent. */
  warnings?: string[];
}

/** The fields every kind's manifest opens with, in shard.json's order: the format, its version, the kind, the shard and the split. */
export function manifestHead(
  kind: ShardKind,
  shard: Shard,
): Pick<ShardManifest, 'format' | 'version' | 'kind' | 'shard' | 'split'> {
  return { format: SHARD_FORMAT, version: SHARD_VERSION, kind, shard, split: SHARD_SPLIT };
}

export interface ResultLine {
  item: number;
}

export interface LoadedShard<Spec = unknown, Line extends ResultLine = ResultLine> {
  dir: string;
  /** The folder as the user typed it, for messages. */
  shown: string;
  manifest: ShardManifest<Spec>;
  lines: Line[];
}

export async function writeShardFolder(
  dir: string,
  manifest: ShardManifest,
  lines: readonly ResultLine[],
): Promise<void> {
  await writeFolderAtomically(dir, SHARD_FILES, (staging) => {
    const fd = openSync(join(staging, RESULTS_FILE), 'w');
    try {
      for (const line of lines) writeSync(fd, `${toJson(line)}\n`);
    } finally {
      closeSync(fd);
    }
    // The manifest last: a folder with shard.json has its results.
    const text = `${JSON.stringify(manifest, replacer, 2)}\n`;
    const mf = openSync(join(staging, MANIFEST_FILE), 'w');
    try {
      writeSync(mf, text);
    } finally {
      closeSync(mf);
    }
  });
}

export function toJson(value: unknown): string {
  return JSON.stringify(value, replacer);
}

export function fromJson(text: string): unknown {
  return JSON.parse(text, reviver);
}

function replacer(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? { $nonFinite: String(value) } : value;
}

function reviver(_key: string, value: unknown): unknown {
  if (isRecord(value) && typeof value.$nonFinite === 'string' && Object.keys(value).length === 1)
    return Number(value.$nonFinite);
  return value;
}

/** Reads a folder's manifest and results, checking their shape; InputError (exit 2) when they are not a shard. */
export function readShardFolder(dir: string, typed: string): LoadedShard {
  const manifestPath = join(dir, MANIFEST_FILE);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new InputError({
      field: typed,
      expected: 'a shard folder',
      found: existsSync(dir) ? 'a file' : 'no such folder',
    });
  }
  if (!existsSync(manifestPath)) {
    throw new InputError({
      field: typed,
      expected: `a shard folder with ${MANIFEST_FILE} (written by --shard i/n)`,
      found: `no ${MANIFEST_FILE}`,
    });
  }
  let manifest: ShardManifest;
  try {
    manifest = fromJson(readFileSync(manifestPath, 'utf8')) as ShardManifest;
  } catch (error) {
    throw new InputError({
      field: `${typed}/${MANIFEST_FILE}`,
      expected: 'JSON',
      found: (error as Error).message,
    });
  }
  checkManifest(manifest, `${typed}/${MANIFEST_FILE}`);
  const lines = readLines(join(dir, RESULTS_FILE), `${typed}/${RESULTS_FILE}`);
  return { dir, shown: typed, manifest, lines };
}

function checkManifest(m: ShardManifest, field: string): void {
  const problems: string[] = [];
  if (typeof m !== 'object' || m === null)
    throw new InputError({ field, expected: 'a JSON object', found: shown(m) });
  if (m.format !== SHARD_FORMAT) problems.push(`format ${shown(m.format)}`);
  if (m.version !== SHARD_VERSION)
    problems.push(`version ${shown(m.version)} (this giftlab reads ${SHARD_VERSION})`);
  if (!(SHARD_KINDS as readonly string[]).includes(m.kind)) problems.push(`kind ${shown(m.kind)}`);
  const s = m.shard as Partial<Shard> | undefined;
  if (!s || !Number.isSafeInteger(s.index) || !Number.isSafeInteger(s.count)) problems.push('no shard i/n');
  if (!m.items || !Number.isSafeInteger(m.items.total)) problems.push('no item count');
  if (typeof m.scenarioHash !== 'string' || typeof m.scenario !== 'object') problems.push('no scenario');
  if (problems.length > 0) {
    throw new InputError({
      field,
      expected: `a ${SHARD_FORMAT} v${SHARD_VERSION} manifest`,
      found: problems.join(', '),
    });
  }
}

function readLines(path: string, field: string): ResultLine[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError({
      field,
      expected: 'the shard results',
      found: (error as NodeJS.ErrnoException).code ?? 'unreadable',
    });
  }
  const out: ResultLine[] = [];
  const rows = text.split('\n');
  for (let i = 0; i < rows.length; i++) {
    if (rows[i] === '') continue;
    let line: ResultLine;
    try {
      line = fromJson(rows[i]) as ResultLine;
    } catch {
      throw new InputError({
        field: `${field} (line ${i + 1})`,
        expected: 'one JSON object per line',
        found: shown(rows[i]),
      });
    }
    if (typeof line !== 'object' || line === null || !Number.isSafeInteger(line.item)) {
      throw new InputError({
        field: `${field} (line ${i + 1})`,
        expected: 'an object with "item"',
        found: shown(rows[i]),
      });
    }
    out.push(line);
  }
  return out;
}
