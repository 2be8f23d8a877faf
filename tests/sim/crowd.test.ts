/**
 * The crowd (population.nonPayers: crowd): viewers who can never pay, counted per market and per stream
 * instead of simulated one by one. In closed form (an on/off process whose numbers are easy to write
 * down), against the per-agent model on runs small enough for both (audiences, concurrency, distinct
 * viewers, what payers do), and as a run: invariants, determinism, memory that follows payers, bad input.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { runReplication } from '../../experiments/replication.ts';
import type { ReplicationResult } from '../../experiments/result.ts';
import { describe as ci, studentTQuantile } from '../../experiments/stats.ts';
import { loadScenarioFile } from '../../scenarios/load.ts';
import type { Scenario } from '../../scenarios/schema/scenario.ts';
import { ABSENT, IN_SESSION, LIVE, potentialShare } from '../../sim/model/viewers.ts';
import { binomial } from '../../sim/random/draws.ts';
import { createStreams } from '../../sim/random/streams.ts';
import { captureIo } from '../support/io.ts';
import { scenario, simulated } from './support.ts';

function expectWithinCi(values: number[], expected: number, what: string): void {
  const stat = ci(values);
  const says = `${what}: ${stat.mean} (95 % CI ${stat.ci95[0]} – ${stat.ci95[1]}), expected ${expected}`;
  expect(expected, says).toBeGreaterThanOrEqual(stat.ci95[0]);
  expect(expected, says).toBeLessThanOrEqual(stat.ci95[1]);
}

/** Two sets of replications agree: the difference of their means is within its 99 % interval (Welch). */
function expectAgree(a: number[], b: number[], what: string): void {
  const sa = ci(a);
  const sb = ci(b);
  const variance = (xs: number[], mean: number) =>
    xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1);
  const se = Math.sqrt(variance(a, sa.mean) / a.length + variance(b, sb.mean) / b.length);
  const df = Math.min(a.length, b.length) - 1;
  const bound = studentTQuantile(0.995, df) * se;
  expect(
    Math.abs(sa.mean - sb.mean),
    `${what}: agents ${sa.mean.toFixed(2)}, crowd ${sb.mean.toFixed(2)} (99 % bound on the difference ${bound.toFixed(2)})`,
  ).toBeLessThanOrEqual(bound);
}

/**
 * `n` replications of a scenario with one agent per viewer and with the crowd, and `both(what, f)` to
 * assert that f agrees between them.
 */
function bothModes(file: string, sets: string[], n: number) {
  return bothOf(
    (nonPayers) => loadScenarioFile(file, { sets: [...sets, `population.nonPayers=${nonPayers}`] }),
    n,
  );
}

/** bothModes for a scenario made in the test: `make(nonPayers)`. */
function bothOf(make: (nonPayers: 'agents' | 'crowd') => Scenario, n: number) {
  const runs = (nonPayers: 'agents' | 'crowd') =>
    Array.from({ length: n }, (_, i) => runReplication(make(nonPayers), i));
  const agents = runs('agents');
  const crowd = runs('crowd');
  const both = (what: string, f: (r: ReplicationResult) => number) =>
    expectAgree(agents.map(f), crowd.map(f), what);
  return { agents, crowd, both };
}

describe('binomial draws', () => {
  it('stay within 0..n, give 0 and n at the edges', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.nat(),
        (n, p, seed) => {
          const k = binomial(createStreams(seed, 0).crowd, n, p);
          expect(Number.isInteger(k) && k >= 0 && k <= n).toBe(true);
        },
      ),
    );
    const rng = createStreams(1, 0).crowd;
    expect(binomial(rng, 50, 0)).toBe(0);
    expect(binomial(rng, 50, 1)).toBe(50);
    expect(binomial(rng, 0, 0.3)).toBe(0);
  });

  it.each([
    [20, 0.05], // inversion, small mean
    [1_000_000, 0.00002], // inversion at a large n
    [100_000, 0.02], // geometric skips (mean 2,000)
    [40, 0.8], // p above 0.5: drawn as n − Binomial(n, 1 − p)
  ])('Binomial(%i, %f) has mean np and variance np(1 − p)', (n, p) => {
    const rng = createStreams(3, 0).crowd;
    const draws = Array.from({ length: 4000 }, () => binomial(rng, n, p));
    const mean = draws.reduce((s, x) => s + x, 0) / draws.length;
    const variance = draws.reduce((s, x) => s + (x - mean) ** 2, 0) / (draws.length - 1);
    const sd = Math.sqrt(n * p * (1 - p));
    expect(Math.abs(mean - n * p), `mean ${mean}`).toBeLessThan((4 * sd) / Math.sqrt(draws.length));
    expect(variance / (sd * sd), `variance ${variance}`).toBeGreaterThan(0.9);
    expect(variance / (sd * sd), `variance ${variance}`).toBeLessThan(1.1);
  });
});

