/**
 * Every `giftlab` command in one list: usage, a one-line summary, its options and an example. Each
 * command's work lives in its own module, loaded only when that command runs.
 */
import type { Command } from 'commander';
import { DAY_SECONDS, limits, loadLimits, targetLimits } from '../common/limits.ts';
import {
  andList,
  PROFILE_TABLE,
  PROFILES,
  type ProfileSpec,
  profilesWhere,
} from '../load/k6/lib/profiles.ts';
import { DELIVERED_SHARE_DEFAULT } from '../load/plan/workload.ts';
import { DEFAULT_KPI } from '../sim/kpis.ts';
import {
  collect,
  intFlag,
  planReplicationsFlag,
  precisionFlag,
  replicationsFlag,
  seedFlag,
  workersFlag,
} from './options.ts';

/** What a command may touch: its streams, working directory and environment (tests pass their own). */
export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export interface CommandSpec {
  usage: string;
  summary: string;
  example: string;
  configure?: (cmd: Command) => void;
  run: (args: string[], options: Record<string, unknown>, io: Io) => Promise<number>;
}

/** `--set`, on every command that reads a scenario. */
const SET_HELP =
  'override a scenario value, e.g. payout.creatorShare=0.6 or pricing.channels.app.packs[0].priceCents=149 (repeatable)';

