/**
 * compare.html: one self-contained page (same stylesheet and offline rendering as the run report) with
 * what to read with care under the headline, the relative difference of every KPI and its 95 % CI, the
 * money KPIs of both runs side by side, and the full table.
 */
import { basename } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { CASH_FLOW_KPIS } from '../../sim/kpis.ts';
import { centsToDollars, kpiDelta, kpiLabel, kpiValue, signedPercent } from '../format.ts';
import { escapeHtml } from '../html/escape.ts';
import { renderSvg } from '../html/render.ts';
import { STYLE } from '../html/style.ts';
import { FULL_WIDTH, INK, MEANING, relativeAxis } from '../html/theme.ts';
import { AT_ALPHA, type Comparison, decidingTest, type KpiComparison, P_BELOW_ALPHA } from './compare.ts';
import { BARELY_R, pairingOf, pairingSummary, pairingText, rText, TOGETHER_R } from './pairing.ts';
import { type ComparePrecision, precisionLines, precisionShortfall } from './precision.ts';
import { clipCi, relativeScale } from './relative-scale.ts';
import { diffCiText, pText } from './table.ts';

const A_COLOR = '#64748b';
const B_COLOR = '#2563eb';
/** The relative-difference chart's plot width; its labels start at the right edge. */
const REL_WIDTH = 560;

export function runNames(c: Comparison): { a: string; b: string } {
  if (c.a.scenario !== c.b.scenario) return { a: c.a.scenario, b: c.b.scenario };
  return { a: basename(c.a.dir), b: basename(c.b.dir) };
}

function relDiffChart(c: Comparison): TopLevelSpec {
  const rows = c.rows.filter((r) => r.relDiff !== null);
  const bars = rows.map((r) => {
    const scale = Math.abs(r.a.mean) || 1;
    const t = decidingTest(r);
    return { rel: r.relDiff!, lo: t ? t.ci95[0] / scale : null, hi: t ? t.ci95[1] / scale : null };
  });
  const { domain, ticks } = relativeScale(bars, Math.floor(REL_WIDTH / 70));
  const values = rows.map((r, i) => {
    const status =
      decidingTest(r) === null
        ? 'single replication'
        : r.verdict === 'B higher' || r.verdict === 'B lower'
          ? `clear difference (${P_BELOW_ALPHA})`
          : 'no clear difference';
    const shown = clipCi(bars[i], domain);
    const off = shown.offLow || shown.offHigh;
    return {
      kpi: kpiLabel(r.kpi),
      rel: bars[i].rel,
      ...shown,
      status,
      // A CI that runs off the chart is given in full beside the bar.
      text: `${signedPercent(bars[i].rel)}${off ? `  (CI ${signedPercent(bars[i].lo!, 0)} … ${signedPercent(bars[i].hi!, 0)})` : ''}`,
    };
  });
  const sort = values.map((v) => v.kpi);
  const y = {
    field: 'kpi',
    type: 'nominal' as const,
    sort,
    title: null,
    axis: { labelColor: INK.text, labelLimit: 240 },
  };
  const scale = { domain, nice: false, zero: false };
  const edge = (end: 'offLow' | 'offHigh') => ({
    transform: [{ filter: `datum.${end}` }],
    mark: {
      type: 'point' as const,
      shape: end === 'offLow' ? 'triangle-left' : 'triangle-right',
      filled: true,
      size: 60,
      // Inside the plot, its tip on the edge: not over the KPI's label or the percentages.
      xOffset: end === 'offLow' ? 4 : -4,
      color: INK.text,
      opacity: 1,
    },
    encoding: { y, x: { datum: domain[end === 'offLow' ? 0 : 1], type: 'quantitative' as const, scale } },
  });
  return {
    width: REL_WIDTH,
    height: { step: 24 },
    data: { values },
    layer: [
      {
        data: { values: [{ zero: 0 }] },
        mark: { type: 'rule', color: INK.domain },
        encoding: { x: { field: 'zero', type: 'quantitative', scale } },
      },
      {
        mark: { type: 'bar', height: { band: 0.6 }, cornerRadius: 2 },
        encoding: {
          y,
          x: {
            field: 'rel',
            type: 'quantitative',
            title:
              'B relative to A (%); whiskers: 95 % CI of the difference, ◀ ▶ where it runs off the chart',
            scale,
            axis: { ...relativeAxis(REL_WIDTH), values: ticks },
          },
          color: {
            field: 'status',
            type: 'nominal',
            title: null,
            scale: {
              domain: [`clear difference (${P_BELOW_ALPHA})`, 'no clear difference', 'single replication'],
              range: [MEANING.band, '#cbd5e1', '#94a3b8'],
            },
            legend: { orient: 'top' },
          },
        },
      },
      {
        mark: { type: 'rule', color: INK.text, strokeWidth: 1.2 },
        encoding: { y, x: { field: 'lo', type: 'quantitative', scale }, x2: { field: 'hi' } },
      },
      edge('offLow'),
      edge('offHigh'),
      {
        mark: { type: 'text', align: 'left', dx: 10, fontSize: 11, color: INK.muted },
        encoding: { y, x: { value: REL_WIDTH }, text: { field: 'text' } },
      },
    ],
  };
}

