/**
 * The pool returns results in the items' order whatever the worker count, and worker threads (booted
 * through the .mjs bootstrap that registers tsx) compute exactly what this thread computes.
 */
import { describe, expect, it } from 'vitest';
import { runPool } from '../../experiments/pool.ts';
import { replicationItems } from '../../experiments/work.ts';
import { scenario } from './support.ts';

describe('worker pool', () => {
  it('gives identical results in order with 1 and 3 workers, with progress from each item', async () => {
    const s = scenario({ population: { viewers: 3000 }, viewers: { payerShare: 0.5, sessionsPerDay: 3 } });
    const items = replicationItems(s, 4, 'end');
    const here = await runPool(items, { workers: 1 });
    const progressed = new Set<number>();
    const threads = await runPool(items, {
      workers: 3,
      onProgress: (index) => {
        progressed.add(index);
      },
    });
    expect(threads.map((r) => r.replication)).toEqual([0, 1, 2, 3]);
    expect(threads).toEqual(here);
    expect([...progressed].sort()).toEqual([0, 1, 2, 3]);
  });

  it("a thread's progress reaches the caller while this thread runs an item of its own", async () => {
    // Two items, one here and one on a thread: long enough for the thread to start during the first.
    const s = scenario({ population: { viewers: 40_000 }, duration: 2 * 86_400 });
    const calls: number[] = [];
    await runPool(replicationItems(s, 2, 'end'), {
      workers: 2,
      onProgress: (index) => {
        calls.push(index);
      },
    });
    const span = (i: number) => [calls.indexOf(i), calls.lastIndexOf(i)];
    const [a0, a1] = span(0);
    const [b0, b1] = span(1);
    expect(a0).toBeGreaterThanOrEqual(0);
    expect(b0).toBeGreaterThanOrEqual(0);
    // Interleaved: each item's progress came in while the other's did, not all of one after the other.
    expect(a0 < b1 && b0 < a1, calls.join('')).toBe(true);
  });

  it('reports a failing item as an error, not a hang', async () => {
    const s = scenario();
    const broken = { ...s, economy: { ...s.economy, gifts: [] } };
    const items = replicationItems(broken, 2, 'end');
    await expect(runPool(items, { workers: 2 })).rejects.toThrow(/gift/);
  });
});
