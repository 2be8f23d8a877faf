/**
 * The report's thresholds section: each KPI guardrail of the run (the scenario's `thresholds:` block
 * and any `--threshold` flags, which `giftlab run` adds to the scenario it reports) with the KPI's
 * value, its 95 % CI and whether it held. Left out when the run has no thresholds.
 */

import { InputError } from '../../common/input-error.ts';
import type { RunResult } from '../../experiments/result.ts';
import type { Scenario } from '../../scenarios/schema/scenario.ts';
import { evaluateThreshold, parseThreshold, type ThresholdOutcome } from '../../scenarios/thresholds.ts';
import { count, kpiLabel, kpiValue } from '../format.ts';
import { escapeHtml } from './escape.ts';

export const THRESHOLDS_ID = 'thresholds';

export function hasThresholds(scenario: Scenario): boolean {
  // Scenarios built by hand (tests, older shard manifests) may lack the field.
  return (scenario.thresholds?.length ?? 0) > 0;
}

export function thresholdsSection(run: RunResult, scenario: Scenario): string {
  // With one replication the interval collapses to the value: no CI column (as in the KPI table).
  const withCi = run.replications.length > 1;
  const rows = scenario.thresholds.map((expression) => row(expression, run, withCi));
  const failed = rows.filter((r) => !r.passed).length;
  const n = rows.length;
  const status =
    failed === 0
      ? `<span class="status ok">✓ ${n === 1 ? 'The threshold held' : `All ${count(n)} thresholds held`}</span>`
      : `<span class="status fail">✗ ${count(failed)} of ${count(n)} threshold${n === 1 ? '' : 's'} crossed: giftlab run exits 99</span>`;
  const ciHead = withCi ? '<th class="num">95 % CI</th>' : '';
  return `<section id="${THRESHOLDS_ID}"><h2>Thresholds</h2>
<p class="lede">The guardrails this run was held to: the scenario's <code>thresholds:</code> block and any <code>--threshold</code> flags. A KPI alone is its mean over replications; <code>.ci95[0]</code> and <code>.ci95[1]</code> are the ends of its 95 % confidence interval.</p>
<p>${status}</p>
<table><thead><tr><th>Threshold</th><th>KPI</th><th class="num">Value</th>${ciHead}<th>Limit</th><th>Result</th></tr></thead><tbody>${rows.map((r) => r.html).join('')}</tbody></table></section>`;
}

function row(expression: string, run: RunResult, withCi: boolean): { html: string; passed: boolean } {
  let o: ThresholdOutcome;
  try {
    const t = parseThreshold(expression, 'thresholds');
    o = evaluateThreshold(t, run.kpiStats[t.kpi]);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const html = `<tr><td><code>${escapeHtml(expression)}</code></td><td colspan="${withCi ? 4 : 3}">${escapeHtml(error.message)}</td><td class="fail">invalid</td></tr>`;
    return { html, passed: false };
  }
  const stat = o.stat === 'mean' ? '' : `.${o.stat}`;
  const ci = `${kpiValue(o.kpi, o.ci95[0])} – ${kpiValue(o.kpi, o.ci95[1])}`;
  const ciCell = withCi ? `<td class="num">${escapeHtml(ci)}</td>` : '';
  const result = o.passed ? '<td class="ok">held</td>' : '<td class="fail">crossed</td>';
  const html =
    `<tr data-threshold="${o.passed ? 'held' : 'crossed'}"><td><code>${escapeHtml(o.expression)}</code></td><td>${escapeHtml(kpiLabel(o.kpi))}${escapeHtml(stat)}</td>` +
    `<td class="num" title="${o.value}">${escapeHtml(kpiValue(o.kpi, o.value))}</td>${ciCell}` +
    `<td>${escapeHtml(`${o.op} ${kpiValue(o.kpi, o.limit)}`)}</td>${result}</tr>`;
  return { html, passed: o.passed };
}
