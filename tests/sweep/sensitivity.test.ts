/**
 * `giftlab sweep --sobol n` and `--morris r` end to end on small worlds: the acceptance case (a
 * path that cannot move creator earnings is found not to move it; the creator share is found to),
 * the files and charts, shards merged byte for byte, and bad input (exit 2, named, nothing written).
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KPI_CATALOGUE } from '../../sim/kpis.ts';
import { BASELINE, csvRows, giftlab, read, TINY, tempDir } from './support.ts';

const dir = tempDir('sensitivity');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A day of a small world: creator earnings of about $20 a run, enough to respond to the share. */
const SMALL = ['--set', 'population.viewers=1000', '--set', 'population.creators=30', '--set', 'duration=1d'];
const PATHS = [
  '--vary',
  'payout.creatorShare=0.3:0.7',
  '--vary',
  'creators.withdrawAtDiamonds=1000:50000',
  '--vary',
  'viewers.payerShare=0.02:0.08',
];

function table(folder: string, file: string): Record<string, string>[] {
  const [header, ...rows] = csvRows(read(folder, file));
  return rows.map((row) => Object.fromEntries(header.map((h, i) => [h, row[i]])));
}

/** One KPI's rows of sobol.csv or morris.csv, found by path. */
function rowsByPath(folder: string, file: string, kpi: string): (path: string) => Record<string, string> {
  const rows = table(folder, file).filter((r) => r.kpi === kpi);
  return (path) => rows.find((r) => r.path === path) as Record<string, string>;
}

