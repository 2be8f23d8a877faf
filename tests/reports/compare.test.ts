import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { parseCsv } from '../../common/csv-read.ts';
import type { RunResult } from '../../experiments/result.ts';
import { compareRuns, type KpiComparison } from '../../reports/compare/compare.ts';
import { pairingSummary, rText } from '../../reports/compare/pairing.ts';
import { readRunFolder } from '../../reports/compare/run-folder.ts';
import { compareTable } from '../../reports/compare/table.ts';
import { COMPARE_COLUMNS } from '../../reports/compare/write-csv.ts';
import { clearlyDiffering } from '../../reports/compare/write-html.ts';
import { kpiDelta, kpiLabel } from '../../reports/format.ts';
import { escapeHtml } from '../../reports/html/escape.ts';
import { loadScenarioFile } from '../../scenarios/load.ts';
import { KPI_CATALOGUE } from '../../sim/kpis.ts';

import { captureIo } from '../support/io.ts';
import { baselineScenario, buildRunFixture, writeRunFolder } from '../support/run-fixture.ts';
import { visibleTexts } from '../support/svg-labels.ts';

/** The KPIs these one-day runs measure: cohort KPIs are absent (nobody arrives) and not compared. */
const KPI_NAMES = KPI_CATALOGUE.filter((k) => k.period !== 'cohort').map((k) => k.name);

const capture = (cwd: string) => captureIo(cwd);

