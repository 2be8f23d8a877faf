/**
 * `sweep --kpi` on a KPI that can be absent (a cohort KPI: NaN without viewers who arrive early enough).
 * Where the scenario says so before anything runs, exit 2 naming --kpi; where only the runs tell, the
 * sweep is written with empty cells and says which points lack it; a KPI no point measured exits 2.
 */
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { whyNoValue } from '../../experiments/kpi-value.ts';
import { loadScenarioFile } from '../../scenarios/load.ts';
import { BASELINE, csvRows, giftlab, nineDays, read, TINY, tempDir } from './support.ts';

const dir = tempDir('sweep-absent');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NINE_DAYS = nineDays(50);

describe('whyNoValue: what a scenario says before it runs', () => {
  const load = (sets: string[]) => loadScenarioFile(resolve(BASELINE), { sets });

  it('names a run without arrivals and a run too short for the days the KPI reads', () => {
    const base = load([]);
    expect(whyNoValue(base, 'platformMarginCents')).toBeNull();
    expect(whyNoValue(base, 'retentionD1')).toBe(
      'nobody arrives (lifecycle.arrivalsPerDay 0, no acquisition-burst event) and the run lasts 1d',
    );
    const arriving = load(['lifecycle.arrivalsPerDay=10', 'duration=8d']);
    // Day 7 of age is over 8 days after an arrival, and arrivals come from second 1 on.
    expect(whyNoValue(arriving, 'retentionD7')).toBe('the run lasts 8d');
    expect(whyNoValue(load(['lifecycle.arrivalsPerDay=10', 'duration=691201s']), 'retentionD7')).toBeNull();
    expect(whyNoValue(arriving, 'retentionD1')).toBeNull();
    expect(whyNoValue(arriving, 'ltvD30Cents')).toBe('the run lasts 8d');
  });

  it('names arrivals that all come too late: acquisition bursts only, after the last useful second', () => {
    const late = loadScenarioFile(resolve('scenarios/launch-90d.yaml'), {
      sets: ['lifecycle.arrivalsPerDay=0', 'duration=9d', 'events.0.at=2d'],
    });
    expect(whyNoValue(late, 'retentionD7')).toBe(
      'its only arrivals are acquisition bursts from 2d on, in a run of 9d: none has 8 days left',
    );
    expect(whyNoValue(late, 'retentionD1')).toBeNull();
  });
});

