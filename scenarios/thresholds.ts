/**
 * KPI thresholds, like k6's: `platformMarginCents>0`, `creatorEarningsGini<0.9`,
 * `payerConversion.ci95[0]>0.01`. A KPI alone means its mean over replications (its value with one);
 * `.ci95[0]`, `.ci95[1]` and `.sd` pick the interval's ends or the spread.
 */

import { InputError, shown } from '../common/input-error.ts';
import { KPI_NAMES, type KpiName, type KpiStat, kpiExpected, kpiInfo } from '../sim/kpis.ts';

export type ThresholdOp = '<' | '<=' | '>' | '>=' | '==' | '!=';
export type ThresholdStat = 'mean' | 'ci95[0]' | 'ci95[1]' | 'sd';

export interface Threshold {
  expression: string;
  kpi: KpiName;
  stat: ThresholdStat;
  op: ThresholdOp;
  limit: number;
}

export interface ThresholdOutcome extends Threshold {
  value: number;
  ci95: [number, number];
  passed: boolean;
}

const PATTERN =
  /^\s*([A-Za-z][A-Za-z0-9]*)(?:\.(mean|sd|ci95\[[01]\]))?\s*(<=|>=|==|!=|<|>)\s*(-?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)\s*$/i;

export function parseThreshold(expression: string, field = '--threshold'): Threshold {
  const m = PATTERN.exec(expression);
  if (m === null) {
    throw new InputError({
      field,
      expected: "kpi<op>number, e.g. 'platformMarginCents>0' or 'payerConversion.ci95[0]>0.01'",
      found: shown(expression),
    });
  }
  const kpi = m[1] as KpiName;
  if (!KPI_NAMES.includes(kpi)) {
    throw new InputError({
      field: `${field} ${expression}`,
      expected: kpiExpected(m[1]),
      found: shown(m[1]),
    });
  }
  const limit = Number(m[4]);
  // 1e400 is Infinity to a double: every `<` would pass and every `>` fail, whatever the run.
  if (!Number.isFinite(limit))
    throw new InputError({
      field: `${field} ${expression}`,
      expected: 'a limit a number can hold (at most about 1.8e308)',
      found: m[4],
    });
  return {
    expression: expression.trim(),
    kpi,
    stat: (m[2] ?? 'mean') as ThresholdStat,
    op: m[3] as ThresholdOp,
    limit,
  };
}

export function evaluateThreshold(threshold: Threshold, stat: KpiStat): ThresholdOutcome {
  const value = pick(stat, threshold.stat);
  return { ...threshold, value, ci95: stat.ci95, passed: compare(value, threshold.op, threshold.limit) };
}

export function evaluateThresholds(
  thresholds: readonly Threshold[],
  stats: Record<KpiName, KpiStat>,
): ThresholdOutcome[] {
  return thresholds.map((t) => evaluateThreshold(t, stats[t.kpi]));
}

function pick(stat: KpiStat, which: ThresholdStat): number {
  switch (which) {
    case 'mean':
      return stat.mean;
    case 'sd':
      return stat.sd;
    case 'ci95[0]':
      return stat.ci95[0];
    case 'ci95[1]':
      return stat.ci95[1];
  }
}

/**
 * Why a KPI is absent (NaN: a cohort KPI no replication could measure). Not only a short run: in a long
 * one nobody may have arrived early enough (arrivals rare, or none), and the run's length is then not why.
 */
const ABSENT_WHY =
  'no viewer arrived early enough for the days of age it reads to be over by the end of the run';

/** An absent KPI fails every threshold. */
function compare(value: number, op: ThresholdOp, limit: number): boolean {
  if (Number.isNaN(value)) return false;
  switch (op) {
    case '<':
      return value < limit;
    case '<=':
      return value <= limit;
    case '>':
      return value > limit;
    case '>=':
      return value >= limit;
    case '==':
      return value === limit;
    case '!=':
      return value !== limit;
  }
}

/**
 * One line per outcome, for the terminal: `✗ platformMarginCents>0: 0 (95 % CI 0 – 0)`. Values stay in
 * the threshold's own unit, as it was written; given `money`, a value in cents also reads in dollars.
 */
export function describeOutcome(o: ThresholdOutcome, money?: (cents: number) => string): string {
  const absent = Number.isNaN(o.value);
  const asMoney =
    money !== undefined && !absent && kpiInfo(o.kpi)?.unit === 'cents' ? ` (${money(o.value)})` : '';
  // The interval is the mean's: beside a spread (`.sd`) it would read as the spread's.
  const ci =
    absent || o.stat === 'sd' || o.ci95[0] === o.ci95[1]
      ? ''
      : ` (95 % CI ${fmt(o.ci95[0])} – ${fmt(o.ci95[1])})`;
  return `${o.passed ? '✓' : '✗'} ${o.expression}: ${o.kpi}${o.stat === 'mean' ? '' : `.${o.stat}`} = ${absent ? `absent (${ABSENT_WHY})` : fmt(o.value)}${asMoney}${ci}, limit ${o.op} ${fmt(o.limit)}`;
}

function fmt(x: number): string {
  if (Number.isInteger(x)) return String(x);
  // Six significant digits, trailing zeros of the fraction dropped (never those of the integer part).
  if (Math.abs(x) >= 1e5) return String(Math.round(x * 10) / 10);
  const text = x.toPrecision(6);
  return text.includes('e') ? text : text.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}
