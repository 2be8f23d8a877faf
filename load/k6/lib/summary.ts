/**
 * What `handleSummary` writes: a text table for people (k6 prints no summary of its own once a script
 * defines `handleSummary`), the summary as JSON, and JUnit XML with one test case per threshold.
 * k6 is not Node, so this is its own small JUnit writer (the Node side uses reports/junit.ts).
 */
import { PHASES } from './profiles.ts';
import { OP_TAGS } from './types.ts';

interface MetricData {
  type?: string;
  values?: Record<string, number>;
  thresholds?: Record<string, { ok: boolean }>;
}

export interface SummaryData {
  metrics: Record<string, MetricData>;
  state?: { testRunDurationMs?: number };
}

export interface SummaryMeta {
  profile: string;
  scenario: string;
  target: string;
  /**
   * The workload's VUs: every executor giftlab uses allocates exactly these (preAllocatedVUs = maxVUs),
   * so it is the VUs max when k6 has no vus_max sample (a run shorter than k6's one-second sampling).
   */
  vus?: number;
  /**
   * The thresholds asked for with `--threshold` (metric → expressions). Given, one of them that judged no
   * samples fails (see `thresholdResults`). handleSummary takes them from the workload (k6's own data
   * cannot tell them from the profile's); `giftlab load` passes them again for its verdict.
   */
  given?: Record<string, string[]>;
}

/** Thresholds that only make k6 keep a per-op sub-metric for the table; not part of the verdict. */
export const COUNT_ONLY = 'count>=0';
export const TABLE_ONLY: readonly string[] = [COUNT_ONLY, 'max>=0'];

export const CUSTOM_METRICS = {
  coinsPurchased: 'giftlab_coins_purchased',
  coinsGifted: 'giftlab_coins_gifted',
  overdraftRejections: 'giftlab_overdraft_rejections',
  idempotentReplays: 'giftlab_idempotent_replays',
  unknownOutcomes: 'giftlab_unknown_outcomes',
  /** Iterations that threw: k6 counts them in `iterations` (delivered) although they sent nothing more. */
  iterationErrors: 'giftlab_iteration_errors',
  /**
   * Gifts of an economy profile's streams refused for funds although the stream had covered them (the
   * viewer's purchases all accepted): a backend that loses coins or reads a stale balance. Any fails
   * the run; the failure-rate SLOs would let 1 % pass, and the audit sees a consistent refusal.
   */
  coveredRefusals: 'giftlab_covered_refusals',
} as const;

export interface ThresholdResult {
  metric: string;
  expression: string;
  /** Passed: k6's verdict, except that a vacuous `--threshold` fails when `given` is known. */
  ok: boolean;
  /**
   * Judged over no samples: a trend or a rate that had none. k6 (v0.49) evaluates such a trend's
   * threshold over zeros (`p(95)<200` passes) and passes such a rate's unevaluated, so its `ok` is no
   * evidence. A counter with none has a count of 0, which k6 judges like any count: never vacuous.
   */
  vacuous: boolean;
  /** Asked for with `--threshold` (known only when `given` is). */
  given: boolean;
}

/**
 * The samples behind a trend (its `count`: options.summaryTrendStats has it) or a rate (passes and
 * fails); undefined for other types, or when the summary does not say.
 */
export function samplesOf(m: MetricData): number | undefined {
  const v = m.values ?? {};
  if (m.type === 'trend') return v.count;
  if (m.type === 'rate')
    return v.passes === undefined || v.fails === undefined ? undefined : v.passes + v.fails;
  return undefined;
}

/**
 * Every threshold of the run with giftlab's verdict on it: k6's, each marked vacuous when its metric had
 * no samples; with `given` (the `--threshold`s), a vacuous one of those fails — what was asked to be
 * judged was not there (a tag no request carried, an operation the run never sent).
 */
