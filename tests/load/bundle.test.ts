/**
 * The bundled k6 script, as k6 gets it: it builds into one CommonJS file that requires k6 modules only
 * (no `node:`, `fs`, or any other `require`), and — evaluated in an empty V8 context with the k6
 * modules stubbed — exports `options` with the profile's scenario and thresholds, and every function
 * the options name.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BundleResult, bundleK6Script } from '../../load/bundle/bundle.ts';
import { answersLine, delivered, MIX_OFF_SHARE, mixLine, thisRunLines } from '../../load/bundle/run.ts';
import { deliveredCount, perMinute } from '../../load/k6/lib/options.ts';
import {
  type LoadProfile,
  PHASES_OF,
  PROFILE_TABLE,
  PROFILES,
  SPIKE_FACTOR,
} from '../../load/k6/lib/profiles.ts';
import { textSummary } from '../../load/k6/lib/summary.ts';
import type { Workload } from '../../load/k6/lib/types.ts';
import { toWorkload } from '../../load/plan/workload.ts';
import { loadTargetProfile } from '../../load/profiles/profile.ts';
import type { Ack } from '../../sim/invariants/ack-format.ts';
import type { Violation } from '../../sim/invariants/types.ts';
import { smallPlan, tempDir } from './support.ts';

const temp = tempDir();
let bundle: BundleResult;
let code: string;
const plan = smallPlan();
const target = loadTargetProfile('reference').profile;

beforeAll(async () => {
  bundle = await bundleK6Script(join(temp.dir, 'giftlab-k6.js'));
  code = readFileSync(bundle.file, 'utf8');
});
afterAll(() => temp.remove());

interface Script {
  options: {
    scenarios: Record<string, Record<string, unknown>>;
    thresholds: Record<string, string[]>;
  };
  [name: string]: unknown;
}

/** Runs the bundle in a fresh context with k6's modules stubbed and the given inputs. */
function evaluate(workload: Workload): Script {
  const files: Record<string, string> = {
    [join(temp.dir, 'w.json')]: JSON.stringify(workload),
    [join(temp.dir, 't.json')]: JSON.stringify(target),
    [join(temp.dir, 'u.json')]: JSON.stringify({
      viewers: [{ id: 0, token: 'v0' }],
      creators: [{ id: 0, token: 'c0' }],
      adminToken: 'a',
    }),
  };
  const modules: Record<string, unknown> = {
    k6: { check: () => true },
    'k6/http': { expectedStatuses: () => ({}), request: () => ({}), batch: () => [] },
    'k6/execution': { test: { options: {} }, vu: { idInInstance: 1 }, instance: { vusInitialized: 1 } },
    'k6/metrics': { Counter: class {} },
    'k6/data': {
      SharedArray: class {
        constructor(_name: string, make: () => unknown[]) {
          // biome-ignore lint/correctness/noConstructorReturn: k6's SharedArray is array-like; a plain array stands in
          return make();
        }
      },
    },
  };
  const module = { exports: {} as Script };
  vm.runInNewContext(code, {
    module,
    exports: module.exports,
    require: (name: string) => {
      if (!(name in modules)) throw new Error(`the bundle requires ${name}, which k6 does not have`);
      return modules[name];
    },
    open: (file: string) => {
      if (!(file in files)) throw new Error(`open(${file})`);
      return files[file];
    },
    __ENV: {
      GIFTLAB_WORKLOAD: join(temp.dir, 'w.json'),
      GIFTLAB_TARGET_PROFILE: join(temp.dir, 't.json'),
      GIFTLAB_USERS: join(temp.dir, 'u.json'),
      GIFTLAB_TARGET: 'http://127.0.0.1:1',
    },
    console: { log() {}, warn() {}, error() {} },
  });
  return module.exports;
}

function workloadFor(profile: LoadProfile): Workload {
  return toWorkload(plan, { profile, users: { viewers: 1000, creators: 1000 } });
}

