/**
 * `giftlab load <scenario|plan> --target url [--profile p] …`: plan the scenario (or read a plan),
 * bundle the k6 script, run k6 against the target, then audit the target with the acks the run
 * recorded. Exit: 3 when the audit finds a violation, else k6's own code (99 failed thresholds — the
 * profile's SLOs, `--threshold`s, and less delivered than asked), 99 when a `--threshold` judged no
 * samples (k6 passes those), 0 when both pass; 2 for bad input,
 * including no k6 (or a K6_BIN that is not k6) and a target that does not answer — found before the
 * run folder is written, so a failed attempt leaves nothing behind. `--emit-k8s dir` writes
 * k6-operator manifests instead.
 */

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { DAY_SECONDS, loadLimits } from '../common/limits.ts';
import { TargetReader } from '../load/audit/target.ts';
import { bundleK6Script } from '../load/bundle/bundle.ts';
import { requireK6, requireK6Version } from '../load/bundle/k6.ts';
import { k6Thresholds } from '../load/bundle/k6-thresholds.ts';
import { type Delivery, LOAD_RUN_FILES, runLoad } from '../load/bundle/run.ts';
import { isProfile, type LoadProfile, PROFILE_TABLE, PROFILES } from '../load/k6/lib/profiles.ts';
import { runIdOf } from '../load/k6/lib/run-id.ts';
import { runTagValues } from '../load/k6/lib/tags.ts';
import type { Workload } from '../load/k6/lib/types.ts';
import { checkDnsLabel, K8S_FILES, k8sName, writeK8sManifests } from '../load/k8s/emit.ts';
import { compilePlan } from '../load/plan/compile.ts';
import { readPlanFile } from '../load/plan/schema.ts';
import { sizedWithStreams } from '../load/plan/streams.ts';
import type { Plan } from '../load/plan/types.ts';
import {
  checkPace,
  DELIVERED_SHARE_DEFAULT,
  DELIVERED_SHARE_LOW,
  LATENCY_BUDGET_MS,
  phaseSpans,
  RACE_ROUND_TRIPS,
  type RunSettings,
  rateText,
  toWorkload,
  vusWanted,
} from '../load/plan/workload.ts';
import { type LoadedProfile, loadTargetProfile } from '../load/profiles/profile.ts';
import { checkTargetEconomy } from '../load/replay/economy-diff.ts';
import { TargetLostError } from '../load/target-lost.ts';
import { parseTargetUrl } from '../load/target-url.ts';
import { type FoundUsers, type UsersFile, usersFileFor } from '../load/users-file.ts';
import { loadScenarioFile } from '../scenarios/load.ts';
import { parseDuration } from '../scenarios/schema/common.ts';
import type { Economy } from '../sim/economy/types.ts';
import type { Io } from './commands.ts';
import { EXIT, ExitError, InputError, shown } from './errors.ts';
import { parseRate, parseShare, percentText } from './options.ts';
import { checkFilesFolder } from './out-folder.ts';
import { writableOutputFolder } from './output-path.ts';

export interface LoadOptions {
  target?: string;
  profile?: string;
  targetProfile?: string;
  vus?: number;
  duration?: string;
  rate?: string;
  compress?: boolean;
  threshold?: string[];
  minDelivered?: string;
  users?: string;
  set?: string[];
  replications?: number;
  out?: string;
  emitK8s?: string;
  parallelism?: number;
  namespace?: string;
  audit?: boolean;
}