/**
 * The money chart's rows: the cash flow's totals (`CASH_FLOW_KPIS`), in the table's order. Per-payer and
 * per-viewer cents (ARPPU, LTV) are left to the table: a few dollars drawn beside thousands.
 */
export function moneyChartRows(rows: readonly KpiComparison[]): KpiComparison[] {
  return rows.filter((r) => (CASH_FLOW_KPIS as readonly string[]).includes(r.kpi));
}

function moneyChart(c: Comparison, names: { a: string; b: string }): TopLevelSpec | null {
  const rows = moneyChartRows(c.rows);
  if (rows.length === 0) return null;
  const a = `A · ${names.a}`;
  const b = `B · ${names.b}`;
  const values = rows.flatMap((r) => [
    {
      kpi: kpiLabel(r.kpi),
      run: a,
      mean: centsToDollars(r.a.mean),
      lo: centsToDollars(r.a.ci95[0]),
      hi: centsToDollars(r.a.ci95[1]),
    },
    {
      kpi: kpiLabel(r.kpi),
      run: b,
      mean: centsToDollars(r.b.mean),
      lo: centsToDollars(r.b.ci95[0]),
      hi: centsToDollars(r.b.ci95[1]),
    },
  ]);
  const y = {
    field: 'kpi',
    type: 'nominal' as const,
    sort: rows.map((r) => kpiLabel(r.kpi)),
    title: null,
    axis: { labelColor: INK.text },
  };
  const yOffset = { field: 'run', type: 'nominal' as const, sort: [a, b] };
  return {
    width: FULL_WIDTH - 200,
    height: { step: 15 },
    data: { values },
    encoding: { y, yOffset },
    layer: [
      {
        mark: { type: 'bar', height: { band: 0.8 }, cornerRadiusEnd: 2 },
        encoding: {
          x: {
            field: 'mean',
            type: 'quantitative',
            title: 'US dollars (whiskers: 95 % CI)',
            axis: { format: '$,.0f', grid: true },
          },
          color: {
            field: 'run',
            type: 'nominal',
            title: null,
            scale: { domain: [a, b], range: [A_COLOR, B_COLOR] },
            legend: { orient: 'top', labelLimit: 0 },
          },
        },
      },
      {
        mark: { type: 'rule', color: INK.text },
        encoding: { x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } },
      },
    ],
  };
}

function tableHtml(c: Comparison): string {
  const cell = (r: KpiComparison) => {
    const sep = r.cisSeparate === null ? 'n/a' : r.cisSeparate ? 'separate' : 'overlap';
    const p = (x: number | undefined) => escapeHtml(pText(x) || '—');
    const ci = (s: KpiComparison['a']) =>
      s.n > 1 ? `<br><small>${kpiValue(r.kpi, s.ci95[0])} – ${kpiValue(r.kpi, s.ci95[1])}</small>` : '';
    const diffCi = (k: KpiComparison) => {
      const text = diffCiText(k);
      if (text === '') return '';
      // Two unbreakable halves that may go on two lines: the Δ column stays narrow enough for the table
      // to fit its card, and a line never breaks between a minus sign and its number.
      const [lo, hi] = text
        .split(' … ')
        .map((half) => `<span style="white-space:nowrap">${escapeHtml(half)}</span>`);
      return `<br><small style="white-space:normal">${lo} … ${hi}</small>`;
    };
    const tone = r.verdict === 'B higher' || r.verdict === 'B lower' ? ' class="ok"' : '';
    return `<tr><th title="${escapeHtml(r.kpi)}">${kpiLabel(r.kpi)}</th><td class="num">${kpiValue(r.kpi, r.a.mean)}${ci(r.a)}</td><td class="num">${kpiValue(r.kpi, r.b.mean)}${ci(r.b)}</td>
<td class="num">${kpiDelta(r.kpi, r.diff)}${diffCi(r)}</td><td class="num">${r.relDiff === null ? '—' : signedPercent(r.relDiff)}</td><td>${sep}</td><td class="num">${p(r.welch?.p)}</td>${c.paired ? `<td class="num">${p(r.paired?.p)}</td>${rCell(r)}` : ''}<td${tone} style="white-space:nowrap">${r.verdict}</td></tr>`;
  };
  return `<table><thead><tr><th>KPI</th><th class="num">A</th><th class="num">B</th><th class="num">Δ (B − A)</th><th class="num">Δ %</th><th>95 % CIs</th><th class="num">p (Welch)</th>${c.paired ? '<th class="num">p (paired)</th><th class="num" style="text-transform:none">r</th>' : ''}<th>Verdict</th></tr></thead>
<tbody>${c.rows.map(cell).join('\n')}</tbody></table>`;
}

