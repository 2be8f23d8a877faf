/**
 * Departed viewers' slots go to later arrivals (sim/engine/slots.ts): the table holds about the viewers
 * present, not one slot per viewer of the run; every output is the bytes it was with a slot per viewer
 * (`reuseSlots: false`), through viral streams, price changes, payer lives and a first-purchase bonus;
 * a stale wheel entry never runs for a slot's next owner; the ledger's invariants and the cohorts hold.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runReplication } from '../../experiments/replication.ts';
import { summarizeRun } from '../../experiments/summarize.ts';
import { CSV_FILES, writeRunCsvs } from '../../reports/csv/index.ts';
import { loadScenarioFile } from '../../scenarios/load.ts';
import { modelParams } from '../../scenarios/model-params.ts';
import type { Scenario } from '../../scenarios/schema/scenario.ts';
import { Simulation } from '../../sim/engine/simulation.ts';
import { Ledger } from '../../sim/ledger/ledger.ts';
import { createStreams } from '../../sim/random/streams.ts';
import { read, tempDir } from '../sweep/support.ts';
import { SMALL_STEADY_SETS } from './support.ts';

const dir = tempDir('slot-reuse');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const STEADY = 'scenarios/steady-365d.yaml';
const BONUS = 'scenarios/first-purchase-bonus.yaml';

/** Replication `i` simulated on a plain ledger, for the engine's figures. */
function simulated(s: Scenario, reuseSlots: boolean, i = 0): { sim: Simulation; ledger: Ledger } {
  const params = modelParams(s);
  const ledger = new Ledger(s.economy, {
    journal: false,
    idempotency: false,
    viewers: params.viewers,
    creators: params.creatorSlots,
  });
  const sim = new Simulation(params, ledger, createStreams(s.seed, i), { reuseSlots });
  sim.run();
  return { sim, ledger };
}

/** A ledger that notes the viewers the engine releases. */
class Departures extends Ledger {
  readonly released = new Set<number>();
  override release(viewer: number): void {
    this.released.add(viewer);
    super.release(viewer);
  }
}

let written = 0;
/** The CSV files of replications 0 and 1, with or without reuse. */
async function csvs(s: Scenario, reuseSlots: boolean): Promise<Record<string, string>> {
  const reps = [0, 1].map((i) => runReplication(s, i, { reuseSlots }));
  const out = join(dir, String(written++));
  mkdirSync(out);
  const run = summarizeRun(s.name, s.seed, reps, 0);
  await writeRunCsvs(
    run,
    s.economy.channels.map((c) => c.id),
    out,
  );
  return Object.fromEntries(CSV_FILES.map((f) => [f, read(out, f)]));
}

async function expectSameFiles(s: Scenario): Promise<Record<string, string>> {
  const before = await csvs(s, false);
  const after = await csvs(s, true);
  for (const f of CSV_FILES) expect(after[f], f).toBe(before[f]);
  return after;
}

/** Viral streams for the test of spikes in several markets: many, long and big, so that they draw in viewers who then leave. */
const SPIKES = [
  '{kind: audience-spike, creatorRank: 1, at: 20h, for: 3h, factor: 20}',
  '{kind: audience-spike, creatorRank: 2, at: 2d, for: 2d, factor: 8}',
  '{kind: audience-spike, creatorRank: 1, at: 5d, for: 3d, factor: 15}',
];

const PRICES_AND_BURST =
  'events=[{kind: coin-bonus, at: 2d, for: 2d, channels: [web], bonus: 0.3}, ' +
  '{kind: price-change, at: 6d, channels: [app], factor: 1.2}, ' +
  '{kind: acquisition-burst, at: 3d, for: 2d, viewers: 2000}]';

const PAYER_LIVES = [
  'lifecycle.payers.firstPurchaseDays=2',
  'lifecycle.payers.payingDays=5',
  'lifecycle.payers.tenureGrowth=0.2',
];

