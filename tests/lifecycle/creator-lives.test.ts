/**
 * Creators who join and leave (`lifecycle.creators`, sim/engine/creator-lives.ts) against closed forms:
 * with exponential careers of mean L and J joins a day spread evenly, the creators present at day d
 * number C0 × e^(−d/L) + J × L × (1 − e^(−d/L)), within the replications' 95 % CI; joins follow the
 * creators' daily rhythm. Off — or on with careers nobody ends within the run — the run is the run
 * before; a multi-day run with creators leaving keeps every invariant, and nobody gifts to a creator
 * before it joins or after it leaves.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../common/csv-read.ts';
import { readOpLog } from '../../experiments/oplog/files.ts';
import { runReplication } from '../../experiments/replication.ts';
import { describe as ci } from '../../experiments/stats.ts';
import { summarizeRun } from '../../experiments/summarize.ts';
import { creatorsTable } from '../../reports/csv/tables.ts';
import { writeCsv } from '../../reports/csv/write-csv.ts';
import { loadScenarioFile } from '../../scenarios/load.ts';
import { modelParams } from '../../scenarios/model-params.ts';
import { runLedgerOptions } from '../../sim/engine/crowd.ts';
import { Simulation } from '../../sim/engine/simulation.ts';
import { checkLedgerState } from '../../sim/invariants/ledger-state.ts';
import type { Status } from '../../sim/kernel/status.ts';
import { Ledger } from '../../sim/ledger/ledger.ts';
import { createStreams } from '../../sim/random/streams.ts';
import { scenario } from '../sim/support.ts';
import { giftlab, tempDir } from '../sweep/support.ts';
import { legacyDigest } from './support.ts';

const REPLICATIONS = 8;

/** Creators alone: nobody pays, so only streams, joins and careers are simulated. */
function careers(creators: number, lives: Record<string, number>, over: Record<string, unknown> = {}) {
  return scenario({
    duration: '8d',
    intervalSeconds: '1d',
    population: { viewers: 100, creators },
    viewers: { payerShare: 0 },
    lifecycle: { creators: lives },
    ...over,
  });
}

function present(s: ReturnType<typeof scenario>, day: number): number[] {
  return Array.from({ length: REPLICATIONS }, (_, i) => runReplication(s, i).timeseries[day].creatorsPresent);
}

function expectWithinCi(values: number[], expected: number, what: string): void {
  const stat = ci(values);
  const shown = `${what}: expected ${expected.toFixed(1)}, ${stat.mean} (95 % CI ${stat.ci95[0].toFixed(1)} – ${stat.ci95[1].toFixed(1)})`;
  expect(expected, shown).toBeGreaterThanOrEqual(stat.ci95[0]);
  expect(expected, shown).toBeLessThanOrEqual(stat.ci95[1]);
}

