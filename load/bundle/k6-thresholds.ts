/**
 * `giftlab load --threshold` in k6's own syntax: `metric{tag:value,…}:aggregation<op>number`, e.g.
 * `http_req_duration{op:gift}:p(95)<200` or `http_req_failed:rate<0.01`. Checked here against the
 * metrics a giftlab run has (k6's built-in ones and the suite's own) and the aggregations k6 allows
 * for each metric type, so that a typo is bad input (exit 2) before k6 starts, not k6's exit 104 after.
 */
import { InputError, shown } from '../../common/input-error.ts';
import { CUSTOM_METRICS } from '../k6/lib/summary.ts';

type MetricType = 'counter' | 'gauge' | 'rate' | 'trend';

/** Every metric a giftlab k6 run records, with its k6 type. */
export const METRIC_TYPES: Record<string, MetricType> = {
  checks: 'rate',
  data_received: 'counter',
  data_sent: 'counter',
  dropped_iterations: 'counter',
  group_duration: 'trend',
  http_req_blocked: 'trend',
  http_req_connecting: 'trend',
  http_req_duration: 'trend',
  http_req_failed: 'rate',
  http_req_receiving: 'trend',
  http_req_sending: 'trend',
  http_req_tls_handshaking: 'trend',
  http_req_waiting: 'trend',
  http_reqs: 'counter',
  iteration_duration: 'trend',
  iterations: 'counter',
  vus: 'gauge',
  vus_max: 'gauge',
  ...Object.fromEntries(Object.values(CUSTOM_METRICS).map((name) => [name, 'counter' as const])),
};

/** k6's aggregation methods per metric type. */
const AGGREGATIONS: Record<MetricType, RegExp> = {
  counter: /^(count|rate)$/,
  gauge: /^value$/,
  rate: /^rate$/,
  trend: /^(avg|min|max|med|p\((\d+(\.\d+)?)\))$/,
};

const SHAPE = /^([A-Za-z_][A-Za-z0-9_]*)(\{[^{}]*\})?:\s*(.+)$/;
const EXPRESSION = /^([a-z]+(?:\(\s*[0-9.]+\s*\))?)\s*(<=|>=|===|==|!=|<|>)\s*(-?[0-9]+(?:\.[0-9]+)?)$/;

export interface K6Threshold {
  /** The metric with its tag filter, as k6's `thresholds` keys it: `http_req_duration{op:gift}`. */
  metric: string;
  /** `p(95)<200`. */
  expression: string;
}

export function parseK6Threshold(text: string): K6Threshold {
  const bad = (expected: string) => new InputError({ field: '--threshold', expected, found: shown(text) });
  const m = SHAPE.exec(text.trim());
  if (m === null) {
    throw bad(
      "k6's syntax metric{tag:value}:aggregation<op>number, e.g. 'http_req_duration{op:gift}:p(95)<200'",
    );
  }
  const [, name, tags, rest] = m;
  const type = METRIC_TYPES[name];
  if (type === undefined) {
    throw bad(`a metric of the run: ${Object.keys(METRIC_TYPES).sort().join(', ')}`);
  }
  if (
    tags !== undefined &&
    !/^\{\s*[^{}:,\s]+\s*:\s*[^{}:,]+(,\s*[^{}:,\s]+\s*:\s*[^{}:,]+)*\}$/.test(tags)
  ) {
    throw bad('tags as {name:value,…}, e.g. {op:gift}');
  }
  const e = EXPRESSION.exec(rest.trim());
  if (e === null) throw bad('an aggregation, a comparison and a number after the colon, e.g. p(95)<200');
  const [, aggregation, operator, value] = e;
  if (!AGGREGATIONS[type].test(aggregation.replace(/\s+/g, ''))) {
    throw bad(`an aggregation k6 has for the ${type} ${name}: ${aggregationsOf(type)}`);
  }
  return {
    metric: `${name}${tags ?? ''}`,
    expression: `${aggregation.replace(/\s+/g, '')}${operator}${value}`,
  };
}

/** Many `--threshold`s as k6's `thresholds` option: metric → expressions, in the order given. */
export function k6Thresholds(texts: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const t of texts) {
    const { metric, expression } = parseK6Threshold(t);
    out[metric] = (out[metric] ?? []).concat([expression]);
  }
  return out;
}

function aggregationsOf(type: MetricType): string {
  return { counter: 'count, rate', gauge: 'value', rate: 'rate', trend: 'avg, min, max, med, p(N)' }[type];
}