describe('slots held', () => {
  it('a mature quarter holds about the viewers present, not a slot per arrival', () => {
    const s = loadScenarioFile(STEADY, {
      sets: ['population.viewers=2000', 'lifecycle.arrivalsPerDay=128', 'duration=90d'],
    });
    const reused = simulated(s, true).sim;
    const kept = simulated(s, false).sim;
    const arrivals = reused.viewerIds - 2000;
    expect(arrivals).toBeGreaterThan(10_000);
    // Without reuse, a slot per viewer of the run; with it, the viewers present and a growth step.
    expect(kept.slotFigures.slots).toBe(kept.viewerIds);
    expect(reused.slotFigures.slots).toBeLessThanOrEqual(2000 * 1.25);
    expect(reused.slotFigures.capacity).toBeLessThanOrEqual(2000 * 1.4);
    expect(reused.slotFigures.bytes * 3).toBeLessThan(kept.slotFigures.bytes);
    expect(reused.events).toBe(kept.events);
  });

  it("the ledger's rows: a departed viewer that holds no coins keeps none, so they follow the viewers present", () => {
    const s = loadScenarioFile(STEADY, {
      sets: ['population.viewers=2000', 'lifecycle.arrivalsPerDay=128', 'duration=90d'],
    });
    const params = modelParams(s);
    const ledger = new Departures(s.economy, { journal: false, idempotency: false });
    new Simulation(params, ledger, createStreams(s.seed, 0), {}).run();
    // The engine tells the ledger of its departures: most of the run's viewers left.
    expect(ledger.released.size).toBeGreaterThan(0.5 * ledger.viewers);
    let empty = 0;
    let holding = 0;
    for (const v of ledger.released) {
      if (ledger.coinsOf(v) !== 0) holding++;
      else {
        empty++;
        expect(ledger.holdsRow(v)).toBe(false);
      }
    }
    expect([empty, holding].every((n) => n > 0)).toBe(true);
    expect(ledger.viewerRowsHeld).toBeLessThan(params.viewers);
  });

  it('the slots of viewers present at the start go to arrivals, who keep their own numbers', () => {
    const s = loadScenarioFile(STEADY, {
      sets: [
        'population.viewers=500',
        'population.creators=10',
        'lifecycle.arrivalsPerDay=64',
        'duration=20d',
      ],
    });
    const { sim } = simulated(s, true);
    let arrivalsInStartSlots = 0;
    for (let v = 0; v < 500; v++) if (sim.viewers.idOf(v) >= 500) arrivalsInStartSlots++;
    expect(arrivalsInStartSlots).toBeGreaterThan(100);
    // Each present viewer number finds its slot, and that slot holds it.
    for (let v = 0; v < sim.viewers.count; v++) {
      const id = sim.viewers.idOf(v);
      if (id >= 0) expect(sim.slotOf(id)).toBe(v);
    }
  });
});

describe('outputs with and without reuse', () => {
  it('a row per viewer (a small mature year): every CSV the same bytes', async () => {
    const s = loadScenarioFile(STEADY, {
      sets: [
        'population.viewers=300',
        'population.creators=10',
        'lifecycle.creators.joinsPerDay=0.06',
        'lifecycle.arrivalsPerDay=40',
        'viewers.payerShare=0.3',
        'duration=40d',
      ],
    });
    const files = await expectSameFiles(s);
    // A row for each of the 300 + ~1,600 viewers (header, rows per replication and the last newline).
    expect(files['viewers.csv'].split('\n').length).toBeGreaterThan(2 * 1500);
    // The platform grows towards its steady state (40 a day × 15.6 days ≈ 620), on reused slots.
    const { sim } = simulated(s, true);
    expect(sim.slotFigures.slots * 3).toBeLessThan(sim.viewerIds);
  });

  it('segments (more viewers than rows): every CSV the same bytes', async () => {
    const s = loadScenarioFile(STEADY, {
      sets: [
        'population.viewers=2000',
        'population.creators=20',
        'lifecycle.arrivalsPerDay=1000',
        'duration=12d',
        'intervalSeconds=6h',
      ],
    });
    const files = await expectSameFiles(s);
    expect(files['viewers.csv']).toContain('payer:top1%');
    expect(simulated(s, true).sim.viewerIds).toBeGreaterThan(12_000);
  });

  it('viral streams in several markets draw the same viewers in: every CSV the same bytes', async () => {
    const s = loadScenarioFile(STEADY, {
      sets: [
        'population.viewers=800',
        'population.creators=40',
        'population.creatorsPerMarket=10',
        'lifecycle.arrivalsPerDay=300',
        'duration=8d',
        'intervalSeconds=6h',
        'viewers.sessionsPerDay=6',
        `events=[${SPIKES.join(', ')}]`,
      ],
    });
    await expectSameFiles(s);
    const { sim } = simulated(s, true);
    expect(sim.slotFigures.slots).toBeLessThan(0.6 * sim.viewerIds);
    expect(sim.slotFigures.deferredFrees).toBeGreaterThan(0);
  });

  it('price changes, payer lives, a burst and a first-purchase bonus: every CSV the same bytes', async () => {
    const s = loadScenarioFile(BONUS, {
      sets: [
        'population.viewers=1500',
        'duration=12d',
        'lifecycle.arrivalsPerDay=500',
        'intervalSeconds=6h',
        PRICES_AND_BURST,
        ...PAYER_LIVES,
      ],
    });
    await expectSameFiles(s);
    // The bonus is keyed on the viewer number: an arrival in a start viewer's slot gets it too (keyed on
    // the slot it would not, and the files above would differ). Some first packs are bought.
    const bonusPacks = runReplication(s, 0).packs.filter((p) => p.pack.endsWith('-b100'));
    expect(bonusPacks.reduce((n, p) => n + p.purchases, 0)).toBeGreaterThan(100);
  });
});

