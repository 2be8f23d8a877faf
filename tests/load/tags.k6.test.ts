/**
 * The tag table `--threshold` is checked against (load/k6/lib/tags.ts) against what k6 records: every
 * sample of a smoke, a race, a steady and a spike run (k6's JSON output, `K6_OUT`) has tags the validator takes on
 * its metric, with values it takes for that run — so the runtime's literal tags (load/k6/runtime/) cannot
 * drift from the table. With a real k6 (K6_BIN or PATH); skipped without one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { METRIC_TYPES, parseK6Threshold } from '../../load/bundle/k6-thresholds.ts';
import { runTagValues } from '../../load/k6/lib/tags.ts';
import type { Plan } from '../../load/plan/types.ts';
import { loadTargetProfile } from '../../load/profiles/profile.ts';
import { BASELINE, capture, K6, startTarget, tempDir } from './support.ts';

const temp = tempDir();
afterAll(() => temp.remove());

const AGGREGATION = { trend: 'p(95)<1', rate: 'rate<1', counter: 'count<1', gauge: 'value<1' };

async function recorded(profile: string, extra: string[]) {
  const target = await startTarget(temp.dir, 50, undefined, profile);
  const out = join(temp.dir, profile);
  const samples = join(temp.dir, `${profile}.json`);
  const c = capture(temp.dir, { ...process.env, K6_BIN: K6, K6_OUT: `json=${samples}` });
  try {
    const args = ['load', BASELINE, '--target', target.url, '--users', target.usersFile, '--out', out];
    const code = await main([...args, '--profile', profile, ...extra], c.io);
    return { code, out, samples, stdout: c.out(), stderr: c.err() };
  } finally {
    await target.close();
  }
}

/** Each sample's tags that k6's threshold syntax can name, the validator's refusal where it refuses one. */
function refusals(samples: string, profile: string, out: string): string[] {
  const plan = JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8')) as Plan;
  const run = runTagValues({
    profile,
    scenario: plan.scenario.name,
    channels: plan.purchases.map((p) => p.channel),
    target: loadTargetProfile('reference').profile,
  });
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const line of readFileSync(samples, 'utf8').split('\n')) {
    if (line === '') continue;
    const s = JSON.parse(line) as { type: string; metric: string; data: { tags?: Record<string, string> } };
    if (s.type !== 'Point') continue;
    const type = METRIC_TYPES[s.metric];
    if (type === undefined) {
      problems.push(`${s.metric}: not a metric of the run`);
      continue;
    }
    for (const [tag, value] of Object.entries(s.data.tags ?? {})) {
      // k6's syntax cannot name an empty value (the root group's "") nor one with a comma or a brace.
      if (value === '' || /[,{}]/.test(value)) continue;
      const text = `${s.metric}{${tag}:${value}}:${AGGREGATION[type]}`;
      if (seen.has(text)) continue;
      seen.add(text);
      try {
        parseK6Threshold(text, run);
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
  }
  expect(seen.size).toBeGreaterThan(50);
  return problems;
}

const TITLE =
  K6 === undefined ? 'skipped: no k6 (set K6_BIN or put k6 on PATH)' : `k6 (${K6}): the tags a run records`;
describe.skipIf(K6 === undefined)(TITLE, () => {
  it('smoke: every tag of every sample is one --threshold takes', async () => {
    const r = await recorded('smoke', []);
    expect(r.code, r.stderr).toBe(0);
    expect(refusals(r.samples, 'smoke', r.out)).toEqual([]);
  });

  it('race: every tag of every sample is one --threshold takes', async () => {
    const r = await recorded('race', ['--rate', '5/s', '--duration', '2s', '--vus', '4']);
    expect(r.code, r.stderr).toBe(0);
    expect(refusals(r.samples, 'race', r.out)).toEqual([]);
  });

  it('spike: every tag of every sample is one --threshold takes; every request carries its phase, each phase has some', async () => {
    const r = await recorded('spike', ['--rate', '20/s', '--duration', '5s']);
    expect(r.code, r.stderr).toBe(0);
    expect(refusals(r.samples, 'spike', r.out)).toEqual([]);
    const phases = new Map<string, number>();
    for (const line of readFileSync(r.samples, 'utf8').split('\n')) {
      if (line === '') continue;
      const s = JSON.parse(line) as { type: string; metric: string; data: { tags?: Record<string, string> } };
      if (s.type !== 'Point' || s.metric !== 'http_reqs') continue;
      const phase = s.data.tags?.phase ?? '(none)';
      phases.set(phase, (phases.get(phase) ?? 0) + 1);
    }
    expect([...phases.keys()].sort()).toEqual(['after', 'before', 'spike']);
    // The k6 summary: the gifts of each phase judged by their own thresholds, shown under their op.
    const summary = JSON.parse(readFileSync(join(r.out, 'summary.json'), 'utf8')) as {
      metrics: Record<string, { values: Record<string, number> }>;
    };
    for (const phase of ['before', 'spike', 'after'])
      expect(
        summary.metrics[`http_req_duration{op:gift,phase:${phase}}`].values.count,
        phase,
      ).toBeGreaterThan(0);
    expect(r.stdout).toMatch(/^ {4}after +\d+ +[0-9.]+ +[0-9.]+$/m);
  });

  it('steady: every tag of every sample is one --threshold takes; a --threshold nothing carried fails (99)', async () => {
    // A valid filter no request matches (double taps are gifts): k6 alone would pass it over zero samples.
    const vacuous = 'http_req_duration{op:purchase,tap:double}';
    const r = await recorded('steady', [
      '--rate',
      '10/s',
      '--duration',
      '2s',
      '--threshold',
      `${vacuous}:p(95)<300`,
    ]);
    expect(refusals(r.samples, 'steady', r.out)).toEqual([]);
    expect(r.stderr).toContain(`giftlab load: --threshold '${vacuous}:p(95)<300' judged no samples`);
    expect(r.stderr).toContain(
      `--threshold judged no samples, which fails the run (exit 99): ${vacuous} p(95)<300; the audit was clean`,
    );
    expect(r.code).toBe(99);
    // k6's own table counts it failed too: '0 failed' above an exit of 99 would contradict it.
    expect(r.stdout).toMatch(/thresholds: \d+ passed.*, 1 failed\n/);
    expect(r.stdout).toContain(
      `  FAIL ${vacuous} p(95)<300  (vacuous: no samples, a --threshold that judged nothing fails the run)`,
    );
    expect(readFileSync(join(r.out, 'junit.xml'), 'utf8')).toContain(
      '<failure message="vacuous: no samples, a --threshold that judged nothing fails the run"/>',
    );
  });
});