describe('sweep --kpi refuses before running a KPI a point cannot give a value (exit 2, nothing written)', () => {
  const expected = '--kpi: expected a KPI every point of the sweep gives a value: ';
  it.each([
    [
      [BASELINE, ...TINY, '--kpi', 'retentionD7', '--vary', 'payout.creatorShare=0.4,0.6'],
      'retentionD7 counts the viewers who arrive during the run once their first 8 days are over, so a run lasting more than 8d in which viewers arrive',
    ],
    [
      [BASELINE, ...TINY, '--kpi', 'retentionD7', '--tornado', '--vary', 'payout.creatorShare=0.4,0.6'],
      'found retentionD7, which has no value where nobody arrives (lifecycle.arrivalsPerDay 0, no acquisition-burst event) and the run lasts 6h, at every point',
    ],
    [
      [BASELINE, ...TINY, '--kpi', 'ltvD30Cents', '--sobol', '8', '--vary', 'payout.creatorShare=0.4:0.6'],
      'ltvD30Cents counts the viewers who arrive during the run once their first 30 days are over',
    ],
    [
      [BASELINE, ...TINY, '--kpi', 'retentionD1', '--morris', '3', '--vary', 'payout.creatorShare=0.4:0.6'],
      'found retentionD1, which has no value where nobody arrives',
    ],
    [
      [
        'scenarios/launch-90d.yaml',
        '--set',
        'duration=10d',
        '--set',
        'population.viewers=2000',
        '--kpi',
        'retentionD7',
        '--vary',
        'duration=5d,10d',
      ],
      'found retentionD7, which has no value where the run lasts 5d, at 1 of 2 points: point 0 (duration=5d)',
    ],
  ])('%j', async (args, message) => {
    const out = join(dir, 'never');
    const r = await giftlab(['sweep', ...args, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(expected);
    expect(r.err).toContain(message);
    expect(r.err).not.toContain('internal error');
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });
});

describe('sweep --kpi absent at some points after running: written, with the points named', () => {
  // At 0.01 arrivals a day nobody (in practice) arrives on day 0; at 50, many do.
  const vary = ['--vary', 'lifecycle.arrivalsPerDay=0.01,50'];

  it('a grid: empty cells, the points named on stdout and in the report, no NaN anywhere', async () => {
    const out = join(dir, 'grid');
    const r = await giftlab([
      'sweep',
      BASELINE,
      ...NINE_DAYS,
      '--kpi',
      'retentionD7',
      ...vary,
      '--replications',
      '2',
      '--out',
      out,
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      'retentionD7 has no value at 1 of 2 points (in some replication no viewer arrived early enough for their first 8 days to be over by the end): point 0 (lifecycle.arrivalsPerDay=0.01); their retentionD7 cells in sweep.csv are empty',
    );
    // The only point with a value is both the highest and the lowest.
    for (const end of ['highest', 'lowest'])
      expect(r.out).toMatch(
        new RegExp(`retentionD7: ${end} [\\d.]+\\s% at point 1 \\(lifecycle\\.arrivalsPerDay=50\\)`),
      );
    const rows = csvRows(read(out, 'sweep.csv'));
    const at = (name: string) => rows[0].indexOf(name);
    const d7 = rows.filter((row) => row[at('kpi')] === 'retentionD7');
    expect(d7.map((row) => row[at('mean')] === '')).toEqual([true, false]);
    const summary = JSON.parse(read(out, 'summary.json'));
    expect(summary.kpiAbsentAt).toEqual([0]);
    const html = read(out, 'report.html');
    expect(html).toContain('<b>Retention D7 has no value at 1 of 2 points</b>');
    expect(html).not.toContain('NaN');
  });

  it('a tornado: the path whose end lacks it is not ranked, and its chart says why', async () => {
    const out = join(dir, 'tornado');
    const r = await giftlab([
      'sweep',
      BASELINE,
      ...NINE_DAYS,
      '--kpi',
      'retentionD7',
      '--tornado',
      ...vary,
      '--vary',
      'payout.creatorShare=0.4,0.6',
      '--replications',
      '2',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/ {3}1\. payout\.creatorShare 0\.4 → 0\.6: /);
    expect(r.out).toContain('  not ranked, retentionD7 has no value at an end: lifecycle.arrivalsPerDay');
    const html = read(out, 'report.html');
    expect(html).toContain(
      'No bar for lifecycle.arrivalsPerDay: Retention D7 has no value at an end (see the Points table).',
    );
    expect(html).not.toContain('NaN');
    const tornado = csvRows(read(out, 'tornado.csv'));
    expect(tornado.map((row) => row[tornado[0].indexOf('path')])).toEqual([
      'path',
      'payout.creatorShare',
      'lifecycle.arrivalsPerDay',
    ]);
  });

  it('--sobol: no indices of it, said on stdout and in the chart; the other KPIs keep theirs', async () => {
    const out = join(dir, 'sobol');
    const r = await giftlab([
      'sweep',
      BASELINE,
      ...NINE_DAYS,
      '--kpi',
      'retentionD7',
      '--sobol',
      '4',
      '--vary',
      'lifecycle.arrivalsPerDay=0.001:0.01',
      '--vary',
      'payout.creatorShare=0.4:0.6',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      '  none for retentionD7: it has no value at some points of the design; sobol.csv has every other KPI',
    );
    const html = read(out, 'report.html');
    expect(html).toContain('No chart: Retention D7 has no value at');
    expect(html).not.toContain('NaN');
    expect(read(out, 'sobol.csv')).toContain('platformMarginCents');
  });

  it('exits 2 naming --kpi, writing nothing, when no point got a value', async () => {
    const out = join(dir, 'none');
    const r = await giftlab([
      'sweep',
      BASELINE,
      ...NINE_DAYS,
      '--set',
      'lifecycle.arrivalsPerDay=0.001',
      '--kpi',
      'retentionD7',
      '--vary',
      'payout.creatorShare=0.4,0.6',
      '--out',
      out,
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      '--kpi: expected a KPI every point of the sweep gives a value: retentionD7 counts the viewers',
    );
    expect(r.err).toContain(
      'found retentionD7, which got no value at any of the 3 point(s): in some replication no viewer arrived early enough',
    );
    expect(existsSync(out)).toBe(false);
  });
});