describe('creators who join and leave, in closed form', () => {
  // 400 creators, careers of 3 days on average, nobody joining: day d opens with 400 × e^(−d/3).
  const decay = careers(400, { careerDays: 3 });
  const decayRuns = Array.from({ length: REPLICATIONS }, (_, i) => runReplication(decay, i).timeseries);
  it.each([1, 3, 6])('no joins: creators present at day %i = C0 × e^(−d / L)', (d) => {
    expectWithinCi(
      decayRuns.map((rows) => rows[d].creatorsPresent),
      400 * Math.exp(-d / 3),
      `day ${d}`,
    );
  });

  // 50 creators, 100 joining a day, careers of 3 days: towards the steady state J × L = 300.
  const growth = careers(50, { joinsPerDay: 100, careerDays: 3 });
  const growthRuns = Array.from({ length: REPLICATIONS }, (_, i) => runReplication(growth, i).timeseries);
  it.each([1, 3, 6])('joins: creators present at day %i = C0 × e^(−d/L) + J × L × (1 − e^(−d/L))', (d) => {
    const decayed = Math.exp(-d / 3);
    expectWithinCi(
      growthRuns.map((rows) => rows[d].creatorsPresent),
      50 * decayed + 100 * 3 * (1 - decayed),
      `day ${d}`,
    );
  });

  it('starting at the steady state J × L, the platform stays there', () => {
    const steady = careers(300, { joinsPerDay: 100, careerDays: 3 });
    expectWithinCi(present(steady, 4), 300, 'day 4');
    expectWithinCi(present(steady, 7), 300, 'day 7');
  });

  it('exactly round(joinsPerDay × days) creators join, each in a slot after those of the start', () => {
    const r = runReplication(careers(50, { joinsPerDay: 12.4 }, { duration: '5d' }), 0);
    expect(r.creators.length).toBe(50 + 62);
    // Nobody leaves: the present count only grows, by the joins.
    const counts = r.timeseries.map((row) => row.creatorsPresent);
    expect(counts[0]).toBe(50);
    expect(counts.every((n, i) => i === 0 || n >= counts[i - 1])).toBe(true);
    expect(counts[4]).toBeGreaterThan(50 + 62 * 0.6);
    // Every joining creator goes live as it joins: each has streamed.
    expect(r.creators.slice(50).every((c) => c.streams >= 1)).toBe(true);
  });

  // A rhythm peaking at noon with amplitude a: the 12 hours around the peak hold 1/2 + a/π of a
  // day's joins (∫ of the cosine over half a day); a flat day, one half.
  it.each([0.6, 0])(
    'joins follow creators.diurnal: amplitude %d puts 1/2 + a/π of them in 06:00–18:00',
    (amplitude) => {
      const share = 0.5 + amplitude / Math.PI;
      const s = careers(
        1,
        { joinsPerDay: 1200 },
        {
          duration: '4d',
          intervalSeconds: '1h',
          creators: { diurnal: { peakHour: 12, amplitude } },
        },
      );
      const shares = Array.from({ length: 6 }, (_, i) => {
        const rows = runReplication(s, i).timeseries;
        let day = 0;
        let all = 0;
        for (let h = 0; h + 1 < rows.length; h++) {
          const joined = rows[h + 1].creatorsPresent - rows[h].creatorsPresent;
          all += joined;
          if (h % 24 >= 6 && h % 24 < 18) day += joined;
        }
        return day / all;
      });
      expectWithinCi(shares, share, '06:00–18:00');
    },
  );
});

describe('off, the run is the run before', () => {
  it.each([
    ['baseline', 0, 'f1b6679ab1b862e4'],
    ['viral-spike', 0, 'b76cb6dee42c346b'],
  ] as const)(
    '%s replication %i with the block at its defaults gives the pinned tables',
    (file, rep, pin) => {
      const off = ['lifecycle.creators.joinsPerDay=0', 'lifecycle.creators.careerDays=0'];
      expect(legacyDigest(file, rep, off)).toBe(pin);
    },
  );

  // Careers on but far longer than the run: nobody leaves, and the catalogue of those present (which
  // every video gift draws from, liveShare 0) picks as the fixed one did, draw for draw.
  it('careers nobody ends within the run give the same tables as none', () => {
    const over = { duration: '2d', viewers: { payerShare: 0.3 } };
    const on = runReplication(scenario({ ...over, lifecycle: { creators: { careerDays: 10_000 } } }), 1);
    expect(on.timeseries.at(-1)?.creatorsPresent).toBe(20);
    expect(on.kpis.giftsSent).toBeGreaterThan(300);
    expect(on).toEqual(runReplication(scenario(over), 1));
  });

  it('careers that end do change the run (the test above could fail)', () => {
    const over = { duration: '2d', viewers: { payerShare: 0.3 } };
    const on = runReplication(scenario({ ...over, lifecycle: { creators: { careerDays: 1 } } }), 1);
    expect(on.timeseries.at(-1)?.creatorsPresent).toBeLessThan(20);
    expect(on.creators).not.toEqual(runReplication(scenario(over), 1).creators);
  });
});

/** A ledger that notes who receives gifts and who withdraws, and when. */
class Watching extends Ledger {
  readonly gifts: number[] = [];
  readonly withdrawals: number[] = [];

  override gift(
    viewer: number,
    creator: number,
    gift: number,
    count: number,
    at: number,
    opId?: string,
  ): Status {
    this.gifts.push(creator, at);
    return super.gift(viewer, creator, gift, count, at, opId);
  }

  override withdraw(creator: number, diamonds: number, at: number, opId?: string): Status {
    this.withdrawals.push(creator, at);
    return super.withdraw(creator, diamonds, at, opId);
  }
}

/** One run on a Watching ledger, its invariants checked. */
function watchedRun(s: ReturnType<typeof scenario>) {
  const params = modelParams(s);
  const ledger = new Watching(s.economy, runLedgerOptions(params));
  const sim = new Simulation(params, ledger, createStreams(s.seed, 0));
  sim.run();
  expect(checkLedgerState(ledger).violationCount).toBe(0);
  return { params, ledger, lives: sim.creatorLives };
}

