/**
 * A sweep says what its `--set`s changed from the file, as `giftlab run` does: summary.json's `overrides`
 * (so that the sweep can be run again from its folder) and the report's header, whose scale is the
 * sweep's, not the file description's.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BASELINE, giftlab, read, TINY, tempDir } from './support.ts';

const dir = tempDir('sweep-overrides');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a sweep records its --set overrides', () => {
  it('in the report header (not the file description as the scale) and in summary.json', async () => {
    const out = join(dir, 'overrides');
    const r = await giftlab([
      'sweep',
      BASELINE,
      ...TINY,
      '--seed',
      '7',
      '--vary',
      'payout.creatorShare=0.4,0.6',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(read(out, 'summary.json'));
    expect(summary.overrides).toEqual([
      'population.viewers=2000',
      'population.creators=50',
      'duration=6h',
      'seed=7',
    ]);
    const html = read(out, 'report.html');
    const header = html.slice(html.indexOf('<header'), html.indexOf('</header>'));
    expect(header).toContain(
      'Changed from the file for this sweep (<code>--set</code>), at every point: <code>population.viewers=2000</code>, <code>population.creators=50</code>, <code>duration=6h</code>, <code>seed=7</code>. Figures below are this sweep',
    );
    expect(header).toContain('<li>viewers <b>2,000</b></li>');
    expect(header).toContain('<li>simulated <b>6 h</b></li>');
  });
});