describe('sweep --sobol: the acceptance case', () => {
  const out = join(dir, 'sobol');
  let stdout = '';

  beforeAll(async () => {
    const r = await giftlab([
      'sweep',
      BASELINE,
      ...SMALL,
      ...PATHS,
      '--sobol',
      '32',
      '--kpi',
      'creatorEarningsCents',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    stdout = r.out;
  });

  it('finds that withdrawAtDiamonds cannot move creator earnings (ST < 0.05) and the creator share does (ST > 0.1)', () => {
    const of = rowsByPath(out, 'sobol.csv', 'creatorEarningsCents');
    const withdraw = of('creators.withdrawAtDiamonds');
    const share = of('payout.creatorShare');
    expect(Number(withdraw.ST)).toBeLessThan(0.05);
    expect(Number(withdraw.STCi95High)).toBeLessThan(0.05);
    expect(Number(share.ST)).toBeGreaterThan(0.1);
    expect(Number(share.STCi95Low)).toBeGreaterThan(0.1);
  });

  it('writes sobol.csv (path, KPI, S1 and ST with CIs) for every KPI, and the design in points.csv', () => {
    const [header] = csvRows(read(out, 'sobol.csv'));
    // The indices' columns, then the replication noise's (added after them; empty with one replication).
    expect(header).toEqual([
      'path',
      'kpi',
      'S1',
      'S1Ci95Low',
      'S1Ci95High',
      'ST',
      'STCi95Low',
      'STCi95High',
      'noiseShare',
      'STNoise',
      'S1Corrected',
      'S1CorrectedCi95Low',
      'S1CorrectedCi95High',
      'STCorrected',
      'STCorrectedCi95Low',
      'STCorrectedCi95High',
    ]);
    const rows = table(out, 'sobol.csv');
    expect(rows.every((r) => r.noiseShare === '' && r.STCorrected === '')).toBe(true);
    // Every KPI these one-day points measure: cohort KPIs are absent without arrivals.
    expect(rows).toHaveLength(3 * KPI_CATALOGUE.filter((k) => k.period !== 'cohort').length);
    for (const r of rows.filter((row) => row.ST !== '')) {
      expect(Number(r.STCi95Low)).toBeLessThanOrEqual(Number(r.ST));
      expect(Number(r.STCi95High)).toBeGreaterThanOrEqual(Number(r.ST));
    }
    // The number of viewers is the same at every point: no variance, empty cells rather than 0.
    expect(rows.find((r) => r.kpi === 'viewers')?.ST).toBe('');
    const points = table(out, 'points.csv');
    // 32 × (3 + 2) design points, then the scenario as given (the baseline).
    expect(points).toHaveLength(32 * 5 + 1);
    expect(points.slice(0, 5).map((p) => [p.role, p.moved, p.sample])).toEqual([
      ['sobol-A', '', '0'],
      ['sobol-AB', 'payout.creatorShare', '0'],
      ['sobol-AB', 'creators.withdrawAtDiamonds', '0'],
      ['sobol-AB', 'viewers.payerShare', '0'],
      ['sobol-B', '', '0'],
    ]);
    // AB^2 is A with withdrawAtDiamonds from B: the share and payer share are A's, the threshold B's.
    expect(points[2]['payout.creatorShare']).toBe(points[0]['payout.creatorShare']);
    expect(points[2]['creators.withdrawAtDiamonds']).toBe(points[4]['creators.withdrawAtDiamonds']);
    expect(points[2]['viewers.payerShare']).toBe(points[0]['viewers.payerShare']);
    expect(points[160]).toMatchObject({ point: '160', role: 'baseline', 'payout.creatorShare': '0.5' });
  });

  it('says it in summary.json, on stdout and in the report (chart and table)', () => {
    const s = JSON.parse(read(out, 'summary.json'));
    expect(s).toMatchObject({ design: 'sobol', sobolSamples: 32, points: 161, baselinePoint: 160 });
    expect(s.sobol.map((r: { path: string }) => r.path)).toEqual([
      'payout.creatorShare',
      'creators.withdrawAtDiamonds',
      'viewers.payerShare',
    ]);
    expect(s.sobol[1].st).toBe(0);
    expect(stdout).toMatch(/Sobol indices of creatorEarningsCents .*by ST:\n {2}\S+: ST /);
    expect(stdout).toContain('creators.withdrawAtDiamonds: ST 0.000 [0.000, 0.000]');
    // One replication per point: the noise is not measured, and stdout says so.
    expect(stdout).toContain(
      'replication noise: cannot be separated from the effects with one replication per point',
    );
    expect(stdout).toContain('use --replications 2 or more to measure it');
    const html = read(out, 'report.html');
    const ids = [...html.matchAll(/data-chart="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(['sobol', 'path-1', 'path-2', 'path-3']);
    expect(html).toContain('id="sobol-table"');
  });
});

describe('sweep --morris', () => {
  const out = join(dir, 'morris');

  it('screens the same paths: withdrawAtDiamonds has μ* = 0 for creator earnings, the others do not', async () => {
    const r = await giftlab([
      'sweep',
      BASELINE,
      ...SMALL,
      ...PATHS,
      '--morris',
      '6',
      '--kpi',
      'creatorEarningsCents',
      '--quiet',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    const [header] = csvRows(read(out, 'morris.csv'));
    expect(header).toEqual([
      'path',
      'kpi',
      'muStar',
      'muStarCi95Low',
      'muStarCi95High',
      'mu',
      'sigma',
      'trajectories',
      'noiseShare',
      'pathNoiseShare',
      'effectNoiseSd',
    ]);
    const of = rowsByPath(out, 'morris.csv', 'creatorEarningsCents');
    expect(of('creators.withdrawAtDiamonds')).toMatchObject({ muStar: '0', sigma: '0', trajectories: '6' });
    expect(Number(of('payout.creatorShare').muStar)).toBeGreaterThan(0);
    // More of the coins go to creators: every effect of the share on their earnings is positive.
    expect(Number(of('payout.creatorShare').mu)).toBe(Number(of('payout.creatorShare').muStar));
    const points = table(out, 'points.csv');
    expect(points).toHaveLength(6 * 4 + 1);
    expect(Object.keys(points[0]).slice(0, 5)).toEqual(['point', 'role', 'moved', 'trajectory', 'step']);
    const html = read(out, 'report.html');
    expect([...html.matchAll(/data-chart="([^"]+)"/g)].map((m) => m[1])[0]).toBe('morris');
    expect(JSON.parse(read(out, 'summary.json'))).toMatchObject({
      design: 'morris',
      morrisTrajectories: 6,
      morrisLevels: 4,
    });
  });
});

describe('sweep --sobol with 2 replications: the noise share, and the warning when it is large', () => {
  /** The creator share moves creators' streams (every later draw); the store fee draws nothing. */
  const NOISY = ['--vary', 'payout.creatorShare=0.3:0.7', '--vary', 'pricing.channels.app.storeFee=0.1:0.4'];
  const out = join(dir, 'noise');
  let stdout = '';

  beforeAll(async () => {
    const r = await giftlab([
      'sweep',
      BASELINE,
      ...SMALL,
      ...NOISY,
      '--sobol',
      '8',
      '--replications',
      '2',
      '--kpi',
      'grossBookingsCents',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    stdout = r.out;
  });

  it('measures the noise share of every KPI in sobol.csv and charges it to the creator share, not the fee', () => {
    const of = rowsByPath(out, 'sobol.csv', 'grossBookingsCents');
    const share = Number(of('payout.creatorShare').noiseShare);
    expect(share).toBeGreaterThanOrEqual(0.2);
    expect(of('pricing.channels.app.storeFee').noiseShare).toBe(String(share));
    expect(Number(of('payout.creatorShare').STNoise)).toBeGreaterThan(0.1);
    // The fee changes nothing drawn: no noise, and its indices stay exactly 0.
    expect(of('pricing.channels.app.storeFee')).toMatchObject({ ST: '0', STNoise: '0', STCorrected: '0' });
    const s = JSON.parse(read(out, 'summary.json'));
    expect(s.sobol[0].noiseShare).toBe(share);
  });

  it('prints the share next to the indices and warns, naming the path that absorbs it and the remedy', () => {
    const rows = table(out, 'sobol.csv').filter((r) => r.kpi === 'grossBookingsCents');
    const share = Number(rows[0].noiseShare).toFixed(2);
    expect(stdout).toContain(
      `  replication noise: ${share} of the variance of the point means of grossBookingsCents that the indices decompose (measured over 2 replications per point`,
    );
    const warning = stdout.split('\n').find((l) => l.startsWith('  warning: '));
    expect(warning).toContain(`noise share ${share} ≥ 0.2`);
    expect(warning).toContain('here payout.creatorShare (ST ');
    expect(warning).not.toContain('here pricing.channels.app.storeFee');
    expect(warning).toContain('more replications per point (--replications), or a bigger population');
    const html = read(out, 'report.html');
    expect(html).toContain('Replication noise: warning');
    expect(html).toMatch(/<p class="note">Warning: noise share /);
  });
});

describe('--sobol and --morris shard and merge byte for byte', () => {
  for (const design of [
    ['--sobol', '4'],
    ['--morris', '3'],
  ]) {
    it(`${design.join(' ')}: 3 shards merged = the unsharded sweep (1 and 2 workers)`, async () => {
      const args = ['sweep', BASELINE, ...TINY, ...PATHS, ...design, '--replications', '2', '--quiet'];
      const name = design[0].slice(2);
      const whole = join(dir, `${name}-whole`);
      expect((await giftlab([...args, '--workers', '2', '--out', whole])).code).toBe(0);
      const shards = join(dir, `${name}-shards`);
      for (let i = 1; i <= 3; i++) {
        const r = await giftlab([
          ...args,
          '--workers',
          '1',
          '--shard',
          `${i}/3`,
          '--out',
          join(shards, `${i}`),
        ]);
        expect(r.code).toBe(0);
      }
      const merged = join(dir, `${name}-merged`);
      expect((await giftlab(['merge', shards, '--out', merged, '--quiet'])).code).toBe(0);
      const files = readdirSync(whole).filter((f) => f !== 'summary.json');
      expect(files).toContain(`${name}.csv`);
      for (const f of files) expect(read(merged, f), f).toBe(read(whole, f));
    });
  }
});

describe('global sensitivity: bad input exits 2 naming it, and writes nothing', () => {
  it.each([
    [
      ['--sobol', '8', '--kpi', 'creatorEarnings'],
      '--kpi: expected a KPI (did you mean creatorEarningsCents?): one of',
    ],
    [
      ['--sobol', '8', '--vary', 'payout.creatorShare=0.5:0.5'],
      '--vary payout.creatorShare: expected a range lo:hi with lo < hi for --sobol (an empty range has nothing to sample), found 0.5:0.5',
    ],
    [
      ['--morris', '4', '--vary', 'payout.creatorShare=0.5:0.5'],
      '--vary payout.creatorShare: expected a range lo:hi with lo < hi for --morris',
    ],
    [
      ['--sobol', '8', '--vary', 'payout.creatorShare=0.7:0.3'],
      '--vary payout.creatorShare: expected lo:hi with lo <= hi, found "0.7:0.3"',
    ],
    [
      ['--sobol', '8', '--vary', 'audienceEffect.curve=0:1'],
      '--vary audienceEffect.curve: expected a numeric scenario path for a range (or a list of values), found 0:1',
    ],
    [
      ['--morris', '4', '--vary', 'viewers.budget.distribution=0:1'],
      '--vary viewers.budget.distribution: expected a numeric scenario path',
    ],
    [
      ['--sobol', '8', '--vary', 'payout.creatorShare=0.4,0.6'],
      '--vary payout.creatorShare: expected a range lo:hi or lo:hi:step with --sobol',
    ],
    [
      ['--sobol', '8', '--vary', 'payout.creatorShare=0.3:0.7', '--morris', '4'],
      '--morris: expected one design: --lhs n, --tornado, --sobol n or --morris r, found --sobol and --morris',
    ],
    [['--sobol', '1', '--vary', 'payout.creatorShare=0.3:0.7'], '--sobol: expected an integer from 2 to'],
    [['--sobol', 'many', '--vary', 'payout.creatorShare=0.3:0.7'], '--sobol: expected an integer'],
    [
      ['--sobol', '40000', '--vary', 'payout.creatorShare=0.3:0.7'],
      '--sobol: expected a design of at most 100,000 points, found 40000 × (1 paths + 2) = 120,000 points',
    ],
    [['--morris', '4', '--vary', 'payout.creatorShare=0.3:1.7'], '--vary payout.creatorShare: expected <= 1'],
  ])('%j', async (flags, message) => {
    const out = join(dir, 'never');
    const vary = flags.includes('--vary') ? [] : ['--vary', 'payout.creatorShare=0.3:0.7'];
    const r = await giftlab(['sweep', BASELINE, ...TINY, ...vary, ...flags, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });
});
