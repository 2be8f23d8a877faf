/** A sweep's baseline: the point on the scenario's own values, found however the value is written. */
import { describe, expect, it } from 'vitest';
import { planSweep } from '../../experiments/sweep/plan.ts';

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
});