export async function load(
  input: string,
  options: LoadOptions,
  io: Io,
  now: () => Date = () => new Date(),
): Promise<number> {
  const targetUrl = parseTargetUrl(options.target).href.replace(/\/+$/, '');
  const profile = parseProfile(options.profile);
  // Folders it fills are refused as run's --out is: the working directory, the scenario's, foreign files.
  const scenarioFile = [resolve(io.cwd, input)];
  const folder = (flag: string, dir: string, what: string, files: readonly string[]) =>
    checkFilesFolder(dir, { flag, what, files, cwd: io.cwd, inputs: scenarioFile });
  const outGiven =
    options.out === undefined ? undefined : folder('--out', options.out, 'giftlab load', LOAD_RUN_FILES);
  const k8sDir =
    options.emitK8s === undefined
      ? undefined
      : folder('--emit-k8s', options.emitK8s, 'giftlab --emit-k8s', K8S_FILES);
  if (options.namespace !== undefined) checkDnsLabel('--namespace', options.namespace);
  onlyWithEmitK8s(options);
  const found = usersFileFor(options.users, targetUrl, io.cwd, true);
  const usersFile = resolve(io.cwd, found.shownAs);
  const users = needsBoth(found);
  const target = loadTargetProfile(options.targetProfile, io.cwd);
  // Their syntax and the tags that do not depend on the run now; every tag value once the plan is known.
  k6Thresholds(options.threshold ?? []);
  const durationSeconds = options.duration === undefined ? undefined : parseDurationFlag(options.duration);
  const ratePerSecond = options.rate === undefined ? undefined : parseRate(options.rate, 'arrivals');
  const deliveredMin =
    options.minDelivered === undefined ? undefined : parseShare('--min-delivered', options.minDelivered);
  if (deliveredMin !== undefined && deliveredMin < DELIVERED_SHARE_LOW)
    io.stderr.write(
      `giftlab load: warning: --min-delivered ${options.minDelivered} passes a run that delivers ${percentText(deliveredMin)} of the arrivals it asks for; the default is ${percentText(DELIVERED_SHARE_DEFAULT)} (did you mean ${percentText(1 - deliveredMin)}?)\n`,
    );
  checkPace({ profile, compress: options.compress, ratePerSecond });
  if (durationSeconds !== undefined && PROFILE_TABLE[profile].shape === 'iterations') {
    // It would only become k6's maxDuration: a cap that cuts the iterations short, not a longer test.
    throw new InputError({
      field: '--duration',
      expected: `a profile that runs for a duration (${PROFILES.filter((p) => PROFILE_TABLE[p].shape !== 'iterations').join(', ')}); ${profile} ends after its iterations`,
      found: `--duration ${options.duration} with --profile ${profile}`,
    });
  }
  const { plan, economy } = readOrCompile(input, options, io);
  const thresholds = k6Thresholds(
    options.threshold ?? [],
    runTagValues({
      profile,
      scenario: plan.scenario.name,
      channels: plan.purchases.map((p) => p.channel),
      target: target.profile,
    }),
  );
  const local = k8sDir === undefined ? localK6(io.env) : undefined;
  // Before the run folder: a target applying another economy would take load shaped by this one.
  const economyNote = local === undefined ? [] : await checkEconomy(targetUrl, economy, target);
  // Measured where the run starts; a distributed run's runners are elsewhere (the default budget).
  const latency =
    local === undefined ? undefined : await latencyBudget(targetUrl, target.profile.slo.gift.p95Ms);
  const settings: RunSettings = {
    profile,
    durationSeconds,
    ratePerSecond,
    compress: options.compress,
    vus: options.vus,
    users: { viewers: users.viewers.length, creators: users.creators.length },
    latencyBudgetMs: latency?.budgetMs,
    thresholds,
    deliveredMin,
    distributed: k8sDir !== undefined,
    parallelism: k8sDir === undefined ? 1 : (options.parallelism ?? 1),
  };
  // The economy profiles' requests, computed here so that k6 only sends them (load/plan/streams.ts);
  // their VUs sized by what the streams send.
  const { workload, built } = PROFILE_TABLE[profile].economy
    ? sizedWithStreams(plan, settings, target.profile, users, settings.parallelism)
    : { workload: toWorkload(plan, settings), built: undefined };
  if (built !== undefined) workload.streams = built.layout;
  const stamp = now().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  // The run id prefixes every Idempotency-Key: a nonce keeps two loads started in the same second apart.
  const nonce = randomBytes(3).toString('hex');
  const runId = runIdOf(plan.scenario.name, profile, stamp, nonce);
  if (local === undefined)
    return emitK8s(options, io, {
      dir: k8sDir as string,
      plan,
      workload,
      target: target.profile,
      users: usersFile,
      streams: built?.streams,
      targetUrl,
      runId,
    });
  const { k6, version } = local;
  const outDir =
    outGiven ?? writableOutputFolder('--out', `runs/load/${plan.scenario.name}-${profile}-${stamp}`, io.cwd);
  const outShown = pasteable(io.cwd, options.out, outDir);
  const result = await runLoad({
    banner: [
      `giftlab load: ${profile} on ${targetUrl} with ${version}; ${describeWorkload(workload)}; run folder ${outShown}`,
      ...economyNote,
      ...vuNotes(workload, options.vus !== undefined, latency),
      ...streamNote(workload),
    ].join('\n'),
    k6,
    plan,
    workload,
    streams: built?.streams,
    target: target.profile,
    audit: options.audit !== false && target.audit === 'giftlab',
    targetUrl,
    usersFile,
    adminToken: users.adminToken,
    runId,
    outDir,
    cwd: io.cwd,
    env: io.env,
    stdout: io.stdout,
    stderr: io.stderr,
  }).catch((error: unknown) => {
    if (!(error instanceof TargetLostError)) throw error;
    throw new ExitError(
      `the target stopped answering during the run (${error.message}); the load fails, and k6's results and acks.jsonl stay in ${outShown}`,
      EXIT.threshold,
    );
  });
  if (!result.started)
    throw new ExitError(
      `k6 exited ${result.k6Exit} before it ran the test (see its output above); nothing was kept`,
      result.k6Exit === 0 ? EXIT.internal : result.k6Exit,
    );
  if (result.auditClean === false)
    throw new ExitError(
      `the audit found violations (k6 exited ${result.k6Exit}); see ${join(outShown, 'audit.txt')}`,
      EXIT.violation,
    );
  // Said whether or not k6 passed: a failed run was not audited either, and the command to audit it works.
  if (result.auditClean === undefined) {
    const acks = join(outShown, 'acks.jsonl');
    io.stderr.write(
      options.audit === false
        ? `giftlab load: not audited (--no-audit); audit it with giftlab audit --target ${targetUrl} --users ${found.shownAs} --acks ${acks} (on a target earlier runs wrote to, with their acks.jsonl too, concatenated)\n`
        : `giftlab load: not audited (target profile ${target.profile.name}: its API serves no giftlab journal); export its journal in the shared shape and run giftlab audit --journal <file> --acks ${acks}\n`,
    );
  }
  const unanswered = result.delivery?.unanswered ?? 0;
  const unansweredNote =
    unanswered === 0 ? '' : `; ${unanswered} write${unanswered === 1 ? '' : 's'} never answered`;
  if (result.k6Exit !== 0)
    throw new ExitError(
      k6Failure(result.k6Exit, result.delivery, result.auditClean) +
        unjudgedNote(result.unjudged) +
        unansweredNote,
      result.k6Exit === K6_INTERRUPTED ? EXIT.interrupted : result.k6Exit,
    );
  // k6 passed a run whose metrics leave them out: a request the target never answered is a failed one.
  if (unanswered > 0)
    throw new ExitError(
      `${unanswered} write${unanswered === 1 ? ' was' : 's were'} sent and never answered, which fails the run (exit 99): k6 stopped waiting for ${unanswered === 1 ? 'it' : 'them'} at the end and counts ${unanswered === 1 ? 'it' : 'them'} in no metric${unjudgedNote(result.unjudged)}${result.auditClean ? '; the audit was clean' : ''}`,
      EXIT.threshold,
    );
  // k6 passed them over no samples: judged nothing, they fail the run as a crossed threshold would.
  if (result.unjudged.length > 0)
    throw new ExitError(
      `--threshold judged no samples, which fails the run (exit 99): ${result.unjudged.join('; ')}${result.auditClean ? '; the audit was clean' : ''}`,
      EXIT.threshold,
    );
  return EXIT.ok;
}

