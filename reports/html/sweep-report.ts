/**
 * The HTML report of a sweep: one self-contained file in the run report's page shell (stylesheet,
 * theme, figure markup, vega-lite rendered to inline SVG at write time). It holds no wall-clock figure
 * and no date, so a merge of shards writes the very same bytes as the unsharded sweep.
 */

import { writeFile } from 'node:fs/promises';
import { reportLimits } from '../../common/limits.ts';
import { noValueAfterRuns } from '../../experiments/kpi-value.ts';
import { atReferencePrices } from '../../experiments/reference-prices.ts';
import type { SweepResult } from '../../experiments/sweep/aggregate.ts';
import { rankedMorrisRows, rankedSobolRows } from '../../experiments/sweep/sensitivity.ts';
import type { KpiName } from '../../sim/kpis.ts';
import { count, durationText, kpiDelta, kpiLabel, kpiLabelInText, kpiValue, NBSP } from '../format.ts';
import { beyondNoise, type SweepVerdict, sweepResultVerdict } from '../sweep/verdict.ts';
import type { Chart } from './charts/chart.ts';
import { escapeHtml, pathHtml } from './escape.ts';
import { renderFigures, tocLink } from './figure.ts';
import { reportPage } from './page.ts';
import { manyRunsInvariantsSection, overridesNote, readWithCare } from './sections.ts';
import { pathChart, tornadoChart, valueText } from './sweep-charts.ts';
import { morrisChart, sobolChart } from './sweep-sensitivity.ts';

export function sweepCharts(result: SweepResult): Chart[] {
  const paths = result.spec.axes.map((_, d) => pathChart(result, d));
  const first =
    result.spec.design === 'tornado'
      ? [tornadoChart(result)]
      : result.spec.design === 'sobol'
        ? [sobolChart(result)]
        : result.spec.design === 'morris'
          ? [morrisChart(result)]
          : [];
  return [...first, ...paths];
}

export async function writeSweepReport(result: SweepResult, file: string): Promise<void> {
  await writeFile(file, await buildSweepReport(result));
}

export async function buildSweepReport(result: SweepResult): Promise<string> {
  const charts = sweepCharts(result);
  const figures = await renderFigures(charts);
  const extra = [
    ...(result.tornado ? ['<a href="#tornado-table">Tornado table</a>'] : []),
    ...(result.sobol ? ['<a href="#sobol-table">Sobol table</a>'] : []),
    ...(result.morris ? ['<a href="#morris-table">Morris table</a>'] : []),
    '<a href="#points">Points</a>',
    '<a href="#invariants">Invariants</a>',
  ];
  const toc = charts.map(tocLink).concat(extra);
  const name = escapeHtml(result.scenario.name);
  return reportPage({
    title: `giftlab sweep — ${name}`,
    header: header(result),
    toc,
    sections: [
      figures,
      result.tornado ? tornadoSection(result) : '',
      result.sobol ? sobolSection(result) : '',
      result.morris ? morrisSection(result) : '',
      pointsSection(result),
      invariantsSection(result),
    ],
    footer: `giftlab sweep · seed ${result.spec.seed} · scenario ${name}`,
  });
}

function designText(result: SweepResult): string {
  const { spec } = result;
  if (spec.design === 'lhs') return `Latin hypercube, ${spec.lhsSamples} points`;
  if (spec.design === 'tornado') return 'tornado (one path at a time)';
  if (spec.design === 'sobol') return `Sobol indices, Saltelli design of ${spec.sobolSamples} base samples`;
  if (spec.design === 'morris') return `Morris screening, ${spec.morrisTrajectories} trajectories`;
  return `full grid, ${spec.points.length} points`;
}

