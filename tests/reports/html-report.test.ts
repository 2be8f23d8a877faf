import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../experiments/result.ts';
import { count, dollarsLike, dollarsShort, kpiValue, percent } from '../../reports/format.ts';
import { flatNote } from '../../reports/html/charts/replication-cis.ts';
import { escapeHtml } from '../../reports/html/escape.ts';
import { buildHtmlReport, REPORT_CHARTS, writeHtmlReport } from '../../reports/html/report.ts';
import type { Scenario } from '../../scenarios/schema/scenario.ts';
import { baselineScenario, buildRunFixture } from '../support/run-fixture.ts';
import { visibleTexts } from '../support/svg-labels.ts';

const CHART_IDS = REPORT_CHARTS.map(
  (build) =>
    build({
      run: buildRunFixture(baselineScenario(), { replications: 2, scale: 0.05 }),
      scenario: baselineScenario(),
    }).id,
);

/** The chart ids drawn as SVG and the ones replaced by a note. */
function chartsIn(html: string): { drawn: string[]; empty: string[] } {
  return {
    drawn: [...html.matchAll(/data-chart="([a-z-]+)"><svg /g)].map((m) => m[1]),
    empty: [...html.matchAll(/data-empty-chart="([a-z-]+)"/g)].map((m) => m[1]),
  };
}

