/**
 * Simulation figures: events per second per core with invariants on, heap bytes per viewer, the wall
 * time of 1,000,000 viewers over one simulated day (in process and through the CLI), a mature year's
 * memory (slots held against arrivals, what still grows per arrival, the resident set with and
 * without slot reuse) and the speed-up of 2 worker threads over 1. Figures only, nothing asserted;
 * targets are printed beside them.
 *
 *   npx tsx --expose-gc bench/sim.bench.ts      (or `npm run bench -- sim`)
 *   BENCH_QUICK=1 npx tsx --expose-gc bench/sim.bench.ts
 *   BENCH_STEADY_FULL=1 …  also steady-365d at full size (100,000 viewers, 6,400 arrivals a day; ~3 min)
 *
 * Other processes on the machine slow these down; each figure is the best of a few runs, the load
 * average is printed so that a busy machine shows, and events per CPU-second are given beside events
 * per wall-clock second.
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';
import { dropKeptColumns } from '../common/columns.ts';
import { defaultWorkers, runPool, viewerDays } from '../experiments/pool.ts';
import { runReplication } from '../experiments/replication.ts';
import { replicationItems } from '../experiments/work.ts';
import { loadScenarioFile } from '../scenarios/load.ts';
import { modelParams } from '../scenarios/model-params.ts';
import type { Scenario } from '../scenarios/schema/scenario.ts';
import { runLedgerOptions } from '../sim/engine/crowd.ts';
import { Simulation } from '../sim/engine/simulation.ts';
import { checkLedgerState } from '../sim/invariants/ledger-state.ts';
import { Ledger } from '../sim/ledger/ledger.ts';
import { createStreams } from '../sim/random/streams.ts';
import { twoCoreCeiling } from './ceiling.ts';

const quick = process.env.BENCH_QUICK === '1';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BASELINE = join(ROOT, 'scenarios/baseline.yaml');
const MILLION = quick ? 300_000 : 1_000_000;
const REPEATS = quick ? 2 : 3;

const baseline = (viewers: number, extra: string[] = []): Scenario =>
  loadScenarioFile(BASELINE, { sets: [`population.viewers=${viewers}`, ...extra] });

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const fmt = (n: number, digits = 2) => n.toLocaleString('en-US', { maximumFractionDigits: digits });

/** The engine loop alone, on a journal-less ledger that asserts every entry balances, then the end check. */
function eventsPerSecond(
  viewers: number,
  extra: string[] = [],
): {
  events: number;
  seconds: number;
  entries: number;
  loopRate: number;
  cpuSeconds: number;
  setupSeconds: number;
} {
  let best = {
    events: 0,
    seconds: Number.POSITIVE_INFINITY,
    entries: 0,
    loopRate: 0,
    cpuSeconds: 0,
    setupSeconds: 0,
  };
  for (let i = 0; i < REPEATS; i++) {
    const scenario = baseline(viewers, extra);
    const params = modelParams(scenario);
    const ledger = new Ledger(scenario.economy, runLedgerOptions(params));
    // The mark after second 1 splits set-up (population, warm start) from the event loop.
    let mark = { at: 0, events: 0 };
    const sim = new Simulation(params, ledger, createStreams(scenario.seed, i), {
      progressEverySeconds: 1,
      onProgress: (t, events) => {
        if (t === 1) mark = { at: performance.now(), events };
      },
    });
    gc();
    const cpu = process.cpuUsage();
    const started = performance.now();
    sim.run();
    const loopEnded = performance.now();
    const check = checkLedgerState(ledger);
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    if (check.violationCount !== 0) throw new Error('the bench run broke an invariant');
    const loopRate = (sim.events - mark.events) / ((loopEnded - mark.at) / 1000);
    const setupSeconds = (mark.at - started) / 1000;
    if (seconds < best.seconds)
      best = { events: sim.events, seconds, entries: ledger.entryCount, loopRate, cpuSeconds, setupSeconds };
  }
  return best;
}