/** The k6 binary and its version line: bad input (exit 2) without one, before the target is probed. */
function localK6(env: NodeJS.ProcessEnv): { k6: string; version: string } {
  const k6 = requireK6(env);
  return { k6, version: requireK6Version(k6, env) };
}

/** The scenario's economy, with the `giftlab serve` command that applies it (none from a plan file). */
interface ScenarioEconomy {
  economy: Economy;
  /** `baseline with --set payout.creatorShare=0.6`. */
  label: string;
  serve: string;
}

function readOrCompile(
  input: string,
  options: LoadOptions,
  io: Io,
): { plan: Plan; economy: ScenarioEconomy | undefined } {
  if (input === undefined)
    throw new InputError({
      field: '<scenario|plan>',
      expected: 'a scenario YAML or a plan JSON',
      found: 'nothing',
    });
  const file = resolve(io.cwd, input);
  if (file.endsWith('.json')) {
    if (options.set !== undefined)
      throw new InputError({
        field: '--set',
        expected: 'a scenario (a plan is already compiled)',
        found: basename(file),
      });
    return { plan: readPlanFile(file), economy: undefined };
  }
  const scenario = loadScenarioFile(file, { sets: options.set });
  const sets = options.set ?? [];
  return {
    plan: compilePlan(scenario, { replications: options.replications }),
    economy: {
      economy: scenario.economy,
      label:
        sets.length === 0
          ? scenario.name
          : `${scenario.name} with ${sets.map((s) => `--set ${s}`).join(' ')}`,
      serve: ['giftlab serve --scenario', shellWord(input), ...sets.map((s) => `--set ${shellWord(s)}`)].join(
        ' ',
      ),
    },
  };
}

