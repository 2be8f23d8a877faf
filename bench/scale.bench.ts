/**
 * Scale-free population: the baseline at 100,000 and at 1,000,000 viewers (only population.viewers
 * changed) should give the same per-viewer KPIs — payer conversion, gifts per viewer, gross bookings
 * per viewer — within 5 % (issue 10). Prints each with its 95 % CI and the relative difference, then the
 * same at 1,000,000 viewers with the creators fixed at 1,000 (the rule before markets) for contrast.
 * Figures only, nothing asserted; gross per viewer is heavy-tailed (Pareto budgets), so its CI is wide.
 *
 *   npx tsx bench/scale.bench.ts          (or `npm run bench -- scale`; about 2 CPU-minutes)
 *   BENCH_QUICK=1 npx tsx bench/scale.bench.ts     (30,000 vs 300,000 viewers, fewer replications)
 */
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPool } from '../experiments/pool.ts';
import { describe } from '../experiments/stats.ts';
import { replicationItems } from '../experiments/work.ts';
import { loadScenarioFile } from '../scenarios/load.ts';
import { populationNote } from '../scenarios/schema/population.ts';
import type { KpiStat, Kpis } from '../sim/kpis.ts';

const quick = process.env.BENCH_QUICK === '1';
const BASELINE = join(fileURLToPath(new URL('..', import.meta.url)), 'scenarios/baseline.yaml');
const SMALL = quick ? 30_000 : 100_000;
const BIG = quick ? 300_000 : 1_000_000;
// The small population is noisier per viewer: more replications there, about the same work.
const REPLICATIONS = quick ? { small: 8, big: 2 } : { small: 16, big: 4 };
const TOLERANCE = 0.05;

const PER_VIEWER: [string, (k: Kpis) => number, (x: number) => string][] = [
  ['payer conversion', (k) => k.payerConversion, (x) => `${(100 * x).toFixed(3)} %`],
  ['gifts per viewer', (k) => k.giftsSent / k.viewers, (x) => x.toFixed(4)],
  ['gross per viewer', (k) => k.grossBookingsCents / k.viewers, (x) => `${x.toFixed(2)} ¢`],
];

async function perViewer(viewers: number, replications: number, sets: string[] = []): Promise<KpiStat[]> {
  const scenario = loadScenarioFile(BASELINE, { sets: [`population.viewers=${viewers}`, ...sets] });
  console.log(`  ${populationNote(scenario.population)} × ${replications} replications`);
  const results = await runPool(replicationItems(scenario, replications, 'end'), {
    workers: os.availableParallelism(),
  });
  return PER_VIEWER.map(([, of]) => describe(results.map((r) => of(r.kpis))));
}

function table(small: KpiStat[], big: KpiStat[], label: string): void {
  const ci = (s: KpiStat, show: (x: number) => string) =>
    `${show(s.mean)} (${show(s.ci95[0])} – ${show(s.ci95[1])})`.padEnd(34);
  console.log(
    `  ${'KPI'.padEnd(18)} ${`${SMALL.toLocaleString('en-US')} viewers`.padEnd(34)} ${label.padEnd(34)} difference`,
  );
  PER_VIEWER.forEach(([name, , show], i) => {
    const diff = big[i].mean / small[i].mean - 1;
    const half = (x: KpiStat) => (x.ci95[1] - x.ci95[0]) / 2;
    const noise = Math.abs(big[i].mean - small[i].mean) <= Math.hypot(half(small[i]), half(big[i]));
    const verdict = `${Math.abs(diff) <= TOLERANCE ? 'within 5 %' : 'NOT within 5 %'}, ${noise ? 'within' : 'NOT within'} the CIs`;
    console.log(
      `  ${name.padEnd(18)} ${ci(small[i], show)} ${ci(big[i], show)} ${(100 * diff).toFixed(1).padStart(5)} %  ${verdict}`,
    );
  });
}

async function main(): Promise<void> {
  console.log(
    `scale bench — ${os.availableParallelism()} cores, Node ${process.version}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const started = performance.now();
  const small = await perViewer(SMALL, REPLICATIONS.small);
  const big = await perViewer(BIG, REPLICATIONS.big);
  table(small, big, `${BIG.toLocaleString('en-US')} viewers`);
  console.log('\n  the rule before markets: creators fixed at 1,000');
  const fixed = await perViewer(BIG, REPLICATIONS.big, ['population.creators=1000']);
  table(small, fixed, `${BIG.toLocaleString('en-US')}, 1,000 creators`);
  console.log(`\n  ${((performance.now() - started) / 1000).toFixed(0)} s wall`);
}

await main();
