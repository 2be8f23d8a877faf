/**
 * Calibration against a known truth, shared by the recovery test and `npm run bench -- calibrate`:
 * simulate the baseline with changed paths under another seed, write its KPIs (mean and standard error
 * over the replications) as a `--targets` file, calibrate the unchanged baseline over those paths, and
 * return each path's truth, start, fitted value and reported range.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runPool } from '../../experiments/pool.ts';
import { describe as stats } from '../../experiments/stats.ts';
import { replicationItems } from '../../experiments/work.ts';
import { loadScenarioFile } from '../../scenarios/load.ts';
import type { Kpis } from '../../sim/kpis.ts';
import { BASELINE, giftlab, read, tempDir } from '../sweep/support.ts';

export interface KnownTruthCase {
  /** `--set`s of both the truth and the calibrated scenario (the size). */
  sets: string[];
  /** The changed paths, their true values and the box searched. */
  truth: { path: string; value: number; lo: number; hi: number }[];
  truthSeed: number;
  truthReplications: number;
  /** What the targets are: KPI or ratio name and how to compute it from one replication. */
  targets: { name: string; of: (k: Kpis) => number }[];
  replications: number;
  budget: number;
}

export interface Recovered {
  path: string;
  truth: number;
  start: number;
  best: number;
  range: [number, number];
}

export interface KnownTruthOutcome {
  code: number;
  err: string;
  seed: number;
  recovered: Recovered[];
  allReached: boolean;
  evaluations: number;
}

export async function calibrateKnownTruth(c: KnownTruthCase): Promise<KnownTruthOutcome> {
  const dir = tempDir('calibrate-known-truth');
  const truth = loadScenarioFile(BASELINE, {
    sets: [...c.sets, ...c.truth.map((t) => `${t.path}=${t.value}`), `seed=${c.truthSeed}`],
  });
  const runs = await runPool(
    replicationItems(truth, c.truthReplications, 'end').map((w) => ({ ...w, keep: 'kpis' as const })),
    { workers: 2 },
  );
  const lines = c.targets.map((t) => {
    const s = stats(runs.map((r) => t.of(r.kpis)));
    return `  ${t.name}: { value: ${s.mean}, se: ${s.sd / Math.sqrt(c.truthReplications)} }`;
  });
  const targets = join(dir, 'targets.yaml');
  writeFileSync(targets, `targets:\n${lines.join('\n')}\n`);
  const out = join(dir, 'calibration');
  const r = await giftlab([
    'calibrate',
    BASELINE,
    ...c.sets.flatMap((s) => ['--set', s]),
    '--targets',
    targets,
    ...c.truth.flatMap((t) => ['--fit', `${t.path}=${t.lo}:${t.hi}`]),
    '--replications',
    `${c.replications}`,
    '--budget',
    `${c.budget}`,
    '--quiet',
    '--out',
    out,
  ]);
  if (r.code !== 0)
    return { code: r.code, err: r.err, seed: 0, recovered: [], allReached: false, evaluations: 0 };
  const summary = JSON.parse(read(out, 'summary.json'));
  type Fitted = { path: string; start: number; best: number; range: [number, number] };
  return {
    code: r.code,
    err: r.err,
    seed: summary.seed,
    evaluations: summary.evaluations,
    allReached: summary.targets.every((t: { reached: boolean }) => t.reached),
    recovered: c.truth.map((t) => {
      const f = summary.fit.find((x: Fitted) => x.path === t.path) as Fitted;
      return { path: t.path, truth: t.value, start: f.start, best: f.best, range: f.range };
    }),
  };
}

/** Gifts per hour 2.5 → 3.5 and payer share 0.05 → 0.035, targets payer conversion and gifts per payer. */
export function giftsAndPayersCase(
  size: string[],
  sizes: { truthReplications: number; replications: number; budget: number },
): KnownTruthCase {
  return {
    sets: size,
    truth: [
      { path: 'viewers.giftsPerHour', value: 3.5, lo: 1, hi: 6 },
      { path: 'viewers.payerShare', value: 0.035, lo: 0.01, hi: 0.1 },
    ],
    truthSeed: 7,
    targets: [
      { name: 'payerConversion', of: (k) => k.payerConversion },
      { name: 'giftsPerPayer', of: (k) => (k.payers > 0 ? k.giftsSent / k.payers : 0) },
    ],
    ...sizes,
  };
}