function header(result: SweepResult): string {
  const { spec } = result;
  const kpi = spec.kpi;
  const verdict = sweepResultVerdict(result);
  const best = result.points[verdict.highest];
  const worst = result.points[verdict.lowest];
  const pointText = (id: number) =>
    spec.axes.map((a, d) => `${a.path} = ${valueText(spec.points[id].values[d])}`).join(', ');
  const meta: [string, string][] = [
    ['design', designText(result)],
    ['points', count(spec.points.length)],
    ['replications per point', count(spec.replications)],
    ['random streams', spec.streams === 'common' ? 'common (same seeds at every point)' : 'independent'],
    ['baseline', `point ${spec.baselinePoint} (the scenario as given)`],
    ...scaleMeta(result),
    ['seed', String(spec.seed)],
    ['events', count(result.events)],
  ];
  const absent = result.kpiAbsent.length > 0 ? ', over the points with a value' : '';
  const cards = [
    card(
      `Highest ${kpiLabelInText(kpi)}`,
      kpiValue(kpi, best.stats[kpi].mean),
      extremeText(kpi, verdict, 'highest', pointText),
    ),
    card(
      `Lowest ${kpiLabelInText(kpi)}`,
      kpiValue(kpi, worst.stats[kpi].mean),
      extremeText(kpi, verdict, 'lowest', pointText),
    ),
    card(
      'Range across points',
      spread(kpi, verdict.range),
      `${rangeText(kpi, verdict, spec.streams === 'common', result.points.length - result.kpiAbsent.length)}${absent}`,
    ),
  ];
  const varied = spec.axes
    .map((a) => `<code class="flag">--vary ${escapeHtml(a.path)}=${escapeHtml(a.text)}</code>`)
    .join(' ');
  return `<header class="top">
<p class="eyebrow">giftlab sweep report</p>
<h1>${escapeHtml(result.scenario.name)}: ${escapeHtml(kpiLabelInText(kpi))} across ${spec.axes.length === 1 ? escapeHtml(spec.axes[0].path) : `${spec.axes.length} paths`}</h1>
${result.scenario.description ? `<p class="description">${escapeHtml(result.scenario.description.trim())}</p>` : ''}
${overridesNote(result.scenario.overrides, 'sweep')}
<p class="description">Swept: ${varied}</p>
<ul class="meta">${meta.map(([k, v]) => `<li>${k} <b>${escapeHtml(v)}</b></li>`).join('')}</ul>
${readWithCare(result.warnings, 'sweep')}
${absentNote(result)}
<div class="cards">${cards.join('')}</div>
</header>`;
}

/** What the sweep cannot tell apart at 95 %: said on the Highest and Range cards when highest − lowest is noise. */
export const NO_POINT_DIFFERS =
  "no point differs from the others beyond the replications' noise at 95 %: more replications, or a wider range";

/**
 * The Highest or Lowest card's line: the point, and whether it stands out — beyond the next point on its
 * side (a 95 % CI of the difference without 0), level with it within the noise, or (highest − lowest
 * within the noise) no different from any point.
 */
export function extremeText(
  kpi: KpiName,
  verdict: SweepVerdict,
  side: 'highest' | 'lowest',
  pointText: (id: number) => string,
): string {
  const id = side === 'highest' ? verdict.highest : verdict.lowest;
  const at = `point ${id}: ${pointText(id)}`;
  const vs = side === 'highest' ? verdict.highestVsNext : verdict.lowestVsNext;
  if (verdict.rangeVerdict === 'single' || vs === null) return at;
  if (verdict.rangeVerdict === 'unknown')
    return `${at} (one replication a point: no CI tells it from the others)`;
  if (verdict.rangeVerdict === 'noise') {
    return side === 'highest'
      ? `${capitalized(NO_POINT_DIFFERS)}. Highest mean at ${at}`
      : `Lowest mean at ${at}, within the noise of every other point too`;
  }
  const next = side === 'highest' ? 'next highest' : 'next lowest';
  const by = `${kpiDelta(kpi, vs.difference)}, 95 % CI ${vs.ci95 === null ? '—' : deltaCi(kpi, vs.ci95[0], vs.ci95[1])}`;
  return beyondNoise(vs.ci95)
    ? `${at}; beyond the ${next}, point ${vs.next} (${by})`
    : `${at}; level within the replications' noise with the ${next}, point ${vs.next}: ${pointText(vs.next)} (${by})`;
}

