/**
 * Calibration recovers known truth (the acceptance): simulate the baseline with two changed
 * paths — gifts per hour 2.5 → 3.5, payer share 0.05 → 0.035 — under another seed, take its KPIs as
 * targets (with their standard errors), and calibrate the unchanged baseline over those two paths. Both
 * fitted values must land within 20 % of the truth and inside their reported ranges. Small enough for
 * CI (10,000 viewers, one day, 30 candidates × 4 replications); `npm run bench -- calibrate` runs a
 * bigger case.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runPool } from '../../experiments/pool.ts';
import { describe as stats } from '../../experiments/stats.ts';
import { replicationItems } from '../../experiments/work.ts';
import { loadScenarioFile } from '../../scenarios/load.ts';
import { BASELINE, giftlab, read, tempDir } from '../sweep/support.ts';

const SIZE = ['population.viewers=10000', 'population.creators=100'];
const TRUTH = { 'viewers.giftsPerHour': 3.5, 'viewers.payerShare': 0.035 };
const TRUTH_SEED = 7;
const TRUTH_REPLICATIONS = 8;

it('recovers gifts per hour and payer share within 20 % and inside the reported ranges', async () => {
  const dir = tempDir('calibrate-recovery');
  const truth = loadScenarioFile(BASELINE, {
    sets: [...SIZE, ...Object.entries(TRUTH).map(([p, v]) => `${p}=${v}`), `seed=${TRUTH_SEED}`],
  });
  const runs = await runPool(
    replicationItems(truth, TRUTH_REPLICATIONS, 'end').map((w) => ({ ...w, keep: 'kpis' as const })),
    { workers: 2 },
  );
  const observed = (of: (k: (typeof runs)[number]['kpis']) => number) => {
    const s = stats(runs.map((r) => of(r.kpis)));
    return `{ value: ${s.mean}, se: ${s.sd / Math.sqrt(TRUTH_REPLICATIONS)} }`;
  };
  const targets = join(dir, 'targets.yaml');
  writeFileSync(
    targets,
    `targets:\n  payerConversion: ${observed((k) => k.payerConversion)}\n  giftsPerPayer: ${observed((k) => k.giftsSent / k.payers)}\n`,
  );
  const out = join(dir, 'calibration');
  const r = await giftlab([
    'calibrate',
    BASELINE,
    ...SIZE.flatMap((s) => ['--set', s]),
    '--targets',
    targets,
    '--fit',
    'viewers.giftsPerHour=1:6',
    '--fit',
    'viewers.payerShare=0.01:0.1',
    '--replications',
    '4',
    '--budget',
    '30',
    '--quiet',
    '--out',
    out,
  ]);
  expect(r.code, r.err).toBe(0);
  const summary = JSON.parse(read(out, 'summary.json'));
  expect(summary.seed).not.toBe(TRUTH_SEED);
  for (const [path, value] of Object.entries(TRUTH)) {
    const fit = summary.fit.find((f: { path: string }) => f.path === path);
    expect(Math.abs(fit.best / value - 1), `${path}: fitted ${fit.best}, truth ${value}`).toBeLessThan(0.2);
    expect(fit.range[0], `${path} range ${fit.range}`).toBeLessThanOrEqual(value);
    expect(fit.range[1], `${path} range ${fit.range}`).toBeGreaterThanOrEqual(value);
    // A range, not a point: the targets carry noise.
    expect(fit.range[1]).toBeGreaterThan(fit.range[0]);
  }
  expect(summary.targets.every((t: { reached: boolean }) => t.reached)).toBe(true);
});
