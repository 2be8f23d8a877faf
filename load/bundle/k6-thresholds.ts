/**
 * `giftlab load --threshold` in k6's own syntax: `metric{tag:value,…}:aggregation<op>number`, e.g.
 * `http_req_duration{op:gift}:p(95)<200` or `http_req_failed:rate<0.01`. Checked here against the
 * metrics a giftlab run has (k6's built-in ones and the suite's own), the aggregations k6 allows for each
 * metric type, and the tags the run records on that metric with their values (load/k6/lib/tags.ts), so
 * that a typo is bad input (exit 2) before k6 starts — not k6's exit 104 after it, nor a threshold k6
 * judges over zero samples and calls passed.
 */
import { InputError, shown } from '../../common/input-error.ts';
import { PHASES_OF, PROFILE_TABLE, PROFILES } from '../k6/lib/profiles.ts';
import { CUSTOM_METRICS } from '../k6/lib/summary.ts';
import {
  REQUEST_METRICS,
  type RunTagValues,
  TAG_TABLE,
  type TagSpec,
  type TagValues,
  tagsOn,
} from '../k6/lib/tags.ts';

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

/** The metric, its tag filter (everything to the last `}`, as k6 reads it: `name` values hold `{{…}}`), the rest. */
const SHAPE = /^([A-Za-z_][A-Za-z0-9_]*)(\{.*\})?:\s*([^{}]+)$/;
const EXPRESSION = /^([a-z]+(?:\(\s*[0-9.]+\s*\))?)\s*(<=|>=|===|==|!=|<|>)\s*(-?[0-9]+(?:\.[0-9]+)?)$/;

export interface K6Threshold {
  /** The metric with its tag filter, as k6's `thresholds` keys it: `http_req_duration{op:gift}`. */
  metric: string;
  /** `p(95)<200`. */
  expression: string;
}

/**
 * One `--threshold`. With the run's own tag values (its channels, its target profile's operations…)
 * every tag value is checked; without, only the tag names and the values that do not depend on the run.
 */
export function parseK6Threshold(text: string, run?: RunTagValues): K6Threshold {
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
  if (tags !== undefined) checkTags(name, tags, text, run);
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
export function k6Thresholds(texts: readonly string[], run?: RunTagValues): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const t of texts) {
    const { metric, expression } = parseK6Threshold(t, run);
    out[metric] = (out[metric] ?? []).concat([expression]);
  }
  return out;
}

function aggregationsOf(type: MetricType): string {
  return { counter: 'count, rate', gauge: 'value', rate: 'rate', trend: 'avg, min, max, med, p(N)' }[type];
}

/**
 * The tag filter `{k:v,…}` as k6 splits it (on commas, then on the first colon; quotes and spaces trimmed
 * at the ends), each tag one the metric's samples carry and each value one the run records.
 */
function checkTags(metric: string, tags: string, text: string, run: RunTagValues | undefined): void {
  const bad = (expected: string, found: string) =>
    new InputError({ field: '--threshold', expected, found: `${found} in ${shown(text)}` });
  for (const part of tags.slice(1, -1).split(',')) {
    const colon = part.indexOf(':');
    const key = colon < 0 ? '' : k6Trim(part.slice(0, colon));
    const value = colon < 0 ? '' : k6Trim(part.slice(colon + 1));
    if (key === '' || value === '') throw bad('tags as {name:value,…}, e.g. {op:gift}', shown(part.trim()));
    const carried = tagsOn(metric);
    if (!carried.includes(key)) {
      const spec = TAG_TABLE[key];
      const elsewhere = spec === undefined ? '' : ` (a tag of ${metricsText(spec.on)} only)`;
      throw bad(`a tag the run records on ${metric}: ${tagsText(carried)}`, `${key}${elsewhere}`);
    }
    const expected = valueProblem(TAG_TABLE[key].values, value, run);
    if (expected !== undefined)
      throw bad(
        `${key} to be ${expected}`,
        `${key}:${value}${suggestion(TAG_TABLE[key].values, value, run)}`,
      );
  }
}

/** k6's `strings.TrimSpace(strings.Trim(s, "\"'"))`. */
function k6Trim(s: string): string {
  return s.replace(/^["']+|["']+$/g, '').trim();
}

/** What a value should have been, or undefined when it is one the run records. */
function valueProblem(values: TagValues, value: string, run: RunTagValues | undefined): string | undefined {
  const list = listOf(values, run);
  if (list !== undefined) {
    if (list.includes(value)) return undefined;
    if (list.length > 0) return `one of ${list.join(', ')} (the values this run tags it with)`;
    // A tag only some profiles record: say which (phase: the spike's before, spike, after).
    const by =
      values === 'phases' ? PROFILES.filter((p) => PHASES_OF[PROFILE_TABLE[p].shape].length > 0) : [];
    return by.length > 0
      ? `a tag this profile records (only --profile ${by.join(' or ')} tags requests with it)`
      : 'a value this run records (it records none)';
  }
  if (typeof values === 'object' && !Array.isArray(values)) {
    const shape = values as { shape: RegExp; text: string };
    return shape.shape.test(value) ? undefined : shape.text;
  }
  return undefined; // the run's own values, not known yet: checked once they are
}

function listOf(values: TagValues, run: RunTagValues | undefined): readonly string[] | undefined {
  if (Array.isArray(values)) return values;
  if (typeof values === 'string') return run?.[values as keyof RunTagValues];
  return undefined;
}

/** ` (did you mean gift?)` when the value differs from an allowed one only in case or spaces. */
function suggestion(values: TagValues, value: string, run: RunTagValues | undefined): string {
  const fold = (s: string) => s.toLowerCase().replace(/\s+/g, '');
  const near = listOf(values, run)?.find((v) => fold(v) === fold(value));
  return near === undefined ? '' : ` (did you mean ${near}?)`;
}

/** `op, name, …; k6's own: scenario, group, …`. */
function tagsText(tags: readonly string[]): string {
  const ours = tags.filter((t) => TAG_TABLE[t].by === 'giftlab');
  const k6 = tags.filter((t) => TAG_TABLE[t].by === 'k6');
  return [ours.join(', '), ...(k6.length === 0 ? [] : [`k6's own ${k6.join(', ')}`])].join('; ');
}

/** The metrics a tag is on, the request metrics as one. */
function metricsText(on: TagSpec['on']): string {
  if (on === 'all') return 'every metric';
  const requests = REQUEST_METRICS.every((m) => on.includes(m));
  const rest = on.filter((m) => !requests || !(REQUEST_METRICS as readonly string[]).includes(m));
  return [...(requests ? ['the requests (http_reqs, http_req_*)'] : []), ...rest].join(', ');
}
