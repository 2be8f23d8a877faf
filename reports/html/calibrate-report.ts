/**
 * The HTML report of a calibration: one self-contained file in the run report's page shell (stylesheet,
 * figure markup, vega-lite rendered to inline SVG at write time): the fitted values with their ranges,
 * plain words for any target not reached, targets against the fit, convergence, and where the search
 * looked. No wall-clock figure and no date, so a merge of shards writes the very same bytes.
 */
import { writeFile } from 'node:fs/promises';
import type { CalibrationResult } from '../../experiments/calibrate/aggregate.ts';
import { WITHIN_NOISE } from '../../experiments/calibrate/distance.ts';
import { ciCell, pathValue, statValue, warnings, zText } from '../calibrate/text.ts';
import { count, kpiLabel } from '../format.ts';
import { calibrationCharts } from './calibrate-charts.ts';
import { escapeHtml } from './escape.ts';
import { renderFigures, tocLink } from './figure.ts';
import { reportPage } from './page.ts';
import { manyRunsInvariantsSection } from './sections.ts';

export async function writeCalibrationReport(result: CalibrationResult, file: string): Promise<void> {
  await writeFile(file, await buildCalibrationReport(result));
}

export async function buildCalibrationReport(result: CalibrationResult): Promise<string> {
  const charts = calibrationCharts(result);
  const figures = await renderFigures(charts);
  const toc = [
    '<a href="#fitted">Fitted values</a>',
    ...charts.map(tocLink),
    '<a href="#invariants">Invariants</a>',
  ];
  const name = escapeHtml(result.scenario.name);
  return reportPage({
    title: `giftlab calibration — ${name}`,
    header: header(result),
    toc,
    sections: [fittedSection(result), figures, invariantsSection(result)],
    footer: `giftlab calibrate · seed ${result.spec.seed} · scenario ${name}`,
  });
}

function header(result: CalibrationResult): string {
  const { spec } = result;
  const meta: [string, string][] = [
    [
      'status',
      result.status === 'done'
        ? `done (${result.stopped === 'converged' ? 'converged' : 'budget spent'})`
        : 'in progress',
    ],
    ['candidates', `${count(result.candidates.length)} of a budget of ${count(spec.budget)}`],
    ['replications per candidate', `${count(spec.replications)} (the same seeds for every candidate)`],
    ['generations', count(result.progress.length)],
    ['seed', String(spec.seed)],
    ['events', count(result.events)],
  ];
  const flags = [
    ...spec.axes.map((a) => `--fit ${a.path}=${a.text}`),
    ...new Set(
      spec.targets.map((t) =>
        t.from === '--target'
          ? `--target ${t.kpi}=${t.value}`
          : `--targets ${t.from.replace(/ line \d+$/, '')}`,
      ),
    ),
  ]
    .map((f) => `<code class="flag">${escapeHtml(f)}</code>`)
    .join(' ');
  const problems = warnings(result);
  const alert =
    problems.length === 0
      ? ''
      : `<div class="alert"><p><b>${problems.length === 1 ? 'One problem' : `${problems.length} problems`} with this fit:</b></p><ul>${problems.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul></div>`;
  return `<header class="top">
<p class="eyebrow">giftlab calibration report</p>
<h1>${escapeHtml(result.scenario.name)}: ${counted(spec.axes.length, 'path')} fitted to ${counted(spec.targets.length, 'target')}</h1>
<p class="description">${flags}</p>
<ul class="meta">${meta.map(([k, v]) => `<li>${k} <b>${escapeHtml(v)}</b></li>`).join('')}</ul>
${alert}
</header>`;
}

/** `1 path`, `3 targets`. */
function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function fittedSection(result: CalibrationResult): string {
  const paths = result.paths
    .map(
      (p) =>
        `<tr><th><code>${escapeHtml(p.path)}</code></th><td class="num"><b>${escapeHtml(pathValue(p.best))}</b></td><td class="num">${escapeHtml(`${pathValue(p.range[0])} – ${pathValue(p.range[1])}`)}${p.clipped ? ' (edge of the explored region)' : ''}</td><td class="num">${escapeHtml(`${pathValue(p.lo)} – ${pathValue(p.hi)}`)}</td><td class="num">${escapeHtml(pathValue(p.start))}</td><td>${p.atBound === null ? '' : `at the ${p.atBound} bound`}</td></tr>`,
    )
    .join('');
  const targets = result.targets
    .map(
      (t) =>
        `<tr><th>${escapeHtml(kpiLabel(t.kpi))} <code>${escapeHtml(t.kpi)}</code></th><td class="num">${escapeHtml(statValue(t.kpi, t.value))}</td><td class="num">${escapeHtml(statValue(t.kpi, t.scale.scale))} (${escapeHtml(t.scale.basis)})</td><td class="num"><b>${escapeHtml(statValue(t.kpi, t.fitted.mean))}</b></td><td class="num">${escapeHtml(ciCell(t.kpi, t.fitted.ci95, result.spec.replications))}</td><td class="num">${zText(t.z)}</td><td>${t.reached ? '✓' : '✗ not reached'}</td></tr>`,
    )
    .join('');
  return `<section id="fitted"><h2>Fitted values</h2>
<p class="lede">The best candidate (${result.best.candidate.id}, distance ${result.best.fit.distance.toFixed(2)}) and each path's uncertainty range: the values a response surface fitted to the candidates keeps within ${WITHIN_NOISE} of its least distance (χ² with one degree of freedom, 95 %). calibrated.yaml holds these values; calibration.csv every candidate. Next: <code class="flag">giftlab run calibrated.yaml</code> in this folder runs the fitted scenario (with <code class="flag">--replications</code> to read its KPIs' CIs), or <code class="flag">giftlab sweep calibrated.yaml --vary …</code> explores around it.</p>
<table><thead><tr><th>Path</th><th class="num">Best</th><th class="num">Range</th><th class="num">Searched</th><th class="num">Started at</th><th></th></tr></thead><tbody>${paths}</tbody></table>
<table><thead><tr><th>Target</th><th class="num">Value</th><th class="num">Scale (one standard error)</th><th class="num">Fitted</th><th class="num">95 % CI</th><th class="num">z</th><th></th></tr></thead><tbody>${targets}</tbody></table>
</section>`;
}

function invariantsSection(result: CalibrationResult): string {
  const violations = result.invariants.violations.map((v) => ({ ...v, at: v.candidate }));
  return manyRunsInvariantsSection(
    result.invariants,
    violations,
    result.candidates.length * result.spec.replications,
    'Candidate',
    result.spec.check,
  );
}
