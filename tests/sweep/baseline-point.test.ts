/** A sweep's baseline: the point on the scenario's own values, found however the value is written. */

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planSweep } from '../../experiments/sweep/plan.ts';
import { BASELINE, giftlab, TINY, tempDir } from './support.ts';

const plan = (vary: string[]) =>
  planSweep('scenarios/baseline.yaml', { vary, replications: 1, check: 'end' });

describe("a sweep's baseline point", () => {
  it('is the grid point whose duration text is the seconds the scenario holds (1d = 86,400 s)', () => {
    const p = plan(['duration=12h,1d']);
    expect(p.spec.points).toHaveLength(2);
    expect(p.spec.baselinePoint).toBe(1);
  });

  it('is added when no grid point is the scenario (2d is not 1d)', () => {
    const p = plan(['duration=12h,2d']);
    expect(p.spec.points).toHaveLength(3);
    expect(p.spec.baselinePoint).toBe(2);
    expect(p.spec.points[2].role).toBe('baseline');
  });

  it('named as the scenario as given when it is the highest or lowest, not passed for a point of the grid', async () => {
    // Creator shares 0.3 and 0.4 around the file's 0.5: the added baseline earns creators the most.
    const r = await giftlab([
      'sweep',
      BASELINE,
      ...TINY,
      '--kpi',
      'creatorEarningsCents',
      '--vary',
      'payout.creatorShare=0.3,0.4',
      '--out',
      join(tempDir('baseline-point'), 'out'),
    ]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(
      /creatorEarningsCents: highest .* at point 2 \(payout\.creatorShare=0\.5: the scenario as given, added beside the design\)/,
    );
    expect(r.out).toMatch(/lowest .* at point 0 \(payout\.creatorShare=0\.3\)\n/);
  });
});