/** The Range card's line: highest − lowest with its 95 % CI and what the CI says. */
export function rangeText(kpi: KpiName, verdict: SweepVerdict, paired: boolean, points: number): string {
  const ci = verdict.rangeCi95;
  if (verdict.rangeVerdict === 'single') return `highest − lowest ${kpiLabelInText(kpi)}`;
  if (ci === null)
    return `highest − lowest ${kpiLabelInText(kpi)}; one replication a point: no CI, the noise unknown`;
  const how = paired ? 'paired over replications' : 'Welch';
  // With more than two points the CI is Bonferroni's over every pair (reports/sweep/verdict.ts).
  const picked =
    points > 2 ? `; at 95 % for all ${count((points * (points - 1)) / 2)} pairs of points at once` : '';
  const within = beyondNoise(ci)
    ? "beyond the replications' noise"
    : "includes 0: within the replications' noise";
  return `highest − lowest ${kpiLabelInText(kpi)}, 95 % CI ${deltaCi(kpi, ci[0], ci[1])} (${how}${picked}) ${within}`;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The scale every point shares, as the run report gives it (the scenario's with the `--set`s, not the
 * file's description): a path the sweep varies is the points' own (their values are in the Points table).
 */
function scaleMeta(result: SweepResult): [string, string][] {
  const varied = result.spec.axes.map((a) => a.path);
  const s = result.scenario;
  const meta: [string, string][] = [];
  if (!varied.includes('duration')) meta.push(['simulated', durationText(s.duration)]);
  // Creators follow viewers (population.viewersPerCreator) unless the file fixes them.
  if (!varied.some((p) => p.startsWith('population.'))) {
    meta.push(['viewers', count(s.population.viewers)], ['creators', count(s.population.creators)]);
  }
  return meta;
}

/** Points listed by the note on points without a value of --kpi (the Points table marks every one). */
const ABSENT_NAMED = 8;

/** Where --kpi has no value (kpi-value.ts): said once, at the top, before any figure leaves them out. */
function absentNote(result: SweepResult): string {
  const ids = result.kpiAbsent;
  if (ids.length === 0) return '';
  const kpi = result.spec.kpi;
  const more = ids.length > ABSENT_NAMED ? ` and ${ids.length - ABSENT_NAMED} more` : '';
  return `<p class="note"><b>${escapeHtml(kpiLabel(kpi))} has no value at ${count(ids.length)} of ${count(result.spec.points.length)} points</b> (${escapeHtml(noValueAfterRuns(kpi))}): point${ids.length === 1 ? '' : 's'} ${ids.slice(0, ABSENT_NAMED).join(', ')}${more}. They are left out of the cards and charts; their cells in sweep.csv are empty.</p>`;
}

/** A KPI's value, or “no value” where it is absent. */
function kpiOrAbsent(kpi: KpiName, x: number): string {
  return Number.isNaN(x) ? 'no value' : kpiValue(kpi, x);
}

function card(label: string, value: string, sub: string): string {
  return `<div class="card"><div class="label">${escapeHtml(label)}</div><div class="value">${escapeHtml(value)}</div><div class="sub">${escapeHtml(sub)}</div></div>`;
}

function ci(kpi: Parameters<typeof kpiValue>[0], lo: number, hi: number): string {
  return lo === hi || Number.isNaN(lo) ? '—' : `${kpiValue(kpi, lo)}${NBSP}– ${kpiValue(kpi, hi)}`;
}

/**
 * The CI of a difference, in the difference's unit: a share's in percentage points (`−1.39 pp – −0.61 pp`
 * beside a difference of `−1.00 pp`; it read `−1.39 % – −0.61 %`, a relative change's look).
 */
function deltaCi(kpi: Parameters<typeof kpiValue>[0], lo: number, hi: number): string {
  return lo === hi || Number.isNaN(lo) ? '—' : `${kpiDelta(kpi, lo)}${NBSP}– ${kpiDelta(kpi, hi)}`;
}

/** A spread or an effect size (never signed), in the difference's unit: a share's in percentage points. */
function spread(kpi: Parameters<typeof kpiValue>[0], x: number): string {
  return kpiDelta(kpi, x).replace(/^\+/, '');
}

function tornadoSection(result: SweepResult): string {
  const kpi = result.spec.kpi;
  const rows = (result.tornado ?? [])
    .map(
      (t, i) =>
        `<tr><td class="num">${i + 1}</td><th><code>${escapeHtml(t.path)}</code></th><td class="num">${escapeHtml(valueText(t.lowValue))} → ${escapeHtml(valueText(t.highValue))}</td>` +
        `<td class="num">${kpiOrAbsent(kpi, t.low.mean)}</td><td class="num">${kpiOrAbsent(kpi, t.baseline.mean)}</td><td class="num">${kpiOrAbsent(kpi, t.high.mean)}</td>` +
        `<td class="num">${kpiDelta(kpi, t.delta)}</td><td class="num ci">${t.deltaCi95 ? deltaCi(kpi, t.deltaCi95[0], t.deltaCi95[1]) : '—'}</td></tr>`,
    )
    .join('');
  const paired =
    result.spec.streams === 'common' ? 'paired over replications (common random numbers)' : 'unpaired';
  return `<section id="tornado-table"><h2>Tornado table</h2>
<p class="lede">${escapeHtml(kpiLabel(kpi))} at each path's low and high value, the others at baseline; high − low with its 95 % CI (${paired}).</p>
<table><thead><tr><th class="num">#</th><th>Path</th><th class="num">Low → high</th><th class="num">At low</th><th class="num">Baseline</th><th class="num">At high</th><th class="num">High − low</th><th class="num">95 % CI</th></tr></thead>
<tbody>${rows}</tbody></table>${elasticityNote(result)}</section>`;
}

/**
 * A tornado moves an elasticity with every price at the scenario's: at the reference prices (p = 1,
 * p^ε = 1) its bar is 0 by construction, which the table would otherwise rank as "does not matter".
 */
function elasticityNote(result: SweepResult): string {
  const paths = result.spec.axes
    .map((a) => a.path)
    .filter((path) => path === 'demand.conversionElasticity' || path === 'demand.intensityElasticity');
  if (paths.length === 0 || !atReferencePrices(result.scenario)) return '';
  const named = paths.map((path) => `<code>${escapeHtml(path)}</code>`).join(' and ');
  return `<p class="note">${named}: no swing by construction, not a finding — the scenario sells at its reference prices (each channel's price index is 1), where an elasticity changes nothing. Cross it with a price (a grid or <code>--sobol</code> with a price path, e.g. a price-change event's factor) to see what it decides.</p>`;
}

function indexCell(x: number): string {
  return Number.isFinite(x) ? x.toFixed(3) : '—';
}

function sobolSection(result: SweepResult): string {
  const kpi = result.spec.kpi;
  const rows = rankedSobolRows(result.sobol, kpi)
    .map(
      (r) =>
        `<tr><th><code>${escapeHtml(r.path)}</code></th><td class="num">${indexCell(r.s1)}</td><td class="num">${indexCell(r.s1Ci95[0])} – ${indexCell(r.s1Ci95[1])}</td><td class="num">${indexCell(r.st)}</td><td class="num">${indexCell(r.stCi95[0])} – ${indexCell(r.stCi95[1])}</td></tr>`,
    )
    .join('');
  return `<section id="sobol-table"><h2>Sobol table</h2>
<p class="lede">First- and total-order indices of ${escapeHtml(kpiLabelInText(kpi))} by path, largest total first, with bootstrap 95 % CIs; sobol.csv has every KPI.</p>${absentTableNote(result)}
<table><thead><tr><th>Path</th><th class="num">S1</th><th class="num">95 % CI</th><th class="num">ST</th><th class="num">95 % CI</th></tr></thead>
<tbody>${rows}</tbody></table></section>`;
}

function morrisSection(result: SweepResult): string {
  const kpi = result.spec.kpi;
  const rows = rankedMorrisRows(result.morris, kpi)
    .map(
      (r) =>
        `<tr><th><code>${escapeHtml(r.path)}</code></th><td class="num">${spread(kpi, r.muStar)}</td><td class="num">${r.muStarCi95[0] === r.muStarCi95[1] || Number.isNaN(r.muStarCi95[0]) ? '—' : `${spread(kpi, r.muStarCi95[0])} – ${spread(kpi, r.muStarCi95[1])}`}</td><td class="num">${kpiDelta(kpi, r.mu)}</td><td class="num">${spread(kpi, r.sigma)}</td></tr>`,
    )
    .join('');
  return `<section id="morris-table"><h2>Morris table</h2>
<p class="lede">Elementary effects of ${escapeHtml(kpiLabelInText(kpi))} per whole range of each path, largest μ* first: μ* (mean absolute effect) with its bootstrap 95 % CI, μ (mean, signed) and σ (spread); morris.csv has every KPI.</p>${absentTableNote(result)}
<table><thead><tr><th>Path</th><th class="num">μ*</th><th class="num">95 % CI</th><th class="num">μ</th><th class="num">σ</th></tr></thead>
<tbody>${rows}</tbody></table></section>`;
}

/** A Sobol or Morris table left empty: --kpi has no value at some point, so no index of it. */
function absentTableNote(result: SweepResult): string {
  if (result.kpiAbsent.length === 0) return '';
  const kpi = result.spec.kpi;
  return `<p class="note">None for ${escapeHtml(kpiLabel(kpi))}: its figures need a value at every point of the design, and it has none at ${count(result.kpiAbsent.length)} (see above). ${result.spec.design}.csv has every other KPI's.</p>`;
}

function pointsSection(result: SweepResult): string {
  const { spec } = result;
  const kpi = spec.kpi;
  const shownRows = result.points.slice(0, reportLimits.sweepPointRowsMax);
  const head = `<tr><th class="num">Point</th>${spec.design === 'tornado' ? '<th>Role</th>' : ''}${spec.axes.map((a) => `<th class="num"><code>${pathHtml(a.path)}</code></th>`).join('')}<th class="num">${escapeHtml(kpiLabel(kpi))}</th><th class="num">95 % CI</th><th class="num">−${NBSP}baseline</th><th class="num">95 % CI</th></tr>`;
  const body = shownRows
    .map((p) => {
      const point = spec.points[p.id];
      const role =
        spec.design === 'tornado'
          ? `<td>${point.role}${point.moved === undefined ? '' : ` <code>${pathHtml(spec.axes[point.moved].path)}</code>`}</td>`
          : '';
      const s = p.stats[kpi];
      const d = p.vsBaseline[kpi];
      const dCi = d.ci95 === null ? '—' : deltaCi(kpi, d.ci95[0], d.ci95[1]);
      return `<tr><td class="num">${p.id}</td>${role}${point.values.map((v) => `<td class="num">${escapeHtml(valueText(v))}</td>`).join('')}<td class="num">${kpiOrAbsent(kpi, s.mean)}</td><td class="num ci">${ci(kpi, s.ci95[0], s.ci95[1])}</td><td class="num">${kpiDelta(kpi, d.mean)}</td><td class="num ci">${dCi}</td></tr>`;
    })
    .join('');
  const more =
    result.points.length > reportLimits.sweepPointRowsMax
      ? `<p class="note">First ${reportLimits.sweepPointRowsMax} of ${count(result.points.length)} points; sweep.csv has every point and KPI.</p>`
      : '';
  return `<section id="points"><h2>Points</h2>
<p class="lede">Every point of the sweep with ${escapeHtml(kpiLabelInText(kpi))} and its difference from the baseline (point ${spec.baselinePoint}, the scenario as given) with a 95 % CI ${spec.streams === 'common' ? 'paired over replications' : 'from Welch’s test'}; every KPI of every point is in sweep.csv (tidy), each replication in replications.csv.</p>
<div style="overflow-x:auto"><table class="wide"><thead>${head}</thead><tbody>${body}</tbody></table></div>${more}</section>`;
}

function invariantsSection(result: SweepResult): string {
  const violations = result.invariants.violations.map((v) => ({ ...v, at: v.point }));
  return manyRunsInvariantsSection(
    result.invariants,
    violations,
    result.rows.length,
    'Point',
    result.spec.check,
  );
}