let dir: string;
let base: RunResult;
let share60: RunResult;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'giftlab-compare-'));
  // The baseline's heavy-tailed budgets (Pareto α 1.15): between-replication noise is large.
  const scenario = baselineScenario();
  base = buildRunFixture(scenario, { replications: 8, scale: 0.1 });
  // Same seed: every replication replays the same purchases; only the creator share differs.
  share60 = buildRunFixture(
    { ...scenario, name: 'creator-share-60', economy: { ...scenario.economy, creatorShareBp: 6000 } },
    { replications: 8, scale: 0.1 },
  );
  writeRunFolder(base, join(dir, 'base-tidy'), { kpisCsv: 'tidy' });
  writeRunFolder(base, join(dir, 'base-wide'), { kpisCsv: 'wide' });
  writeRunFolder(base, join(dir, 'base-summary'), { kpisCsv: 'summary-only' });
  writeRunFolder(share60, join(dir, 'share60'), { kpisCsv: 'wide' });
  writeRunFolder(buildRunFixture(scenario, { replications: 1, scale: 0.1 }), join(dir, 'single'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** base-wide's copy `name` with a file spoilt, compared as runB against share60 (same seed: paired). */
function corrupted(name: string, spoil: (files: { csv: string; summary: string }) => void): string[] {
  writeRunFolder(base, join(dir, name), { kpisCsv: 'wide' });
  spoil({ csv: join(dir, name, 'kpis.csv'), summary: join(dir, name, 'summary.json') });
  return ['share60', name];
}

describe('reading run folders', () => {
  it('reads per-replication values from tidy and wide kpis.csv alike', () => {
    const tidy = readRunFolder(join(dir, 'base-tidy'), 'runA');
    const wide = readRunFolder(join(dir, 'base-wide'), 'runA');
    expect(tidy.replications).toBe(8);
    expect([...tidy.kpis.keys()]).toEqual([...KPI_NAMES]);
    for (const k of KPI_NAMES) {
      const t = tidy.kpis.get(k)!;
      expect(t.source, k).toBe('replications');
      expect(t.n).toBe(8);
      expect(t.mean).toBeCloseTo(base.kpiStats[k].mean, 6);
      expect(t.sd).toBeCloseTo(base.kpiStats[k].sd, 6);
      expect(wide.kpis.get(k)).toEqual(t);
    }
  });

  it('falls back to the sd implied by summary.json’s t-based CI', () => {
    const s = readRunFolder(join(dir, 'base-summary'), 'runA');
    const margin = s.kpis.get('platformMarginCents')!;
    expect(margin.source).toBe('ci95');
    expect(margin.sd).toBeCloseTo(base.kpiStats.platformMarginCents.sd, 0);
    expect(margin.ci95).toEqual(base.kpiStats.platformMarginCents.ci95);
  });
});

describe('comparing runs', () => {
  it('pairs same-seed replications and finds the change that Welch misses, and nothing else', () => {
    const c = compareRuns(
      readRunFolder(join(dir, 'base-tidy'), 'runA'),
      readRunFolder(join(dir, 'share60'), 'runB'),
    );
    const row = (k: string) => c.rows.find((r) => r.kpi === k)!;
    expect(c.paired).toBe(true);
    expect(c.rows).toHaveLength(KPI_NAMES.length);
    const earnings = row('creatorEarningsCents');
    expect(earnings.relDiff).toBeCloseTo(0.2, 2);
    expect(earnings.test).toBe('paired');
    expect(earnings.paired!.p).toBeLessThan(0.01);
    expect(earnings.welch!.p).toBeGreaterThan(0.05);
    expect(earnings.cisSeparate).toBe(false);
    expect(earnings.verdict).toBe('B higher');
    expect(row('platformMarginCents').verdict).toBe('B lower');
    // Same purchases, so net revenue is identical and the margin gives up exactly what creators gain.
    expect(row('netRevenueCents').diff).toBe(0);
    expect(row('platformMarginCents').diff).toBeCloseTo(-earnings.diff, 6);
    expect(row('grossBookingsCents').verdict).toBe('identical');
    expect(row('payers').verdict).toBe('identical');
    // These fixture folders keep no scenario.yaml: said; and 8 pairs of differences a few outliers
    // drive are too few for a t-test (Cochran's rule; tests/reports/skew-warnings.test.ts): nothing else.
    expect(c.warnings).toEqual([
      'the scenarios cannot be compared field by field: runA has no scenario.yaml (written before runs kept one); runB has no scenario.yaml (written before runs kept one).',
      expect.stringMatching(
        /^few replications for how skewed .*\(creatorEarningsCents, G1 2\.6: about 170 needed\), .*\(platformMarginCents, G1 −2\.6/,
      ),
    ]);
  });

  it('falls back to Welch when the replications cannot be paired', () => {
    const c = compareRuns(
      readRunFolder(join(dir, 'base-summary'), 'runA'),
      readRunFolder(join(dir, 'share60'), 'runB'),
    );
    expect(c.paired).toBe(false);
    expect(c.rows.every((r) => r.test === 'welch' && r.paired === null && r.correlation === null)).toBe(true);
    // The footnote names the test as a reader says it: "from Welch's test", not "from the Welch's test".
    expect(compareTable(c)).toContain(
      "the interval of the difference itself, from Welch's test that decides",
    );
    const earnings = c.rows.find((r) => r.kpi === 'creatorEarningsCents')!;
    expect(earnings.verdict).toBe('no clear difference');
    expect(earnings.welch!.p).toBeCloseTo(
      compareRuns(
        readRunFolder(join(dir, 'base-wide'), 'runA'),
        readRunFolder(join(dir, 'share60'), 'runB'),
      ).rows.find((r) => r.kpi === 'creatorEarningsCents')!.welch!.p,
      2,
    );
  });

  it('reports no clear difference for a run against itself, and says so', () => {
    const a = readRunFolder(join(dir, 'base-tidy'), 'runA');
    const c = compareRuns(a, readRunFolder(join(dir, 'base-tidy'), 'runB'));
    expect(c.rows.every((r) => r.diff === 0 && r.cisSeparate === false)).toBe(true);
    expect(c.warnings[0]).toMatch(/same folder/);
  });

  it('with a single replication shows differences but no test', () => {
    const c = compareRuns(
      readRunFolder(join(dir, 'single'), 'runA'),
      readRunFolder(join(dir, 'base-wide'), 'runB'),
    );
    const gross = c.rows.find((r) => r.kpi === 'grossBookingsCents')!;
    expect(gross.welch).toBeNull();
    expect(gross.cisSeparate).toBeNull();
    expect(gross.verdict).toBe('single replication');
    expect(c.warnings.join(' ')).toMatch(/single replication/);
  });
});

describe('what differs, named on the first screen', () => {
  const row = (kpi: string, verdict: KpiComparison['verdict'], relDiff: number | null, diff = 1) =>
    ({ kpi, verdict, relDiff, diff }) as KpiComparison;
  it('names the clear differences, largest relative change first, six at most, and none when none', () => {
    const rows = [
      row('payers', 'B lower', -0.32),
      row('viewers', 'no clear difference', 0.9),
      row('giftsSent', 'B lower', -0.34),
      row('grossBookingsCents', 'B higher', 0.05),
      ...['coinsSpent', 'coinsPurchased', 'storeFeesCents', 'paymentFeesCents', 'arppuCents'].map((k, i) =>
        row(k, 'B higher', 0.01 * (i + 1)),
      ),
    ];
    const text = clearlyDiffering(rows);
    expect(
      text.startsWith(
        `Clearly different in B: ${kpiLabel('giftsSent')} −34.0\u00a0%, ${kpiLabel('payers')} −32.0\u00a0%, `,
      ),
    ).toBe(true);
    expect(text).not.toContain(kpiLabel('viewers'));
    expect(text.endsWith(' and 2 more.')).toBe(true);
    expect(clearlyDiffering([row('viewers', 'no clear difference', 0.9)])).toBe('');
  });
});

describe('giftlab compare --help', () => {
  it('names the deciding test, and its example, verbatim, compares two run folders as giftlab run names them', async () => {
    const c = capture(dir);
    expect(await main(['compare', '--help'], c.io)).toBe(0);
    expect(c.out()).toMatch(
      /a t-test: paired when both runs used the same seed and\s+replications, else Welch’s/,
    );
    const example = (/^ {2}\$ giftlab (compare .*)$/m.exec(c.out())?.[1] ?? '').split(' ');
    const folders = example.slice(1, 3);
    const runFolders = readdirSync('scenarios')
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => loadScenarioFile(join('scenarios', f)))
      .map((s) => `runs/${s.name}-${s.seed}`);
    expect(runFolders).toEqual(expect.arrayContaining(folders));
    const cwd = join(dir, 'example');
    writeRunFolder(base, join(cwd, folders[0]));
    writeRunFolder(share60, join(cwd, folders[1]));
    const run = capture(cwd);
    expect(await main(example, run.io), run.err()).toBe(0);
    expect(run.err()).toBe('wrote runs/compare/compare.csv and runs/compare/compare.html\n');
  });
});

describe('compare.csv in the README', () => {
  it('documents every column', () => {
    const readme = readFileSync('README.md', 'utf8');
    const table = readme.slice(readme.indexOf('`compare.csv` has one row per KPI'));
    const documented = table.slice(0, table.indexOf('\n\n', table.indexOf('| column |')));
    for (const column of COMPARE_COLUMNS) expect(documented, column).toContain(`\`${column}\``);
  });
});

describe('giftlab compare', () => {
  it('prints a table and writes compare.csv and compare.html', async () => {
    const c = capture(dir);
    const code = await main(['compare', 'base-tidy', 'share60', '--out', 'out'], c.io);
    expect(c.err()).toContain('wrote out/compare.csv and out/compare.html');
    expect(code).toBe(0);
    const lines = c.out().split('\n');
    expect(lines[0]).toBe('A: base-tidy  (baseline, seed 42, 8 replications)');
    expect(lines[1]).toBe('B: share60  (creator-share-60, seed 42, 8 replications)');
    const earningsLine = lines.find((l) => l.startsWith('Creator earnings '));
    expect(earningsLine).toMatch(
      /\+20\.\d\u00a0%\s+\+\$[\d,.]+ … \+\$[\d,.]+\s+overlap\s+0\.\d{3}\s+(<0\.001|0\.00\d)\s+−?\d\.\d\d\s+B higher$/,
    );
    const csv = parseCsv(readFileSync(join(dir, 'out', 'compare.csv'), 'utf8'));
    expect(csv[0]).toEqual([...COMPARE_COLUMNS]);
    expect(csv).toHaveLength(1 + KPI_NAMES.length);
    const earnings = csv.find((r) => r[0] === 'creatorEarningsCents')!;
    // The terminal shows each KPI's r beside its paired p, as compare.csv's paired_r has it; — for none.
    expect(earningsLine).toContain(
      `  ${rText(Number(earnings[COMPARE_COLUMNS.indexOf('paired_r')]))}  B higher`,
    );
    expect(lines.find((l) => l.startsWith('Viewers '))).toMatch(/\s—\s+identical$/);
    expect(earnings[COMPARE_COLUMNS.indexOf('verdict')]).toBe('B higher');
    expect(earnings[COMPARE_COLUMNS.indexOf('cis_separate')]).toBe('false');
    expect(earnings[COMPARE_COLUMNS.indexOf('test')]).toBe('paired');
    expect(Number(earnings[COMPARE_COLUMNS.indexOf('paired_p')])).toBeLessThan(0.01);
    expect(Number(earnings[COMPARE_COLUMNS.indexOf('diff_ci95_low')])).toBeGreaterThan(0);
    // The difference's own CI is printed beside Δ (the overlapping CIs of A and B say less): the CSV's
    // interval, and it leaves out 0 exactly on the rows whose verdict is higher or lower.
    const ciOf = (row: string[]) =>
      `${kpiDelta(row[0], Number(row[COMPARE_COLUMNS.indexOf('diff_ci95_low')]))} … ${kpiDelta(row[0], Number(row[COMPARE_COLUMNS.indexOf('diff_ci95_high')]))}`;
    const printed = (row: string[]) => lines.find((l) => l.startsWith(`${kpiLabel(row[0])} `))!;
    expect(c.out()).toContain('Δ 95 % CI');
    for (const row of csv.slice(1)) {
      if (row[COMPARE_COLUMNS.indexOf('diff_ci95_low')] === '') continue;
      expect(printed(row), row[0]).toContain(ciOf(row));
      const lo = Number(row[COMPARE_COLUMNS.indexOf('diff_ci95_low')]);
      const hi = Number(row[COMPARE_COLUMNS.indexOf('diff_ci95_high')]);
      const clear = ['B higher', 'B lower'].includes(row[COMPARE_COLUMNS.indexOf('verdict')]);
      expect(lo > 0 || hi < 0, row[0]).toBe(clear);
    }
    expect(c.out()).toContain('p paired: both runs used seed 42 and 8 replications');
    const html = readFileSync(join(dir, 'out', 'compare.html'), 'utf8');
    const [lo, hi] = ciOf(earnings).split(' … ');
    expect(html).toContain(
      `<br><small style="white-space:normal"><span style="white-space:nowrap">${lo}</span> … <span style="white-space:nowrap">${hi}</span></small>`,
    );
    expect(html).toMatch(/data-chart="relative-difference"><svg /);
    expect(visibleTexts(html, 'relative-difference')).toContain('0%');
    expect(html).toMatch(/data-chart="money-side-by-side"><svg /);
    expect(html).not.toMatch(/<script|https?:\/\//i);
    expect(html).toContain('<h1>baseline <span style="color:var(--faint)">vs</span> creator-share-60</h1>');
    // The first screen names what differs and gives the headline KPIs' verdicts, as the table has them.
    const verdictOf = (kpi: string) => csv.find((row) => row[0] === kpi)![COMPARE_COLUMNS.indexOf('verdict')];
    const header = html.slice(html.indexOf('<header'), html.indexOf('</header>'));
    for (const kpi of ['grossBookingsCents', 'platformMarginCents', 'payers'])
      expect(header).toContain(`${escapeHtml(kpiLabel(kpi))}: B vs A</div>`);
    expect(header).toContain(`<div class="sub ci">${verdictOf('grossBookingsCents')}</div>`);
    expect(header).toMatch(/<div class="sub ci">B lower \(paired p [<\d.]+\)<\/div>/); // the margin's
    expect(verdictOf('platformMarginCents')).toBe('B lower');
    expect(header).toContain('<p class="description">Clearly different in B: ');
    expect(header).toMatch(
      new RegExp(`Clearly different in B: [^<]*${kpiLabel('creatorEarningsCents')} \\+20\\.0`),
    );
    // How far the pairing helps, KPI by KPI: only the creator share differs, so gross bookings are the
    // same replication by replication (r = 1), and viewers do not vary at all (r undefined).
    expect(COMPARE_COLUMNS.at(-1)).toBe('paired_r');
    const r = (kpi: string) => csv.find((row) => row[0] === kpi)![COMPARE_COLUMNS.indexOf('paired_r')];
    expect(Number(r('grossBookingsCents'))).toBeCloseTo(1, 6);
    expect(r('viewers')).toBe('');
    const rowOf = (kpi: string) => html.split(`<tr><th title="${kpi}">`)[1].split('</tr>')[0];
    expect(rowOf('grossBookingsCents')).toContain('>1.00<br><small>together</small></td>');
    expect(rowOf('viewers')).toContain('>—<br><small>undefined</small></td>');
    const compared = compareRuns(
      readRunFolder(join(dir, 'base-tidy'), 'runA'),
      readRunFolder(join(dir, 'share60'), 'runB'),
    );
    expect(html).toContain(escapeHtml(pairingSummary(compared)));
    expect(html).not.toContain('drew the same random numbers and the noise they share cancels');
    // What to read with care (here the skew of 8 pairs) sits under the headline, as a run report's does:
    // read before the chart and the table whose verdicts it qualifies, and said once.
    const skew = compared.warnings.find((w) => w.startsWith('few replications for how skewed'));
    expect(skew).toBeDefined();
    const at = html.indexOf(escapeHtml(skew!));
    expect(at).toBeGreaterThan(html.indexOf('<p class="description">'));
    expect(at).toBeLessThan(html.indexOf('data-chart="relative-difference"'));
    expect(at).toBeLessThan(html.indexOf('<table>'));
    expect(html.split(escapeHtml(skew!))).toHaveLength(2);
    expect(html.slice(html.lastIndexOf('<b>Read with care</b>', at), at)).not.toContain('</div>');
  });

  it('names the --sets each run was made with (a smaller population is not the same baseline)', async () => {
    const from = join(dir, 'share60');
    const to = join(dir, 'share60-set');
    mkdirSync(to, { recursive: true });
    for (const f of readdirSync(from)) writeFileSync(join(to, f), readFileSync(join(from, f)));
    const summary = JSON.parse(readFileSync(join(to, 'summary.json'), 'utf8'));
    writeFileSync(
      join(to, 'summary.json'),
      JSON.stringify({ ...summary, overrides: ['population.viewers=5000', 'payout.creatorShare=0.6'] }),
    );
    const c = capture(dir);
    expect(await main(['compare', 'base-tidy', 'share60-set', '--out', 'out-set'], c.io)).toBe(0);
    const lines = c.out().split('\n');
    expect(lines[0]).toBe('A: base-tidy  (baseline, seed 42, 8 replications)');
    expect(lines[1]).toBe(
      'B: share60-set  (creator-share-60, seed 42, 8 replications, --set population.viewers=5000, --set payout.creatorShare=0.6)',
    );
    const html = readFileSync(join(dir, 'out-set', 'compare.html'), 'utf8');
    expect(html).toContain('· --set population.viewers=5000 --set payout.creatorShare=0.6</div>');
  });

  it('says when the runs last different lengths (totals over the run are not comparable)', async () => {
    const lengths: [string, number][] = [
      ['one-day', 86_400],
      ['forty-days', 40 * 86_400],
    ];
    for (const [name, seconds] of lengths) {
      const to = join(dir, name);
      mkdirSync(to, { recursive: true });
      for (const f of readdirSync(join(dir, 'share60')))
        writeFileSync(join(to, f), readFileSync(join(dir, 'share60', f)));
      const summary = JSON.parse(readFileSync(join(to, 'summary.json'), 'utf8'));
      writeFileSync(join(to, 'summary.json'), JSON.stringify({ ...summary, durationSeconds: seconds }));
    }
    const c = capture(dir);
    expect(await main(['compare', 'one-day', 'forty-days', '--out', 'out-len'], c.io)).toBe(0);
    expect(c.out()).toContain('note: the runs last 1d and 40d: what is counted over the run');
    expect(c.out()).toContain('compare the per-day KPIs (ARPPU per day, gifts per payer per day)');
    const same = capture(dir);
    expect(await main(['compare', 'one-day', 'one-day', '--out', 'out-len2'], same.io)).toBe(0);
    expect(same.out()).not.toContain('the runs last');
  });

  it("names the scenario fields that differ, from each run's scenario.yaml", async () => {
    const yaml = (name: string, body: string) => {
      const to = join(dir, name);
      mkdirSync(to, { recursive: true });
      for (const f of readdirSync(join(dir, 'share60')))
        writeFileSync(join(to, f), readFileSync(join(dir, 'share60', f)));
      writeFileSync(join(to, 'scenario.yaml'), body);
    };
    const scenario = (share: number, seed = 42, extra = '') =>
      `name: x${share}\ndescription: d\nseed: ${seed}\npayout:\n  creatorShare: ${share}\n  minDiamonds: 100\nevents:\n  - { kind: price-change, at: 3600, factor: 1.2 }\n${extra}`;
    yaml('yaml-50', scenario(0.5));
    yaml('yaml-60', scenario(0.6, 42, 'viewers:\n  payerShare: 0.04\n'));
    yaml('yaml-50-seed', scenario(0.5, 7));
    yaml('yaml-50-again', scenario(0.5));
    const notes = async (a: string, b: string) => {
      const c = capture(dir);
      expect(await main(['compare', a, b, '--out', `out-${a}-${b}`], c.io)).toBe(0);
      return c
        .out()
        .split('\n')
        .filter((l) => l.includes('scenario'));
    };
    // Names and descriptions say what a scenario is, not what it does: left out.
    expect(await notes('yaml-50', 'yaml-60')).toContain(
      'note: the scenarios differ in 2 fields (scenario.yaml, A → B): payout.creatorShare 0.5 → 0.6; viewers (none) → {"payerShare":0.04}.',
    );
    expect((await notes('yaml-50', 'yaml-50-seed')).join('\n')).toContain(
      'differ only in their seed (42 → 7; scenario.yaml): any difference between the runs is noise.',
    );
    expect((await notes('yaml-50', 'yaml-50-again')).join('\n')).toContain(
      'the two scenarios are the same, seed included',
    );
    // A folder from before runs kept scenario.yaml: said, not passed over.
    expect(await notes('yaml-50', 'share60')).toEqual([
      'note: the scenarios cannot be compared field by field: runB has no scenario.yaml (written before runs kept one).',
    ]);
    // One folder reached through a symlink is the same folder, not two runs of one scenario.
    symlinkSync(join(dir, 'yaml-50'), join(dir, 'yaml-50-link'));
    expect(
      compareRuns(
        readRunFolder(join(dir, 'yaml-50'), 'runA'),
        readRunFolder(join(dir, 'yaml-50-link'), 'runB'),
      ).warnings,
    ).toEqual(['runA and runB are the same folder: every difference is zero.']);
    writeFileSync(join(dir, 'yaml-60', 'scenario.yaml'), 'payout: [');
    expect((await notes('yaml-60', 'yaml-50')).join('\n')).toContain(
      'runA has a scenario.yaml that is not valid YAML',
    );
  });

  it('lists list items by index and stops after eight differences', async () => {
    const { scenarioDifferences, differencesNote } = await import('../../reports/compare/scenario-diff.ts');
    const a = {
      events: [{ at: 1, factor: 1.2 }],
      gifts: [{ id: 'rose' }],
      x: Object.fromEntries([...Array(9).keys()].map((i) => [`k${i}`, i])),
    };
    const b = {
      events: [{ at: 1, factor: 1.5 }],
      gifts: [{ id: 'rose' }, { id: 'lion' }],
      x: Object.fromEntries([...Array(9).keys()].map((i) => [`k${i}`, i + 1])),
    };
    const d = scenarioDifferences(a, b);
    expect(d.slice(0, 2)).toEqual([
      { path: 'events.0.factor', a: 1.2, b: 1.5 },
      { path: 'gifts.1', a: undefined, b: { id: 'lion' } },
    ]);
    expect(d).toHaveLength(11);
    expect(differencesNote(d)).toMatch(/; and 3 more\.$/);
  });

  it('writes to runs/compare/<A>-vs-<B> by default', async () => {
    const c = capture(dir);
    expect(await main(['compare', 'base-wide', 'share60'], c.io)).toBe(0);
    expect(readFileSync(join(dir, 'runs', 'compare', 'base-wide-vs-share60', 'compare.csv'), 'utf8')).toMatch(
      /^kpi,unit,/,
    );
  });

  it('--out naming a file: exit 2 naming --out, before the table', async () => {
    writeFileSync(join(dir, 'a-file.txt'), 'x\n');
    const c = capture(dir);
    expect(await main(['compare', 'base-tidy', 'share60', '--out', 'a-file.txt'], c.io)).toBe(2);
    expect(c.err()).toBe('giftlab: --out: expected a folder to write into, found a-file.txt: a file\n');
    expect(c.out()).toBe('');
  });

  it.each([
    [
      'a missing folder',
      () => ['base-tidy', 'nope'],
      /runB: expected a run folder written by `giftlab run`, found no folder "nope"/,
    ],
    [
      'a folder without its files',
      () => {
        mkdirSync(join(dir, 'empty'), { recursive: true });
        return ['empty', 'share60'];
      },
      /runA summary\.json: expected summary\.json in empty, found no such file\n.*runA kpis\.csv: expected kpis\.csv in empty/s,
    ],
    [
      'a sweep folder',
      () => {
        mkdirSync(join(dir, 'sweep'), { recursive: true });
        writeFileSync(join(dir, 'sweep', 'sweep.csv'), 'point,kpi,mean\n');
        return ['sweep', 'share60'];
      },
      /this looks like a sweep folder; compare takes run folders/,
    ],
    [
      'broken summary.json',
      () => {
        mkdirSync(join(dir, 'broken'), { recursive: true });
        writeFileSync(join(dir, 'broken', 'summary.json'), '{ "scenario": "x", ');
        writeFileSync(join(dir, 'broken', 'kpis.csv'), 'kpi,value\n');
        return ['share60', 'broken'];
      },
      /runB summary\.json: expected valid JSON/,
    ],
    [
      'a summary.json without its fields',
      () => {
        mkdirSync(join(dir, 'bare'), { recursive: true });
        writeFileSync(
          join(dir, 'bare', 'summary.json'),
          '{"scenario":"x","kpis":{"grossBookingsCents":"lots"}}',
        );
        writeFileSync(join(dir, 'bare', 'kpis.csv'), 'kpi,value\n');
        return ['bare', 'share60'];
      },
      /seed: expected an integer seed, found nothing\n.*replications: expected an integer ≥ 1, found nothing/s,
    ],
    [
      'kpis.csv with fewer replications than summary.json',
      () => {
        writeRunFolder(base, join(dir, 'short'), { kpisCsv: 'wide' });
        const lines = readFileSync(join(dir, 'short', 'kpis.csv'), 'utf8')
          .trim()
          .split('\n');
        writeFileSync(join(dir, 'short', 'kpis.csv'), `${lines.slice(0, 4).join('\n')}\n`);
        return ['short', 'share60'];
      },
      /runA kpis\.csv: expected 8 replication rows per KPI, as summary\.json says, found 3/,
    ],
    [
      'runs with no KPI in common',
      () => {
        mkdirSync(join(dir, 'other'), { recursive: true });
        writeFileSync(
          join(dir, 'other', 'summary.json'),
          '{"scenario":"o","seed":1,"replications":1,"kpis":{"latencyMs":3}}',
        );
        writeFileSync(join(dir, 'other', 'kpis.csv'), 'kpi,value\nlatencyMs,3\n');
        return ['share60', 'other'];
      },
      /runB: expected a run with some of runA's KPIs .*found none in common/,
    ],
    [
      'kpis.csv overwritten with garbage (it fell back to Welch quietly)',
      () => corrupted('garbage-csv', (f) => writeFileSync(f.csv, 'garbage\n')),
      /^giftlab: runB \(garbage-csv\): 1 problem\n {2}runB kpis\.csv \(line 1\): expected a header with a replication column and one per KPI, or kpi and value columns, found "garbage"\n$/,
    ],
    [
      'a kpis.csv cell that is not a number',
      () =>
        corrupted('bad-cell', (f) => {
          const lines = readFileSync(f.csv, 'utf8').split('\n');
          const cells = lines[2].split(',');
          cells[KPI_NAMES.indexOf('payers') + 2] = 'many';
          lines[2] = cells.join(',');
          writeFileSync(f.csv, lines.join('\n'));
        }),
      /runB kpis\.csv payers \(line 3\): expected a number, or nothing \(an absent KPI\), found "many"/,
    ],
    [
      'kpis.csv with its header alone',
      () => corrupted('header-only', (f) => writeFileSync(f.csv, readFileSync(f.csv, 'utf8').split('\n')[0])),
      /runB kpis\.csv: expected a row for each of the 8 replications summary\.json says, found 0/,
    ],
    [
      'a KPI in summary.json a string, with kpis.csv holding its replications',
      () =>
        corrupted('string-kpi', (f) => {
          const summary = JSON.parse(readFileSync(f.summary, 'utf8'));
          summary.kpis.grossBookingsCents = 'lots';
          writeFileSync(f.summary, JSON.stringify(summary));
        }),
      /runB summary\.json kpis\.grossBookingsCents: expected a number or \{ mean, ci95: \[lo, hi\] \}, found "lots"/,
    ],
  ])('exits 2 on %s, saying what is missing', async (_name, setup, message) => {
    const args = setup();
    const c = capture(dir);
    expect(await main(['compare', ...args], c.io)).toBe(2);
    expect(c.err()).toMatch(message);
    expect(c.err()).not.toMatch(/\n\s+at /);
  });
});