describe('the crowd in closed form', () => {
  // Nobody can pay, so the crowd is everyone: an on/off process per viewer, sessions of mean m and gaps
  // of mean g (whole seconds: each ends in a second with chance 1 − e^(−1/m), so it lasts 1/(1 − e^(−1/m))
  // on average, about m + ½; gaps likewise), with no daily rhythm.
  const N = 20_000;
  const L = 3600;
  const m = 3600;
  const g = 86_400 / 6 - m;
  const onMean = 1 / -Math.expm1(-1 / m);
  const offMean = 1 / -Math.expm1(-1 / g);
  const onShare = onMean / (onMean + offMean);
  const s = scenario({
    population: { viewers: N, nonPayers: 'crowd' },
    viewers: { payerShare: 0, sessionsPerDay: 6, sessionMinutes: m / 60, liveShare: 0.5 },
  });
  const runs = Array.from({ length: 6 }, (_, i) => runReplication(s, i));
  const perRun = (f: (r: ReplicationResult) => number[]) =>
    runs.map((r) => f(r).reduce((a, b) => a + b, 0) / f(r).length);

  it('holds N × m / (m + g) viewers in a session at any moment', () => {
    expectWithinCi(
      perRun((r) => r.timeseries.map((i) => i.activeViewers)),
      N * onShare,
      'viewers in a session at the start of an interval',
    );
  });

  it('counts N × (on + off × (1 − e^(−L/g))) distinct viewers in an interval of L seconds', () => {
    const expected = N * (onShare + (1 - onShare) * -Math.expm1(-L / offMean));
    expectWithinCi(
      perRun((r) => r.timeseries.map((i) => i.viewersActive)),
      expected,
      'distinct viewers in an interval',
    );
  });

  it('spends a share liveShare of its watching in live streams', () => {
    // viewer-seconds in streams over a day = N × on share × liveShare × a day (creators always live enough).
    const hours = runs.map((r) => r.audience.reduce((a, b) => a + b.viewerHours, 0));
    const live = ci(hours).mean / (N * onShare * 24);
    expect(live).toBeGreaterThan(0.45);
    expect(live).toBeLessThan(0.5 + 1e-9);
  });

  it('stands for every viewer in the KPIs but holds no agent', () => {
    for (const r of runs) {
      expect(r.kpis.viewers).toBe(N);
      expect(r.kpis.payers).toBe(0);
      expect(r.viewers.find((v) => v.segment === 'non-payer')?.viewers).toBe(N);
    }
    expect(simulated(s, 0).sim.viewers.count).toBe(0);
  });
});

describe('the crowd agrees with one agent per viewer', () => {
  // The baseline's people at 30,000 viewers in 3 markets, with a viral spike (the crowd is drawn in too).
  const sets = ['population.viewers=30000', 'population.creatorsPerMarket=100', 'viewers.payerShare=0.2'];
  const { agents, both } = bothModes('scenarios/viral-spike.yaml', sets, 10);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

  it('in viewers in a session, distinct viewers per hour and live streams', () => {
    both('viewers in a session', (r) => sum(r.timeseries.map((i) => i.activeViewers)));
    both('distinct viewers per hour', (r) => sum(r.timeseries.map((i) => i.viewersActive)));
    both('viewers in a session at 21:00', (r) => r.timeseries[21].activeViewers);
    both('viewers in a session at 00:00 (the warm start)', (r) => r.timeseries[0].activeViewers);
  });

  it('in viewer-hours by audience size (audience.csv)', () => {
    const bins = new Set(
      agents.flatMap((r) => r.audience.filter((b) => b.viewerHours > 200).map((b) => b.audienceMin)),
    );
    expect(bins.size).toBeGreaterThan(4);
    for (const min of bins)
      both(
        `viewer-hours in streams of ${min}+ viewers`,
        (r) => r.audience.find((b) => b.audienceMin === min)?.viewerHours ?? 0,
      );
  });

  it('in the spiking stream and the top creators’ peak audiences', () => {
    both('peak audience of the spiking creator', (r) => r.creators[0].peakAudience);
    both('mean peak audience', (r) => sum(r.creators.map((c) => c.peakAudience)) / r.creators.length);
  });

  it('in what payers do', () => {
    both('payers', (r) => r.kpis.payers);
    both('gifts sent', (r) => r.kpis.giftsSent);
  });
});

