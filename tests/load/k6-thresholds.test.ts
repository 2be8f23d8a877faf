/** `giftlab load --threshold`: k6's syntax, checked against the run's metrics before k6 starts. */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../common/input-error.ts';
import { k6Thresholds, METRIC_TYPES, parseK6Threshold } from '../../load/bundle/k6-thresholds.ts';
import {
  GIFT_CONTEXT_TAGS,
  type RunTagValues,
  runTagValues,
  TAG_TABLE,
  tagsOn,
} from '../../load/k6/lib/tags.ts';
import { loadTargetProfile } from '../../load/profiles/profile.ts';
import { GIFT_CONTEXT_KINDS } from '../../load/target/book.ts';

describe('k6 thresholds from the command line', () => {
  it("accept on the context tag exactly the target's gift context kinds (one list: the target reads k6's)", () => {
    // A context the target took and k6 did not tag would be refused as a value the run never records
    // (`--threshold 'http_req_duration{context:clip}:…'`).
    expect(GIFT_CONTEXT_KINDS).toBe(GIFT_CONTEXT_TAGS);
  });

  it('read metric, tags and expression as k6 keys them', () => {
    expect(parseK6Threshold('http_req_duration{op:gift}:p(95)<200')).toEqual({
      metric: 'http_req_duration{op:gift}',
      expression: 'p(95)<200',
    });
    expect(parseK6Threshold(' http_req_failed: rate < 0.01 ')).toEqual({
      metric: 'http_req_failed',
      expression: 'rate<0.01',
    });
    expect(parseK6Threshold('giftlab_overdraft_rejections:count>=1').expression).toBe('count>=1');
    expect(parseK6Threshold('http_req_duration{op:gift,context:video}:p(99.9)<=900').metric).toBe(
      'http_req_duration{op:gift,context:video}',
    );
    expect(k6Thresholds(['http_reqs:count>10', 'http_reqs:rate>1', 'checks:rate==1'])).toEqual({
      http_reqs: ['count>10', 'rate>1'],
      checks: ['rate==1'],
    });
  });

  it.each([
    ['p95<200', /k6's syntax metric\{tag:value\}:aggregation<op>number/],
    ['http_req_durations:p(95)<200', /a metric of the run: checks, .*http_req_duration, /],
    [
      'http_req_duration:rate<0.1',
      /an aggregation k6 has for the trend http_req_duration: avg, min, max, med, p\(N\)/,
    ],
    ['http_req_failed:p(95)<1', /for the rate http_req_failed: rate/],
    ['http_req_duration{op}:p(95)<200', /tags as \{name:value,…\}/],
    ['http_req_duration:p(95)<fast', /an aggregation, a comparison and a number/],
  ])('refuse %s, naming --threshold and what was expected', (text, expected) => {
    let error: unknown;
    try {
      parseK6Threshold(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain('--threshold');
    expect((error as Error).message).toMatch(expected);
  });
});

describe('--threshold tags: the ones the run records on that metric, with their values', () => {
  const run = runTagValues({
    profile: 'steady',
    scenario: 'baseline',
    channels: ['app', 'web', 'app'],
    target: loadTargetProfile('reference').profile,
  });
  const refusal = (text: string, values?: RunTagValues) => {
    try {
      parseK6Threshold(text, values);
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      return (e as Error).message;
    }
    return undefined;
  };

  it.each([
    'http_req_duration{op:gift}:p(95)<200',
    'http_req_failed{op:read}:rate<0.01',
    'checks{op:withdrawal}:rate>=0.99',
    'http_req_duration{op:purchase,channel:web}:p(99)<900',
    'http_req_duration{op:gift, context:video}:p(95)<200',
    "http_req_duration{'op':'gift'}:p(95)<200",
    'http_reqs{replay:true}:count>=0',
    'http_reqs{tap:double}:count>=0',
    'http_req_duration{name:GET /v1/viewers/{{viewer.id}}/balance}:p(95)<300',
    'http_req_duration{method:POST,status:201}:p(95)<300',
    'http_req_duration{expected_response:true}:p(95)<300',
    'http_req_duration{scenario:steady}:p(95)<300',
    'http_req_duration{url:http://127.0.0.1:8080/v1/gifts}:p(95)<300',
    'checks{check:gift answered as expected}:rate>0.9',
    'giftlab_coins_purchased{channel:app}:count>0',
    'giftlab_coins_gifted{context:stream}:count>0',
    'giftlab_unknown_outcomes{op:gift}:count<1',
    'iterations{giftlab_scenario:baseline}:count>1',
    'vus{giftlab_profile:steady}:value>=0',
  ])('take %s', (text) => {
    expect(refusal(text, run)).toBeUndefined();
    expect(parseK6Threshold(text, run).metric).toBe(text.slice(0, text.lastIndexOf(':')).trim());
  });

  it.each([
    // The engineer's review: a mistyped value or key that k6 would judge over zero samples and pass.
    [
      'http_req_duration{op:Gift}:p(95)<1',
      /^--threshold: expected op to be one of purchase, gift, withdrawal, read \(the values this run tags it with\), found op:Gift \(did you mean gift\?\) in "http_req_duration\{op:Gift\}:p\(95\)<1"$/,
    ],
    [
      'http_req_duration{op:bogus}:p(95)<1',
      /expected op to be one of purchase, gift, withdrawal, read .*found op:bogus in/,
    ],
    [
      'http_req_duration{opp:gift}:p(95)<1',
      /expected a tag the run records on http_req_duration: op, name, channel, context, replay, tap, phase, giftlab_profile, giftlab_scenario; k6's own scenario, .*, found opp in/,
    ],
    // A tag of other metrics: checks carry the op, not the request's channel.
    [
      'checks{channel:app}:rate>0.9',
      /on checks: op, giftlab_profile, .*found channel \(a tag of the requests \(http_reqs, http_req_\*\), giftlab_coins_purchased only\)/,
    ],
    ['http_req_duration{channel:console}:p(95)<1', /expected channel to be one of app, web \(the values/],
    ['http_req_duration{context:live}:p(95)<1', /expected context to be one of stream, video/],
    ['http_reqs{replay:yes}:count<1', /expected replay to be one of true /],
    [
      'http_req_duration{name:POST /v1/gift}:p(95)<1',
      /expected name to be one of POST \/v1\/purchases, POST \/v1\/gifts, /,
    ],
    ['http_req_duration{method:PUT}:p(95)<1', /expected method to be one of POST, GET /],
    [
      'http_req_duration{status:2xx}:p(95)<1',
      /expected status to be an HTTP status \(0: no answer\), found status:2xx/,
    ],
    ['http_req_duration{scenario:smoke}:p(95)<1', /expected scenario to be one of steady /],
    ['http_req_duration{pack:c350}:p(95)<1', /found pack in/],
    ['http_req_duration{gift:rose}:p(95)<1', /found gift in/],
    ['http_req_duration{op:}:p(95)<1', /tags as \{name:value,…\}, e.g. \{op:gift\}, found "op:"/],
    ['http_req_duration{op:gift,}:p(95)<1', /tags as \{name:value,…\}/],
  ])('refuse %s, naming --threshold, the tag and the allowed values', (text, expected) => {
    expect(refusal(text, run)).toMatch(expected);
  });

  it('without the run, check the tags and the values that do not depend on it', () => {
    expect(refusal('http_req_duration{op:Gift}:p(95)<1')).toMatch(/expected op to be one of/);
    expect(refusal('http_req_duration{opp:gift}:p(95)<1')).toMatch(/found opp in/);
    expect(refusal('http_req_duration{channel:console}:p(95)<1')).toBeUndefined();
    expect(refusal('http_req_duration{channel:console}:p(95)<1', run)).toMatch(
      /channel to be one of app, web/,
    );
    expect(k6Thresholds(['http_req_duration{op:gift}:p(95)<200'], run)).toEqual({
      'http_req_duration{op:gift}': ['p(95)<200'],
    });
  });

  it('lists every request tag the economy streams send, and every metric a tag is on is a metric of the run', () => {
    for (const tag of Object.keys(TAG_TABLE)) {
      const on = TAG_TABLE[tag].on;
      if (on !== 'all')
        for (const metric of on) expect(METRIC_TYPES[metric], `${tag} on ${metric}`).toBeDefined();
    }
    expect(tagsOn('http_reqs')).toEqual(
      expect.arrayContaining(['op', 'name', 'channel', 'context', 'replay', 'tap']),
    );
  });
});
