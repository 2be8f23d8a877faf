/** `giftlab load --threshold`: k6's syntax, checked against the run's metrics before k6 starts. */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../common/input-error.ts';
import { k6Thresholds, parseK6Threshold } from '../../load/bundle/k6-thresholds.ts';

describe('k6 thresholds from the command line', () => {
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