describe('a crowd run', () => {
  const s = loadScenarioFile('scenarios/viral-spike.yaml', {
    sets: ['population.viewers=20000', 'population.nonPayers=crowd'],
  });

  it('keeps every invariant, entry by entry, and is the same run for the same seed', () => {
    const r = runReplication(s, 0, { check: 'all' });
    expect(r.invariants.violationCount).toBe(0);
    expect(r.kpis.giftsSent).toBeGreaterThan(0);
    expect(runReplication(s, 1)).toEqual(runReplication(s, 1));
    expect(runReplication(s, 1).kpis.giftsSent).not.toBe(r.kpis.giftsSent);
  });

  it('keeps every invariant with creators joining and leaving, their streams’ crowds moving on', () => {
    const careers = loadScenarioFile('scenarios/baseline.yaml', {
      sets: [
        'population.viewers=10000',
        'population.nonPayers=crowd',
        'duration=3d',
        'lifecycle.creators.joinsPerDay=40',
        'lifecycle.creators.careerDays=1',
      ],
    });
    const r = runReplication(careers, 0, { check: 'all' });
    expect(r.invariants.violationCount).toBe(0);
    expect(r.timeseries.at(-1)?.creatorsPresent).toBeGreaterThan(0);
    expect(r.timeseries.reduce((a, i) => a + i.activeViewers, 0)).toBeGreaterThan(0);
  });

  it.each([
    ['at fixed prices', 'events=[]'],
    ['with a price cut that converts more', 'events=[{kind: price-change, at: 12h, factor: 0.6}]'],
  ])('holds agents for the viewers a price could make pay only (%s)', (_, events) => {
    const priced = loadScenarioFile('scenarios/baseline.yaml', {
      sets: ['population.viewers=20000', 'population.nonPayers=crowd', events],
    });
    const { sim, params } = simulated(priced, 0);
    const expected = 20_000 * potentialShare(params);
    if (priced.events.length > 0) expect(potentialShare(params)).toBeGreaterThan(params.payerShare * 1.01);
    expect(Math.abs(sim.viewers.count - expected), `${sim.viewers.count} agents`).toBeLessThan(
      6 * Math.sqrt(expected),
    );
    expect(sim.viewerCount).toBe(20_000);
  });
});