describe('stale wheel entries', () => {
  // Payers gifting every few seconds, viral streams drawing in viewers who waited for their next
  // session (that entry turns stale), lives of hours: a stale entry of a departed viewer often falls on
  // a second its slot's next owner has an event in. Freed at once, that owner's event would run at the
  // stale entry's place in the second (out of the order without reuse), and this run's files differ.
  const spikes = Array.from(
    { length: 40 },
    (_, i) => `{kind: audience-spike, creatorRank: ${1 + (i % 3)}, at: ${3 * i + 1}h, for: 2h, factor: 30}`,
  );
  const s = loadScenarioFile(STEADY, {
    sets: [
      'population.viewers=400',
      'population.creators=8',
      'lifecycle.arrivalsPerDay=3000',
      'lifecycle.creators.joinsPerDay=0',
      'lifecycle.survival=[{day: 0.1, share: 0.3}, {day: 1, share: 0.05}]',
      'duration=5d',
      'intervalSeconds=6h',
      'viewers.payerShare=1',
      'viewers.giftsPerHour=600',
      'viewers.sessionsPerDay=4',
      'viewers.sessionMinutes=60',
      `events=[${spikes.join(', ')}]`,
    ],
  });

  it('a slot waits for its last entry before its next owner takes it, and the run is the run without reuse', () => {
    expect(simulated(s, true).sim.slotFigures.deferredFrees).toBeGreaterThan(100);
    const reused = runReplication(s, 0);
    const kept = runReplication(s, 0, { reuseSlots: false });
    expect(reused.events).toBe(kept.events);
    expect(reused).toEqual(kept);
  });

  it('a departed viewer never has another event (its duplicate entries in its last second are void)', () => {
    // Price changes reschedule new payers in mid-session: a duplicate entry on the second a viewer
    // leaves for good used to restart it. The engine asserts no absent viewer has an event.
    const prices = loadScenarioFile(BONUS, {
      sets: [
        'population.viewers=1500',
        'duration=12d',
        'lifecycle.arrivalsPerDay=500',
        'events=[{kind: coin-bonus, at: 2d, for: 2d, channels: [web], bonus: 0.3}, {kind: price-change, at: 6d, channels: [app], factor: 1.2}]',
        ...PAYER_LIVES,
      ],
    });
    for (const reuse of [false, true]) expect(() => simulated(prices, reuse)).not.toThrow();
  });
});

describe('the ledger and the cohorts with reuse', () => {
  const s = loadScenarioFile(STEADY, {
    sets: [...SMALL_STEADY_SETS, 'duration=120d'],
  });

  it('keeps every invariant, on every entry and at the end, with an account per viewer number', () => {
    const r = runReplication(s, 0, { check: 'all' });
    expect(r.invariants.violations).toEqual([]);
    expect(r.invariants.entries).toBeGreaterThan(1000);
    const { sim, ledger } = simulated(s, true);
    expect(sim.slotFigures.slots).toBeLessThan(400);
    // Arrivals traded under their numbers, past every slot the table has.
    expect(ledger.viewers).toBeGreaterThan(sim.viewers.capacity);
    expect(ledger.viewers).toBeLessThanOrEqual(sim.viewerIds);
  });

  it('counts each arrival once in its cohort, and the cohorts are those without reuse', () => {
    const reused = runReplication(s, 0);
    const kept = runReplication(s, 0, { reuseSlots: false });
    expect(reused.cohorts).toEqual(kept.cohorts);
    const arrivals = reused.kpis.viewers - 300;
    const counted = new Map(reused.cohorts.map((c) => [c.cohortDay, c.newViewers]));
    const total = [...counted.values()].reduce((a, b) => a + b, 0);
    // Every cohort but the last day's has rows (that one has lived no whole day).
    expect(arrivals - total).toBeGreaterThanOrEqual(0);
    expect(arrivals - total).toBeLessThan(60);
    for (const k of [
      'retentionD1',
      'retentionD7',
      'retentionD30',
      'payerConversionD30',
      'ltvD30Cents',
    ] as const)
      expect(reused.kpis[k], k).toBe(kept.kpis[k]);
    expect(reused.kpis.retentionD30).toBeGreaterThan(0);
  });
});
