/**
 * `giftlab merge <dir>… --out dir`: joins the shard folders of one sweep (`sweep --shard i/n`) or one
 * run (`run --replications n --shard i/n`) into exactly what the unsharded command writes; the shards
 * of one calibration generation (`calibrate --shard i/n [--from dir]`) into the calibration folder one
 * generation on (the unsharded calibration's folder once the last generation is merged). A folder
 * without shard.json stands for the shard folders directly inside it (a shared volume's shards/).
 * Shards that do not belong together — another scenario, spec, seed, replication count or n, a shard
 * missing or twice, a shard with items missing — exit 2 naming the folders and what differs.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { mergeCalibrationShards } from '../experiments/calibrate/shard-io.ts';
import { type LoadedShard, MANIFEST_FILE, readShardFolder } from '../experiments/shards/folder.ts';
import { mergeRunShards, type RunShardSpec } from '../experiments/shards/run-shards.ts';
import { mergeSweepShards } from '../experiments/sweep/shard-io.ts';
import { CALIBRATION_REPORT_FILE, writeCalibrationFolder } from '../reports/calibrate/write.ts';
import { REPORT_FILE, SCENARIO_FILE, SUMMARY_FILE, writeRunFolder } from '../reports/csv/run-folder.ts';
import { SWEEP_REPORT_FILE, writeSweepFolder } from '../reports/sweep/write.ts';
import type { Io } from './commands.ts';
import { EXIT, ExitError, InputError } from './errors.ts';
import { checkOutFolder } from './out-folder.ts';
import { violationReport } from './reproduce.ts';

export interface MergeOptions {
  out?: string;
  quiet?: boolean;
}

export async function merge(dirs: string[], options: MergeOptions, io: Io): Promise<number> {
  if (dirs.length === 0) throw new InputError({ field: 'merge', expected: 'shard folders', found: 'none' });
  if (options.out === undefined) {
    throw new InputError({
      field: '--out',
      expected: 'the folder to write the merged output to',
      found: 'nothing',
    });
  }
  const out = resolve(io.cwd, options.out);
  const shards = expand(dirs, io.cwd).map(([dir, typed]) => readShardFolder(dir, typed));
  // The output replaces its folder: it must neither hold a shard nor lie inside one.
  const overlapping = shards.find((s) => within(out, resolve(s.dir)) || within(resolve(s.dir), out));
  if (overlapping !== undefined) {
    throw new InputError({
      field: '--out',
      expected: 'a folder apart from the shard folders (not one of them, not holding one)',
      found: `${options.out}, which overlaps ${overlapping.shown}`,
    });
  }
  const kind = shards[0].manifest.kind;
  checkOutFolder(options.out, { flag: '--out', kind, cwd: io.cwd });
  const n = shards[0].manifest.shard.count;
  let violations: number;
  /** A merged run's exit 3 says what broke and how to rerun each failing replication (cli/reproduce.ts). */
  let violationText: (() => string) | undefined;
  let report: string;
  let status = '';
  if (kind === 'calibration' && shards.every((s) => s.manifest.kind === 'calibration')) {
    const { result, wallSeconds } = mergeCalibrationShards(shards);
    await writeCalibrationFolder(out, result, wallSeconds);
    violations = result.invariants.violationCount;
    report = join(out, CALIBRATION_REPORT_FILE);
    status =
      result.next === null
        ? '; the calibration is done'
        : `; generation ${result.next.generation} is next: giftlab calibrate … --shard i/n --from ${options.out}, then merge again`;
  } else if (kind === 'sweep' && shards.every((s) => s.manifest.kind === 'sweep')) {
    const { result, wallSeconds } = mergeSweepShards(shards);
    await writeSweepFolder(out, result, wallSeconds);
    violations = result.invariants.violationCount;
    report = join(out, SWEEP_REPORT_FILE);
  } else {
    const { run, scenario, check } = mergeRunShards(shards);
    await writeRunFolder(out, run, scenario, check);
    violations = run.replications.reduce((s, r) => s + r.invariants.violationCount, 0);
    report = join(out, REPORT_FILE);
    const { fault } = shards[0].manifest.spec as RunShardSpec;
    // scenario.yaml in the merged folder is the scenario as run, --sets applied, seed included.
    const recipe = {
      file: join(options.out, SCENARIO_FILE),
      sets: [],
      seed: run.seed,
      check,
      fault: fault ?? undefined,
      out: options.out,
    };
    violationText = () =>
      violationReport(run.replications, recipe, {
        where: ' of the merged run',
        details: join(out, SUMMARY_FILE),
      });
  }
  if (!options.quiet) {
    io.stdout.write(
      `merged ${n} ${kind} shard(s) of ${shards[0].manifest.scenarioName} (seed ${shards[0].manifest.seed}, ${shards[0].manifest.items.total} runs)${status}\n`,
    );
  }
  io.stdout.write(`${report}\n`);
  if (violations > 0) {
    throw new ExitError(
      violationText?.() ?? `${violations} invariant violation(s) in the merged output`,
      EXIT.violation,
    );
  }
  return EXIT.ok;
}

/** Whether `inner` is `outer` or lies inside it. */
function within(outer: string, inner: string): boolean {
  const rel = relative(outer, inner);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Each argument as a shard folder, or — without a shard.json — the shard folders inside it, sorted. */
function expand(dirs: readonly string[], cwd: string): [string, string][] {
  const out: [string, string][] = [];
  for (const typed of dirs) {
    const dir = resolve(cwd, typed);
    const isDir = existsSync(dir) && statSync(dir).isDirectory();
    if (!isDir || existsSync(join(dir, MANIFEST_FILE))) {
      out.push([dir, typed]);
      continue;
    }
    const inner = readdirSync(dir)
      .filter((name) => !name.startsWith('.') && existsSync(join(dir, name, MANIFEST_FILE)))
      .sort();
    if (inner.length === 0) out.push([dir, typed]);
    for (const name of inner) out.push([join(dir, name), join(typed, name)]);
  }
  return out;
}

export type { LoadedShard };