/**
 * Refuses (exit 2) a target whose `GET /v1/economy` differs from the scenario's (with its `--set`s): the
 * load's mixes, packs and withdrawal checks come from the scenario, so they would not be the target's.
 * The same comparison as `giftlab replay`'s. A target that publishes none (404), a target profile that
 * maps no economy (another API), or a plan file (it holds no economy) is not checked: the banner says so.
 */
async function checkEconomy(
  targetUrl: string,
  economy: ScenarioEconomy | undefined,
  target: LoadedProfile,
): Promise<string[]> {
  const line = (text: string) => [`  economy   ${text}`];
  if (economy === undefined)
    return line(
      "not compared with the target's: a plan file holds no economy (give the scenario to have it compared)",
    );
  if (target.audit !== 'giftlab' || target.profile.operations.economy === undefined)
    return line(
      `not compared with the target's: target profile ${target.profile.name} reads no giftlab economy`,
    );
  const served = await checkTargetEconomy(
    new TargetReader({ target: targetUrl, timeoutMs: 10_000 }),
    { economy: economy.economy, scenario: economy.label },
    `start the target with ${economy.serve}`,
  );
  if (served === undefined) return line('not compared: the target publishes none (GET /v1/economy: 404)');
  return line(`the scenario's (${economy.label}), equal to the target's GET /v1/economy`);
}

