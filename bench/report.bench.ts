/**
 * HTML report write time for a baseline-sized run (100,000 viewers, 1,000 creators, one simulated day
 * in hourly rows; a fixture RunResult, see tests/support/run-fixture.ts), with 1 and with 10
 * replications, and each chart's render time on its own. Figures only, nothing asserted.
 *
 *   npx tsx bench/report.bench.ts          (or `npm run bench -- report`)
 *   BENCH_QUICK=1 npx tsx bench/report.bench.ts
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { Bench } from 'tinybench';
import { renderSvg } from '../reports/html/render.ts';
import { REPORT_CHARTS, writeHtmlReport } from '../reports/html/report.ts';
import { baselineScenario, buildRunFixture } from '../tests/support/run-fixture.ts';

const quick = process.env.BENCH_QUICK === '1';
const timing = quick ? { time: 500, iterations: 3 } : { time: 3000, iterations: 10 };

function ms(task: { result?: unknown }): string {
  const latency = (task.result as { latency?: { p50?: number } } | undefined)?.latency?.p50;
  return latency === undefined ? '–' : `${latency.toFixed(1)} ms`;
}

async function main(): Promise<void> {
  console.log(
    `report bench — ${os.availableParallelism()} cores (os.availableParallelism()), Node ${process.version}${quick ? ', quick' : ''}`,
  );
  const scenario = baselineScenario();
  const runs = {
    1: buildRunFixture(scenario, { replications: 1 }),
    10: buildRunFixture(scenario, { replications: 10 }),
  };
  const dir = mkdtempSync(join(os.tmpdir(), 'giftlab-report-bench-'));
  try {
    const bench = new Bench({ name: 'report.html', ...timing });
    for (const [reps, run] of Object.entries(runs)) {
      bench.add(`write report.html, ${reps} replication(s)`, () =>
        writeHtmlReport(run, scenario, join(dir, `r${reps}.html`)),
      );
    }
    const charts = new Bench({ name: 'charts', ...timing });
    for (const build of REPORT_CHARTS) {
      const chart = build({ run: runs[10], scenario });
      const spec = chart.spec;
      if (spec !== null) charts.add(`  chart ${chart.id}`, () => renderSvg(spec, chart.title, chart.id));
    }
    await bench.run();
    await charts.run();
    for (const task of bench.tasks) {
      const reps = task.name.match(/(\d+) replication/)?.[1] ?? '';
      const size = statSync(join(dir, `r${reps}.html`)).size;
      console.log(
        `${task.name.padEnd(44)} ${ms(task).padStart(10)} (median; ${(size / 1024).toFixed(0)} KiB)`,
      );
    }
    console.log('per chart, 10 replications:');
    for (const task of charts.tasks) console.log(`${task.name.padEnd(44)} ${ms(task).padStart(10)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