/** Gifts before a creator joined or in/after its leaving second, and withdrawals in/after it. */
function outsideCareers(ledger: Watching, lives: Simulation['creatorLives']) {
  let [early, late, lateWithdrawals] = [0, 0, 0];
  for (let i = 0; i < ledger.gifts.length; i += 2) {
    const [c, at] = [ledger.gifts[i], ledger.gifts[i + 1]];
    if (at < lives.joinOf(c)) early++;
    if (at >= lives.leaveOf(c)) late++;
  }
  for (let i = 0; i < ledger.withdrawals.length; i += 2)
    if (ledger.withdrawals[i + 1] >= lives.leaveOf(ledger.withdrawals[i])) lateWithdrawals++;
  return { early, late, lateWithdrawals };
}

describe('careers of seconds: a creator leaves first thing in its leaving second', () => {
  // Careers of about 9 s and 200 joins a day: many gifts fall in some creator's leaving second.
  const s = scenario({
    population: { viewers: 2000, creators: 20 },
    viewers: { liveShare: 0.5 },
    creators: { withdrawAtDiamonds: 100 },
    lifecycle: { creators: { careerDays: 0.0001, joinsPerDay: 200 } },
  });

  it('no gift or withdrawal reaches a creator in its leaving second', () => {
    const { ledger, lives } = watchedRun(s);
    expect(ledger.gifts.length / 2).toBeGreaterThan(500);
    expect(ledger.withdrawals.length / 2).toBeGreaterThan(100);
    expect(outsideCareers(ledger, lives)).toEqual({ early: 0, late: 0, lateWithdrawals: 0 });
  });

  it("a viral spike starting in its creator's leaving second passes it by", () => {
    const base = {
      population: { viewers: 200, creators: 20 },
      viewers: { payerShare: 0 },
      creators: { streamsPerDay: 4, streamMinutes: 30 },
      lifecycle: { creators: { careerDays: 0.5 } },
    };
    const lives = watchedRun(scenario(base)).lives;
    const leaving = Array.from({ length: 20 }, (_, c) => c).filter(
      (c) => lives.leaveOf(c) >= 120 && lives.leaveOf(c) < 86_000,
    );
    expect(leaving.length).toBeGreaterThan(5);
    for (const c of leaving) {
      const at = lives.leaveOf(c);
      const spiked = {
        ...base,
        events: [{ kind: 'audience-spike', creatorRank: c + 1, at, for: 600, factor: 5 }],
      };
      const run = watchedRun(scenario(spiked));
      expect(run.lives.isPresent(c), `creator ${c}`).toBe(false);
    }
  });
});