/** The paired table's r cell: the correlation, and what it does for the pairing (the sentence as its title). */
function rCell(r: KpiComparison): string {
  const p = pairingOf(r);
  if (p === null) return '<td class="num">—</td>';
  const value = r.correlation === null ? '—' : rText(r.correlation);
  return `<td class="num" title="${escapeHtml(pairingText(r))}">${value}<br><small>${p}</small></td>`;
}

/** The KPIs a comparison's first screen gives a verdict card each: the money and the people. */
const HEADLINE_KPIS = ['grossBookingsCents', 'platformMarginCents', 'payers'] as const;

/** Clear differences named on the first screen, the largest relative change first. */
const CLEAR_NAMED = 6;

/** "Clearly different: Payers −32.1 %, …" (empty when none): which KPIs, not only how many. */
export function clearlyDiffering(rows: readonly KpiComparison[]): string {
  const clear = rows
    .filter((r) => r.verdict === 'B higher' || r.verdict === 'B lower')
    .sort((x, y) => Math.abs(y.relDiff ?? 0) - Math.abs(x.relDiff ?? 0));
  if (clear.length === 0) return '';
  const named = clear
    .slice(0, CLEAR_NAMED)
    .map(
      (r) => `${kpiLabel(r.kpi)} ${r.relDiff === null ? kpiDelta(r.kpi, r.diff) : signedPercent(r.relDiff)}`,
    );
  const more = clear.length > CLEAR_NAMED ? ` and ${clear.length - CLEAR_NAMED} more` : '';
  return `Clearly different in B: ${named.join(', ')}${more}.`;
}

/** A headline KPI's change from A to B and its verdict (the table's row, on the first screen). */
function verdictCard(row: KpiComparison | undefined): string {
  if (row === undefined) return '';
  const change = row.relDiff === null ? kpiDelta(row.kpi, row.diff) : signedPercent(row.relDiff);
  const said =
    row.verdict === 'B higher' || row.verdict === 'B lower'
      ? `${row.verdict} (${row.test === 'paired' ? 'paired' : 'Welch'} p ${pText((row.test === 'paired' ? row.paired : row.welch)?.p ?? Number.NaN)})`
      : row.verdict;
  return `<div class="card"><div class="label">${escapeHtml(kpiLabel(row.kpi))}: B vs A</div><div class="value">${escapeHtml(change)}</div>
<div class="sub">${escapeHtml(`${kpiValue(row.kpi, row.a.mean)} → ${kpiValue(row.kpi, row.b.mean)}`)}</div><div class="sub ci">${escapeHtml(said)}</div></div>`;
}

function runCard(tag: string, name: string, run: Comparison['a']): string {
  const inv =
    run.invariants === null
      ? 'not reported'
      : run.invariants.violations === 0
        ? 'all held'
        : `${run.invariants.violations} violation(s)`;
  return `<div class="card"><div class="label">Run ${tag}</div><div class="value">${escapeHtml(name)}</div>
<div class="sub">scenario ${escapeHtml(run.scenario)} · seed ${run.seed} · ${run.replications} replication${run.replications === 1 ? '' : 's'} · invariants ${inv}${run.overrides.length === 0 ? '' : ` · ${escapeHtml(run.overrides.map((o) => `--set ${o}`).join(' '))}`}</div>
<div class="sub"><code>${escapeHtml(run.dir)}</code></div></div>`;
}

