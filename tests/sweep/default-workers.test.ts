/** Runs default to one worker where items are too small for threads to pay off. */
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { limits } from '../../common/limits.ts';
import { defaultWorkers, viewerDays } from '../../experiments/pool.ts';

describe('the default worker count', () => {
  it('is one for small items, one per core and item for large ones', () => {
    const cores = os.availableParallelism();
    expect(defaultWorkers(16, limits.threadViewerDaysMin - 1)).toBe(1);
    expect(defaultWorkers(16, limits.threadViewerDaysMin)).toBe(Math.min(16, cores));
    expect(defaultWorkers(1, 10 * limits.threadViewerDaysMin)).toBe(1);
  });

  it('sizes an item as viewers × simulated days', () => {
    expect(viewerDays({ population: { viewers: 1_000_000 }, duration: 43_200 })).toBe(500_000);
  });
});
