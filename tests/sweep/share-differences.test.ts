/**
 * A sweep of a share KPI gives its differences in percentage points, as its point estimates beside them
 * do: the points table printed a difference of −1.00 pp with a 95 % CI of −1.39 % – −0.61 % (a relative
 * change's look), the range card 1.00 %, and the difference chart's axis −1.0% (launch-90d, a 20 % price
 * rise, payerConversionD30).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BASELINE, giftlab, read, TINY, tempDir } from './support.ts';

const dir = tempDir('sweep-share-differences');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NB = '\u00a0';
const PP = `[−+]?\\d+\\.\\d\\d${NB}pp`;

describe('share differences in a sweep report', () => {
  it('the points table, the range card and the difference chart are in percentage points', async () => {
    const out = join(dir, 'grid');
    const r = await giftlab([
      'sweep',
      BASELINE,
      ...TINY,
      '--vary',
      'viewers.payerShare=0.05,0.08',
      '--replications',
      '3',
      '--kpi',
      'payerConversion',
      '--out',
      out,
      '--quiet',
    ]);
    expect(r.code).toBe(0);
    const html = read(out, 'report.html');
    const rows = html.slice(
      html.indexOf('<section id="points"'),
      html.indexOf('</section>', html.indexOf('<section id="points"')),
    );
    // Point 1: its difference, then the difference's CI, both in points.
    expect(rows).toMatch(
      new RegExp(
        `<td class="num">\\+\\d+\\.\\d\\d${NB}pp</td><td class="num ci">${PP}${NB}– ${PP}</td></tr>`,
      ),
    );
    expect(rows).not.toMatch(/pp<\/td><td class="num[^"]*">[−+]?\d+\.\d\d\u00a0%/);
    const card = /Range across points<\/div><div class="value">([^<]*)</.exec(html)?.[1];
    expect(card).toMatch(new RegExp(`^\\d+\\.\\d\\d${NB}pp$`));
    expect(html).toContain('− baseline (percentage points)');
  });

  it('a tornado gives high − low and its CI in points', async () => {
    const out = join(dir, 'tornado');
    const r = await giftlab([
      'sweep',
      BASELINE,
      ...TINY,
      '--tornado',
      '--vary',
      'viewers.payerShare=0.03,0.08',
      '--replications',
      '3',
      '--kpi',
      'payerConversion',
      '--out',
      out,
      '--quiet',
    ]);
    expect(r.code).toBe(0);
    const html = read(out, 'report.html');
    const table = html.slice(html.indexOf('<section id="tornado-table"'));
    expect(table).toMatch(
      new RegExp(
        `<td class="num">\\+\\d+\\.\\d\\d${NB}pp</td><td class="num ci">${PP}${NB}– ${PP}</td></tr>`,
      ),
    );
  });
});