/** A word as a shell reads it back: quoted when it holds anything but letters, digits and ./_=:,+-. */
function shellWord(word: string): string {
  return /^[A-Za-z0-9./_=:,+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

async function emitK8s(
  options: LoadOptions,
  io: Io,
  run: {
    dir: string;
    plan: Plan;
    workload: Workload;
    target: unknown;
    users: string;
    streams: readonly unknown[] | undefined;
    targetUrl: string;
    runId: string;
  },
): Promise<number> {
  const bundle = await bundleK6Script();
  const name = k8sName(run.plan.scenario.name, run.workload.profile);
  const dir = run.dir;
  const shown = pasteable(io.cwd, options.emitK8s, dir);
  const files = writeK8sManifests(dir, {
    name,
    namespace: options.namespace,
    parallelism: options.parallelism ?? 1,
    targetUrl: run.targetUrl,
    runId: run.runId,
    bundle: readFileSync(bundle.file, 'utf8'),
    workload: `${JSON.stringify(run.workload)}\n`,
    targetProfile: `${JSON.stringify(run.target)}\n`,
    plan: `${JSON.stringify(run.plan)}\n`,
    users: readFileSync(run.users, 'utf8'),
    streams: run.streams,
  });
  io.stdout.write(
    [
      `giftlab load: k6-operator manifests for ${options.parallelism ?? 1} runner(s) in ${shown}:`,
      ...files.map((f) => `  ${join(shown, relative(dir, f))}`),
      `apply them with: kubectl apply --server-side -f ${shown}   (server-side: the objects are too large for kubectl's last-applied annotation)`,
      `the runners write k6.log (acks), summary.json, junit.xml and report.html to the claim ${name}-out; collect them and audit as load/k8s/README.md shows`,
      '',
    ].join('\n'),
  );
  return EXIT.ok;
}

/** A path to paste from the working directory: as the user typed it, else relative inside it, else absolute. */
function pasteable(cwd: string, given: string | undefined, path: string): string {
  if (given !== undefined) return given;
  const rel = relative(cwd, path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

function describeWorkload(w: Workload): string {
  const spec = PROFILE_TABLE[w.profile];
  if (spec.shape === 'iterations') return `${vusText(w.vus)} × ${w.iterations} iterations`;
  const r = (x: number) => `${Number(x.toPrecision(4))}/s`;
  if (spec.exec === 'race')
    return `${vusText(w.vus)} on ${w.race.hotViewers} viewers and ${w.race.hotCreators} creators, ${r(w.rate.perSecond)} batches for ${w.durationSeconds} s`;
  const spans = phaseSpans(w);
  const rate = rateText(w, 'arrivals');
  const shape =
    spec.shape === 'timeline'
      ? `${w.stages.length} stages following the plan's day, ${rate}${rate.includes(',') ? ',' : ''}`
      : rate;
  return `${vusText(w.vus)}, ${shape} for ${w.durationSeconds} s${spans === '' ? '' : ` (phases ${spans})`}`;
}

/** How the VUs were sized, and a warning when the users cap them below what the rate needs. */
function vuNotes(
  w: Workload,
  given: boolean,
  latency: { roundTripMs: number; budgetMs: number } | undefined,
): string[] {
  if (PROFILE_TABLE[w.profile].shape === 'iterations') return [];
  const budget = latency?.budgetMs ?? LATENCY_BUDGET_MS;
  const measured =
    latency === undefined
      ? `${budget} ms a request`
      : `${Math.round(budget)} ms a request (round trip ${latency.roundTripMs.toFixed(1)} ms)`;
  const wanted = vusWanted(w, budget);
  const fixed = PROFILE_TABLE[w.profile].defaults.vus;
  if (fixed !== undefined) {
    // race: the profile's VUs, not sized by the rate (they share their users on purpose).
    const lines = given
      ? []
      : [`  VUs: ${w.profile}'s default ${w.vus}, not sized by the rate (--vus to change)`];
    if (wanted > w.vus)
      lines.push(
        `  warning: the rate needs about ${wanted} VUs at ${Math.round(budget)} ms a batch, ${RACE_ROUND_TRIPS} batches an arrival; ${w.vus} will likely drop arrivals: raise --vus`,
      );
    return lines;
  }
  const lines = given
    ? []
    : [
        `  VUs sized for ${Number(w.rate.peak.toPrecision(4))} arrivals/s × ${w.asked.requestsPerArrival.toFixed(2)} requests${w.streams === undefined ? '' : ' (as the streams send them)'} × ${measured}, twice over`,
      ];
  if (wanted > w.vus) {
    lines.push(
      given
        ? `  warning: the rate needs about ${wanted} VUs at ${Math.round(budget)} ms a request; --vus ${w.vus} will likely drop arrivals`
        : `  warning: the rate needs about ${wanted} VUs, the users keep at most ${w.vusLimit} busy: add users (giftlab serve --seed-users) or expect less delivered`,
    );
  }
  return lines;
}

function streamNote(w: Workload): string[] {
  const s = w.streams;
  if (s === undefined) return [];
  return [
    `  requests computed ahead: ${s.items.toLocaleString('en-US')} arrivals in ${w.vus} VU streams (${s.checks} withdrawal checks, ${s.doubleTaps} double taps), played again from the start if the run outlasts them`,
  ];
}

/** The round trip to the target, and the time a request is given when sizing VUs: 4× it, within bounds. */
async function latencyBudget(
  targetUrl: string,
  sloMs: number,
): Promise<{ roundTripMs: number; budgetMs: number }> {
  const roundTripMs = await new TargetReader({ target: targetUrl, timeoutMs: 10_000 }).roundTripMs(5);
  const budgetMs = Math.min(Math.max(sloMs, LATENCY_BUDGET_MS), Math.max(LATENCY_BUDGET_MS, 4 * roundTripMs));
  return { roundTripMs, budgetMs };
}

/** k6's exit code when a signal (Ctrl-C, SIGTERM) stopped the test: its ExternalAbort. */
export const K6_INTERRUPTED = 105;

function k6Failure(code: number, delivery: Delivery | undefined, audited: boolean | undefined): string {
  if (code === K6_INTERRUPTED)
    return `interrupted: a signal (Ctrl-C) stopped k6 before the test's end (k6 exit ${code}); what it sent is in the run folder${audited ? ' and the audit of it was clean' : ''}`;
  if (code === EXIT.threshold) {
    const short =
      delivery !== undefined && !delivery.ok
        ? `; delivered ${delivery.deliveredArrivals ?? 0} of ${Math.round(delivery.askedArrivals)} arrivals asked, ${delivery.dropped} dropped`
        : '';
    return `k6: thresholds crossed (exit 99)${short}${audited ? '; the audit was clean' : ''}`;
  }
  return `k6 exited ${code} (see its output above and k6.log in the run folder)`;
}

function unjudgedNote(unjudged: readonly string[]): string {
  return unjudged.length === 0 ? '' : `; --threshold judged no samples: ${unjudged.join('; ')}`;
}

/** --parallelism and --namespace shape the k6-operator manifests: a local run is one k6 in no namespace. */
function onlyWithEmitK8s(options: LoadOptions): void {
  if (options.emitK8s !== undefined) return;
  for (const [flag, value] of [
    ['--parallelism', options.parallelism],
    ['--namespace', options.namespace],
  ] as const) {
    if (value === undefined) continue;
    throw new InputError({
      field: flag,
      expected: 'it only with --emit-k8s (the k6-operator runners); a local run is one k6 process',
      found: `${flag} ${value} without --emit-k8s`,
    });
  }
}

function parseProfile(text: string | undefined): LoadProfile {
  const p = text ?? 'smoke';
  if (isProfile(p)) return p;
  throw new InputError({ field: '--profile', expected: `one of ${PROFILES.join(', ')}`, found: shown(text) });
}

function parseDurationFlag(text: string): number {
  const t = text.trim();
  const seconds = /^\d+$/.test(t)
    ? Number(t)
    : /^(\d+(\.\d+)?[smhd])+$/.test(t)
      ? parseDuration(t)
      : Number.NaN;
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > loadLimits.durationSecondsMax) {
    throw new InputError({
      field: '--duration',
      expected: `a duration from 1s to ${loadLimits.durationSecondsMax / DAY_SECONDS}d, like 30s, 5m or 2h`,
      found: shown(text),
    });
  }
  return seconds;
}

/** k6 picks viewers and creators by index: a file without either cannot drive a single write. */
function needsBoth(found: FoundUsers): UsersFile {
  const empty = (['viewers', 'creators'] as const).filter((k) => found.users[k].length === 0);
  if (empty.length > 0) {
    throw new InputError({
      field: `--users ${found.shownAs}`,
      expected: 'at least one viewer and one creator (giftlab serve --seed-users n)',
      found: `no ${empty.join(' and no ')}`,
    });
  }
  return found.users;
}

/** `1 VU`, `20 VUs`. */
function vusText(n: number): string {
  return `${n} VU${n === 1 ? '' : 's'}`;
}