describe('HTML report (replications > 1)', () => {
  let scenario: Scenario;
  let run: RunResult;
  let html: string;
  beforeAll(async () => {
    scenario = baselineScenario();
    run = buildRunFixture(scenario, { replications: 6, scale: 0.2 });
    html = await buildHtmlReport(run, scenario);
  });

  it('draws every chart as inline SVG with marks', () => {
    const { drawn, empty } = chartsIn(html);
    expect(CHART_IDS).toHaveLength(7);
    expect(drawn).toEqual(CHART_IDS);
    expect(empty).toEqual([]);
    for (const id of CHART_IDS) {
      const svg = html.split(`data-chart="${id}">`)[1].split('</svg>')[0];
      expect(svg, id).toMatch(/class="mark-(rect|line|area|symbol|rule|text)/);
      expect(svg.match(/<path|<line|<rect/g)?.length ?? 0, id).toBeGreaterThan(5);
    }
  });

  it('labels the 0 of the relative panel, the value it is read against', () => {
    // Before: a label every 40 px overlapped, and hiding every other one hid 0 (−20 %, +20 %, …).
    const texts = visibleTexts(html, 'replication-cis');
    expect(texts).toContain('0%');
    expect(texts.filter((t) => /^[−+]\d+%$/.test(t)).length).toBeGreaterThanOrEqual(3);
  });

  it('says in one row that a KPI group has no value in the run, not in a row of dashes per KPI', () => {
    const kpis = html.split('<section id="kpis">')[1].split('</section>')[0];
    const cohort = kpis.split('New viewers, by day of age</th></tr>')[1];
    expect(run.kpiStats.retentionD1.mean).toBeNaN();
    expect(cohort).toMatch(
      /^<tr><td colspan="6" class="note">No value in this run \(empty in kpis.csv\): <code>retentionD1<\/code>/,
    );
    expect(cohort).toContain('this run has none that lived to it.');
    expect(cohort).not.toContain('<td class="num">–</td>');
  });

  it('writes the Gini in its card as the KPI table does', () => {
    const gini = kpiValue('creatorEarningsGini', run.kpiStats.creatorEarningsGini.mean);
    expect(gini).toMatch(/^0\.\d{3}$/);
    const cards = html.split('class="cards"')[1].split('</header>')[0];
    expect(cards).toContain(`<div class="value">${gini} <span class="pm">`);
  });

  it('gives each headline card its 95 % CI, the KPI table’s, and the money cards one format', () => {
    const cards = html.split('class="cards"')[1].split('</header>')[0];
    const [lo, hi] = run.kpiStats.grossBookingsCents.ci95;
    const gross = run.kpiStats.grossBookingsCents.mean;
    expect(cards).toContain(
      `95 % CI ${escapeHtml(dollarsLike(lo, gross))} – ${escapeHtml(dollarsLike(hi, gross))}`,
    );
    const half = (hi - lo) / 2 / gross;
    expect(cards).toContain(`<span class="pm">±${percent(half, 1)}</span>`);
    const [plo, phi] = run.kpiStats.payerConversion.ci95;
    expect(cards).toContain(`95 % CI ${percent(plo, 2)} – ${percent(phi, 2)}`);
    expect(cards.match(/class="sub ci"/g)).toHaveLength(6);
    expect(html).not.toContain('One replication: these figures are one random draw');
  });

  it('is self-contained: no script, no stylesheet link, no http(s) URL anywhere', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link/i);
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/@import/i);
    // The only url() references are to clip paths inside the page itself.
    expect(html.match(/url\([^)]*\)/g)?.every((u) => /^url\(#[a-z-]+-\d+\)$/.test(u))).toBe(true);
    expect(html).toMatch(/^<!doctype html>/);
  });

  it('gives every chart a title, a reading aid and an accessible name', () => {
    for (const id of CHART_IDS) {
      const section = html.split(`<section id="${id}">`)[1].split('</section>')[0];
      expect(section, id).toMatch(/<h2>[^<]{8,}<\/h2>/);
      expect(section, id).toMatch(/<figcaption class="reading"><b>What this answers:<\/b> [^<]{20,}/);
      expect(section, id).toMatch(/<svg role="img" aria-label="[^"]{8,}"/);
    }
  });

  it('shows amounts in dollars from the cents KPIs (waterfall and headline agree)', () => {
    const gross = dollarsShort(run.kpiStats.grossBookingsCents.mean);
    const margin = dollarsShort(run.kpiStats.platformMarginCents.mean);
    const waterfall = html.split('data-chart="money-waterfall">')[1].split('</svg>')[0];
    expect(waterfall).toContain(`>${gross}<`);
    expect(waterfall).toContain(`>${margin}<`);
    expect(html.split('class="cards"')[1]).toContain(gross);
    expect(html).toContain('US dollars (mean of 6 replications)');
  });

  it('puts seed, replications, fees, share, diamond value and audience curve in the header and assumptions', () => {
    expect(html).toContain(`seed <b>${run.seed}</b>`);
    expect(html).toContain('replications <b>6</b>');
    expect(html).toMatch(/<th>app<\/th><td class="num">30\u00a0%<\/td>/);
    expect(html).toContain('50\u00a0% of a gift&#39;s coins become diamonds');
    expect(html).toContain('200 diamonds = $1');
    expect(html).toContain('small-stream boost, strength 0.3');
    expect(html).toContain('All checked invariants held in all 6 replications');
  });

  it('writes the same bytes for the same run (no clock unless asked for)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'giftlab-report-'));
    try {
      const file = join(dir, 'report.html');
      await writeHtmlReport(run, scenario, file);
      expect(readFileSync(file, 'utf8')).toBe(html);
      await writeHtmlReport(run, scenario, file, { generatedAt: new Date(Date.UTC(2026, 0, 2, 3, 4)) });
      expect(readFileSync(file, 'utf8')).toContain('generated <b>2026-01-02 03:04 UTC</b>');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('HTML report (one replication)', () => {
  let html: string;
  beforeAll(async () => {
    const scenario = baselineScenario();
    html = await buildHtmlReport(buildRunFixture(scenario, { replications: 1, scale: 0.1 }), scenario);
  });

  it('says there are no intervals instead of drawing empty ones', () => {
    const { drawn, empty } = chartsIn(html);
    expect(empty).toEqual(['replication-cis', 'fan']);
    expect(drawn).toEqual(CHART_IDS.filter((id) => !empty.includes(id)));
    expect(html).toContain('This run has a single replication, so there are no confidence intervals to draw');
    expect(html).toContain('A band needs several replications; this run has one.');
    expect(html).not.toContain('95 % CI</th>');
    // The headline cards say they are one draw, with no interval to give.
    expect(html).toContain('One replication: these figures are one random draw');
    expect(html.split('class="cards"')[1].split('</header>')[0]).not.toContain('class="sub ci"');
  });
});

describe('HTML report header', () => {
  it('with arrivals, gives the viewers at the start and in all, and the arrivals and departures behind them', async () => {
    const plain = baselineScenario();
    const scenario: Scenario = {
      ...plain,
      lifecycle: {
        ...plain.lifecycle,
        arrivalsPerDay: 300,
        survival: [
          { day: 1, share: 0.6 },
          { day: 30, share: 0.2 },
        ],
      },
      events: [...plain.events, { kind: 'acquisition-burst', at: 86_400, for: 7 * 86_400, viewers: 6_000 }],
    };
    const run = buildRunFixture(scenario, { replications: 2, scale: 0.05 });
    const html = await buildHtmlReport(run, scenario);
    expect(html).toContain(`<li>viewers at the start <b>${count(scenario.population.viewers)}</b></li>`);
    expect(html).toContain(`<li>viewers in all <b>${count(run.kpiStats.viewers.mean)}</b></li>`);
    expect(html).toContain(
      'Viewers&#39; arrivals and departures</dt><dd>300 new viewers a day; acquisition bursts: 6,000 more over 7 d, starting 1 d into the run; still a viewer after 1 d 60\u00a0%, 30 d 20\u00a0%, then leaving for good',
    );
    const without = await buildHtmlReport(buildRunFixture(plain, { replications: 2, scale: 0.05 }), plain);
    expect(without).toContain(`<li>viewers <b>${count(plain.population.viewers)}</b></li>`);
    expect(without).not.toContain('viewers at the start');
    expect(without).not.toContain('arrivals and departures');
  });

  it('says when the non-payers were a crowd, and only then', async () => {
    const agents = baselineScenario();
    const crowd: Scenario = { ...agents, population: { ...agents.population, crowd: true } };
    const run = buildRunFixture(agents, { replications: 2, scale: 0.05 });
    expect(await buildHtmlReport(run, crowd)).toContain('non-payers <b>a crowd</b>');
    expect(await buildHtmlReport(run, agents)).not.toContain('non-payers');
  });
});

describe('HTML report escaping', () => {
  let html: string;
  beforeAll(async () => {
    const scenario: Scenario = {
      ...baselineScenario(),
      name: 'evil<script>alert(1)</script>',
      description: 'Fees & "shares" <b>bold</b> \'quoted\' <img src=x onerror=alert(2)>',
    };
    html = await buildHtmlReport(
      buildRunFixture(scenario, { replications: 2, scale: 0.05, violations: 2 }),
      scenario,
    );
  });

  it('escapes scenario text everywhere it appears', () => {
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>bold</b>');
    expect(html).toContain('<h1>evil&#60;script&#62;alert(1)&#60;/script&#62;</h1>');
    expect(html).toContain('<title>giftlab — evil&#60;script&#62;');
    expect(html).toContain('Fees &#38; &#34;shares&#34; &#60;b&#62;bold&#60;/b&#62; &#39;quoted&#39;');
  });

  it('shows invariant violations with their messages', () => {
    expect(html).toContain('✗ 2 invariant violations');
    expect(html).toContain('gross ≠ store fee + payment fee + net (off by 1 cent)');
    expect(html).toMatch(/<td class="fail">2 violation\(s\)/);
  });
});

describe('inline SVG ids', () => {
  it('are unique in the page and every reference points at one of them', async () => {
    const scenario = baselineScenario();
    const html = await buildHtmlReport(buildRunFixture(scenario, { replications: 3, scale: 0.05 }), scenario);
    const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(10);
    expect(new Set(ids).size).toBe(ids.length);
    const refs = [...html.matchAll(/url\(#([^)]+)\)/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0);
    for (const r of refs) expect(ids).toContain(r);
  });
});

describe('the replication chart note', () => {
  it('agrees with its count', () => {
    expect(flatNote(1)).toBe(
      '1 KPI did not vary between replications (or is zero) and is left out of the lower panel.',
    );
    expect(flatNote(3)).toBe(
      '3 KPIs did not vary between replications (or are zero) and are left out of the lower panel.',
    );
    // KPIs without a value are said apart from those that did not vary.
    expect(flatNote(2, 5)).toBe(
      '2 KPIs did not vary between replications (or are zero), and 5 KPIs have no value in this run (cohort KPIs: nobody arrived, or the run is too short to measure them): both are left out of the lower panel.',
    );
    expect(flatNote(0, 1)).toBe(
      '1 KPI has no value in this run (cohort KPIs: nobody arrived, or the run is too short to measure them) and is left out of the lower panel.',
    );
  });
});
