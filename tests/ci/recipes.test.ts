/**
 * The CI recipes cannot rot: examples/ci/run-local.sh — the steps both workflows call — runs here on
 * every shipped scenario and against the reference backend (the k6 step runs where k6 is, and says it is
 * skipped where it is not), a crossed threshold fails it with 99, and the GitHub Actions and GitLab CI
 * files call its stages and publish what it writes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { findK6 } from '../../load/bundle/k6.ts';
import { tmp } from '../replay/support.ts';

const SCRIPT = resolve('examples/ci/run-local.sh');
const GIFTLAB = `${process.execPath} ${resolve('bin/giftlab.js')}`;
const SCENARIOS = readdirSync('scenarios').filter((f) => f.endsWith('.yaml'));

/** The script's bound; vitest waits a little longer, so that a slow machine fails on the script's exit, not on vitest's default. */
const SCRIPT_TIMEOUT_MS = 180_000;

function runScript(env: Record<string, string>, stage?: string) {
  const r = spawnSync('bash', [SCRIPT, ...(stage === undefined ? [] : [stage])], {
    env: {
      ...process.env,
      GIFTLAB,
      GIFTLAB_CI_RUN_ARGS: '--set population.viewers=2000 --set duration=1d --set lifecycle.arrivalsPerDay=0',
      ...env,
    },
    encoding: 'utf8',
    timeout: SCRIPT_TIMEOUT_MS,
  });
  return { code: r.status, out: r.stdout + r.stderr };
}

/** Processes still running with `text` in their command line (the script must stop its backends). */
function leftovers(text: string): string[] {
  const ps = spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return ps.stdout.split('\n').filter((line) => line.includes(text) && line.includes(' serve '));
}

describe('examples/ci/run-local.sh', { timeout: SCRIPT_TIMEOUT_MS + 30_000 }, () => {
  it('validates and runs every scenario, audits and replays against the reference backend', () => {
    const out = tmp('giftlab-ci-');
    const k6 = findK6(process.env);
    const r = runScript({ GIFTLAB_CI_OUT: out });
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('giftlab CI: every step passed');
    for (const file of SCENARIOS) {
      const name = file.replace(/\.yaml$/, '');
      expect(r.out).toContain(`::: validate scenarios/${file}`);
      expect(existsSync(join(out, 'runs', name, 'report.html')), name).toBe(true);
      const junit = readFileSync(join(out, 'junit', `run-${name}.xml`), 'utf8');
      expect(junit).toContain('name="platformMarginCents&gt;0"/>');
      expect(junit).toContain('failures="0"');
    }
    if (k6 === undefined) {
      expect(r.out).toContain('::: skipped: no k6');
    } else {
      expect(r.out).toContain('::: load --profile smoke');
      expect(existsSync(join(out, 'load', 'acks.jsonl'))).toBe(true);
    }
    expect(readFileSync(join(out, 'junit', 'audit.xml'), 'utf8')).toContain('failures="0"');
    expect(r.out).toContain('EXACT MATCH');
    expect(readFileSync(join(out, 'junit', 'audit-replay.xml'), 'utf8')).toContain('failures="0"');
    expect(leftovers(out)).toEqual([]);
  });

  // Where k6 is absent (the project's CI) the test above shows the skip already.
  it.skipIf(findK6(process.env) === undefined)('says the k6 step is skipped when k6 is absent', () => {
    const out = tmp('giftlab-ci-');
    const path = (process.env.PATH ?? '')
      .split(delimiter)
      .filter((dir) => !existsSync(join(dir, 'k6')))
      .join(delimiter);
    const r = runScript({ GIFTLAB_CI_OUT: out, K6_BIN: '', PATH: path }, 'backend');
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('::: skipped: no k6 — giftlab load --profile smoke needs k6 on PATH or K6_BIN');
  });

  it('fails with 99 on a crossed threshold, after every step ran', () => {
    const out = tmp('giftlab-ci-');
    const r = runScript(
      {
        GIFTLAB_CI_OUT: out,
        GIFTLAB_CI_SCENARIOS: 'scenarios/baseline.yaml scenarios/web-push.yaml',
        GIFTLAB_CI_THRESHOLDS: 'giftsSent>1e12',
      },
      'scenarios',
    );
    expect(r.code).toBe(99);
    expect(r.out).toContain('::: FAILED (exit 99): run scenarios/baseline.yaml');
    expect(r.out).toContain('::: FAILED (exit 99): run scenarios/web-push.yaml');
    expect(r.out).toContain('giftlab CI: 2 step(s) failed:');
    expect(readFileSync(join(out, 'junit', 'run-web-push.xml'), 'utf8')).toContain(
      '<failure message="crossed: giftsSent&gt;1e12',
    );
  });
});

describe('the CI files', () => {
  const github = parse(readFileSync('examples/ci/github-actions.yml', 'utf8'));
  const gitlab = parse(readFileSync('examples/ci/gitlab-ci.yml', 'utf8'));

  it('GitHub Actions runs both stages of the script and publishes JUnit files and reports', () => {
    const job = github.jobs.giftlab;
    const runs = job.steps.map((s: { run?: string }) => s.run).filter(Boolean);
    expect(runs).toEqual(
      expect.arrayContaining(['examples/ci/run-local.sh scenarios', 'examples/ci/run-local.sh backend']),
    );
    const out = job.env.GIFTLAB_CI_OUT;
    const uses = (name: string) => job.steps.find((s: { uses?: string }) => s.uses?.startsWith(name));
    expect(uses('mikepenz/action-junit-report').with.report_paths).toBe(`${out}/junit/*.xml`);
    expect(uses('actions/upload-artifact').with.path).toContain(`${out}/runs/*/report.html`);
    expect(uses('actions/upload-artifact').if).toContain('!cancelled()');
  });

  it('GitLab CI runs both stages of the script and publishes JUnit files and reports', () => {
    const out = gitlab.variables.GIFTLAB_CI_OUT;
    for (const [job, stage] of [
      ['giftlab-scenarios', 'scenarios'],
      ['giftlab-backend', 'backend'],
    ]) {
      expect(gitlab[job].script).toContain(`examples/ci/run-local.sh ${stage}`);
      expect(gitlab[job].artifacts.when).toBe('always');
      expect(gitlab[job].artifacts.reports.junit).toBe(`${out}/junit/*.xml`);
      expect(gitlab[job].artifacts.paths).toContain(`${out}/runs/*/report.html`);
    }
  });
});
