/**
 * A threshold on a KPI the run cannot give a value (a cohort KPI in a run shorter than its days, or
 * without arrivals) exits 2 naming the threshold before anything runs or is written — not 99 after the
 * whole run with "absent", and never a pass.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { giftlab, tmp } from '../replay/support.ts';

const BASELINE = 'scenarios/baseline.yaml';
const SMALL = ['--set', 'population.viewers=2000', '--seed', '7'];

describe('giftlab run --threshold on a KPI the run cannot measure', () => {
  it('a cohort KPI in a 1-day run: exit 2 naming --threshold and why, nothing written', async () => {
    const out = join(tmp(), 'run');
    const junit = join(tmp(), 'run.xml');
    const r = await giftlab([
      'run',
      BASELINE,
      ...SMALL,
      '--out',
      out,
      '--junit',
      junit,
      '--threshold',
      'retentionD7>0.1',
    ]);
    expect(r.code, r.err).toBe(2);
    expect(r.err).toContain('giftlab: --threshold: expected a KPI this run gives a value: retentionD7');
    expect(r.err).toContain('found retentionD7>0.1, and retentionD7 has no value where');
    expect(r.err).toContain('the run lasts 1d');
    expect(existsSync(out)).toBe(false);
    expect(existsSync(junit)).toBe(false);
  });

  it("the scenario's own block is named by its index", async () => {
    const dir = tmp();
    const file = join(dir, 'cohort.yaml');
    writeFileSync(
      file,
      `extends: ${JSON.stringify(resolve(BASELINE))}\nthresholds:\n  - platformMarginCents>0\n  - payerConversionD30>0.01\n`,
    );
    const out = join(dir, 'run');
    const r = await giftlab(['run', file, ...SMALL, '--out', out]);
    expect(r.code, r.err).toBe(2);
    expect(r.err).toContain(
      'giftlab: thresholds[1]: expected a KPI this run gives a value: payerConversionD30',
    );
    expect(existsSync(out)).toBe(false);
  });

  it('a KPI every run measures is untouched (the threshold is judged after the run)', async () => {
    const out = join(tmp(), 'run');
    const r = await giftlab([
      'run',
      BASELINE,
      ...SMALL,
      '--quiet',
      '--out',
      out,
      '--threshold',
      'giftsSent>0',
    ]);
    expect(r.code, r.err).toBe(0);
  });
});

describe('giftlab sweep --threshold on a KPI some point cannot measure', () => {
  it('exit 2 naming the points, before the sweep runs', async () => {
    const out = join(tmp(), 'sweep');
    const r = await giftlab([
      'sweep',
      BASELINE,
      '--set',
      'population.viewers=500',
      '--set',
      'lifecycle.arrivalsPerDay=50',
      '--vary',
      'duration=1d,3d',
      '--threshold',
      'retentionD1>0',
      '--quiet',
      '--out',
      out,
    ]);
    expect(r.code, r.err).toBe(2);
    expect(r.err).toContain('giftlab: --threshold: expected a KPI every point of the sweep gives a value');
    expect(r.err).toContain(
      'found retentionD1>0, and retentionD1 has no value where the run lasts 1d, at 1 of 2 points: point 0 (duration=1d)',
    );
    expect(existsSync(out)).toBe(false);
  });
});