describe('the crowd’s books', () => {
  const cases: [string, string, string[]][] = [
    ['one market', 'scenarios/baseline.yaml', []],
    ['20 markets and a spike', 'scenarios/viral-spike.yaml', ['population.creatorsPerMarket=10']],
    ['nobody can pay', 'scenarios/viral-spike.yaml', ['viewers.payerShare=0']],
    ['everyone can pay', 'scenarios/baseline.yaml', ['viewers.payerShare=1']],
    ['only videos', 'scenarios/viral-spike.yaml', ['viewers.liveShare=0']],
    ['nobody streams', 'scenarios/baseline.yaml', ['creators.streamsPerDay=0']],
    [
      'creators who come and go',
      'scenarios/viral-spike.yaml',
      [
        'lifecycle.creators.joinsPerDay=50',
        'lifecycle.creators.careerDays=0.3',
        'population.creatorsPerMarket=50',
      ],
    ],
    ['churn alone', 'scenarios/baseline.yaml', ['lifecycle.survival=[{day: 0.5, share: 0.5}]']],
    ['arrivals and churn', 'scenarios/launch-90d.yaml', ['duration=3d', 'events[0].viewers=4000']],
    [
      'arrivals, churn, a spike and 20 markets',
      'scenarios/viral-spike.yaml',
      [
        'population.creatorsPerMarket=10',
        'lifecycle.arrivalsPerDay=20000',
        'lifecycle.survival=[{day: 0.2, share: 0.5}]',
      ],
    ],
  ];
  it.each(cases)('add up at the end of a run (%s)', (_, file, sets) => {
    const s = loadScenarioFile(file, {
      sets: ['population.viewers=5000', 'population.nonPayers=crowd', ...sets],
    });
    const { sim, params } = simulated(s, 0);
    const crowd = sim.crowd as NonNullable<typeof sim.crowd>;
    let crowdOn = 0;
    for (let m = 0; m < params.markets; m++) {
      crowdOn += crowd.on[m];
      expect(crowd.on[m], `market ${m}: on = videos + streams`).toBe(crowd.video[m] + crowd.live.totalOf(m));
      expect(crowd.on[m]).toBeLessThanOrEqual(crowd.size[m]);
      expect(crowd.seenOff[m]).toBeGreaterThanOrEqual(0);
      expect(crowd.seenOff[m]).toBeLessThanOrEqual(crowd.size[m] - crowd.on[m]);
    }
    let agentsOn = 0;
    for (let v = 0; v < sim.viewers.count; v++) {
      const state = sim.viewers.state(v);
      if ((state & IN_SESSION) !== 0) agentsOn++;
      const c = sim.viewers.watching(v);
      // An agent watches streams of its own market only.
      if ((state & LIVE) !== 0) expect(c % params.markets).toBe(crowd.marketOf[v]);
    }
    expect(sim.activeViewers).toBe(agentsOn + crowdOn);
    // Per market: its classes (the members present at the start, then each hour's arrivals) add up to
    // it, and its present agents are those the spikes draw from.
    const counted = params.lifecycle.survival !== undefined || crowd.classes > 1;
    for (let m = 0; m < params.markets && counted; m++) {
      let size = 0;
      let on = 0;
      for (let j = 0; j < crowd.classes; j++) {
        const k = crowd.classCounts(j * params.markets + m);
        expect(k.on).toBeGreaterThanOrEqual(0);
        expect(k.on).toBeLessThanOrEqual(k.size);
        size += k.size;
        on += k.on;
      }
      expect(size, `market ${m}: its classes' members`).toBe(crowd.size[m]);
      expect(on, `market ${m}: its classes' members in a session`).toBe(crowd.on[m]);
      let present = 0;
      for (let v = 0; v < sim.viewers.count; v++)
        if (sim.viewers.idOf(v) >= 0 && (sim.viewers.state(v) & ABSENT) === 0 && crowd.marketOf[v] === m)
          present++;
      expect(crowd.agentsIn(m), `market ${m}: agents present`).toBe(present);
    }
    let audience = 0;
    for (let c = 0; c < sim.creators.count; c++) {
      audience += sim.creators.audience[c];
      expect(crowd.audience[c]).toBeLessThanOrEqual(sim.creators.audience[c]);
      if (sim.creators.live[c] === 0) expect(crowd.audience[c], `creator ${c} is off the air`).toBe(0);
    }
    expect(audience).toBe(sim.liveWatchers);
  });

  it('writes viewers.csv as segments whatever the crowd drew, even with no crowd at all', () => {
    const everyone = loadScenarioFile('scenarios/baseline.yaml', {
      sets: [
        'population.viewers=30',
        'population.creators=3',
        'viewers.payerShare=1',
        'population.nonPayers=crowd',
      ],
    });
    const rows = runReplication(everyone, 0).viewers;
    expect(rows.map((r) => r.segment)).toEqual(['payer:top1%', 'payer:top10%', 'payer:rest', 'non-payer']);
    expect(rows.reduce((n, r) => n + r.viewers, 0)).toBe(30);
  });
});

