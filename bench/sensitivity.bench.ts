/**
 * Issue 12's sensitivity and precision cases at the baseline's full size (100,000 viewers, 1 day), too
 * big for the tests (tests/sweep/sensitivity.test.ts runs the Sobol case on 1,000 viewers):
 * - Sobol on payout.creatorShare, creators.withdrawAtDiamonds and viewers.payerShare, KPI
 *   creatorEarningsCents: the total index of withdrawAtDiamonds (< 0.05 expected) and of the creator
 *   share (> 0.1 expected), with their bootstrap CIs;
 * - Morris on the same paths: μ* of each;
 * - `run --precision 0.05 --kpi grossBookingsCents`: the replications it took and the half-width reached.
 * Runs the CLI as a user does (bin/giftlab.js) and prints its figures and the seconds each took. Figures
 * only, nothing asserted.
 *
 *   npx tsx bench/sensitivity.bench.ts     (or `npm run bench -- sensitivity`)
 *   BENCH_QUICK=1 npx tsx bench/sensitivity.bench.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const quick = process.env.BENCH_QUICK === '1';
const root = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(root, 'bin', 'giftlab.js');
const BASELINE = join(root, 'scenarios', 'baseline.yaml');
const PATHS = [
  '--vary',
  'payout.creatorShare=0.3:0.7',
  '--vary',
  'creators.withdrawAtDiamonds=1000:50000',
  '--vary',
  'viewers.payerShare=0.02:0.08',
];

function giftlab(args: string[]): { code: number | null; out: string; seconds: number } {
  const started = performance.now();
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: root, encoding: 'utf8' });
  const seconds = (performance.now() - started) / 1000;
  if (r.status !== 0) console.log(`exit ${r.status}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return { code: r.status, out: r.stdout, seconds };
}

/** The case: a `design` (of `size` base samples or trajectories) over PATHS, of creator earnings. */
function sensitivitySweep(design: '--sobol' | '--morris', size: number, out: string) {
  return giftlab([
    'sweep',
    BASELINE,
    ...PATHS,
    design,
    String(size),
    '--kpi',
    'creatorEarningsCents',
    '--quiet',
    '--out',
    out,
  ]);
}

function csv(file: string): Record<string, string>[] {
  const [header, ...rows] = readFileSync(file, 'utf8').trim().split('\n');
  const names = header.split(',');
  return rows.map((row) => Object.fromEntries(row.split(',').map((v, i) => [names[i], v])));
}

const dir = mkdtempSync(join(os.tmpdir(), 'giftlab-bench-sensitivity-'));
try {
  const n = quick ? 16 : 64;
  const sobolOut = join(dir, 'sobol');
  const sobol = sensitivitySweep('--sobol', n, sobolOut);
  console.log(`Sobol, baseline, n = ${n} (${n * 5} runs): ${sobol.seconds.toFixed(1)} s`);
  if (sobol.code === 0) {
    for (const r of csv(join(sobolOut, 'sobol.csv')).filter((row) => row.kpi === 'creatorEarningsCents')) {
      const expected =
        r.path === 'creators.withdrawAtDiamonds'
          ? ' (expected < 0.05)'
          : r.path === 'payout.creatorShare'
            ? ' (expected > 0.1)'
            : '';
      console.log(
        `  ${r.path}: ST ${Number(r.ST).toFixed(3)} [${Number(r.STCi95Low).toFixed(3)}, ${Number(r.STCi95High).toFixed(3)}]${expected}, S1 ${Number(r.S1).toFixed(3)}`,
      );
    }
  }

  const r = quick ? 5 : 20;
  const morrisOut = join(dir, 'morris');
  const morris = sensitivitySweep('--morris', r, morrisOut);
  console.log(`Morris, baseline, r = ${r} (${r * 4} runs): ${morris.seconds.toFixed(1)} s`);
  if (morris.code === 0) {
    for (const row of csv(join(morrisOut, 'morris.csv')).filter((x) => x.kpi === 'creatorEarningsCents')) {
      console.log(
        `  ${row.path}: μ* ${(Number(row.muStar) / 100).toFixed(2)} $ [${(Number(row.muStarCi95Low) / 100).toFixed(2)}, ${(Number(row.muStarCi95High) / 100).toFixed(2)}]`,
      );
    }
  }

  const precisionOut = join(dir, 'precision');
  const precision = giftlab([
    'run',
    BASELINE,
    '--precision',
    '0.05',
    '--kpi',
    'grossBookingsCents',
    '--out',
    precisionOut,
  ]);
  const line = precision.out.split('\n').find((l) => l.startsWith('precision:')) ?? '(no precision line)';
  console.log(`run --precision 0.05 --kpi grossBookingsCents, baseline: ${precision.seconds.toFixed(1)} s`);
  console.log(`  ${line}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
