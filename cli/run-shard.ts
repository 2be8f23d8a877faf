/**
 * `giftlab run <scenario> --replications n --shard i/n`: runs only this shard's replications and
 * writes a shard folder (shard.json + results.jsonl with each replication whole) to
 * runs/<scenario>-<seed>.shard-<i>-of-<n>/ or `--out`. `giftlab merge` joins the shards into the run
 * folder the unsharded run writes. Called by cli/run.ts once the scenario and flags are checked.
 */
import { join, resolve } from 'node:path';
import type { CheckMode } from '../experiments/invariants.ts';
import { defaultWorkers, viewerDays } from '../experiments/pool.ts';
import { RESULTS_FILE, writeShardFolder } from '../experiments/shards/folder.ts';
import { runShardManifest, runShardReplications } from '../experiments/shards/run-shards.ts';
import { checkShardCount, parseShard, shardItems, shardLabel } from '../experiments/shards/shard.ts';
import type { Scenario } from '../scenarios/schema/scenario.ts';
import type { FaultName } from '../sim/engine/faults.ts';
import type { Io } from './commands.ts';
import { EXIT, ExitError } from './errors.ts';
import { itemProgress } from './item-progress.ts';
import { checkOutFolder } from './out-folder.ts';
import { violationReport } from './reproduce.ts';

export interface RunShardCliOptions {
  shard: string;
  replications: number;
  workers?: number;
  check: CheckMode;
  fault?: FaultName;
  out?: string;
  quiet?: boolean;
  /** The scenario file (an --out folder must not hold it). */
  file: string;
  /** The scenario file and `--set`s as typed, for the command that reruns a failing replication. */
  typedFile?: string;
  set?: readonly string[];
}

export async function runShard(scenario: Scenario, options: RunShardCliOptions, io: Io): Promise<number> {
  const shard = parseShard(options.shard);
  checkShardCount(shard, options.replications, options.replications === 1 ? 'replication' : 'replications');
  const mine = shardItems(options.replications, shard);
  const workers = options.workers ?? defaultWorkers(mine.length, viewerDays(scenario));
  const typedOut = options.out ?? join('runs', `${scenario.name}-${scenario.seed}.${shardLabel(shard)}`);
  checkOutFolder(typedOut, { flag: '--out', kind: 'run shard', cwd: io.cwd, inputs: [options.file] });
  const out = resolve(io.cwd, typedOut);
  const progress = itemProgress(
    io,
    `${scenario.name} ${shard.index}/${shard.count}`,
    mine.map(() => scenario.duration),
    options.quiet === true,
  );
  const started = performance.now();
  let lines: Awaited<ReturnType<typeof runShardReplications>>;
  try {
    lines = await runShardReplications(scenario, shard, {
      replications: options.replications,
      workers,
      check: options.check,
      fault: options.fault,
      onProgress: progress.update,
    });
  } finally {
    progress.stop();
  }
  const wallSeconds = (performance.now() - started) / 1000;
  const manifest = runShardManifest(scenario, shard, options, lines.length, wallSeconds);
  await writeShardFolder(out, manifest, lines);
  const events = lines.reduce((n, l) => n + l.result.events, 0);
  const violations = lines.reduce((n, l) => n + l.result.invariants.violationCount, 0);
  if (!options.quiet) {
    io.stdout.write(
      `${scenario.name} (seed ${scenario.seed}), shard ${shard.index}/${shard.count}: replication(s) ${mine.join(', ') || 'none'} ` +
        `of ${options.replications} on ${workers} worker(s), ${events.toLocaleString('en-US')} events in ${wallSeconds.toFixed(1)} s; ` +
        `merge all ${shard.count} shard folders with giftlab merge\n`,
    );
  }
  io.stdout.write(`${out}\n`);
  if (violations > 0) {
    const recipe = {
      file: options.typedFile ?? options.file,
      sets: options.set ?? [],
      seed: scenario.seed,
      check: options.check,
      fault: options.fault,
      out: typedOut,
    };
    const where = ` of shard ${shard.index}/${shard.count}`;
    throw new ExitError(
      violationReport(
        lines.map((l) => l.result),
        recipe,
        { where, details: join(out, RESULTS_FILE) },
      ),
      EXIT.violation,
    );
  }
  return EXIT.ok;
}