describe('a crowd where viewers arrive and leave', () => {
  // A launch at a tenth of its size over its first 9 days (the burst included): arrivals who no price
  // converts join the crowd, by the hour they came in; every member's leaving second is queued.
  const sets = [
    'population.viewers=1500',
    'population.creators=300',
    'lifecycle.arrivalsPerDay=600',
    'events[0].viewers=6000',
    'duration=9d',
    'viewers.payerShare=0.2',
  ];
  const { crowd, both } = bothModes('scenarios/launch-90d.yaml', sets, 8);
  const cell = (r: ReplicationResult, cohortDay: number, ageDay: number) =>
    r.cohorts.find((c) => c.cohortDay === cohortDay && c.ageDay === ageDay)?.activeViewers ?? 0;

  it('agrees with one agent per viewer in retention and cohorts', () => {
    both('retentionD1', (r) => r.kpis.retentionD1);
    both('retentionD7', (r) => r.kpis.retentionD7);
    both('new viewers', (r) => r.kpis.viewers);
    both('cohort of day 2, active on its day 1', (r) => cell(r, 2, 1));
    both('cohort of day 0, active on its day 7', (r) => cell(r, 0, 7));
    both('cohort of day 5, active on its day 2', (r) => cell(r, 5, 2));
  });

  it('agrees in daily active viewers, concurrency and audiences', () => {
    for (const day of [1, 4, 8]) {
      both(`daily active viewers on day ${day}`, (r) => r.timeseries[day].viewersActive);
      both(`viewers in a session at the start of day ${day}`, (r) => r.timeseries[day].activeViewers);
    }
    both('viewer-hours in streams of 20+ viewers', (r) =>
      r.audience.filter((b) => b.audienceMin >= 20).reduce((n, b) => n + b.viewerHours, 0),
    );
    both('mean peak audience', (r) => r.creators.reduce((n, c) => n + c.peakAudience, 0) / r.creators.length);
  });

  it('agrees in what payers do', () => {
    both('payers', (r) => r.kpis.payers);
    both('daily payers on day 6', (r) => r.timeseries[6].payersActive);
    both('gifts sent', (r) => r.kpis.giftsSent);
  });

  it('counts daily active viewers as agents do when most newcomers leave within hours', () => {
    // Members who leave while off must take their class's share of "seen today" with them: new classes,
    // seen on arrival, lose far more of them than old ones (a market-wide share undercounted DAU by 3 %).
    const { both: churned } = bothOf(
      (nonPayers) =>
        scenario({
          duration: '10d',
          intervalSeconds: '1d',
          population: { viewers: 300, nonPayers },
          viewers: { payerShare: 0, sessionsPerDay: 1, sessionMinutes: 30 },
          lifecycle: {
            arrivalsPerDay: 3000,
            survival: [
              { day: 0.1, share: 0.5 },
              { day: 2, share: 0.1 },
            ],
          },
        }),
      10,
    );
    for (const day of [2, 5, 8])
      churned(`daily active viewers on day ${day}`, (r) => r.timeseries[day].viewersActive);
    churned('retentionD1', (r) => r.kpis.retentionD1);
  });

  it('is refused, naming the field, when its classes (markets × hours) would not fit', () => {
    const sets = (markets: number) => [
      'population.nonPayers=crowd',
      'population.viewers=1000000',
      `population.creators=${markets * 10}`,
      'population.creatorsPerMarket=10',
      'duration=365d',
    ];
    // 229 markets × 8,761 hours = 2,006,269 classes; 228 make 1,997,508.
    expect(() => loadScenarioFile('scenarios/launch-90d.yaml', { sets: sets(229) })).toThrow(
      /population\.nonPayers[\s\S]*at most 2,000,000 classes[\s\S]*229 markets × 8,761 hours = 2,006,269/,
    );
    expect(loadScenarioFile('scenarios/launch-90d.yaml', { sets: sets(228) }).population.markets).toBe(228);
  });

  it('is the same run for the same seed', () => {
    const again = runReplication(
      loadScenarioFile('scenarios/launch-90d.yaml', { sets: [...sets, 'population.nonPayers=crowd'] }),
      0,
    );
    expect(again).toEqual(crowd[0]);
    expect(again.kpis.retentionD1).not.toBe(crowd[1].kpis.retentionD1);
  });

  it('counts every viewer of the run once: agents and crowd, present or gone', () => {
    for (const r of crowd) {
      const rows = r.viewers.reduce((n, row) => n + row.viewers, 0);
      expect(rows).toBe(r.kpis.viewers);
      const newViewers = r.cohorts.filter((c) => c.ageDay === 0).reduce((n, c) => n + c.newViewers, 0);
      const day0 = r.cohorts.filter((c) => c.ageDay === 0).reduce((n, c) => n + c.activeViewers, 0);
      expect(day0, 'every new viewer is active on its day 0').toBe(newViewers);
    }
  });

  it('runs from the command line: cohorts.csv and retention KPIs in order, every invariant entry by entry', async () => {
    const out = mkdtempSync(join(tmpdir(), 'giftlab-crowd-'));
    const c = captureIo();
    const code = await main(
      [
        'run',
        'scenarios/launch-90d.yaml',
        ...[
          'population.viewers=2000',
          'lifecycle.arrivalsPerDay=800',
          'events[0].viewers=8000',
          'duration=33d',
        ].flatMap((x) => ['--set', x]),
        '--set',
        'population.nonPayers=crowd',
        '--replications',
        '2',
        '--check',
        'all',
        '--out',
        out,
        '--quiet',
      ],
      c.io,
    );
    // Nothing on stderr but notes on what to read with care (two replications give wide CIs).
    expect(
      c
        .err()
        .split('\n')
        .filter((l) => l !== '' && !l.startsWith('giftlab run: warning: ')),
    ).toEqual([]);
    expect(code).toBe(0);
    expect(readdirSync(out)).toContain('cohorts.csv');
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    const kpi = (name: string) => summary.kpis[name].mean as number;
    expect(0).toBeLessThan(kpi('retentionD30'));
    expect(kpi('retentionD30')).toBeLessThan(kpi('retentionD7'));
    expect(kpi('retentionD7')).toBeLessThan(kpi('retentionD1'));
    expect(kpi('retentionD1')).toBeLessThan(1);
    expect(summary.invariants.violationCount ?? summary.invariants.violations?.length ?? 0).toBe(0);
  });
});