/** Collects until array buffers that earlier runs dropped are gone too (V8 frees them concurrently). */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Heap and array-buffer bytes still held by a finished run's simulation and ledger, per viewer. */
async function bytesPerViewer(
  viewers: number,
  extra: string[] = [],
): Promise<{ perViewer: number; total: number }> {
  const scenario = baseline(viewers, extra);
  const params = modelParams(scenario);
  dropKeptColumns(); // columns an earlier replication left would be taken, not counted
  await settle();
  const before = process.memoryUsage();
  const ledger = new Ledger(scenario.economy, runLedgerOptions(params));
  const sim = new Simulation(params, ledger, createStreams(scenario.seed, 0));
  sim.run();
  await settle();
  const after = process.memoryUsage();
  const total = after.heapUsed - before.heapUsed + (after.arrayBuffers - before.arrayBuffers);
  if (sim.events === 0 || ledger.entryCount < 0) throw new Error('unreachable');
  return { perViewer: total / viewers, total };
}

function bestSeconds(run: () => void, repeats = REPEATS): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < repeats; i++) {
    gc();
    const started = performance.now();
    run();
    best = Math.min(best, (performance.now() - started) / 1000);
  }
  return best;
}

function cliSeconds(viewers: number): number {
  const dir = mkdtempSync(join(os.tmpdir(), 'giftlab-sim-bench-'));
  try {
    const started = performance.now();
    const r = spawnSync(
      process.execPath,
      [
        join(ROOT, 'bin/giftlab.js'),
        'run',
        BASELINE,
        '--set',
        `population.viewers=${viewers}`,
        '--quiet',
        '--out',
        dir,
      ],
      { encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`giftlab run exited ${r.status}: ${r.stderr}`);
    return (performance.now() - started) / 1000;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One year of steady-365d in this process, on a journal-less ledger; what it holds after. */
interface SlotRun {
  seconds: number;
  events: number;
  arrivals: number;
  slots: number;
  capacity: number;
  slotBytes: number;
  /** The ledger's rows of viewers' coins (viewers present who traded, and departed ones holding coins). */
  ledgerRows: number;
  ledgerViewerBytes: number;
  /** Heap and array-buffer bytes still held by the simulation and the ledger after the run. */
  retainedBytes: number;
  /** Peak resident set of the process (meaningful in a child process of its own: `--slots`). */
  maxRssBytes: number;
  rssGrowthBytes: number;
}

function steadyYear(viewers: number, arrivalsPerDay: number, days: number, nonPayers = 'agents'): Scenario {
  return loadScenarioFile(join(ROOT, 'scenarios/steady-365d.yaml'), {
    sets: [
      `population.viewers=${viewers}`,
      `lifecycle.arrivalsPerDay=${arrivalsPerDay}`,
      `duration=${days}d`,
      `population.nonPayers=${nonPayers}`,
    ],
  });
}

async function slotRun(scenario: Scenario, reuseSlots: boolean): Promise<SlotRun> {
  const params = modelParams(scenario);
  dropKeptColumns(); // columns an earlier replication left would be taken, not counted
  await settle();
  const before = process.memoryUsage();
  const ledger = new Ledger(scenario.economy, runLedgerOptions(params));
  const sim = new Simulation(params, ledger, createStreams(scenario.seed, 0), { reuseSlots });
  const started = performance.now();
  sim.run();
  const seconds = (performance.now() - started) / 1000;
  await settle();
  const after = process.memoryUsage();
  const f = sim.slotFigures;
  if (ledger.entryCount < 0) throw new Error('unreachable');
  return {
    seconds,
    events: sim.events,
    arrivals: sim.viewerIds - sim.agents,
    slots: f.slots,
    capacity: f.capacity,
    slotBytes: f.bytes,
    ledgerRows: ledger.viewerRowsHeld,
    ledgerViewerBytes: ledger.viewerBytes,
    retainedBytes: after.heapUsed - before.heapUsed + (after.arrayBuffers - before.arrayBuffers),
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    rssGrowthBytes: after.rss - before.rss,
  };
}

/** `slotRun` in a child process of its own, so that its peak resident set is its own. */
function slotRunApart(
  viewers: number,
  arrivalsPerDay: number,
  days: number,
  reuseSlots: boolean,
  nonPayers = 'agents',
): SlotRun {
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--expose-gc',
      fileURLToPath(import.meta.url),
      '--slots',
      String(viewers),
      String(arrivalsPerDay),
      String(days),
      String(reuseSlots),
      nonPayers,
    ],
    { encoding: 'utf8', cwd: ROOT },
  );
  if (r.status !== 0) throw new Error(`the slot run exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1) as string) as SlotRun;
}

const mib = (bytes: number) => `${fmt(bytes / 2 ** 20, 1)} MiB`;

/**
 * A long run's memory (issue 11): with arrivals and a survival curve, departed viewers' slots go to
 * later arrivals, so the viewer table holds about the viewers present. What still grows with the run's
 * arrivals is measured between half a year and a year (the cohort table's day × age cells, which grow
 * with the days, taken out): the departed payers' records and the ledger's rows of viewers who left
 * holding coins (arrival seconds are drawn as the run reaches them).
 */
async function matureYearMemory(days: number): Promise<void> {
  const half = Math.round(days / 2);
  const reused = slotRunApart(10_000, 640, days, true);
  const kept = slotRunApart(10_000, 640, days, false);
  const halfYear = slotRunApart(10_000, 640, half, true);
  // The cohort table: active viewers, payers, new payers and gross bookings, a Float64 each per day × age.
  const cohortCells = (d: number) => 4 * 8 * d * d;
  const perArrival =
    (reused.retainedBytes - halfYear.retainedBytes - (cohortCells(days) - cohortCells(half))) /
    (reused.arrivals - halfYear.arrivals);
  console.log(
    `  memory of that year: ${fmt(reused.slots, 0)} viewer slots held (room for ${fmt(reused.capacity, 0)}) for ` +
      `${fmt(reused.arrivals, 0)} arrivals — ${fmt(kept.slots, 0)} without slot reuse; per-viewer state ` +
      `${mib(reused.slotBytes)} against ${mib(kept.slotBytes)}; held after the run (heap + typed arrays) ` +
      `${mib(reused.retainedBytes)} against ${mib(kept.retainedBytes)}; resident set ${mib(reused.rssGrowthBytes)} ` +
      `larger after it against ${mib(kept.rssGrowthBytes)}, peak ${mib(reused.maxRssBytes)} against ` +
      `${mib(kept.maxRssBytes)} (a process each)`,
  );
  console.log(
    `  still growing with the arrivals: ${fmt(perArrival, 1)} bytes per arrival (${half} → ${days} days, ` +
      `${fmt(halfYear.arrivals, 0)} → ${fmt(reused.arrivals, 0)} arrivals; a departed payer's 25-byte record, the ledger's row of a viewer who left holding coins — ${fmt(reused.ledgerRows, 0)} ` +
      `rows held for ${fmt(reused.arrivals + 10_000, 0)} viewer numbers, ${mib(reused.ledgerViewerBytes)}; the cohorts' day × age table grows with the days², ` +
      `${mib(cohortCells(days))} for ${days})`,
  );
  const crowd = slotRunApart(10_000, 640, days, true, 'crowd');
  const crowdHalf = slotRunApart(10_000, 640, half, true, 'crowd');
  console.log(
    `  with the crowd (population.nonPayers: crowd): ${fmt(crowd.seconds)} s against ${fmt(reused.seconds)} s; ` +
      `${fmt(crowd.slots, 0)} agent slots; held after the run ${mib(crowd.retainedBytes)}, peak resident set ` +
      `${mib(crowd.maxRssBytes)}; growing ${fmt(
        (crowd.retainedBytes - crowdHalf.retainedBytes - (cohortCells(days) - cohortCells(half))) /
          (crowd.arrivals - crowdHalf.arrivals),
        1,
      )} bytes per arrival (${half} → ${days} days)`,
  );
  if (process.env.BENCH_STEADY_FULL !== '1') return;
  const full = slotRunApart(100_000, 6_400, 365, true);
  const fullKept = slotRunApart(100_000, 6_400, 365, false);
  const fullCrowd = slotRunApart(100_000, 6_400, 365, true, 'crowd');
  console.log(
    `steady-365d at full size (100,000 viewers, 6,400 arrivals a day, 365 days): ${fmt(full.slots, 0)} slots ` +
      `held against ${fmt(fullKept.slots, 0)}; per-viewer state ${mib(full.slotBytes)} against ` +
      `${mib(fullKept.slotBytes)}; held after the run ${mib(full.retainedBytes)} against ` +
      `${mib(fullKept.retainedBytes)}; peak resident set ${mib(full.maxRssBytes)} against ` +
      `${mib(fullKept.maxRssBytes)}; ${fmt(full.seconds)} s against ${fmt(fullKept.seconds)} s; with the crowd ` +
      `${fmt(fullCrowd.seconds)} s, ${fmt(fullCrowd.slots, 0)} agent slots, peak resident set ${mib(fullCrowd.maxRssBytes)}`,
  );
}

async function poolSeconds(scenario: Scenario, replications: number, workers: number): Promise<number> {
  const started = performance.now();
  await runPool(replicationItems(scenario, replications, 'end'), { workers, alwaysThreads: true });
  return (performance.now() - started) / 1000;
}

async function main(): Promise<void> {
  console.log(
    `sim bench — ${os.availableParallelism()} cores, Node ${process.version}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}${quick ? ', quick' : ''}`,
  );

  const e = eventsPerSecond(MILLION);
  const rate = e.events / e.seconds;
  console.log(
    `events/s per core, invariants on (${fmt(MILLION, 0)} viewers, 1 day): ${fmt(rate / 1e6)} M ` +
      `(${fmt(e.events, 0)} events, ${fmt(e.entries, 0)} ledger entries in ${fmt(e.seconds)} s with set-up ` +
      `and end check; the event loop alone ${fmt(e.loopRate / 1e6)} M/s; ` +
      `${fmt(e.events / e.cpuSeconds / 1e6)} M per CPU-second of this process; target ≥ 5 M)`,
  );

  const m = await bytesPerViewer(MILLION);
  console.log(
    `bytes per viewer after a run (heap + typed arrays): ${fmt(m.perViewer, 1)} ` +
      `(${fmt(m.total / 2 ** 20, 1)} MiB for ${fmt(MILLION, 0)} viewers; target ≤ 64)`,
  );

  // The crowd (population.nonPayers: crowd): viewers who never pay counted, not simulated (issue 11).
  const CROWD = ['population.nonPayers=crowd'];
  const c = eventsPerSecond(MILLION, CROWD);
  const cm = await bytesPerViewer(MILLION, CROWD);
  console.log(
    `with the crowd, ${fmt(MILLION, 0)} viewers × 1 day (set-up, loop and end check): ${fmt(c.seconds)} s against ` +
      `${fmt(e.seconds)} s with one agent per viewer (${fmt(e.seconds / c.seconds)}× faster; target 3× faster than ` +
      `1.1 s); ${fmt(c.events, 0)} events; ${fmt(cm.perViewer, 1)} bytes per viewer against ${fmt(m.perViewer, 1)} ` +
      `(${fmt(cm.total / 2 ** 20, 1)} MiB); of which set-up to second 1 (payers' days before the run, warm start) ` +
      `${fmt(c.setupSeconds)} s against ${fmt(e.setupSeconds)} s`,
  );

  const million = baseline(MILLION);
  const inProcess = bestSeconds(() => {
    runReplication(million, 0);
  });
  console.log(
    `${fmt(MILLION, 0)} viewers × 1 day, one replication with results and end check: ${fmt(inProcess)} s (target ≤ 20 s)`,
  );
  console.log(`  the same through the CLI (startup, run, CSVs, report.html): ${fmt(cliSeconds(MILLION))} s`);

  // A long run costs per simulated viewer-day what a day does, or says how much more (issue 11): the
  // mature year (steady-365d) at a tenth of its size, against a one-day run of as many viewers.
  const days = quick ? 90 : 365;
  const year = steadyYear(10_000, 640, days);
  const day = steadyYear(10_000, 640, 1);
  const yearSeconds = bestSeconds(() => {
    runReplication(year, 0);
  }, 1);
  const daySeconds = bestSeconds(() => {
    runReplication(day, 0);
  });
  const perViewerDay = (seconds: number, d: number) => (1e6 * seconds) / (10_000 * d);
  console.log(
    `a mature year (steady-365d at 10,000 viewers, ${days} days, 640 arrivals a day): ${fmt(yearSeconds)} s, ` +
      `${fmt(perViewerDay(yearSeconds, days))} µs per simulated viewer-day against ${fmt(perViewerDay(daySeconds, 1))} µs ` +
      `in a one-day run (${fmt(perViewerDay(yearSeconds, days) / perViewerDay(daySeconds, 1))}×)`,
  );
  await matureYearMemory(days);

  // The issue's yardstick: 16 replications of 1,000,000 viewers on 2 workers ≥ 1.8× one worker; and at
  // 100,000 viewers, where items are too small to gain, runs default to one worker (limits.threadViewerDaysMin).
  const reps = quick ? 4 : 16;
  const tiny = baseline(100);
  const startup1 = await poolSeconds(tiny, 1, 1);
  const startup2 = await poolSeconds(tiny, 2, 2);
  for (const viewers of quick ? [100_000, 300_000] : [100_000, MILLION]) {
    const work = baseline(viewers);
    // Pairs, one worker then two, so that a neighbour slowing the machine for a while touches both
    // sides of a ratio: each pair's ratio, and their median (on this shared machine one pair's ratio
    // has swung by ±0.15 from run to run).
    const pairs: { one: number; two: number }[] = [];
    for (let i = 0; i < (viewers === MILLION ? REPEATS : 1); i++)
      pairs.push({ one: await poolSeconds(work, reps, 1), two: await poolSeconds(work, reps, 2) });
    const ratios = pairs.map((p) => p.one / p.two).sort((a, b) => a - b);
    const { one, two } = pairs[0];
    console.log(
      `speed-up of 2 worker threads over 1 (${reps} replications of ${fmt(viewers, 0)} viewers): ` +
        `${fmt(ratios[(ratios.length - 1) >> 1])}× wall, median of ${pairs.length} pair(s) ` +
        `(${ratios.map((r) => `${fmt(r)}×`).join(', ')}; first pair ${fmt(one)} s → ${fmt(two)} s, ` +
        `${fmt((one - startup1) / (two - startup2))}× without thread start-up (${fmt(startup1)} s, ${fmt(startup2)} s)); ` +
        `target ≥ 1.8× at 1,000,000; runs default to ${defaultWorkers(reps, viewerDays(work))} worker(s) here; ` +
        `load average now ${os.loadavg()[0].toFixed(2)}`,
    );
  }

  // Read the speed-up against what two cores of this machine give at all (bench/ceiling.ts).
  for (const c of await twoCoreCeiling(quick)) {
    console.log(
      `  this machine's two cores, ${c.what}: ${fmt(c.ratio)}× one core's work (${fmt(c.oneSeconds)} s alone)`,
    );
  }

  const bench = new Bench({ name: 'baseline', time: quick ? 500 : 3000, iterations: quick ? 3 : 5 });
  const scenario = baseline(100_000);
  bench.add('baseline (100,000 viewers, 1 day), one replication', () => {
    runReplication(scenario, 0);
  });
  await bench.run();
  for (const task of bench.tasks) {
    const p50 = (task.result as { latency?: { p50?: number } } | undefined)?.latency?.p50;
    console.log(`${task.name}: ${p50 === undefined ? '–' : `${fmt(p50, 0)} ms`} (median)`);
  }
}

if (process.argv[2] === '--slots') {
  const [viewers, perDay, days, reuse, nonPayers] = process.argv.slice(3);
  const run = await slotRun(
    steadyYear(Number(viewers), Number(perDay), Number(days), nonPayers),
    reuse === 'true',
  );
  console.log(JSON.stringify(run));
} else await main();