describe('two months of creators joining and leaving', () => {
  const s = loadScenarioFile('scenarios/steady-365d.yaml', {
    sets: [
      'duration=60d',
      'population.viewers=400',
      'population.creators=30',
      'lifecycle.arrivalsPerDay=25',
      'lifecycle.creators.joinsPerDay=1',
      'lifecycle.creators.careerDays=20',
      'viewers.payerShare=0.3',
      'creators.withdrawAtDiamonds=2000',
    ],
  });

  it('keeps every invariant, on every entry and at the end', () => {
    const r = runReplication(s, 0, { check: 'all' });
    expect(r.invariants.violations).toEqual([]);
    expect(r.invariants.entries).toBeGreaterThan(1000);
    expect(r.creators.length).toBe(90);
    const counts = r.timeseries.map((row) => row.creatorsPresent);
    expect(Math.min(...counts)).toBeLessThan(30);
    expect(r.creators.slice(30).some((c) => c.giftsReceived > 0 && c.withdrawnCents > 0)).toBe(true);
  });

  it('says in creators.csv when each creator joined and left (an empty cell: it stayed to the end)', async () => {
    const rows = runReplication(s, 0).creators;
    const { params, lives } = watchedRun(s);
    expect(rows.length).toBe(params.creatorSlots);
    for (const row of rows) {
      expect(row.joinedSeconds).toBe(lives.joinOf(row.creator));
      const left = lives.leaveOf(row.creator);
      if (left < params.durationSeconds) expect(row.leftSeconds).toBe(left);
      else expect(row.leftSeconds).toBeNaN();
    }
    expect(rows.filter((r) => r.joinedSeconds > 0).length).toBe(60);
    expect(rows.filter((r) => !Number.isNaN(r.leftSeconds)).length).toBeGreaterThan(20);
    const table = creatorsTable(summarizeRun('s', 0, [runReplication(s, 0)], 1));
    expect(table.header.slice(-2)).toEqual(['joinedSeconds', 'leftSeconds']);
    // As written: a creator that stayed has an empty leftSeconds cell (writeCsv's rule for absent values).
    const file = join(mkdtempSync(join(tmpdir(), 'giftlab-careers-')), 'creators.csv');
    await writeCsv(file, table.header, table.rows());
    const cells = parseCsv(readFileSync(file, 'utf8'))
      .slice(1)
      .map((r) => r.slice(-2));
    expect(cells.some(([, left]) => left === '')).toBe(true);
    expect(cells.every(([joined, left]) => left === '' || Number(left) > Number(joined))).toBe(true);
  });

  it('gives no gift to a creator before it joins or after it leaves, and no withdrawal after', () => {
    const { params, ledger, lives } = watchedRun(s);
    expect(outsideCareers(ledger, lives)).toEqual({ early: 0, late: 0, lateWithdrawals: 0 });
    // Creators did leave mid-run, some with diamonds they never withdrew: the ledger keeps them.
    const gone = Array.from({ length: params.creatorSlots }, (_, c) => c).filter(
      (c) => lives.leaveOf(c) < params.durationSeconds,
    );
    expect(gone.length).toBeGreaterThan(20);
    expect(gone.some((c) => ledger.diamondsOf(c) > 0)).toBe(true);
    expect(ledger.gifts.length / 2).toBeGreaterThan(1000);
  });
});

describe('bad input and the operation log', () => {
  it('a negative career, a misspelt field and too many creators are refused (exit 2), naming each', async () => {
    const out = join(tempDir('careers'), 'run');
    const r = await giftlab([
      'run',
      'scenarios/baseline.yaml',
      '--set',
      'lifecycle.creators.careerDays=-2',
      '--set',
      'lifecycle.creators.joinsperday=3',
      '--out',
      out,
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('lifecycle.creators.careerDays');
    expect(r.err).toMatch(/expected >= 0, found -2/);
    expect(r.err).toMatch(
      /lifecycle\.creators\.joinsperday.*expected no such field \(did you mean joinsPerDay\?\)/,
    );
    const many = await giftlab([
      'run',
      'scenarios/baseline.yaml',
      '--set',
      'population.viewers=40000000',
      '--set',
      'population.creators=4999990',
      '--set',
      'lifecycle.creators.joinsPerDay=11',
      '--out',
      out,
    ]);
    expect(many.code).toBe(2);
    expect(many.err).toContain(
      'lifecycle.creators.joinsPerDay (from --set lifecycle.creators.joinsPerDay=11): expected at most 5,000,000 creators in all (population.creators 4,999,990 + 11 joining over the run), found 11',
    );
  });

  it('--journal counts the creators who join against its bound, and records their operations', async () => {
    const dir = tempDir('careers-journal');
    const small = [
      '--set',
      'population.viewers=2000',
      '--set',
      'population.creators=20',
      '--set',
      'duration=2d',
    ];
    const refused = await giftlab([
      'run',
      'scenarios/baseline.yaml',
      ...small,
      '--set',
      'lifecycle.creators.joinsPerDay=13661',
      '--set',
      'duration=8d',
      '--journal',
      '--out',
      join(dir, 'refused'),
    ]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('population.creators + lifecycle.creators.joinsPerDay');
    expect(refused.err).toContain('20 + 109,288 joining');
    const ok = await giftlab([
      'run',
      'scenarios/baseline.yaml',
      ...small,
      '--set',
      'lifecycle.creators.joinsPerDay=10',
      '--set',
      'lifecycle.creators.careerDays=1',
      '--journal',
      '--quiet',
      '--out',
      join(dir, 'ok'),
    ]);
    expect(ok.code, ok.err).toBe(0);
    // The header's creators count the joins, so the log reads back with their operations in it.
    const log = await readOpLog(join(dir, 'ok', 'ops.jsonl'));
    expect(log.header.population.creators).toBe(40);
    expect(log.ops.some((op) => op.kind !== 'purchase' && op.creator >= 20)).toBe(true);
  });
});
