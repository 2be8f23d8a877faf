/** How calibrate words a fitted KPI's interval: for want of replications, or the same in every one. */
import { describe, expect, it } from 'vitest';
import { ciText } from '../../reports/calibrate/text.ts';

describe("a fitted KPI's CI in words", () => {
  it('says one replication gives no CI, but a zero-width CI over several is a KPI that did not vary', () => {
    expect(ciText('payers', [40, 40], 1)).toBe('one replication, no CI');
    expect(ciText('payers', [40, 40], 2)).toBe('the same in all 2 replications');
    expect(ciText('payers', [38, 42], 2)).toMatch(/^95\s%\sCI 38 – 42$/);
  });
});