export function thresholdResults(data: SummaryData, given?: Record<string, string[]>): ThresholdResult[] {
  const out: ThresholdResult[] = [];
  for (const metric of Object.keys(data.metrics).sort()) {
    const m = data.metrics[metric];
    const thresholds = m.thresholds ?? {};
    const none = samplesOf(m) === 0;
    for (const expression of Object.keys(thresholds)) {
      if (TABLE_ONLY.includes(expression)) continue;
      const asked = given?.[metric]?.includes(expression) ?? false;
      const vacuous = none && (m.type === 'trend' || m.type === 'rate');
      const ok = thresholds[expression].ok && !(vacuous && asked);
      out.push({ metric, expression, ok, vacuous, given: asked });
    }
  }
  return out;
}

/** Why a threshold is not a plain pass or fail, for the table and junit.xml; '' when it is one. */
export function thresholdNote(r: ThresholdResult): string {
  if (r.vacuous && r.given) return 'vacuous: no samples, a --threshold that judged nothing fails the run';
  if (r.vacuous) return 'vacuous: no samples';
  return '';
}

export function textSummary(data: SummaryData, meta: SummaryMeta): string {
  const seconds = (data.state?.testRunDurationMs ?? 0) / 1000;
  const lines = [
    `giftlab k6 — profile ${meta.profile}, scenario ${meta.scenario}, target ${meta.target}, ${seconds.toFixed(1)} s`,
    '',
    `  ${pad('op', 10)}${lpad('requests', 10)}${lpad('rate/s', 9)}${lpad('failed', 9)}${lpad('p95 ms', 10)}${lpad('p99 ms', 10)}${lpad('checks', 9)}`,
  ];
  for (const op of OP_TAGS) {
    const count = value(data, `http_reqs{op:${op}}`, 'count');
    if (count === undefined || count === 0) continue;
    lines.push(
      `  ${pad(op, 10)}${lpad(String(count), 10)}${lpad(fixed(count / Math.max(seconds, 1e-9), 1), 9)}` +
        `${lpad(percent(value(data, `http_req_failed{op:${op}}`, 'rate')), 9)}` +
        `${lpad(fixed(value(data, `http_req_duration{op:${op}}`, 'p(95)'), 1), 10)}` +
        `${lpad(fixed(value(data, `http_req_duration{op:${op}}`, 'p(99)'), 1), 10)}` +
        `${lpad(percent(value(data, `checks{op:${op}}`, 'rate')), 9)}`,
    );
    // A profile in phases (spike) judges each phase's latency: its requests and percentiles under the op.
    for (const phase of PHASES) {
      const metric = `http_req_duration{op:${op},phase:${phase}}`;
      const n = value(data, metric, 'count');
      if (n === undefined) continue;
      lines.push(
        `  ${pad(`  ${phase}`, 10)}${lpad(String(n), 10)}${' '.repeat(18)}` +
          `${lpad(fixed(n === 0 ? undefined : value(data, metric, 'p(95)'), 1), 10)}` +
          `${lpad(fixed(n === 0 ? undefined : value(data, metric, 'p(99)'), 1), 10)}`,
      );
    }
  }
  const all = value(data, 'http_reqs', 'count') ?? 0;
  lines.push(
    `  ${pad('all', 10)}${lpad(String(all), 10)}${lpad(fixed(all / Math.max(seconds, 1e-9), 1), 9)}` +
      `${lpad(percent(value(data, 'http_req_failed', 'rate')), 9)}` +
      `${lpad(fixed(value(data, 'http_req_duration', 'p(95)'), 1), 10)}` +
      `${lpad(fixed(value(data, 'http_req_duration', 'p(99)'), 1), 10)}` +
      `${lpad(percent(value(data, 'checks', 'rate')), 9)}`,
    '',
    `  coins purchased ${counter(data, CUSTOM_METRICS.coinsPurchased)}, coins gifted ${counter(data, CUSTOM_METRICS.coinsGifted)}, ` +
      `overdraft rejections ${counter(data, CUSTOM_METRICS.overdraftRejections)}, idempotent replays ${counter(data, CUSTOM_METRICS.idempotentReplays)}, ` +
      `unknown outcomes ${counter(data, CUSTOM_METRICS.unknownOutcomes)}${data.metrics[CUSTOM_METRICS.coveredRefusals] === undefined ? '' : `, covered gifts refused ${counter(data, CUSTOM_METRICS.coveredRefusals)}`}`,
    `  iterations ${counter(data, 'iterations')}, dropped ${counter(data, 'dropped_iterations')}${vusMax(data, meta)}`,
    '',
  );
  const results = thresholdResults(data, meta.given);
  const failed = results.filter((r) => !r.ok);
  const vacuous = results.filter((r) => r.ok && r.vacuous).length;
  lines.push(
    `thresholds: ${results.length - failed.length} passed${vacuous === 0 ? '' : ` (${vacuous} of them vacuous: no samples)`}, ${failed.length} failed`,
  );
  for (const r of results) {
    // A vacuous pass keeps its note: never a plain `ok` for a threshold that judged nothing.
    const note = thresholdNote(r) || (r.ok ? '' : observed(data, r));
    lines.push(`  ${r.ok ? 'ok  ' : 'FAIL'} ${r.metric} ${r.expression}${note === '' ? '' : `  (${note})`}`);
  }
  return `${lines.join('\n')}\n`;
}