describe('the k6 bundle', () => {
  it('builds into one CommonJS file that requires k6 modules only', () => {
    expect(bundle.bytes).toBeGreaterThan(1000);
    expect(bundle.imports.every((i) => i === 'k6' || i.startsWith('k6/'))).toBe(true);
    const required = [...code.matchAll(/\brequire\s*\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
    expect(required.length).toBeGreaterThan(0);
    expect(required.every((name) => name === 'k6' || name.startsWith('k6/'))).toBe(true);
    expect(code).not.toMatch(/\brequire\s*\(\s*[^"'\s]/);
    expect(code).not.toMatch(/["']node:|\bimport\s*\(|^\s*import\s|^\s*export\s/m);
    expect(code).not.toMatch(/\bprocess\.|\bBuffer\b/);
    expect(code).toMatch(/^module\.exports = /m);
  });

  it('keeps to syntax k6 v0.49 parses (no ?. ?? object spread, class fields, optional catch)', () => {
    expect(code).not.toMatch(/\?\.[A-Za-z_$[(]/);
    expect(code).not.toMatch(/\?\?/);
    expect(code).not.toMatch(/\{\s*\.\.\.[A-Za-z_$]/);
    expect(code).not.toMatch(/catch\s*\{/);
    expect(code).not.toMatch(/\|\|=|&&=|\?\?=/);
  });

  for (const profile of PROFILES) {
    it(`exports options, scenario and thresholds for ${profile}`, () => {
      const workload = workloadFor(profile);
      const script = evaluate(workload);
      const scenarios = script.options.scenarios;
      expect(Object.keys(scenarios)).toEqual([profile]);
      const s = scenarios[profile];
      expect(s.exec).toBe(PROFILE_TABLE[profile].exec);
      expect(typeof script[PROFILE_TABLE[profile].exec]).toBe('function');
      for (const fn of ['setup', 'teardown', 'handleSummary']) expect(typeof script[fn]).toBe('function');
      const thresholds = script.options.thresholds;
      expect(thresholds.checks).toBeDefined();
      // Load asked for and not sent fails the run: no dropped iteration, the delivered share of arrivals.
      expect(thresholds.dropped_iterations).toEqual(['count<1']);
      // An iteration that threw counts as delivered in k6: any fails the run.
      expect(thresholds.giftlab_iteration_errors).toEqual(['count<1']);
      expect(thresholds.iterations).toEqual([`count>=${deliveredCount(workload)}`]);
      expect(deliveredCount(workload)).toBeGreaterThan(0);
      for (const op of ['purchase', 'gift', 'read']) {
        expect(thresholds[`http_req_failed{op:${op}}`]).toHaveLength(1);
        expect(thresholds[`checks{op:${op}}`]).toHaveLength(1);
        const slo = target.slo[op as 'gift'];
        const factor = PROFILE_TABLE[profile].slo.latencyFactor;
        const duration = thresholds[`http_req_duration{op:${op}}`];
        if (factor === 0 || typeof factor !== 'number') expect(duration).toEqual(['max>=0']);
        else expect(duration).toEqual([`p(95)<${slo.p95Ms * factor}`, `p(99)<${slo.p99Ms * factor}`]);
        // A shape in phases: each phase's latency judged on its own requests, by its own factor.
        const phased = Object.keys(thresholds).filter((t) =>
          t.startsWith(`http_req_duration{op:${op},phase:`),
        );
        if (typeof factor === 'number') expect(phased).toEqual([]);
        else
          for (const phase of PHASES_OF[PROFILE_TABLE[profile].shape])
            expect(thresholds[`http_req_duration{op:${op},phase:${phase}}`]).toEqual([
              `p(95)<${slo.p95Ms * factor[phase]}`,
              `p(99)<${slo.p99Ms * factor[phase]}`,
            ]);
      }
      switch (profile) {
        case 'smoke':
          expect(s.executor).toBe('per-vu-iterations');
          expect(thresholds.checks).toEqual(['rate>=1']);
          expect(thresholds['http_req_failed{op:gift}']).toEqual(['rate<=0']);
          break;
        case 'steady':
          expect(s.executor).toBe('constant-arrival-rate');
          expect(s.rate).toBe(perMinute(workload.rate.perSecond));
          expect(s.duration).toBe(`${workload.durationSeconds * 1000}ms`);
          expect(s.timeUnit).toBe('1m');
          expect(s.preAllocatedVUs).toBe(s.maxVUs);
          break;
        case 'spike': {
          expect(s.executor).toBe('ramping-arrival-rate');
          const targets = (s.stages as { target: number }[]).map((x) => x.target);
          expect(Math.max(...targets)).toBe(perMinute(workload.rate.perSecond * SPIKE_FACTOR));
          expect(Math.max(...targets)).toBe(perMinute(workload.rate.peak));
          break;
        }
        case 'soak':
          expect(s.executor).toBe('ramping-arrival-rate');
          expect(s.stages).toHaveLength(plan.timeline.length);
          expect((s.stages as { duration: string }[])[0].duration).toMatch(/^\d+ms$/);
          break;
        case 'race':
          expect(s.executor).toBe('constant-arrival-rate');
          expect(thresholds['http_req_failed{op:withdrawal}']).toEqual(['rate<=0.01']);
          break;
      }
    });
  }

  it('adds --threshold expressions to the profile’s, and leaves the delivered share to a distributed run’s collector', () => {
    const workload = toWorkload(plan, {
      profile: 'steady',
      users: { viewers: 1000, creators: 1000 },
      thresholds: { 'http_req_duration{op:gift}': ['p(95)<200'], http_reqs: ['rate>100'] },
      distributed: true,
    });
    const thresholds = evaluate(workload).options.thresholds;
    expect(thresholds['http_req_duration{op:gift}']).toEqual(['p(95)<500', 'p(99)<1500', 'p(95)<200']);
    expect(thresholds.http_reqs).toEqual(['rate>100']);
    expect(thresholds.iterations).toBeUndefined();
    expect(thresholds.dropped_iterations).toEqual(['count<1']);
  });

  it('writes the text summary, summary.json and JUnit XML from handleSummary', () => {
    const workload = workloadFor('steady');
    const script = evaluate({ ...workload });
    const data = {
      state: { testRunDurationMs: 10_000 },
      metrics: {
        http_reqs: { values: { count: 100 } },
        'http_reqs{op:gift}': { values: { count: 60 }, thresholds: { 'count>=0': { ok: true } } },
        'http_req_duration{op:gift}': {
          values: { 'p(95)': 12.5, 'p(99)': 40 },
          thresholds: { 'p(95)<500': { ok: true }, 'p(99)<1500': { ok: false } },
        },
        'checks{op:gift}': { values: { rate: 1 }, thresholds: { 'rate>=0.99': { ok: true } } },
      },
    };
    const out = (script.handleSummary as (d: unknown) => Record<string, string>)(data);
    expect(Object.keys(out).sort()).toEqual(['./junit.xml', './summary.json', 'stdout']);
    expect(out.stdout).toContain('gift');
    expect(out.stdout).toContain('thresholds: 2 passed, 1 failed');
    expect(out['./junit.xml']).toContain('<testsuites tests="3" failures="1" skipped="0">');
    expect(out['./junit.xml']).toContain('p(99)&lt;1500');
    expect(JSON.parse(out['./summary.json']).giftlab.profile).toBe('steady');
    // k6 samples vus_max once a second: a short run has none, and the table shows the workload's VUs.
    expect(out.stdout).toContain(`iterations 0, dropped 0, VUs max ${workload.vus}\n`);
  });

  it('shows k6’s VUs max when it has one, and leaves the row out rather than print a dash', () => {
    const meta = { profile: 'smoke', scenario: 'baseline', target: 'http://t' };
    const sampled = { metrics: { vus_max: { values: { value: 7, min: 7, max: 7 } } } };
    expect(textSummary(sampled, { ...meta, vus: 2 })).toContain('dropped 0, VUs max 7\n');
    expect(textSummary({ metrics: {} }, meta)).toContain('iterations 0, dropped 0\n');
    expect(textSummary({ metrics: {} }, meta)).not.toContain('VUs max');
  });

  it('is written where giftlab load expects it by default', async () => {
    const fresh = await bundleK6Script();
    expect(fresh.file).toMatch(/load[\\/]dist[\\/]giftlab-k6\.js$/);
  });
});

describe('violations on a target earlier runs wrote to', () => {
  const v = (seq: number | null, message: string): Violation => ({
    invariant: 2,
    seq,
    opId: null,
    accounts: [],
    expected: '>= 0',
    found: -1,
    message,
  });

  it("tells this run's entries and violations (past the journal's last seq before it) from older ones", () => {
    const text = thisRunLines(
      {
        entries: 25,
        violations: [v(3, 'old a'), v(12, 'new b'), v(null, 'whole state'), v(10, 'old c'), v(11, 'new d')],
      },
      { entries: 11, lastSeq: 10 },
    );
    expect(text).toBe(
      "this run: 14 of the 25 entries (seq above 10); the counts above are over the whole journal, 11 entries of it written before this run (each counted as an acknowledged request in the acks line above: invariant 7 judges this run's requests only)\n" +
        '  2 of the 5 violations kept are at its own entries, 2 at entries written before it (the target held them already)\n' +
        '  [2] new b\n  [2] new d\n',
    );
  });

  it('says how many entries are its own on a clean audit, and nothing on a fresh target', () => {
    expect(thisRunLines({ entries: 30, violations: [] }, { entries: 12, lastSeq: 11 })).toBe(
      "this run: 18 of the 30 entries (seq above 11); the counts above are over the whole journal, 12 entries of it written before this run (each counted as an acknowledged request in the acks line above: invariant 7 judges this run's requests only)\n",
    );
    expect(thisRunLines({ entries: 5, violations: [v(3, 'a')] }, { entries: 0, lastSeq: -1 })).toBe('');
  });
});

describe("the writes' answers by status", () => {
  const ack = (status: number): Ack => ({ opId: `op-${status}`, kind: 'gift', status });

  it('counts each status, in order, an unanswered write as no answer', () => {
    expect(answersLine([ack(409), ack(201), ack(0), ack(201)])).toBe(
      'writes answered: no answer × 1, 201 × 2, 409 × 1',
    );
  });

  it('says when none was accepted, and when the target had no such routes', () => {
    expect(answersLine([ack(404), ack(404)])).toBe(
      'writes answered: 404 × 2 — none accepted: the target has no such routes (check --target and --target-profile)',
    );
    expect(answersLine([ack(500)])).toBe('writes answered: 500 × 1 — none accepted');
  });
});

describe('the accepted writes’ mix beside the plan’s', () => {
  const plan = { purchases: 4595, gifts: 4543, withdrawals: 12 };

  it('gives purchases per gift and withdrawals per 1,000 gifts, and says why past 25 % off the plan', () => {
    // By hand: 1,240 / 750 = 1.65; 4,595 / 4,543 = 1.01; 12 × 1,000 / 4,543 = 2.6; 1.6533 / 1.0114 − 1: off by 63 %.
    const off = mixLine(plan, { purchases: 1240, gifts: 750, withdrawals: 0 });
    expect(off).toMatch(
      /^mix against the plan: purchases per gift 1\.65 \(plan 1\.01\), withdrawals per 1,000 gifts 0\.0 \(plan 2\.6\) — off by 63 %: every viewer of the load starts with no coins/,
    );
    // Within 25 %: the figures alone.
    expect(mixLine(plan, { purchases: 1200, gifts: 1000, withdrawals: 3 })).toBe(
      'mix against the plan: purchases per gift 1.20 (plan 1.01), withdrawals per 1,000 gifts 3.0 (plan 2.6)',
    );
    expect(MIX_OFF_SHARE).toBe(0.25);
    const edge = Math.round(plan.gifts * (1 + MIX_OFF_SHARE) * (plan.purchases / plan.gifts));
    expect(mixLine(plan, { purchases: edge - 5, gifts: plan.gifts, withdrawals: 0 })).not.toContain('off by');
    expect(mixLine(plan, { purchases: edge + 5, gifts: plan.gifts, withdrawals: 0 })).toContain(
      'off by 25 %',
    );
    // Nothing to compare with no gift on either side.
    expect(mixLine(plan, { purchases: 3, gifts: 0, withdrawals: 0 })).toBe('');
    expect(mixLine({ ...plan, gifts: 0 }, { purchases: 3, gifts: 2, withdrawals: 0 })).toBe('');
  });
});

describe('asked vs delivered', () => {
  it('says "about" of a ramp’s fractional arrivals, and nothing of a held rate’s whole ones', () => {
    const plan = smallPlan();
    const users = { viewers: 1000, creators: 1000 };
    const soak = toWorkload(plan, { profile: 'soak', durationSeconds: 37, ratePerSecond: 7, users });
    const steady = toWorkload(plan, { profile: 'steady', durationSeconds: 10, ratePerSecond: 20, users });
    expect(Number.isInteger(soak.asked.arrivals)).toBe(false);
    expect(steady.asked.arrivals).toBe(200);
    const first = (w: Workload) => delivered(w, undefined, []).lines[0];
    expect(first(soak)).toMatch(
      new RegExp(
        `^giftlab load: asked about ${Math.round(soak.asked.arrivals).toLocaleString('en-US')} arrivals \\(`,
      ),
    );
    expect(first(steady)).toMatch(/^giftlab load: asked 200 arrivals \(20\/s for 10 s\)/);
  });
});
