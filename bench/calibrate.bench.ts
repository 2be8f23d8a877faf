/**
 * Calibration against a known truth at a bigger size than the CI test (tests/calibrate/recovery.test.ts):
 * the baseline at 100,000 viewers with gifts per hour 3.5 and payer share 0.035 gives the targets; the
 * unchanged baseline is calibrated over both paths (60 candidates × 4 replications). Prints each path's
 * truth, fit, error and reported range, and the wall time. Figures only, nothing asserted.
 *
 *   npx tsx bench/calibrate.bench.ts          (or `npm run bench -- calibrate`)
 *   BENCH_QUICK=1 npx tsx bench/calibrate.bench.ts   (30,000 viewers, 40 candidates)
 */
import os from 'node:os';
import { calibrateKnownTruth, giftsAndPayersCase } from '../tests/calibrate/known-truth.ts';

const quick = process.env.BENCH_QUICK === '1';
const viewers = quick ? 30_000 : 100_000;
const c = giftsAndPayersCase([`population.viewers=${viewers}`, `population.creators=${viewers / 100}`], {
  truthReplications: quick ? 8 : 16,
  replications: 4,
  budget: quick ? 40 : 60,
});
console.log(
  `calibrate bench — ${os.availableParallelism()} cores, Node ${process.version}; ${viewers.toLocaleString('en')} viewers, 1 d, ${c.budget} candidates × ${c.replications} replications, truth from ${c.truthReplications} replications (seed ${c.truthSeed})`,
);
const started = performance.now();
const r = await calibrateKnownTruth(c);
const seconds = (performance.now() - started) / 1000;
if (r.code !== 0) {
  console.log(`calibrate exited ${r.code}: ${r.err}`);
  process.exitCode = 1;
} else {
  for (const f of r.recovered) {
    const inside = f.range[0] <= f.truth && f.truth <= f.range[1];
    console.log(
      `  ${f.path}: truth ${f.truth}, start ${f.start}, fitted ${f.best} (${((f.best / f.truth - 1) * 100).toFixed(1)} %), range ${f.range[0]} – ${f.range[1]} (${inside ? 'holds' : 'misses'} the truth)`,
    );
  }
  console.log(
    `  every target reached: ${r.allReached}; wall time ${seconds.toFixed(1)} s (truth runs included)`,
  );
}