export const COMMANDS: CommandSpec[] = [
  {
    usage: 'run <scenario>',
    summary: 'simulate a scenario; write summary.json, CSVs and report.html to runs/<scenario>-<seed>/',
    example: 'giftlab run scenarios/baseline.yaml --replications 8 --set payout.creatorShare=0.6',
    configure: (cmd) =>
      cmd
        .option('--seed <n>', 'seed of the random streams (overrides the scenario)', seedFlag)
        .option('--replications <n>', 'independent replications (default 1)', replicationsFlag)
        .option(
          '--workers <n>',
          `worker threads (default: min(replications, cores); 1 below ${limits.threadViewerDaysMin.toLocaleString('en-US')} viewers × days a replication, where threads do not pay off)`,
          workersFlag,
        )
        .option('--set <path=value>', SET_HELP, collect)
        .option('--out <dir>', 'run folder (default runs/<scenario>-<seed>)')
        .option(
          '--check <mode>',
          'invariants: end (ledger state after the run, default) or all (every entry)',
        )
        .option('--quiet', 'no progress and no summary; print only the report path')
        .option('--shard <i/n>', 'compute only shard i of n of the replications (a folder for giftlab merge)')
        .option(
          '--threshold <expr>',
          "KPI guardrail, e.g. 'platformMarginCents>0' or 'payerConversion.ci95[0]>0.01' (repeatable; adds to the scenario's thresholds:); a crossed one exits 99 after the outputs are written",
          collect,
        )
        .option('--junit <file>', 'write the thresholds and invariants as JUnit XML')
        .option(
          '--precision <h>',
          `add replications in batches until each --kpi's 95 % CI half-width is at most h × |mean| (0.05 = ±5 %); --replications is the first batch (default ${limits.precisionStartDefault}); deterministic: the same count on any machine and worker count; short of it at --max-replications, exit 99 after the outputs are written`,
          precisionFlag('--precision'),
        )
        .option('--kpi <name>', `a KPI --precision holds to (repeatable; default ${DEFAULT_KPI})`, collect)
        .option(
          '--max-replications <n>',
          `the cap of --precision (default ${limits.precisionCapDefault})`,
          intFlag('--max-replications', 2, limits.replicationsMax),
        )
        .option(
          '--journal',
          'also write ops.jsonl and journal.jsonl (replication 0) for giftlab replay; small populations only',
        ),
    run: async ([file], options, io) => (await import('./run.ts')).run(file, options, io),
  },
  {
    usage: 'validate <scenario>',
    summary: 'check a scenario file; print it resolved (defaults filled) or list every error',
    example: 'giftlab validate scenarios/baseline.yaml --set payout.creatorShare=0.6',
    configure: (cmd) =>
      cmd
        .option('--set <path=value>', SET_HELP, collect)
        .option('--json', 'print the resolved scenario as JSON instead of YAML'),
    run: async ([file], options, io) => (await import('./validate.ts')).validate(file, options, io),
  },
  {
    usage: 'sweep <scenario>',
    summary:
      'run a scenario over a grid, a Latin hypercube (--lhs n), one path at a time (--tornado), or a global sensitivity design (--sobol n, --morris r); write sweep.csv and report.html to runs/<scenario>-sweep-<seed>-<digest>/ (the digest tells sweeps apart)',
    example:
      'giftlab sweep scenarios/baseline.yaml --vary payout.creatorShare=0.4:0.6:0.05 --vary pricing.channels.app.storeFee=0.15,0.3 --replications 5',
    configure: (cmd) =>
      cmd
        .option(
          '--vary <path=values>',
          'a scenario path and its values: v1,v2,… or lo:hi:step (lo:hi with --lhs, --tornado, --sobol or --morris); repeatable, the grid is their product',
          collect,
        )
        .option(
          '--lhs <n>',
          'a Latin hypercube of n points over the ranges instead of the full grid (seeded)',
          intFlag('--lhs', 1, limits.sweepPointsMax),
        )
        .option(
          '--tornado',
          "one path at a time: each at its first (low) and last (high) value, the others at the scenario's; a tornado chart of --kpi",
        )
        .option(
          '--sobol <n>',
          "Sobol indices: Saltelli sampling of n base samples over the lo:hi ranges (n × (paths + 2) points, seeded); first- and total-order indices of every KPI with bootstrap 95 % CIs in sobol.csv, --kpi's in the report",
          intFlag('--sobol', 2, limits.sweepPointsMax),
        )
        .option(
          '--morris <r>',
          "Morris screening: r trajectories over a 4-level grid of the lo:hi ranges (r × (paths + 1) points, seeded); μ*, its bootstrap 95 % CI, μ and σ of every KPI's elementary effects in morris.csv, --kpi's in the report",
          intFlag('--morris', 2, limits.sweepPointsMax),
        )
        .option(
          '--kpi <name>',
          `KPI of the tornado, the Sobol/Morris chart and the report headline (default ${DEFAULT_KPI})`,
        )
        .option(
          '--replications <n>',
          'replications per point (default 1); replication r uses the same seeds at every point (common random numbers)',
          replicationsFlag,
        )
        .option(
          '--streams <mode>',
          'common (default: the same replication seeds at every point, so differences between points are the parameters’) or independent',
        )
        .option(
          '--workers <n>',
          `worker threads (default: min(runs, cores); 1 below ${limits.threadViewerDaysMin.toLocaleString('en-US')} viewers × days a run); results never depend on it`,
          workersFlag,
        )
        .option('--seed <n>', 'seed of the random streams (overrides the scenario)', seedFlag)
        .option('--set <path=value>', `${SET_HELP}; for every point`, collect)
        .option(
          '--shard <i/n>',
          'compute only shard i of n (1-based) and write a shard folder for giftlab merge',
        )
        .option(
          '--out <dir>',
          'output folder (default runs/<scenario>-sweep-<seed>-<digest of the sweep spec>, shards ….shard-<i>-of-<n>)',
        )
        .option('--check <mode>', 'invariants: end (default) or all (every entry)')
        .option('--quiet', 'no progress and no summary; print only the report path')
        .option(
          '--threshold <expr>',
          "KPI guardrail held at every point, e.g. 'platformMarginCents>0' (repeatable; the scenario's thresholds: block is not applied to sweeps); a crossed one exits 99",
          collect,
        )
        .option('--junit <file>', 'write each point × threshold as JUnit XML'),
    run: async ([file], options, io) => (await import('./sweep.ts')).sweep(file, options, io),
  },
  {
    usage: 'merge <dirs...>',
    summary:
      'join the shard folders of one sweep or run (--shard i/n) into exactly what the unsharded command writes',
    example: 'giftlab merge runs/baseline-sweep-42-3f9a1c.shard-*-of-3 --out runs/baseline-sweep-42-3f9a1c',
    configure: (cmd) =>
      cmd.option('--out <dir>', 'folder to write (required)').option('--quiet', 'print only the report path'),
    run: async (dirs, options, io) => (await import('./merge.ts')).merge(dirs, options, io),
  },
  {
    usage: 'compare <runA> <runB>',
    summary:
      'side-by-side KPIs of two run folders (runs/<scenario>-<seed>) with differences, 95 % CIs and a t-test: paired when both runs used the same seed and replications, else Welch’s',
    example: 'giftlab compare runs/baseline-42 runs/creator-share-60-42 --out runs/compare',
    configure: (cmd) =>
      cmd
        .option('--out <dir>', 'folder for compare.csv and compare.html (default runs/compare/<A>-vs-<B>)')
        .option(
          '--precision <h>',
          "check each --kpi's 95 % CI half-width in both runs (and of B − A, against A's mean) is at most h × |mean|, and say how many replications it would take; short of it, exit 99 after the outputs",
          precisionFlag('--precision'),
        )
        .option('--kpi <name>', `a KPI --precision checks (repeatable; default ${DEFAULT_KPI})`, collect),
    run: async ([runA, runB], options, io) => (await import('./compare.ts')).compare(runA, runB, options, io),
  },
  {
    usage: 'calibrate <scenario>',
    summary:
      'fit scenario paths to observed KPIs: search the --fit box (CMA-ES, common random numbers, then a response-surface confirmation) for the values whose simulated KPIs best match the targets; write calibrated.yaml, calibration.csv, summary.json and report.html to runs/<scenario>-calibrate-<seed>-<digest>/',
    example:
      'giftlab calibrate scenarios/baseline.yaml --target payerConversion=0.02 --target giftsPerPayer=2.8 --fit viewers.payerShare=0.02:0.08 --fit viewers.giftsPerHour=1:6 --budget 60',
    configure: (cmd) =>
      cmd
        .option(
          '--target <kpi=value>',
          'an observed value of a KPI (or of giftsPerPayer, coinsPerGift, bookingsPerViewerCents) to match (repeatable)',
          collect,
        )
        .option(
          '--targets <file>',
          'YAML file of targets, each a value or { value, se } or { value, tolerance } (targets: { kpi: … })',
        )
        .option(
          '--fit <path=lo:hi>',
          'a numeric scenario path and the range to search (repeatable; the box is their product)',
          collect,
        )
        .option(
          '--replications <n>',
          'replications per candidate, the same seeds for every candidate (default 4)',
          replicationsFlag,
        )
        .option(
          '--budget <n>',
          'candidates to evaluate at most (default 60); each runs --replications simulations',
          intFlag('--budget', 2, limits.sweepPointsMax),
        )
        .option(
          '--seed <n>',
          'seed of the random streams and of the search (overrides the scenario)',
          seedFlag,
        )
        .option('--set <path=value>', 'override a scenario value before fitting (repeatable)', collect)
        .option(
          '--workers <n>',
          'worker threads (default: min(runs of a generation, cores)); results never depend on it',
          workersFlag,
        )
        .option(
          '--shard <i/n>',
          'compute only shard i of n of the next generation and write a shard folder for giftlab merge',
        )
        .option(
          '--from <dir>',
          'continue the calibration in this folder (written by calibrate or merge): with --shard, the next generation',
        )
        .option(
          '--out <dir>',
          'output folder (default runs/<scenario>-calibrate-<seed>-<digest>, shards ….gen-<g>.shard-<i>-of-<n>)',
        )
        .option('--check <mode>', 'invariants: end (default) or all (every entry)')
        .option('--quiet', 'no progress and no summary; print only the report path'),
    run: async ([file], options, io) => (await import('./calibrate.ts')).calibrate(file, options, io),
  },
  {
    usage: 'fit-data <events...>',
    summary:
      'estimate from an export of purchases and gifts (columns time, viewer, kind, channel, pack, price, gift, coins, creator) the payer share, the spend distribution (Pareto or lognormal, by maximum likelihood and AIC), the channel, pack and gift mixes and the daily rhythm; write a scenario extending --extends with them (fitted.yaml), spend-fit.csv and summary.json to runs/<scenario>-fit-data/',
    example: 'giftlab fit-data examples/fit-data/events.csv --extends scenarios/baseline.yaml --viewers 3000',
    configure: (cmd) =>
      cmd
        .option('--extends <scenario>', 'the scenario the fitted one extends (required)')
        .option(
          '--viewers <n>',
          'viewers in the period, with or without events (needed for the payer share)',
          intFlag('--viewers', 1, limits.exportRowsMax),
        )
        .option(
          '--days <n>',
          'days the export covers (default: the calendar days, UTC, from its first event to its last)',
          intFlag('--days', 1, limits.exportDaysMax),
        )
        .option('--out <dir>', 'output folder (default runs/<scenario>-fit-data)')
        .option('--quiet', 'no progress and no estimates; print only the fitted scenario’s path'),
    run: async (files, options, io) => (await import('./fit-data.ts')).fitData(files, options, io),
  },
  {
    usage: 'serve',
    summary: 'run the reference gifting API (fastify over SQLite) until SIGTERM',
    example: 'giftlab serve --port 8080 --db runs/target.db --seed-users 100',
    configure: (cmd) =>
      cmd
        .option('--port <n>', 'port (0 picks a free one)', intFlag('--port', 0, 65535), 8080)
        .option('--host <address>', 'address to listen on', '127.0.0.1')
        .option('--db <file>', 'SQLite database file, or :memory:', ':memory:')
        .option('--scenario <file>', 'economy to apply (packs, fees, shares, withdrawals); default baseline')
        .option('--set <path=value>', SET_HELP, collect)
        .option(
          '--fault <name>',
          'a deliberate bug: lost-update, non-idempotent, rounding-leak, overdraft, drop-ack, slow',
        )
        .option(
          '--seed-users <n>',
          'register n viewers and n creators; write their tokens',
          intFlag('--seed-users', 0, targetLimits.seedUsersMax),
        )
        .option(
          '--users-file <file>',
          'where --seed-users writes the tokens (default runs/users-<port>.json)',
        )
        .option(
          '--synchronous <mode>',
          'durability: normal (an answered write survives kill -9), full (and a power cut: answered after an fdatasync of the WAL, off the event loop, one per group of commits) or sqlite-full (SQLite fsyncs in each commit, blocking; for comparison)',
          'normal',
        ),
    run: async (_args, options, io) => (await import('./serve.ts')).serve(options, io),
  },
  {
    usage: 'plan <scenario>',
    summary: 'compile a scenario into a k6 workload plan (rates per operation over time, mixes, hot streams)',
    example: 'giftlab plan scenarios/baseline.yaml --out runs/plan.json',
    configure: (cmd) =>
      cmd
        .option('--out <file>', 'write the plan here (default: print it)')
        .option('--set <path=value>', SET_HELP, collect)
        .option('--replications <n>', 'simulation replications to average (default 1)', planReplicationsFlag),
    run: async ([file], options, io) => (await import('./plan.ts')).plan(file, options, io),
  },
  {
    usage: 'load <scenario|plan>',
    summary: 'run the k6 suite against a gifting API, then audit its ledger with the recorded acks',
    example:
      'giftlab load scenarios/baseline.yaml --target http://127.0.0.1:8080 --profile smoke --users runs/users-8080.json',
    configure: (cmd) =>
      cmd
        .option('--target <url>', 'base URL of the API under test')
        .option('--profile <name>', `the load's shape (default smoke) — ${profileHelp()}`)
        .option(
          '--users <file>',
          'users file with tokens (default runs/users-<port>.json, when giftlab serve wrote it for this target)',
        )
        .option('--target-profile <name|file>', 'how operations map onto the API (default reference)')
        .option(
          '--rate <n/s>',
          `arrivals (k6 iterations) per second, held by ${andList(profilesWhere((p) => p.shape === 'constant'))}, the peak of ${andList(profilesWhere((p) => p.shape === 'spike' || p.shape === 'timeline'))} (default ${defaultsOf('ratePerSecond', (r) => `${r}/s`)})`,
        )
        .option(
          '--duration <d>',
          `test length, e.g. 30s, 5m, 2h, at most ${loadLimits.durationSecondsMax / DAY_SECONDS}d, independent of the rate (default ${defaultsOf('durationSeconds', human)}; smoke ends after its iterations)`,
        )
        .option(
          '--compress',
          `play the plan's day in the duration instead of a rate (${profilesWhere((p) => p.economy).join(', ')}): a longer test is then a lighter one`,
        )
        .option(
          '--vus <n>',
          `virtual users (default ${defaultsOf('vus', String)}; the others: enough for the rate at the measured latency, at most one per viewer); more than the users can keep busy is refused`,
          intFlag('--vus', 1, loadLimits.vusMax),
        )
        .option(
          '--threshold <expr>',
          "an extra k6 threshold in k6's syntax, e.g. 'http_req_duration{op:gift}:p(95)<200' (repeatable); a crossed one exits 99",
          collect,
        )
        .option(
          '--min-delivered <share>',
          `the least share of the asked arrivals k6 must deliver, e.g. 90% (default ${DELIVERED_SHARE_DEFAULT * 100}%); below it, or any dropped iteration, exits 99`,
        )
        .option('--set <path=value>', SET_HELP, collect)
        .option(
          '--replications <n>',
          'simulation replications the plan averages (default 1)',
          planReplicationsFlag,
        )
        .option('--out <dir>', 'run folder (default runs/load/<scenario>-<profile>-<time>)')
        .option('--no-audit', 'skip the audit after the run')
        .option(
          '--emit-k8s <dir>',
          'write k6-operator manifests (TestRun, ConfigMaps, Secrets, and a PersistentVolumeClaim the runners write their outputs to) instead of running',
        )
        .option(
          '--parallelism <n>',
          'k6-operator runners for --emit-k8s (default 1)',
          intFlag('--parallelism', 1, loadLimits.k8sParallelismMax),
        )
        .option('--namespace <name>', 'Kubernetes namespace for --emit-k8s'),
    run: async ([file], options, io) => (await import('./load.ts')).load(file, options, io),
  },
  {
    usage: 'audit',
    summary: "reconcile a target's ledger: invariants, stated balances, acknowledged operations",
    example:
      'giftlab audit --target http://127.0.0.1:8080 --users runs/users-8080.json --acks acks.jsonl --junit audit.xml',
    configure: (cmd) =>
      cmd
        .option('--target <url>', 'base URL of the target')
        .option('--admin-token <token>', 'admin bearer token (or GIFTLAB_ADMIN_TOKEN, or --users)')
        .option(
          '--users <file>',
          'users file from giftlab serve: its adminToken and target (default runs/users-<port>.json, when no admin token is given and giftlab serve wrote that file for this target)',
        )
        .option('--acks <file>', 'acknowledged operations, JSON lines { opId, kind, status, response }')
        .option('--journal <file>', 'audit an exported journal (JSON lines or array) instead of a target')
        .option('--scenario <file>', "economy to check amounts against (default: the target's /v1/economy)")
        .option('--set <path=value>', `with --scenario: ${SET_HELP}`, collect)
        .option('--junit <file>', 'write JUnit XML')
        .option('--unacked-ok <prefix>', 'opIds with this prefix may lack an ack (repeatable)', collect)
        .option(
          '--strict',
          'fail (exit 3) unless every invariant was checked: one left unchecked for a missing --scenario or --acks is not a pass',
        ),
    run: async (_args, options, io) => (await import('./audit.ts')).audit(options, io),
  },
  {
    usage: 'replay <run|journal>',
    summary:
      "send a simulation's operations (run --journal) to a gifting API and diff its ledger against the model's; exit 3 on a difference",
    example: 'giftlab replay runs/baseline-42 --target http://127.0.0.1:8080 --users runs/users-8080.json',
    configure: (cmd) =>
      cmd
        .option('--target <url>', "base URL of the API (default: the users file's target)")
        .option(
          '--users <file>',
          'users file from giftlab serve --seed-users (default runs/users-<port>.json, when written for this target)',
        )
        .option('--admin-token <token>', 'admin bearer token (or GIFTLAB_ADMIN_TOKEN, or the users file)')
        .option('--rate <n/s>', 'operations started per second at most (default: as fast as answered)')
        .option(
          '--concurrency <n>',
          'operations in flight at once, never two on one viewer or creator (default 1: run order)',
          intFlag('--concurrency', 1, loadLimits.replayConcurrencyMax),
        )
        .option(
          '--limit <n>',
          'send at most n operations, compare the prefix reached; run again to resume',
          intFlag('--limit', 1, loadLimits.replayOpsMax),
        )
        .option('--quiet', 'no progress bar'),
    run: async ([input], options, io) => (await import('./replay.ts')).replay(input, options, io),
  },
];

/** `steady 1m, spike 2m, …`: a default of the profile table, for every profile that has one. */
function defaultsOf<K extends keyof ProfileSpec['defaults']>(
  key: K,
  show: (value: NonNullable<ProfileSpec['defaults'][K]>) => string,
): string {
  const shown: string[] = [];
  for (const p of PROFILES) {
    const value = PROFILE_TABLE[p].defaults[key];
    if (value !== undefined && !(key === 'durationSeconds' && PROFILE_TABLE[p].shape === 'iterations'))
      shown.push(`${p} ${show(value as NonNullable<ProfileSpec['defaults'][K]>)}`);
  }
  return shown.join(', ');
}

function human(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`;
}

function profileHelp(): string {
  return PROFILES.map((p) => `${p}: ${PROFILE_TABLE[p].summary}`).join('; ');
}