async function figure(id: string, title: string, spec: TopLevelSpec, reading: string): Promise<string> {
  return `<section id="${id}"><figure><h2>${escapeHtml(title)}</h2><div class="chart" data-chart="${id}">${await renderSvg(spec, title, id)}</div>
<figcaption class="reading"><b>What this answers:</b> ${escapeHtml(reading)}</figcaption></figure></section>`;
}

function precisionSection(p: ComparePrecision): string {
  const [head, ...rows] = precisionLines(p);
  return `<section id="precision" data-precision="${p.met ? 'reached' : 'not-reached'}"><h2>Precision</h2>
<p class="lede">${escapeHtml(head)}</p><ul>${rows.map((r) => `<li>${escapeHtml(r.trim())}</li>`).join('')}</ul>
${p.met ? '' : `<p>${escapeHtml(precisionShortfall(p))}</p>`}</section>`;
}

export async function compareHtml(c: Comparison): Promise<string> {
  const names = runNames(c);
  const clear = c.rows.filter((r) => r.verdict === 'B higher' || r.verdict === 'B lower').length;
  const replicated = c.a.replications > 1 && c.b.replications > 1;
  const summary = replicated
    ? c.paired
      ? `${clear} of ${c.rows.length} KPIs differ clearly (paired t-test over the ${c.a.replications} replications, ${P_BELOW_ALPHA}): both runs used seed ${c.a.seed}, so replication i of A and of B drew the same random numbers. ${pairingSummary(c)}`
      : `${clear} of ${c.rows.length} KPIs differ clearly (Welch's t-test, ${P_BELOW_ALPHA}).`
    : `At least one run has a single replication: differences are shown, but there is no way to tell them from noise. Run both with --replications 5 or more.`;
  const money = moneyChart(c, names);
  const which = clearlyDiffering(c.rows);
  const figures = [
    await figure(
      'relative-difference',
      'How B differs from A, KPI by KPI',
      relDiffChart(c),
      'Which KPIs moved, by how much relative to A, and is the move larger than the noise between replications?',
    ),
    money
      ? await figure(
          'money-side-by-side',
          'Money KPIs side by side',
          money,
          'Where does the money go in each run, with the uncertainty of each figure?',
        )
      : '',
  ];
  // Under the headline, as a run report has them: read before the verdicts, not after the table.
  const warnings = c.warnings.length
    ? `<div class="note"><b>Read with care</b> (as compare said on the terminal):<ul>${c.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul></div>`
    : '';
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>giftlab compare — ${escapeHtml(names.a)} vs ${escapeHtml(names.b)}</title>
<style>${STYLE}</style></head>
<body><div class="page">
<header class="top"><p class="eyebrow">giftlab comparison</p>
<h1>${escapeHtml(names.a)} <span style="color:var(--faint)">vs</span> ${escapeHtml(names.b)}</h1>
<p class="description">${escapeHtml(summary)}</p>
${which === '' ? '' : `<p class="description">${escapeHtml(which)}</p>`}
${warnings}
<div class="cards">${HEADLINE_KPIS.map((k) => verdictCard(c.rows.find((r) => r.kpi === k))).join('')}</div>
<div class="cards" style="grid-template-columns: 1fr 1fr">${runCard('A', names.a, c.a)}${runCard('B', names.b, c.b)}</div>
</header>
${figures.join('\n')}
<section id="table"><h2>Side by side</h2>
<p class="lede">Δ = B − A, with the 95 % CI of the difference below it (from the test that decides the verdict: it leaves out 0 when the verdict is higher or lower); Δ % relative to A. “Separate” means the two 95 % confidence intervals do not overlap; p (Welch) is Welch's unequal-variance t-test, two-sided${c.paired ? `; p (paired) is the paired t-test over replications with the same seed, which decides the verdict; r is the correlation of A's and B's replications: the paired test cancels the noise they share only as far as they move together (r ≥ ${TOGETHER_R}: its interval half Welch's or narrower; under ${BARELY_R}: the change altered what happened in each replication, and pairing narrows little; undefined when a run's replications all have one value)` : ''}; the verdict is at ${AT_ALPHA}. Money in US dollars, computed from integer cents.</p>
${tableHtml(c)}</section>
${c.precision === undefined ? '' : precisionSection(c.precision)}
<footer>giftlab compare · rendered at write time; this file needs no network.</footer>
</div></body></html>
`;
}
