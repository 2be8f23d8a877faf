/** The invariants section that sweep and calibration reports share: what was checked, and each violation where it happened. */
import { describe, expect, it } from 'vitest';
import { manyRunsInvariantsSection } from '../../reports/html/sections.ts';

describe('the invariants section of a report over many runs', () => {
  it('says every run held when none broke, with the runs counted', () => {
    const html = manyRunsInvariantsSection({ checked: [1, 2], violationCount: 0 }, [], 1200, 'Point', 'end');
    expect(html).toContain('✓ All checked invariants held in all 1,200 runs');
    expect(html).toContain('Invariants 1, 2 checked at the end of every run (mode end)');
    expect(html).not.toContain('<table>');
  });

  it('lists each violation with its point or candidate and replication, the invariant in words, escaped', () => {
    const html = manyRunsInvariantsSection(
      { checked: [2], violationCount: 1 },
      [{ at: 7, replication: 3, invariant: 2, message: 'viewer 5 at <-1> coins' }],
      40,
      'Candidate',
      'all',
    );
    expect(html).toContain('✗ 1 invariant violation(s)');
    expect(html).toContain('<th class="num">Candidate</th>');
    expect(html).toMatch(/<td class="num">7<\/td><td class="num">3<\/td><td>2: no viewer coin balance/);
    expect(html).toContain('viewer 5 at &#60;-1&#62; coins');
  });
});
