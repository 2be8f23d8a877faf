/**
 * A chart as a page shows it: its figure (the chart or why it is empty, the question it answers, its
 * note and facts beside it) and its entry in the contents. Every report with charts (run, sweep,
 * calibration) renders its charts here, inside the shell of page.ts.
 */
import type { Chart, FactGroup } from './charts/chart.ts';
import { escapeHtml } from './escape.ts';
import { renderSvg } from './render.ts';

/** A table-of-contents entry: a link to a figure's (or a section's) anchor, named by its title. */
export function tocLink(item: { id: string; title: string }): string {
  return `<a href="#${item.id}">${escapeHtml(item.title)}</a>`;
}

/** The charts' figures, one after the other in their order: a page's run of chart sections. */
export async function renderFigures(charts: readonly Chart[]): Promise<string> {
  const figures: string[] = [];
  for (const chart of charts) figures.push(await renderFigure(chart));
  return figures.join('\n');
}

export async function renderFigure(chart: Chart): Promise<string> {
  const body =
    chart.spec === null
      ? `<div class="empty" data-empty-chart="${chart.id}">${noteHtml(chart.note ?? 'No data for this chart.')}</div>`
      : `<div class="chart" data-chart="${chart.id}">${await renderSvg(chart.spec, chart.title, chart.id)}</div>`;
  const note = chart.spec !== null && chart.note ? `<p class="note">${noteHtml(chart.note)}</p>` : '';
  const aside = chart.facts?.length ? factsAside(chart.facts) : '';
  return `<section id="${chart.id}"><figure>
<h2>${escapeHtml(chart.title)}</h2>
${aside ? `<div class="split">${body}${aside}</div>` : body}
<figcaption class="reading"><b>What this answers:</b> ${escapeHtml(chart.reading)}</figcaption>
${note}
</figure></section>`;
}

function factsAside(groups: readonly FactGroup[]): string {
  const html = groups
    .map((g) => {
      const rows = g.rows
        .map((r) => `<tr><th>${escapeHtml(r.label)}</th><td class="num">${escapeHtml(r.value)}</td></tr>`)
        .join('');
      const swatch = g.color ? `<span class="swatch" style="background:${g.color}"></span>` : '';
      return `<h3>${swatch}${escapeHtml(g.heading)}</h3><table>${rows}</table>`;
    })
    .join('');
  return `<aside class="facts-aside">${html}</aside>`;
}

/** Escaped note text with command-line flags (`--replications 5`) kept on one line in code type. */
function noteHtml(text: string): string {
  return escapeHtml(text).replace(/--[a-z][a-z-]*(?: \d+)?/g, (flag) => `<code class="flag">${flag}</code>`);
}
