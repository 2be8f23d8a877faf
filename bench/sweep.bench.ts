/**
 * Sweep throughput: runs (points × replications) per second through planSweep + the worker pool, with
 * 1 worker (in this thread) and 2 worker threads (thread start-up included, as a user gets it), for a
 * tiny population and for the baseline; and the time to aggregate and write the sweep folder. Figures
 * only, nothing asserted.
 *
 *   npx tsx bench/sweep.bench.ts          (or `npm run bench -- sweep`)
 *   BENCH_QUICK=1 npx tsx bench/sweep.bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { aggregateSweep } from '../experiments/sweep/aggregate.ts';
import { planSweep, type SweepPlan } from '../experiments/sweep/plan.ts';
import { itemCount, runSweepItems } from '../experiments/sweep/run-items.ts';
import { writeSweepFolder } from '../reports/sweep/write.ts';
import { median } from './child.ts';

const quick = process.env.BENCH_QUICK === '1';
const rounds = quick ? 1 : 3;
const BASELINE = fileURLToPath(new URL('../scenarios/baseline.yaml', import.meta.url));

interface Case {
  name: string;
  sets: string[];
  vary: string[];
  replications: number;
}

const CASES: Case[] = [
  {
    name: 'tiny (2,000 viewers, 50 creators, 6 h)',
    sets: ['population.viewers=2000', 'population.creators=50', 'duration=6h'],
    vary: ['payout.creatorShare=0.4:0.7:0.1', 'pricing.channels.app.storeFee=0.15,0.3'],
    replications: quick ? 4 : 8,
  },
  {
    name: 'baseline (100,000 viewers, 1,000 creators, 1 d)',
    sets: [],
    vary: ['payout.creatorShare=0.4,0.6', 'pricing.channels.app.storeFee=0.15,0.3'],
    replications: quick ? 2 : 4,
  },
  {
    name: 'baseline, longer sweep',
    sets: [],
    vary: ['payout.creatorShare=0.4,0.6', 'pricing.channels.app.storeFee=0.15,0.3'],
    replications: quick ? 4 : 24,
  },
];

/** Time until two worker threads (tsx registered, engine loaded) have run one trivial item each. */
async function threadStartSeconds(): Promise<number> {
  const plan = planSweep(BASELINE, {
    vary: ['payout.creatorShare=0.4,0.6'],
    sets: ['population.viewers=10', 'population.creators=2', 'duration=1h'],
    replications: 1,
    check: 'end',
  });
  const started = performance.now();
  await runSweepItems(plan, [0, 1], { workers: 2 });
  return (performance.now() - started) / 1000;
}

async function timeRuns(plan: SweepPlan, workers: number): Promise<number> {
  const items = Array.from({ length: itemCount(plan.spec) }, (_, k) => k);
  const seconds: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const started = performance.now();
    await runSweepItems(plan, items, { workers });
    seconds.push((performance.now() - started) / 1000);
  }
  return median(seconds);
}

async function main(): Promise<void> {
  console.log(
    `sweep bench — ${os.availableParallelism()} cores (os.availableParallelism()), Node ${process.version}${quick ? ', quick' : ''}; median of ${rounds}`,
  );
  console.log(
    `two worker threads ready and through one trivial item each: ${(await threadStartSeconds()).toFixed(2)} s`,
  );
  const dir = mkdtempSync(join(os.tmpdir(), 'giftlab-sweep-bench-'));
  try {
    for (const c of CASES) {
      const plan = planSweep(BASELINE, {
        vary: c.vary,
        sets: c.sets,
        replications: c.replications,
        check: 'end',
      });
      const runs = itemCount(plan.spec);
      console.log(
        `\n${c.name}: ${plan.spec.points.length} points × ${c.replications} replications = ${runs} runs`,
      );
      const perSecond: Record<number, number> = {};
      for (const workers of [1, 2]) {
        const seconds = await timeRuns(plan, workers);
        perSecond[workers] = runs / seconds;
        console.log(
          `  ${workers} worker${workers === 1 ? ' ' : 's'}: ${seconds.toFixed(2).padStart(7)} s  ${perSecond[workers].toFixed(1).padStart(7)} runs/s`,
        );
      }
      console.log(`  speed-up with 2 workers: ×${(perSecond[2] / perSecond[1]).toFixed(2)}`);
      const items = Array.from({ length: runs }, (_, k) => k);
      const rows = await runSweepItems(plan, items, { workers: 2 });
      const started = performance.now();
      await writeSweepFolder(join(dir, 'out'), aggregateSweep(plan, rows), 0);
      console.log(
        `  aggregate + write sweep folder (CSVs, summary.json, report.html): ${((performance.now() - started) / 1000).toFixed(2)} s`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
