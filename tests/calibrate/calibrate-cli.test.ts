/**
 * `giftlab calibrate` end to end on a tiny population: bad input exits 2 naming the field (and writes
 * nothing); a target no point of the box can reach is said plainly, with the bound that stopped it; the
 * folder holds what the README promises and calibrated.yaml validates; a calibration sharded a
 * generation at a time and merged writes the very files the unsharded one does.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseFit } from '../../experiments/calibrate/fit-box.ts';
import { collectTargets } from '../../experiments/calibrate/targets.ts';
import { kpiLabel } from '../../reports/format.ts';
import { visibleTexts } from '../support/svg-labels.ts';
import { BASELINE, giftlab, read, TINY, tempDir } from '../sweep/support.ts';

const FIT = ['--fit', 'viewers.payerShare=0.01:0.05', '--fit', 'viewers.giftsPerHour=1:5'];
/** The least budget for two paths: 12 to search (two per coefficient of the surface), then 5 to confirm. */
const SMALL = [...TINY, '--replications', '2', '--budget', '17', '--quiet'];

describe('calibrate: bad input exits 2 naming it', () => {
  const dir = tempDir('calibrate-bad');
  const cases: [string, string[], RegExp][] = [
    [
      'an unknown KPI',
      ['--target', 'payerConvresion=0.02', ...FIT],
      /--target payerConvresion: expected a KPI or a ratio \(giftsPerPayer.*\) \(did you mean payerConversion\?\): one of .*giftsPerPayer/,
    ],
    [
      'a target that is not a number',
      ['--target', 'giftsSent=lots', ...FIT],
      /--target giftsSent: expected a finite number, found "lots"/,
    ],
    [
      'an empty range',
      ['--target', 'giftsSent=50', '--fit', 'viewers.payerShare=0.05:0.05'],
      /--fit viewers.payerShare: expected lo:hi with lo < hi, found "0.05:0.05", an empty range/,
    ],
    [
      'an inverted range',
      ['--target', 'giftsSent=50', '--fit', 'viewers.payerShare=0.08:0.02'],
      /--fit viewers.payerShare: expected lo:hi with lo < hi, found "0.08:0.02", an inverted range/,
    ],
    [
      'a path that is not a number',
      ['--target', 'giftsSent=50', '--fit', 'audienceEffect.curve=0:1'],
      /--fit audienceEffect.curve: expected a path the scenario schema holds a number at/,
    ],
    [
      'a path that does not exist',
      ['--target', 'giftsSent=50', '--fit', 'viewers.giftsPerHuor=1:2'],
      /--fit viewers.giftsPerHuor: expected a path the scenario schema holds a number at/,
    ],
    [
      'a malformed path, read as --set and --vary read it',
      ['--target', 'giftsSent=50', '--fit', 'payout..creatorShare=0.3:0.7'],
      /--fit: expected a dotted path like population\.viewers or .*, found "payout\.\.creatorShare"/,
    ],
    [
      'a range the scenario cannot take',
      ['--target', 'giftsSent=50', '--fit', 'viewers.payerShare=0.5:1.5'],
      /--fit viewers.payerShare: expected <= 1, found 1\.5 \(at viewers\.payerShare=1\.5/,
    ],
    ['no --fit', ['--target', 'giftsSent=50'], /--fit: expected at least one path=lo:hi/],
    ['no target', [...FIT], /--target: expected at least one kpi=value/],
    [
      'a KPI named twice',
      ['--target', 'giftsSent=50', '--target', 'giftsSent=60', ...FIT],
      /--target giftsSent: expected each KPI once/,
    ],
    [
      'a budget too small for the search',
      ['--target', 'giftsSent=50', ...FIT, '--budget', '16'],
      /--budget: expected at least 17 candidates for 2 fitted path\(s\)/,
    ],
  ];
  for (const [what, args, message] of cases) {
    it(what, async () => {
      const out = join(dir, what.replace(/\W+/g, '-'));
      const r = await giftlab(['calibrate', BASELINE, ...TINY, ...args, '--out', out]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err).not.toMatch(/at .*\.ts:\d+/);
      expect(existsSync(out)).toBe(false);
    });
  }

  it('a --targets file naming an unknown KPI, with its line', async () => {
    const file = join(dir, 'targets.yaml');
    writeFileSync(file, 'targets:\n  giftsSent: { value: 50, se: 5 }\n  topPayerShare: 0.4\n');
    const r = await giftlab(['calibrate', BASELINE, ...TINY, '--targets', file, ...FIT]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/targets\.topPayerShare \(line 3\): expected a KPI/);
    writeFileSync(file, 'targets:\n  giftsSent: { value: 50, se: -5 }\n');
    const neg = await giftlab(['calibrate', BASELINE, ...TINY, '--targets', file, ...FIT]);
    expect(neg.code).toBe(2);
    expect(neg.err).toMatch(/targets\.giftsSent\.se \(line 2\)/);
    // Both kinds of mistake at once, not the shape's first and the names' after a fix.
    writeFileSync(file, 'targets:\n  giftsSent: { value: 50, se: -5 }\n  bogus: 3\n');
    const both = await giftlab(['calibrate', BASELINE, ...TINY, '--targets', file, ...FIT]);
    expect(both.code).toBe(2);
    expect(both.err).toContain('2 problems');
    expect(both.err).toMatch(/targets\.bogus \(line 3\): expected a KPI/);
    expect(both.err).toMatch(/targets\.giftsSent\.se \(line 2\)/);
    // A share below 0 is no value a run can give (it used to run, and exit 0).
    const share = await giftlab(['calibrate', BASELINE, ...TINY, '--target', 'payerConversion=-1', ...FIT]);
    expect(share.code).toBe(2);
    expect(share.err).toContain(
      '--target payerConversion: expected a value a run can give: a share from 0 to 1, found -1',
    );
    // Money a run reports is paid, charged or earned: below 0 only the platform margin can go; the
    // ratios are quotients of counts (arppuCents=-5 and giftsPerPayer=-1 used to run).
    const money = await giftlab([
      'calibrate',
      BASELINE,
      ...TINY,
      '--target',
      'arppuCents=-5',
      '--target',
      'giftsPerPayer=-1',
      ...FIT,
    ]);
    expect(money.code).toBe(2);
    expect(money.err).toContain('2 problems');
    expect(money.err).toContain('--target arppuCents: expected a value a run can give: cents ≥ 0, found -5');
    expect(money.err).toContain(
      '--target giftsPerPayer: expected a value a run can give: a ratio ≥ 0, found -1',
    );
    expect(collectTargets(['platformMarginCents=-100']).map((t) => t.value)).toEqual([-100]);
    // Every impossible value at once; a file with no target under targets: names --targets.
    writeFileSync(file, 'targets:\n  payerConversion: { value: -1 }\n  giftsSent: -4\n');
    const two = await giftlab(['calibrate', BASELINE, ...TINY, '--targets', file, ...FIT]);
    expect(two.code).toBe(2);
    expect(two.err).toContain('2 problems');
    writeFileSync(file, 'targets: {}\n');
    const none = await giftlab(['calibrate', BASELINE, ...TINY, '--targets', file, ...FIT]);
    expect(none.code).toBe(2);
    expect(none.err).toContain('--targets: expected at least one target under targets:, found none in');
    // An empty file is a --targets problem, not the scenario's.
    writeFileSync(file, '');
    const empty = await giftlab(['calibrate', BASELINE, ...TINY, '--targets', file, ...FIT]);
    expect(empty.code).toBe(2);
    expect(empty.err).toContain('--targets: expected a YAML mapping at the top, found an empty file');
  });
});

describe('calibrate on a tiny population', () => {
  const dir = tempDir('calibrate');
  const whole = join(dir, 'whole');
  let result: { code: number; out: string; err: string };
  const args = [
    'calibrate',
    BASELINE,
    '--target',
    'payerConversion=0.008',
    '--target',
    'giftsSent=30',
    ...FIT,
    ...SMALL,
  ];

  beforeAll(async () => {
    result = await giftlab([...args, '--out', whole]);
  });

  it('writes the folder the README lists, and a calibrated.yaml that validates', async () => {
    expect(result.code).toBe(0);
    expect(readdirSync(whole).sort()).toEqual(
      ['calibrated.yaml', 'calibration.csv', 'replications.csv', 'report.html', 'summary.json'].sort(),
    );
    const yaml = read(whole, 'calibrated.yaml');
    expect(yaml).toMatch(/payerShare: [\d.]+ # fitted: range [\d.]+ – [\d.]+ \(searched 0\.01 – 0\.05/);
    const v = await giftlab(['validate', join(whole, 'calibrated.yaml')]);
    expect(v.code).toBe(0);
    // The --sets it ran with are said, in summary.json and in the file's header (not its description).
    const sets = TINY.filter((_, i) => TINY[i - 1] === '--set');
    expect(sets.length).toBeGreaterThan(0);
    expect(yaml).toContain(`# Calibrated with --set ${sets.join(', --set ')}: the values below include them`);
    const s = JSON.parse(read(whole, 'summary.json'));
    expect(s.overrides).toEqual(sets);
    expect(s).toMatchObject({
      kind: 'calibration',
      status: 'done',
      evaluations: 17,
      runs: 34,
      replications: 2,
    });
    const csv = read(whole, 'calibration.csv').trim().split('\n');
    expect(csv).toHaveLength(18);
    expect(csv[0]).toMatch(
      /^candidate,generation,role,viewers\.payerShare,viewers\.giftsPerHour,distance,withinNoise,best,/,
    );
    for (const p of s.fit) {
      expect(p.range[0]).toBeLessThanOrEqual(p.best);
      expect(p.range[1]).toBeGreaterThanOrEqual(p.best);
    }
  });

  it('says plainly that a target is out of reach, and which bound stopped it', async () => {
    // Creator earnings are proportional to the creator share when creators do not respond to it (the
    // same gifts, common random numbers): a hundred times the baseline's cannot be reached with a share
    // of at most 0.5.
    const out = join(dir, 'unreachable');
    const r = await giftlab([
      'calibrate',
      BASELINE,
      ...TINY,
      '--target',
      'creatorEarningsCents=100000',
      '--fit',
      'payout.creatorShare=0.3:0.5',
      '--set',
      'creators.earningsResponse.elasticity=0',
      '--replications',
      '2',
      '--budget',
      '9',
      '--quiet',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(
      /giftlab calibrate: creatorEarningsCents: target \$1,000\.00, best fit \$[\d.]+ \(−9\d\.\d\s%\), [\d.]+ standard errors away; no candidate in the box got above \$[\d.]+ .*with payout\.creatorShare at its upper bound 0\.5\): widen --fit payout\.creatorShare/,
    );
    const s = JSON.parse(read(out, 'summary.json'));
    expect(s.targets[0].reached).toBe(false);
    expect(s.fit[0]).toMatchObject({ best: 0.5, atBound: 'upper' });
    expect(s.warnings[0]).toContain('creatorEarningsCents');
    const html = read(out, 'report.html');
    expect(html).toContain('not reached');
    // Said as counted (it read "1 path(s) fitted to 1 target(s)"), and what to run next.
    expect(html).toMatch(/<h1>[^<]*: 1 path fitted to 1 target<\/h1>/);
    expect(html).toContain('Next: <code class="flag">giftlab run calibrated.yaml</code> in this folder');
    // The targets' relative axis: whole percentages without a trailing .0, its 0 unsigned (it read +0.0%).
    const relative = visibleTexts(html, 'targets').filter((l) => l.endsWith('%'));
    expect(relative).toContain('0%');
    expect(relative.filter((l) => /\.0%$/.test(l))).toEqual([]);
    // The z column signs as the page does: −3.89 (it read -3.89, a hyphen beside every − of the page).
    expect(html).toMatch(/<td class="num">−\d+\.\d\d<\/td><td>✗ not reached/);
    // The targets chart names its rows as the table does (it read creatorEarningsCents beside the
    // table's "Creator earnings"), and the CI cell under the "95 % CI" heading does not say it again.
    expect(visibleTexts(html, 'targets')).toContain(kpiLabel('creatorEarningsCents'));
    expect(visibleTexts(html, 'targets')).not.toContain('creatorEarningsCents');
    const table = html.slice(
      html.indexOf('<section id="fitted">'),
      html.indexOf('</section>', html.indexOf('<section id="fitted">')),
    );
    expect(table).toMatch(/<td class="num">−?\$[\d,.]+ – −?\$[\d,.]+<\/td><td class="num">−/);
    expect(table).not.toMatch(/<td class="num">95\u00a0% CI/);
    // Candidates are numbered 0, 1, 2, …: an axis of 0.0, 0.5, 1.0 labelled candidates that do not exist.
    for (const chart of ['convergence', 'paths']) {
      const figure = html.slice(html.indexOf(`data-chart="${chart}"`));
      const svg = figure.slice(0, figure.indexOf('</figure>'));
      const labels = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
      const axis = labels.slice(
        0,
        labels.findIndex((l) => l.startsWith('candidate')),
      );
      expect(axis.length, chart).toBeGreaterThan(2);
      for (const label of axis) expect(label, chart).toMatch(/^\d+$/);
    }
  });

  it('--from a finished calibration with another --budget or --replications exits 2 naming the flag, writing nothing', async () => {
    // Its budget ran out and its last generation confirmed: no other budget or replication count replays it.
    expect(JSON.parse(read(whole, 'summary.json'))).toMatchObject({ stopped: 'budget', budget: 17 });
    const more = join(dir, 'more');
    const budget = await giftlab([...args, '--budget', '30', '--from', whole, '--out', more]);
    expect(budget.code).toBe(2);
    expect(budget.err).toMatch(
      `giftlab: --budget: expected 17, the budget of the calibration in --from ${whole} (it is done`,
    );
    expect(budget.err).toMatch(/, found 30\n$/);
    const replications = await giftlab([...args, '--replications', '3', '--from', whole, '--out', more]);
    expect(replications.code).toBe(2);
    expect(replications.err).toBe(
      `giftlab: --replications: expected 2, the replications per candidate of the calibration in --from ${whole}, found 3\n`,
    );
    expect(existsSync(more)).toBe(false);
    // With its own settings it continues to what it already holds.
    expect((await giftlab([...args, '--from', whole, '--out', more])).code).toBe(0);
    expect(read(more, 'calibration.csv')).toBe(read(whole, 'calibration.csv'));
  });

  it('sharded a generation at a time and merged, writes the same files as the unsharded calibration', async () => {
    const merged = join(dir, 'merged');
    let from: string[] = [];
    // Two generations of 6 to search, then the confirming one.
    for (let generation = 0; generation < 3; generation++) {
      const shards = [1, 2].map((i) => join(dir, `gen-${generation}-shard-${i}`));
      for (const [i, shard] of shards.entries()) {
        const r = await giftlab([...args, '--shard', `${i + 1}/2`, ...from, '--out', shard]);
        expect(r.code, r.err).toBe(0);
      }
      const m = await giftlab(['merge', ...shards, '--out', merged]);
      expect(m.code).toBe(0);
      expect(m.out).toMatch(
        generation < 2 ? `generation ${generation + 1} is next` : 'the calibration is done',
      );
      from = ['--from', merged];
    }
    for (const file of ['calibrated.yaml', 'calibration.csv', 'replications.csv', 'report.html']) {
      expect(read(merged, file)).toBe(read(whole, file));
    }
    const strip = (text: string) => ({ ...JSON.parse(text), wallSeconds: 0 });
    expect(strip(read(merged, 'summary.json'))).toEqual(strip(read(whole, 'summary.json')));
    const done = await giftlab([
      ...args,
      '--shard',
      '1/2',
      '--from',
      merged,
      '--out',
      join(dir, 'nothing-left'),
    ]);
    expect(done.code).toBe(2);
    expect(done.err).toMatch(/expected a calibration with a generation left to compute/);
  });
});

describe('--fit paths', () => {
  it('read as --set reads them: packs[0] and packs.0 are one path, kept dotted', () => {
    const bracket = parseFit('pricing.channels.app.packs[0].priceCents=50:200');
    expect(bracket).toMatchObject({ path: 'pricing.channels.app.packs.0.priceCents', lo: 50, hi: 200 });
    expect(parseFit('pricing.channels.app.packs.0.priceCents=50:200')).toEqual(bracket);
  });
});
