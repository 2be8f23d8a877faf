/**
 * `giftlab load <scenario|plan> --target url [--profile p] …`: plan the scenario (or read a plan),
 * bundle the k6 script, run k6 against the target, then audit the target with the acks the run
 * recorded. Exit: 3 when the audit finds a violation, else k6's own code (99 failed thresholds), 0 when
 * both pass; 2 for bad input, including no k6 (or a K6_BIN that is not k6) and a target that does not
 * answer — found before the run folder is written, so a failed attempt leaves nothing behind.
 * `--emit-k8s dir` writes k6-operator manifests instead.
 */
import { readFileSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { bundleK6Script } from '../load/bundle/bundle.ts';
import { requireK6, requireK6Version } from '../load/bundle/k6.ts';
import { runLoad } from '../load/bundle/run.ts';
import { type LoadProfile, PROFILES } from '../load/k6/lib/types.ts';
import { writeK8sManifests } from '../load/k8s/emit.ts';
import { compilePlan } from '../load/plan/compile.ts';
import { readPlanFile } from '../load/plan/schema.ts';
import type { Plan } from '../load/plan/types.ts';
import { toWorkload } from '../load/plan/workload.ts';
import { loadTargetProfile } from '../load/profiles/profile.ts';
import { parseTargetUrl } from '../load/target-url.ts';
import { type FoundUsers, type UsersFile, usersFileFor } from '../load/users-file.ts';
import { loadScenarioFile } from '../scenarios/load.ts';
import { parseDuration } from '../scenarios/schema/common.ts';
import type { Io } from './commands.ts';
import { EXIT, ExitError, InputError, shown } from './errors.ts';
import { writableOutputFolder } from './output-path.ts';

export interface LoadOptions {
  target?: string;
  profile?: string;
  targetProfile?: string;
  vus?: number;
  duration?: string;
  scale?: string;
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
  const outGiven = options.out === undefined ? undefined : writableOutputFolder('--out', options.out, io.cwd);
  const k8sDir =
    options.emitK8s === undefined ? undefined : writableOutputFolder('--emit-k8s', options.emitK8s, io.cwd);
  const found = usersFileFor(options.users, targetUrl, io.cwd, true);
  const usersFile = resolve(io.cwd, found.shownAs);
  const users = needsBoth(found);
  const target = loadTargetProfile(options.targetProfile, io.cwd);
  const plan = readOrCompile(input, options, io);
  const workload = toWorkload(plan, {
    profile,
    durationSeconds: options.duration === undefined ? undefined : parseDurationFlag(options.duration),
    vus: options.vus,
    scale: options.scale === undefined ? undefined : parseScale(options.scale),
    users: { viewers: users.viewers.length, creators: users.creators.length },
  });
  const stamp = now().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  const runId = `${plan.scenario.name}.${profile}.${stamp}`.replace(/[^A-Za-z0-9_.]/g, '_').slice(0, 40);
  if (k8sDir !== undefined)
    return emitK8s(options, io, {
      dir: k8sDir,
      plan,
      workload,
      target: target.profile,
      users: usersFile,
      targetUrl,
      runId,
    });
  const k6 = requireK6(io.env);
  const version = requireK6Version(k6, io.env);
  const outDir =
    outGiven ?? writableOutputFolder('--out', `runs/load/${plan.scenario.name}-${profile}-${stamp}`, io.cwd);
  const outShown = pasteable(io.cwd, options.out, outDir);
  const result = await runLoad({
    banner: `giftlab load: ${profile} on ${targetUrl} with ${version}; ${describeWorkload(workload)}; run folder ${outShown}`,
    k6,
    plan,
    workload,
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
  if (result.k6Exit !== 0) throw new ExitError(k6Failure(result.k6Exit), result.k6Exit);
  if (result.auditClean === undefined) {
    io.stderr.write(
      `giftlab load: not audited (target profile ${target.profile.name}); run giftlab audit --acks ${join(outShown, 'acks.jsonl')}\n`,
    );
  }
  return EXIT.ok;
}

function readOrCompile(input: string, options: LoadOptions, io: Io): Plan {
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
    return readPlanFile(file);
  }
  return compilePlan(loadScenarioFile(file, { sets: options.set }), { replications: options.replications });
}

async function emitK8s(
  options: LoadOptions,
  io: Io,
  run: {
    dir: string;
    plan: Plan;
    workload: ReturnType<typeof toWorkload>;
    target: unknown;
    users: string;
    targetUrl: string;
    runId: string;
  },
): Promise<number> {
  const bundle = await bundleK6Script();
  const name = `giftlab-${run.plan.scenario.name}-${run.workload.profile}`
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 50);
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
  });
  io.stdout.write(
    [
      `giftlab load: k6-operator manifests for ${options.parallelism ?? 1} runner(s) in ${shown}:`,
      ...files.map((f) => `  ${join(shown, relative(dir, f))}`),
      `apply them with: kubectl apply -f ${shown}`,
      `then collect the acks and audit (load/k8s/README.md): kubectl logs -l k6_cr=${name},runner=true --tail=-1 --prefix=false | grep '^GIFTLAB_ACK ' | cut -c13- > acks.jsonl`,
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

function describeWorkload(w: ReturnType<typeof toWorkload>): string {
  if (w.profile === 'smoke') return `${w.vus} VUs × ${w.iterations} iterations`;
  if (w.profile === 'race')
    return `${w.vus} VUs on ${w.race.hotViewers} viewers and ${w.race.hotCreators} creators, ${w.race.rate} batches/s for ${w.durationSeconds} s`;
  const shape =
    w.profile === 'soak'
      ? `${w.stages.length} stages following the plan's day`
      : `${w.rate.intents.toPrecision(3)} arrivals/s`;
  return `${w.vus} VUs, ${shape}${w.profile === 'spike' ? ' with a 10× spike' : ''} for ${w.durationSeconds} s`;
}

function k6Failure(code: number): string {
  if (code === EXIT.threshold) return 'k6: thresholds crossed (exit 99); the audit was clean';
  return `k6 exited ${code} (see its output above and k6.log in the run folder)`;
}

function parseProfile(text: string | undefined): LoadProfile {
  const p = text ?? 'smoke';
  if ((PROFILES as readonly string[]).includes(p)) return p as LoadProfile;
  throw new InputError({ field: '--profile', expected: `one of ${PROFILES.join(', ')}`, found: shown(text) });
}

function parseDurationFlag(text: string): number {
  const t = text.trim();
  const seconds = /^\d+$/.test(t)
    ? Number(t)
    : /^(\d+(\.\d+)?[smhd])+$/.test(t)
      ? parseDuration(t)
      : Number.NaN;
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > 7 * 86_400) {
    throw new InputError({
      field: '--duration',
      expected: 'a duration from 1s to 7d, like 30s, 5m or 2h',
      found: shown(text),
    });
  }
  return seconds;
}

function parseScale(text: string): number {
  const x = Number(text);
  if (!Number.isFinite(x) || x <= 0 || x > 1e6) {
    throw new InputError({
      field: '--scale',
      expected: 'a number above 0 (1 = the plan compressed into the duration)',
      found: shown(text),
    });
  }
  return x;
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
