/**
 * One page shell (reports/html/page.ts) for the run, sweep and calibration reports: the head, the
 * contents, the sections in order and the footer's offline promise, written once.
 */
import { describe, expect, it } from 'vitest';
import { reportPage } from '../../reports/html/page.ts';
import { buildHtmlReport } from '../../reports/html/report.ts';
import { STYLE } from '../../reports/html/style.ts';
import { baselineScenario, buildRunFixture } from '../support/run-fixture.ts';

const OFFLINE = 'charts rendered at write time with vega-lite; this file needs no network.';

describe('the report page shell', () => {
  const page = reportPage({
    title: 'giftlab sweep — s',
    header: '<header>h</header>',
    toc: ['<a href="#a">A</a>', '<a href="#b">B</a>'],
    sections: ['<section id="a"></section>', '', '<section id="b"></section>'],
    footer: 'giftlab sweep · seed 7 · scenario s',
  });

  it('holds the title, the stylesheet inline, the contents and the sections in order', () => {
    expect(page.startsWith('<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">')).toBe(true);
    expect(page).toContain('<title>giftlab sweep — s</title>');
    expect(page).toContain(`<style>${STYLE}</style>`);
    expect(page).toContain(
      '<nav class="toc" aria-label="Contents"><a href="#a">A</a><a href="#b">B</a></nav>\n<section id="a"></section>\n\n<section id="b"></section>\n<footer>',
    );
    expect(page).toContain(`<footer>giftlab sweep · seed 7 · scenario s · ${OFFLINE}</footer>`);
    expect(page).not.toMatch(/<script|https?:\/\//i);
  });

  it('is the run report’s shell', async () => {
    const scenario = baselineScenario();
    const run = buildRunFixture(scenario, { replications: 1, scale: 0.05 });
    const html = await buildHtmlReport(run, scenario);
    const head = reportPage({ title: 'T', header: '', toc: [], sections: [], footer: '' }).split(
      '<title>',
    )[0];
    expect(html.startsWith(head)).toBe(true);
    expect(html).toContain(`<footer>giftlab · seed ${run.seed} · scenario baseline · ${OFFLINE}</footer>`);
  });
});
