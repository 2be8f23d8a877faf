/**
 * k6's summary read back (load/k6/lib/summary.ts): a threshold whose metric had no samples is never a
 * plain `ok` — k6 evaluates a trend's over zeros and passes a rate's unevaluated — and a `--threshold`
 * that judged nothing fails.
 */
import { describe, expect, it } from 'vitest';
import { junitXml, type SummaryData, textSummary, thresholdResults } from '../../load/k6/lib/summary.ts';

const zeros = { avg: 0, min: 0, med: 0, max: 0, 'p(95)': 0, 'p(99)': 0, count: 0 };
/** As k6 v0.49 writes them for a steady run that sent no withdrawal (measured). */
const data: SummaryData = {
  state: { testRunDurationMs: 2000 },
  metrics: {
    'http_req_duration{op:gift}': {
      type: 'trend',
      values: { ...zeros, 'p(95)': 5.4, count: 23 },
      thresholds: { 'p(95)<500': { ok: true } },
    },
    'http_req_duration{op:withdrawal}': {
      type: 'trend',
      values: zeros,
      thresholds: { 'p(95)<500': { ok: true }, 'p(99)<1500': { ok: true } },
    },
    'http_req_failed{op:withdrawal}': {
      type: 'rate',
      values: { rate: 0, passes: 0, fails: 0 },
      thresholds: { 'rate<=0.01': { ok: true } },
    },
    'checks{op:gift}': {
      type: 'rate',
      values: { rate: 1, passes: 29, fails: 0 },
      thresholds: { 'rate>=0.99': { ok: true } },
    },
    // A count of 0 is what dropped_iterations measures: judged, not vacuous.
    dropped_iterations: {
      type: 'counter',
      values: { count: 0, rate: 0 },
      thresholds: { 'count<1': { ok: true } },
    },
    vus: { type: 'gauge', values: { value: 0, min: 0, max: 0 }, thresholds: { 'value>=0': { ok: true } } },
  },
};
const meta = { profile: 'steady', scenario: 'baseline', target: 'http://127.0.0.1:8080' };

describe('thresholds over no samples', () => {
  it('are marked vacuous (trends and rates with none), counters and gauges are not', () => {
    const vacuous = thresholdResults(data)
      .filter((r) => r.vacuous)
      .map((r) => `${r.metric} ${r.expression}`);
    expect(vacuous).toEqual([
      'http_req_duration{op:withdrawal} p(95)<500',
      'http_req_duration{op:withdrawal} p(99)<1500',
      'http_req_failed{op:withdrawal} rate<=0.01',
    ]);
    expect(thresholdResults(data).every((r) => r.ok && !r.given)).toBe(true);
  });

  it('are never shown as a plain ok', () => {
    const text = textSummary(data, meta);
    expect(text).toContain('thresholds: 7 passed (3 of them vacuous: no samples), 0 failed\n');
    expect(text).toContain('  ok   http_req_failed{op:withdrawal} rate<=0.01  (vacuous: no samples)\n');
    expect(text).toContain('  ok   http_req_duration{op:withdrawal} p(95)<500  (vacuous: no samples)\n');
    expect(text).not.toMatch(/^ {2}ok {3}http_req_(failed|duration)\{op:withdrawal\} \S+$/m);
    expect(text).toContain('  ok   dropped_iterations count<1\n');
    expect(text).toContain('  ok   http_req_duration{op:gift} p(95)<500\n');
  });

  it('are skipped test cases in junit.xml, not passes', () => {
    const xml = junitXml(data, meta);
    expect(xml).toContain('<testsuites tests="7" failures="0" skipped="3">');
    expect(xml).toContain(
      '<testcase classname="giftlab.k6.steady" name="http_req_failed{op:withdrawal} rate&lt;=0.01">\n      <skipped message="vacuous: no samples"/>',
    );
    expect(xml).toContain('<testcase classname="giftlab.k6.steady" name="dropped_iterations count&lt;1"/>');
  });

  it('fail when they were asked for with --threshold: a threshold that judged nothing is no pass', () => {
    const given = {
      'http_req_failed{op:withdrawal}': ['rate<=0.01'],
      'http_req_duration{op:gift}': ['p(95)<500'],
    };
    const results = thresholdResults(data, given);
    const failed = results.filter((r) => !r.ok).map((r) => `${r.metric} ${r.expression}`);
    expect(failed).toEqual(['http_req_failed{op:withdrawal} rate<=0.01']);
    expect(results.filter((r) => r.given)).toHaveLength(2);
    const text = textSummary(data, { ...meta, given });
    expect(text).toContain('thresholds: 6 passed (2 of them vacuous: no samples), 1 failed\n');
    expect(text).toContain(
      '  FAIL http_req_failed{op:withdrawal} rate<=0.01  (vacuous: no samples, a --threshold that judged nothing fails the run)\n',
    );
    const xml = junitXml(data, { ...meta, given });
    expect(xml).toContain('failures="1" skipped="2"');
    expect(xml).toContain(
      '<failure message="vacuous: no samples, a --threshold that judged nothing fails the run"/>',
    );
  });
});
