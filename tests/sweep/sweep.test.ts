import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { runReplication } from '../../experiments/replication.ts';
import { t95 } from '../../experiments/stats.ts';
import { loadScenarioFile } from '../../scenarios/load.ts';
import { KPI_NAMES } from '../../sim/kpis.ts';
import { captureIo } from '../support/io.ts';
import { visibleTexts } from '../support/svg-labels.ts';
import { BASELINE, csvRows, giftlab, read, TINY, tempDir } from './support.ts';

const dir = tempDir('sweep');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TINY_SETS = TINY.filter((_, i) => i % 2 === 1);

describe('giftlab sweep: a grid', () => {
  const out = join(dir, 'grid');
  let stdout = '';

  it('runs every point × replication and prints the report path last', async () => {
    const r = await giftlab([
      'sweep',
      BASELINE,
      ...TINY,
      '--vary',
      'payout.creatorShare=0.4:0.6:0.1',
      '--vary',
      'pricing.channels.app.storeFee=0.15,0.3',
      '--replications',
      '2',
      '--out',
      out,
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    stdout = r.out;
    expect(stdout.trim().split('\n').at(-1)).toBe(join(out, 'report.html'));
    for (const f of ['sweep.csv', 'points.csv', 'replications.csv', 'summary.json', 'report.html']) {
      expect(existsSync(join(out, f))).toBe(true);
    }
    expect(existsSync(join(out, 'tornado.csv'))).toBe(false);
  });

  it('writes points.csv with the grid in order (first --vary slowest)', () => {
    const rows = csvRows(read(out, 'points.csv'));
    expect(rows[0]).toEqual([
      'point',
      'role',
      'moved',
      'payout.creatorShare',
      'pricing.channels.app.storeFee',
    ]);
    expect(rows.slice(1).map((r) => [r[0], r[3], r[4]])).toEqual([
      ['0', '0.4', '0.15'],
      ['1', '0.4', '0.3'],
      ['2', '0.5', '0.15'],
      ['3', '0.5', '0.3'],
      ['4', '0.6', '0.15'],
      ['5', '0.6', '0.3'],
    ]);
  });

  it('writes a tidy sweep.csv: one row per point × KPI with mean, CI, sd and n', () => {
    const rows = csvRows(read(out, 'sweep.csv'));
    expect(rows[0]).toEqual([
      'point',
      'payout.creatorShare',
      'pricing.channels.app.storeFee',
      'kpi',
      'mean',
      'ci95Low',
      'ci95High',
      'sd',
      'n',
      'vsBaseline',
      'vsBaselineCi95Low',
      'vsBaselineCi95High',
    ]);
    expect(rows).toHaveLength(1 + 6 * KPI_NAMES.length);
    const reps = csvRows(read(out, 'replications.csv'));
    const col = reps[0].indexOf('platformMarginCents');
    for (const row of rows.slice(1).filter((r) => r[3] === 'platformMarginCents')) {
      const values = reps
        .slice(1)
        .filter((r) => r[0] === row[0])
        .map((r) => Number(r[col]));
      expect(values).toHaveLength(2);
      expect(Number(row[4])).toBeCloseTo((values[0] + values[1]) / 2, 9);
      expect(Number(row[5])).toBeLessThanOrEqual(Number(row[4]));
      expect(Number(row[6])).toBeGreaterThanOrEqual(Number(row[4]));
      expect(row[8]).toBe('2');
    }
  });

  it('compares every point with the baseline (the scenario as given: here grid point 3), paired over replications', () => {
    const rows = csvRows(read(out, 'sweep.csv')).filter((r) => r[3] === 'platformMarginCents');
    const reps = csvRows(read(out, 'replications.csv'));
    const col = reps[0].indexOf('platformMarginCents');
    const valuesOf = (point: string) =>
      reps
        .slice(1)
        .filter((r) => r[0] === point)
        .map((r) => Number(r[col]));
    // The baseline has creatorShare 0.5 and the app store's 0.3: grid point 3, no point added.
    expect(rows.map((r) => r[0])).toEqual(['0', '1', '2', '3', '4', '5']);
    expect(rows[3].slice(9)).toEqual(['0', '0', '0']);
    const base = valuesOf('3');
    for (const row of rows) {
      const diffs = valuesOf(row[0]).map((v, i) => v - base[i]);
      const mean = (diffs[0] + diffs[1]) / 2;
      const half = (t95(1) * Math.abs(diffs[0] - diffs[1])) / Math.sqrt(2) / Math.sqrt(2);
      expect(Number(row[9])).toBeCloseTo(mean, 6);
      // Paired: the interval of the per-replication differences, not of the two means apart.
      expect(Number(row[10])).toBeCloseTo(mean - half, 4);
      expect(Number(row[11])).toBeCloseTo(mean + half, 4);
    }
    expect(JSON.parse(read(out, 'summary.json')).baselinePoint).toBe(3);
  });

  it('summary.json says what was swept and how', () => {
    const s = JSON.parse(read(out, 'summary.json'));
    expect(s).toMatchObject({
      kind: 'sweep',
      scenario: 'baseline',
      seed: 42,
      design: 'grid',
      replications: 2,
      streams: 'common',
      points: 6,
      runs: 12,
      kpi: 'platformMarginCents',
      invariants: { violationCount: 0 },
    });
    expect(s.vary.map((v: { path: string }) => v.path)).toEqual([
      'payout.creatorShare',
      'pricing.channels.app.storeFee',
    ]);
    expect(s.vary[0].grid).toEqual([0.4, 0.5, 0.6]);
    expect(typeof s.wallSeconds).toBe('number');
  });

  it('draws a chart per varied path and keeps wall time out of the report', () => {
    const html = read(out, 'report.html');
    expect(html).toContain('data-chart="path-1"');
    expect(html).toContain('data-chart="path-2"');
    expect((html.match(/<svg /g) ?? []).length).toBe(2);
    // The difference panels' 0 is the baseline, no gain: it read +$0.
    const labels = visibleTexts(html, 'path-1');
    expect(labels).toContain('$0');
    expect(labels).not.toContain('+$0');
    expect(html).not.toMatch(/wall|seconds|generated/i);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
  });

  it('uses the same replication seeds at every point (common random numbers): replication r is run replication r', async () => {
    const runOut = join(dir, 'run-for-crn');
    const r = await giftlab([
      'run',
      BASELINE,
      ...TINY,
      '--set',
      'payout.creatorShare=0.4',
      '--set',
      'pricing.channels.app.storeFee=0.15',
      '--replications',
      '2',
      '--quiet',
      '--out',
      runOut,
    ]);
    expect(r.code).toBe(0);
    const kpis = csvRows(read(runOut, 'kpis.csv'));
    const reps = csvRows(read(out, 'replications.csv'));
    const point0 = reps.slice(1).filter((row) => row[0] === '0');
    for (const [i, row] of point0.entries()) {
      for (const k of ['grossBookingsCents', 'platformMarginCents', 'giftsSent']) {
        expect(row[reps[0].indexOf(k)]).toBe(kpis[1 + i][kpis[0].indexOf(k)]);
      }
    }
  });
});

describe('giftlab sweep: determinism and streams', () => {
  it('gives the same bytes with 1 and 2 workers (Latin hypercube)', async () => {
    const args = [
      'sweep',
      BASELINE,
      ...TINY,
      '--vary',
      'payout.creatorShare=0.3:0.7',
      '--vary',
      'population.viewers=1000:3000',
      '--lhs',
      '5',
      '--replications',
      '2',
      '--quiet',
    ];
    const one = join(dir, 'lhs-1');
    const two = join(dir, 'lhs-2');
    expect((await giftlab([...args, '--workers', '1', '--out', one])).code).toBe(0);
    expect((await giftlab([...args, '--workers', '2', '--out', two])).code).toBe(0);
    for (const f of ['sweep.csv', 'points.csv', 'replications.csv', 'report.html'])
      expect(read(two, f)).toBe(read(one, f));
    const points = csvRows(read(one, 'points.csv'));
    expect(points[0]).toEqual([
      'point',
      'role',
      'moved',
      'payout.creatorShare',
      'population.viewers',
      'unit:payout.creatorShare',
      'unit:population.viewers',
    ]);
    // Five drawn points, then the baseline (the scenario as given), added to compare every point with.
    expect(points).toHaveLength(7);
    expect(points[6]).toEqual(['5', 'baseline', '', '0.5', '2000', '', '']);
    for (const row of points.slice(1, 6)) {
      expect(row[1]).toBe('lhs');
      expect(Number.isInteger(Number(row[4]))).toBe(true);
    }
    // One point per fifth of each range.
    expect(
      points
        .slice(1, 6)
        .map((r) => Math.floor(Number(r[5]) * 5))
        .sort(),
    ).toEqual([0, 1, 2, 3, 4]);
    expect(
      points
        .slice(1, 6)
        .map((r) => Math.floor(Number(r[6]) * 5))
        .sort(),
    ).toEqual([0, 1, 2, 3, 4]);
  });

  it('common streams repeat the draws at every point; independent streams do not', async () => {
    // intervalSeconds only changes timeseries rows, so with the same draws every KPI is the same.
    const args = [
      'sweep',
      BASELINE,
      ...TINY,
      '--vary',
      'intervalSeconds=3600,7200',
      '--replications',
      '2',
      '--workers',
      '1',
      '--quiet',
    ];
    const common = join(dir, 'common');
    const indep = join(dir, 'independent');
    expect((await giftlab([...args, '--out', common])).code).toBe(0);
    expect((await giftlab([...args, '--streams', 'independent', '--out', indep])).code).toBe(0);
    const kpisOf = (folder: string, point: string) =>
      csvRows(read(folder, 'replications.csv'))
        .slice(1)
        .filter((r) => r[0] === point)
        .map((r) => r.slice(3).join(','));
    expect(kpisOf(common, '1')).toEqual(kpisOf(common, '0'));
    expect(kpisOf(indep, '1')).not.toEqual(kpisOf(indep, '0'));
    expect(kpisOf(indep, '0')).toEqual(kpisOf(common, '0'));
  });
});

describe('giftlab sweep --tornado on a toy scenario', () => {
  const out = join(dir, 'tornado');

  it('ranks paths by swing with the right low, baseline and high values', async () => {
    const r = await giftlab([
      'sweep',
      BASELINE,
      ...TINY,
      '--tornado',
      '--vary',
      'intervalSeconds=3600,7200',
      '--vary',
      'pricing.channels.app.storeFee=0.15,0.45',
      '--vary',
      'payout.creatorShare=0.3,0.5,0.7',
      '--replications',
      '2',
      '--quiet',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    const rows = csvRows(read(out, 'tornado.csv'));
    const h = (name: string) => rows[0].indexOf(name);
    const body = rows.slice(1);
    const swings = body.map((row) => Number(row[h('swing')]));
    expect([...swings].sort((a, b) => b - a)).toEqual(swings);
    expect(body.at(-1)?.[h('path')]).toBe('intervalSeconds');
    expect(swings.at(-1)).toBe(0);
    const fee = body.find((row) => row[h('path')] === 'pricing.channels.app.storeFee') as string[];
    expect([fee[h('lowValue')], fee[h('baselineValue')], fee[h('highValue')]]).toEqual([
      '0.15',
      '0.3',
      '0.45',
    ]);
    // A bigger store cut leaves the platform less.
    expect(Number(fee[h('kpiAtLow')])).toBeGreaterThan(Number(fee[h('kpiAtHigh')]));
    const share = body.find((row) => row[h('path')] === 'payout.creatorShare') as string[];
    expect([share[h('lowValue')], share[h('highValue')]]).toEqual(['0.3', '0.7']);
    expect(Number(share[h('kpiAtLow')])).toBeGreaterThan(Number(share[h('kpiAtHigh')]));
    expect(Number(share[h('delta')])).toBeCloseTo(
      Number(share[h('kpiAtHigh')]) - Number(share[h('kpiAtLow')]),
      6,
    );

    // The low end is exactly the scenario with that value, replications 0 and 1.
    const scenario = loadScenarioFile(BASELINE, {
      sets: [...TINY_SETS, 'pricing.channels.app.storeFee=0.15'],
    });
    const direct = [0, 1].map((rep) => runReplication(scenario, rep).kpis.platformMarginCents);
    expect(Number(fee[h('kpiAtLow')])).toBe((direct[0] + direct[1]) / 2);
    const base = loadScenarioFile(BASELINE, { sets: TINY_SETS });
    const baseDirect = [0, 1].map((rep) => runReplication(base, rep).kpis.platformMarginCents);
    expect(Number(fee[h('kpiAtBaseline')])).toBe((baseDirect[0] + baseDirect[1]) / 2);
  });

  it('draws both ends of every path where they can be seen: two bars side by side, never one over the other', () => {
    const html = read(out, 'report.html');
    const svg = html.split('data-chart="tornado">')[1].split('</svg>')[0];
    const group = /<g class="mark-rect role-mark[^"]*"[^>]*>(.*?)<\/g>/s.exec(svg)?.[1] ?? '';
    const bars = [...group.matchAll(/d="M([-\d.e]+),([-\d.e]+)h([-\d.e]+)v([-\d.e]+)/g)].map((m) => ({
      top: Number(m[2]),
      bottom: Number(m[2]) + Number(m[4]),
    }));
    expect(bars).toHaveLength(6); // 3 paths × (low, high)
    for (let i = 0; i < bars.length; i++) {
      for (let j = i + 1; j < bars.length; j++) {
        const overlap = Math.min(bars[i].bottom, bars[j].bottom) - Math.max(bars[i].top, bars[j].top);
        expect(overlap, `bars ${i} and ${j}`).toBeLessThanOrEqual(0);
      }
    }
  });

  it('draws the tornado chart first, then a chart per path', () => {
    const html = read(out, 'report.html');
    const ids = [...html.matchAll(/data-chart="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(['tornado', 'path-1', 'path-2', 'path-3']);
    // The page's tornado table lists the paths in tornado.csv's order (by swing).
    const rows = csvRows(read(out, 'tornado.csv'));
    const order = rows.slice(1).map((row) => row[rows[0].indexOf('path')]);
    expect(order).toHaveLength(3);
    const table = html.slice(html.indexOf('id="tornado-table"'));
    const positions = order.map((p) => table.indexOf(`<code>${p}</code>`));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });
});

describe('giftlab sweep: one replication per point', () => {
  it('warns on stderr (grid and tornado), not with more replications; summary.json and the report repeat it', async () => {
    const text =
      'one replication per point: differences may be noise; use --replications (8 or more for a tornado)';
    const warning = `giftlab sweep: warning: ${text}\n`;
    const vary = ['--vary', 'payout.creatorShare=0.4,0.6', '--quiet'];
    const grid = await giftlab(['sweep', BASELINE, ...TINY, ...vary, '--out', join(dir, 'warn-grid')]);
    const tornado = await giftlab([
      'sweep',
      BASELINE,
      ...TINY,
      ...vary,
      '--tornado',
      '--out',
      join(dir, 'warn-t'),
    ]);
    const two = await giftlab([
      'sweep',
      BASELINE,
      ...TINY,
      ...vary,
      '--replications',
      '2',
      '--out',
      join(dir, 'warn-2'),
    ]);
    expect([grid.code, tornado.code, two.code]).toEqual([0, 0, 0]);
    expect(grid.err).toBe(warning);
    expect(tornado.err).toBe(warning);
    expect(two.err).toBe('');
    // Where the sweep is read later: its summary.json and the top of its report.
    const summary = (d: string) => JSON.parse(readFileSync(join(dir, d, 'summary.json'), 'utf8'));
    expect(summary('warn-grid').warnings).toEqual([text]);
    expect(summary('warn-2').warnings).toEqual([]);
    const report = readFileSync(join(dir, 'warn-t', 'report.html'), 'utf8');
    expect(report).toContain(
      `<b>Read with care</b> (as the sweep warned when it ran):<ul><li>${text}</li></ul>`,
    );
    expect(readFileSync(join(dir, 'warn-2', 'report.html'), 'utf8')).not.toContain('Read with care');
  });
});

describe('giftlab sweep: default folders', () => {
  it('are runs/<scenario>-sweep-<seed>-<digest of the sweep spec>: another sweep gets another folder', async () => {
    const cwd = tempDir('sweep-default');
    const sweepIn = async (args: string[]) => {
      const c = captureIo(cwd);
      const code = await main(['sweep', resolve(BASELINE), ...TINY, ...args], c.io);
      return { code, out: c.out() };
    };
    const a = await sweepIn(['--vary', 'payout.creatorShare=0.4,0.6']);
    const b = await sweepIn(['--vary', 'payout.creatorShare=0.4,0.5']);
    const c = await sweepIn(['--vary', 'payout.creatorShare=0.4,0.6', '--replications', '2']);
    const again = await sweepIn(['--vary', 'payout.creatorShare=0.4,0.6']);
    expect([a.code, b.code, c.code, again.code]).toEqual([0, 0, 0, 0]);
    const folderOf = (out: string) => /runs\/(baseline-sweep-42-[0-9a-f]{6})\/report\.html\n$/.exec(out)?.[1];
    const folders = [a, b, c, again].map((r) => folderOf(r.out));
    expect(folders.every((f) => f !== undefined)).toBe(true);
    expect(new Set(folders.slice(0, 3)).size).toBe(3);
    expect(folders[3]).toBe(folders[0]);
    const digest = folders[0]?.slice(-6);
    expect(a.out).toContain(`baseline sweep ${digest} (seed 42, grid)`);
    expect(readdirSync(join(cwd, 'runs')).sort()).toEqual([...new Set(folders)].sort());
    rmSync(cwd, { recursive: true, force: true });
  });
});

describe('giftlab sweep: bad input exits 2 naming the path', () => {
  it.each([
    [['--vary', 'payout.creatorShare'], '--vary: expected path=v1,v2'],
    [
      ['--vary', 'payout.creatorShare=0.4,1.2'],
      '--vary payout.creatorShare: expected <= 1, found 1.2 (sweep point 1)',
    ],
    [
      ['--vary', 'payout.creatorShare=0.40005,0.5'],
      '--vary payout.creatorShare: expected a multiple of 0.0001',
    ],
    [
      ['--vary', 'payout.creatorShar=0.4,0.5'],
      '--vary payout.creatorShar: expected a path of the scenario (did you mean creatorShare?)',
    ],
    [
      ['--vary', 'payout.zzz=0.4,0.5'],
      '--vary payout.zzz: expected a path of the scenario (a typo?), found "payout.zzz"',
    ],
    [
      ['--set', 'payout.creatorShar=0.6', '--vary', 'payout.creatorShare=0.4,0.5'],
      'payout.creatorShar (from --set payout.creatorShar=0.6): expected no such field (did you mean creatorShare?)',
    ],
    [['--vary', 'population.viewers=0:10:5'], '--vary population.viewers: expected >= 1, found 0'],
    [['--vary', 'payout.creatorShare=0.3:0.7'], '--vary payout.creatorShare: expected lo:hi:step or a list'],
    [
      ['--vary', 'payout.creatorShare=0.7:0.3:0.1'],
      '--vary payout.creatorShare: expected lo:hi with lo <= hi',
    ],
    [
      ['--vary', 'payout.creatorShare=0.3,0.5', '--lhs', '3', '--tornado'],
      '--tornado: expected one design: --lhs n, --tornado, --sobol n or --morris r, found --lhs and --tornado',
    ],
    [['--vary', 'payout.creatorShare=0.3,0.5', '--kpi', 'margin'], '--kpi: expected a KPI'],
    [['--vary', 'payout.creatorShare=0.3,0.5', '--shard', '4/3'], '--shard: expected i/n with 1 <= i <= n'],
    [
      ['--vary', 'payout.creatorShare=0.3,0.5', '--streams', 'shared'],
      '--streams: expected common or independent',
    ],
    [
      ['--vary', 'viewers.budget.distribution=0:1', '--lhs', '4'],
      '--vary viewers.budget.distribution: expected a numeric scenario path',
    ],
    [
      ['--vary', 'payout.creatorShare=0.4,0.5,0.6', '--lhs', '10'],
      '--vary payout.creatorShare: expected a range lo:hi or lo:hi:step with --lhs',
    ],
    [
      ['--vary', 'payout.creatorShare=0.4,0.5', '--shard', '3/3'],
      '--shard 3/3: expected at most as many shards as work items (2), found 3 shards for 2 runs (points × replications): shard 3 would compute nothing',
    ],
    [[], '--vary: expected at least one'],
  ])('%j', async (flags, message) => {
    const out = join(dir, 'never');
    const r = await giftlab(['sweep', BASELINE, ...TINY, ...flags, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });
});
