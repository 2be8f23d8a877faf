/**
 * The HTML report of a run: one self-contained file that opens offline. Charts are vega-lite specs
 * rendered to inline SVG at write time (see render.ts); tables and text are plain HTML; the stylesheet
 * is inline; there is no script, no web font, no URL to fetch.
 */
import { writeFile } from 'node:fs/promises';
import type { RunResult } from '../../experiments/result.ts';
import type { Scenario } from '../../scenarios/schema/scenario.ts';
import { audienceEffect } from './charts/audience-effect.ts';
import { bookingsOverTime } from './charts/bookings-over-time.ts';
import { channelMix } from './charts/channel-mix.ts';
import type { Chart, ChartInput } from './charts/chart.ts';
import { COHORT_CHARTS, hasCohorts } from './charts/cohorts.ts';
import { fanChart } from './charts/fan.ts';
import { lorenzCurves } from './charts/lorenz.ts';
import { moneyWaterfall } from './charts/money-waterfall.ts';
import { replicationCis } from './charts/replication-cis.ts';
import { escapeHtml } from './escape.ts';
import { renderFigure, tocLink } from './figure.ts';
import { PACKS_ID, PACKS_TITLE, packsSection } from './packs-section.ts';
import { reportPage } from './page.ts';
import { assumptionsSection, headerSection, invariantsSection, kpiSection } from './sections.ts';
import { hasThresholds, THRESHOLDS_ID, thresholdsSection } from './thresholds-section.ts';

export { escapeHtml } from './escape.ts';

export interface HtmlReportOptions {
  /** Printed in the header when given; left out by default so that the same run gives the same file. */
  generatedAt?: Date;
}

/** Every chart of the report, in page order. */
export const REPORT_CHARTS: readonly ((input: ChartInput) => Chart)[] = [
  moneyWaterfall,
  bookingsOverTime,
  channelMix,
  lorenzCurves,
  audienceEffect,
  replicationCis,
  fanChart,
];

export async function writeHtmlReport(
  run: RunResult,
  scenario: Scenario,
  file: string,
  options: HtmlReportOptions = {},
): Promise<void> {
  await writeFile(file, await buildHtmlReport(run, scenario, options));
}

export async function buildHtmlReport(
  run: RunResult,
  scenario: Scenario,
  options: HtmlReportOptions = {},
): Promise<string> {
  if (run.replications.length === 0) throw new Error('a run result needs at least one replication');
  const input: ChartInput = { run, scenario };
  // The cohort charts only when viewers arrived: a run without arrivals has nothing to show there.
  const builders = hasCohorts(run) ? [...REPORT_CHARTS, ...COHORT_CHARTS] : REPORT_CHARTS;
  const charts = builders.map((build) => build(input));
  const figures = (await Promise.all(charts.map(renderFigure))).map((html, i) => ({
    id: charts[i].id,
    title: charts[i].title,
    html,
  }));
  // The packs table right after the channel mix: by channel, then by pack.
  const packs = { id: PACKS_ID, title: PACKS_TITLE, html: packsSection(run, scenario) };
  const mix = figures.findIndex((f) => f.id === 'channel-mix');
  figures.splice(mix < 0 ? figures.length : mix + 1, 0, packs);
  const toc = figures
    .map(tocLink)
    .concat([
      '<a href="#kpis">KPIs</a>',
      ...(hasThresholds(scenario) ? [`<a href="#${THRESHOLDS_ID}">Thresholds</a>`] : []),
      '<a href="#assumptions">Assumptions</a>',
      '<a href="#invariants">Invariants</a>',
    ]);
  const name = escapeHtml(scenario.name);
  return reportPage({
    title: `giftlab — ${name}`,
    header: headerSection(run, scenario, options.generatedAt),
    toc,
    sections: [
      figures.map((f) => f.html).join('\n'),
      kpiSection(run),
      ...(hasThresholds(scenario) ? [thresholdsSection(run, scenario)] : []),
      assumptionsSection(scenario),
      invariantsSection(run),
    ],
    footer: `giftlab · seed ${run.seed} · scenario ${name}`,
  });
}
