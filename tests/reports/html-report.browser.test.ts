/**
 * Opens report.html in a real headless Chromium (Debian's `chromium`, driven by playwright-core) and
 * checks what a person would see: every chart drawn with marks and a size, nothing fetched from the
 * network, no console error. CI installs chromium (`.ci/run`); without it this suite is skipped, and
 * says so.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_CHARTS, writeHtmlReport } from '../../reports/html/report.ts';
import { baselineScenario, buildRunFixture } from '../support/run-fixture.ts';
import { giftlab } from '../sweep/support.ts';

const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(
    `SKIPPED html-report.browser.test.ts: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_BIN)`,
  );
}

const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface ChartSeen {
  id: string;
  width: number;
  height: number;
  marks: number;
  visibleText: number;
}

interface PageResult {
  charts: ChartSeen[];
  empty: string[];
  requests: string[];
  consoleErrors: string[];
  pageErrors: string[];
  title: string;
}

async function openReport(browser: Browser, file: string): Promise<PageResult> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  page.on('request', (r) => {
    if (!/^(file|data):/.test(r.url())) requests.push(r.url());
  });
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  const charts = await page.$$eval('[data-chart]', (nodes) =>
    nodes.map((n) => {
      const svg = n.querySelector('svg');
      const box = svg?.getBoundingClientRect();
      const marks = svg?.querySelectorAll(
        '[class*="role-mark"] path, [class*="role-mark"] line, [class*="role-mark"] text',
      ).length;
      const texts = [...(svg?.querySelectorAll('text') ?? [])].filter(
        (t) => t.getBoundingClientRect().width > 0,
      );
      return {
        id: n.getAttribute('data-chart') ?? '',
        width: box?.width ?? 0,
        height: box?.height ?? 0,
        marks: marks ?? 0,
        visibleText: texts.length,
      };
    }),
  );
  const empty = await page.$$eval('[data-empty-chart]', (nodes) =>
    nodes.map((n) => n.getAttribute('data-empty-chart') ?? ''),
  );
  const title = await page.title();
  await page.close();
  return { charts, empty, requests, consoleErrors, pageErrors, title };
}

// Skipped without Chromium (see the note printed above): the plain HTML tests still run.
describe.skipIf(!hasChromium)('report.html in headless Chromium', () => {
  let browser: Browser;
  let dir: string;
  const scenario = baselineScenario();
  const ids = REPORT_CHARTS.map(
    (build) => build({ run: buildRunFixture(scenario, { replications: 2, scale: 0.02 }), scenario }).id,
  );

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'giftlab-browser-'));
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders every chart with marks, fetches nothing and logs no error (5 replications)', async () => {
    const file = join(dir, 'report-5.html');
    await writeHtmlReport(buildRunFixture(scenario, { replications: 5, scale: 0.3 }), scenario, file);
    const seen = await openReport(browser, file);
    expect(seen.title).toBe('giftlab — baseline');
    expect(seen.charts.map((c) => c.id)).toEqual(ids);
    for (const c of seen.charts) {
      expect(c.width, c.id).toBeGreaterThan(300);
      expect(c.height, c.id).toBeGreaterThan(120);
      expect(c.marks, c.id).toBeGreaterThanOrEqual(3);
      expect(c.visibleText, c.id).toBeGreaterThan(3);
    }
    expect(seen.empty).toEqual([]);
    expect(seen.requests).toEqual([]);
    expect(seen.consoleErrors).toEqual([]);
    expect(seen.pageErrors).toEqual([]);
  });

  it('with one replication draws the rest and explains the two it cannot draw', async () => {
    const file = join(dir, 'report-1.html');
    await writeHtmlReport(buildRunFixture(scenario, { replications: 1, scale: 0.3 }), scenario, file);
    const seen = await openReport(browser, file);
    expect(seen.empty).toEqual(['replication-cis', 'fan']);
    expect(seen.charts.map((c) => c.id)).toEqual(ids.filter((id) => !seen.empty.includes(id)));
    for (const c of seen.charts) expect(c.marks, c.id).toBeGreaterThanOrEqual(3);
    expect(seen.requests).toEqual([]);
    expect(seen.consoleErrors).toEqual([]);
  });

  it('on a phone (420 px) keeps each chart at its drawn size in a sideways scroll; the page itself does not scroll sideways', async () => {
    const file = join(dir, 'report-phone.html');
    await writeHtmlReport(buildRunFixture(scenario, { replications: 5, scale: 0.3 }), scenario, file);
    const page = await browser.newPage({ viewport: { width: 420, height: 900 } });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    // DOM work through playwright's element handles: this file is type-checked without the DOM's globals.
    const seen = {
      pageWidth: await page.$eval('html', (html) => html.scrollWidth),
      charts: await page.$$eval('[data-chart] svg', (svgs) =>
        svgs.map((svg) => ({
          drawn: Number(svg.getAttribute('width')),
          shown: svg.getBoundingClientRect().width,
          scrolls: svg.parentElement
            ? svg.ownerDocument.defaultView?.getComputedStyle(svg.parentElement).overflowX
            : undefined,
        })),
      ),
      // A table wider than the screen scrolls within itself.
      tables: await page.$$eval('table', (tables) =>
        tables.map((t) => ({
          scroll: t.scrollWidth,
          shown: t.getBoundingClientRect().right,
          overflow: t.ownerDocument.defaultView?.getComputedStyle(t).overflowX,
        })),
      ),
    };
    await page.close();
    expect(seen.pageWidth).toBeLessThanOrEqual(420);
    expect(seen.charts.length).toBeGreaterThan(3);
    for (const c of seen.charts) {
      expect(c.shown).toBeCloseTo(c.drawn, 0); // squeezed to the screen, a chart's text was 4 px high
      expect(c.scrolls).toBe('auto');
    }
    for (const t of seen.tables) {
      expect(t.shown).toBeLessThanOrEqual(420);
      if (t.scroll > 420) expect(t.overflow).toBe('auto');
    }
  });

  it('would notice a fetch, a console error and a chart without marks (the checks can fail)', async () => {
    const file = join(dir, 'bad.html');
    writeFileSync(
      file,
      '<!doctype html><title>bad</title><div data-chart="x"><svg width="400" height="200"></svg></div>' +
        '<img src="http://127.0.0.1:9/pixel.png"><script>console.error("boom")</script>',
    );
    const seen = await openReport(browser, file);
    expect(seen.requests).toEqual(['http://127.0.0.1:9/pixel.png']);
    expect(seen.consoleErrors).toContain('boom');
    expect(seen.charts).toEqual([{ id: 'x', width: 400, height: 200, marks: 0, visibleText: 0 }]);
  });
});

describe.skipIf(!hasChromium)('a sweep’s report.html in headless Chromium', () => {
  let browser: Browser;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'giftlab-browser-sweep-'));
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs a sweep with `flags` and measures its Points table at 1280 px: its width, its room, its headers. */
  async function pointsTable(name: string, flags: string[]) {
    const out = join(dir, name);
    const args = [
      'sweep',
      'scenarios/baseline.yaml',
      '--set',
      'population.viewers=10000',
      '--replications',
      '2',
    ];
    const { code } = await giftlab([...args, ...flags, '--out', out]);
    expect(code).toBe(0);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(pathToFileURL(join(out, 'report.html')).href, { waitUntil: 'load' });
    const table = await page.$eval('#points table', (t) => ({
      width: t.scrollWidth,
      room: t.parentElement?.clientWidth ?? 0,
    }));
    // innerText: the headers as shown, after the stylesheet's text-transform.
    const heads = (await page.locator('#points thead th').allInnerTexts()).map((h) => h.replace(/\s/g, ''));
    await page.close();
    return { ...table, heads };
  }

  it('fits a two-path grid’s Points table in a 1280 px window, its paths spelt as written', async () => {
    // Before: uppercased, unbreakable path headers pushed the last CI column out of view (1017 px of 934).
    const vary = ['--vary', 'payout.creatorShare=0.4,0.6', '--vary', 'demand.conversionElasticity=-1,-4'];
    const table = await pointsTable('grid', vary);
    expect(table.width).toBeLessThanOrEqual(table.room);
    expect(table.heads).toContain('payout.creatorShare');
    expect(table.heads).toContain('demand.conversionElasticity');
  });

  it('fits a three-path tornado’s Points table too, its CIs wrapping after the dash', async () => {
    // Before: a role column and three path columns left the CIs 1165 px of 934.
    const table = await pointsTable('tornado', [
      '--tornado',
      '--vary',
      'payout.creatorShare=0.4:0.6',
      '--vary',
      'demand.conversionElasticity=-4:-1',
      '--vary',
      'viewers.payerShare=0.01:0.04',
    ]);
    expect(table.width).toBeLessThanOrEqual(table.room);
  });
});
