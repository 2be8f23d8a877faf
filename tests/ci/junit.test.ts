import { describe, expect, it } from 'vitest';
import { junitXml } from '../../reports/junit.ts';

describe('JUnit XML', () => {
  it('counts tests and failures and escapes text', () => {
    const xml = junitXml([
      {
        name: 'invariants',
        cases: [
          { name: '1 every entry balances', className: 'giftlab.audit' },
          {
            name: '2 <no> negative & "balances"',
            className: 'giftlab.audit',
            failure: { message: 'viewer:1 went to -5' },
          },
        ],
      },
      {
        name: 'thresholds',
        cases: [{ name: 'x', className: 'giftlab.thresholds', skipped: 'no replications' }],
      },
    ]);
    expect(xml).toContain('<testsuites tests="3" failures="1">');
    expect(xml).toContain('name="2 &lt;no&gt; negative &amp; &quot;balances&quot;"');
    expect(xml).toContain('<failure message="viewer:1 went to -5">');
    expect(xml).toContain('<skipped message="no replications"/>');
    expect(xml).not.toMatch(/<testcase[^>]*name="1 every entry balances"[^/]*>\s*<failure/);
  });

  it('drops characters XML 1.0 forbids', () => {
    expect(junitXml([{ name: 'a\u0001b', cases: [] }])).toContain('name="ab"');
  });
});
