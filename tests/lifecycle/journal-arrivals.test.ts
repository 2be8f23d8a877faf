/**
 * `run --journal` on a scenario where viewers arrive: the arrivals' operations are in the log, and the
 * log reads back (its header counts the arrivals' ids), so it can be replayed; the journal's bound
 * counts the viewers expected to arrive.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readOpLog } from '../../experiments/oplog/files.ts';
import { giftlab, tempDir } from '../sweep/support.ts';

describe('--journal with viewers who arrive', () => {
  it('records the arrivals’ operations in a log that reads back', async () => {
    const out = join(tempDir('arrivals-journal'), 'run');
    const r = await giftlab([
      'run',
      'scenarios/launch-90d.yaml',
      '--set',
      'population.viewers=300',
      '--set',
      'duration=3d',
      '--set',
      'events=[]',
      '--set',
      'lifecycle.arrivalsPerDay=200',
      '--journal',
      '--quiet',
      '--out',
      out,
    ]);
    expect(r.code, r.err).toBe(0);
    const log = await readOpLog(join(out, 'ops.jsonl'));
    expect(log.header.population.viewers).toBeGreaterThan(300);
    expect(log.ops.some((op) => op.kind !== 'withdrawal' && op.viewer >= 300)).toBe(true);
  });

  it('refuses, naming the arrivals, when viewers and arrivals together pass its bound', async () => {
    const r = await giftlab([
      'run',
      'scenarios/launch-90d.yaml',
      '--set',
      'population.viewers=90000',
      '--set',
      'events=[]',
      '--set',
      'lifecycle.arrivalsPerDay=3000',
      '--journal',
      '--out',
      join(tempDir('arrivals-journal'), 'refused'),
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('population.viewers + lifecycle.arrivalsPerDay');
    expect(r.err).toContain('90,000 + about 270,000 arriving');
  });
});