export function junitXml(data: SummaryData, meta: SummaryMeta): string {
  const results = thresholdResults(data, meta.given);
  const failures = results.filter((r) => !r.ok).length;
  const skipped = results.filter((r) => r.ok && r.vacuous).length;
  const seconds = ((data.state?.testRunDurationMs ?? 0) / 1000).toFixed(3);
  const name = `giftlab k6 ${meta.profile} ${meta.scenario}`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites tests="${results.length}" failures="${failures}" skipped="${skipped}">`,
    `  <testsuite name="${xml(name)}" tests="${results.length}" failures="${failures}" skipped="${skipped}" time="${seconds}">`,
  ];
  for (const r of results) {
    const open = `    <testcase classname="giftlab.k6.${xml(meta.profile)}" name="${xml(`${r.metric} ${r.expression}`)}"`;
    const note = thresholdNote(r);
    if (r.ok && note === '') {
      lines.push(`${open}/>`);
      continue;
    }
    lines.push(`${open}>`);
    // A vacuous threshold judged nothing: skipped, unless it was asked for (then it failed the run).
    if (r.ok) lines.push(`      <skipped message="${xml(note)}"/>`);
    else
      lines.push(
        `      <failure message="${xml(note === '' ? `threshold crossed: ${observed(data, r)}` : note)}"/>`,
      );
    lines.push('    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}

function observed(data: SummaryData, r: ThresholdResult): string {
  const stat = /^([a-z]+(?:\([0-9.]+\))?)/.exec(r.expression)?.[1] ?? '';
  const v = value(data, r.metric, stat);
  return v === undefined ? 'no value' : `${stat} = ${fixed(v, 4)}`;
}

/** `, VUs max n` from k6's vus_max, else the workload's VUs; nothing when neither is known. */
function vusMax(data: SummaryData, meta: SummaryMeta): string {
  const n = value(data, 'vus_max', 'max') ?? value(data, 'vus_max', 'value') ?? meta.vus;
  return n === undefined ? '' : `, VUs max ${n}`;
}

function value(data: SummaryData, metric: string, stat: string): number | undefined {
  const v = data.metrics[metric]?.values?.[stat];
  return typeof v === 'number' ? v : undefined;
}

function counter(data: SummaryData, metric: string): number {
  return value(data, metric, 'count') ?? 0;
}

function fixed(v: number | undefined, digits: number): string {
  return v === undefined ? '-' : String(Math.round(v * 10 ** digits) / 10 ** digits);
}

function percent(v: number | undefined): string {
  return v === undefined ? '-' : `${(v * 100).toFixed(2)}%`;
}

function pad(s: string, n: number): string {
  return s.length >= n ? `${s} ` : s + ' '.repeat(n - s.length);
}

function lpad(s: string, n: number): string {
  return s.length >= n ? ` ${s}` : ' '.repeat(n - s.length) + s;
}

function xml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
