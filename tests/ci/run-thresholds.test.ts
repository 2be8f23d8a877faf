/**
 * KPI thresholds through the CLI, as CI runs them: `giftlab run --threshold … --junit …` passes and fails
 * as written, a crossed one exits 99 after every output is written (report.html lists it, the JUnit file
 * has a failed case with the numbers), the scenario's `thresholds:` block adds to the flags, a bad
 * expression exits 2 naming it before anything runs; `giftlab sweep --threshold` holds every point.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { giftlab, tmp } from '../replay/support.ts';

const SMALL = ['--set', 'population.viewers=2000', '--seed', '7'];
const BASELINE = 'scenarios/baseline.yaml';

function kpis(dir: string): Record<string, number> {
  return JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')).kpis;
}

describe('giftlab run --threshold', () => {
  it('passes as written: exit 0, each threshold on stdout, the report lists them held', async () => {
    const out = join(tmp(), 'run');
    const junit = join(tmp(), 'run.xml');
    const r = await giftlab([
      'run',
      BASELINE,
      ...SMALL,
      '--out',
      out,
      '--threshold',
      'giftsSent>0',
      '--threshold',
      'creatorEarningsGini<1',
      '--junit',
      junit,
    ]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('thresholds: 3 held, 0 crossed');
    // In cents as written, and in dollars beside them (the report shows dollars).
    const margin = r.out.match(
      /✓ platformMarginCents>0: platformMarginCents = (\d+) \(\$([\d,]+\.\d\d)\), limit > 0/,
    );
    expect(margin, r.out).not.toBeNull();
    expect(Number(margin?.[2].replace(/,/g, '')) * 100).toBeCloseTo(Number(margin?.[1]), 6);
    expect(r.out).toMatch(/✓ giftsSent>0: giftsSent = \d+, limit > 0/);
    expect(r.out.trimEnd().split('\n').at(-1)).toBe(join(out, 'report.html'));
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<section id="thresholds">');
    expect(html).toContain('✓ All 3 thresholds held');
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('<testsuites tests="11" failures="0">');
    expect(xml).toContain('name="giftsSent&gt;0"/>');
  });

  it('fails as written: exit 99 after the outputs, with the KPI, its value and the limit', async () => {
    const out = join(tmp(), 'run');
    const junit = join(tmp(), 'fail.xml');
    const r = await giftlab([
      'run',
      BASELINE,
      ...SMALL,
      '--out',
      out,
      '--threshold',
      'giftsSent>=1e9',
      '--junit',
      junit,
    ]);
    expect(r.code).toBe(99);
    const gifts = kpis(out).giftsSent;
    expect(r.err).toContain('giftlab: 1 of 2 thresholds crossed (exit 99):');
    expect(r.err).toContain(`✗ giftsSent>=1e9: giftsSent = ${gifts}, limit >= 1000000000`);
    expect(r.out).toContain('thresholds: 1 held, 1 crossed');
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('1 of 2 thresholds crossed: giftlab run exits 99');
    expect(html).toContain('<td class="fail">crossed</td>');
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain(
      '<testsuite name="giftlab run baseline-7: thresholds" tests="2" failures="1" skipped="0">',
    );
    expect(xml).toContain(
      `<failure message="crossed: giftsSent&gt;=1e9: giftsSent = ${gifts}, limit &gt;= 1000000000">`,
    );
    expect(xml).toContain(
      '<testsuite name="giftlab run baseline-7: invariants" tests="8" failures="0" skipped="2">',
    );
  });

  it('judges a CI end with replications, and prints the interval', async () => {
    const out = join(tmp(), 'run');
    const r = await giftlab([
      'run',
      BASELINE,
      ...SMALL,
      '--replications',
      '3',
      '--workers',
      '1',
      '--out',
      out,
      '--quiet',
      '--threshold',
      'payerConversion.ci95[0]>0.5',
    ]);
    expect(r.code).toBe(99);
    expect(r.out).toBe(`${join(out, 'report.html')}\n`);
    expect(r.err).toMatch(
      /✗ payerConversion\.ci95\[0\]>0\.5: payerConversion\.ci95\[0\] = [-\d.e]+ \(95 % CI [-\d.e]+ – [\d.e]+\), limit > 0\.5/,
    );
  });

  it('refuses a CI end or a spread with one replication (exit 2, nothing written): there is neither', async () => {
    const dir = tmp();
    const scenario = join(dir, 'spread.yaml');
    writeFileSync(
      scenario,
      `extends: ${JSON.stringify(resolve(BASELINE))}\nthresholds:\n  - payers.sd < 1\n`,
    );
    const out = join(dir, 'run');
    const r = await giftlab([
      'run',
      scenario,
      ...SMALL,
      '--out',
      out,
      '--threshold',
      'payerConversion.ci95[0]>0.01',
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      'thresholds[0]: expected --replications 2 or more for payers.sd (one replication has no interval and no spread), found payers.sd < 1 with 1 replication',
    );
    expect(r.err).toContain('--threshold: expected --replications 2 or more for payerConversion.ci95[0]');
    expect(existsSync(out)).toBe(false);
    const sweep = await giftlab([
      'sweep',
      BASELINE,
      ...SMALL,
      '--vary',
      'payout.creatorShare=0.4,0.5',
      '--out',
      join(dir, 'sweep'),
      '--threshold',
      'payers.sd<100',
    ]);
    expect(sweep.code).toBe(2);
    expect(sweep.err).toContain('--threshold: expected --replications 2 or more for payers.sd');
    // With two, a spread is judged, and shown without the mean's interval beside it.
    const two = await giftlab([
      'run',
      BASELINE,
      ...SMALL,
      '--replications',
      '2',
      '--out',
      join(dir, 'two'),
      '--threshold',
      'payers.sd<100000',
    ]);
    expect(two.code, two.err).toBe(0);
    expect(two.out).toMatch(/✓ payers\.sd<100000: payers\.sd = [\d.]+, limit < 100000\n/);
  });

  it("adds the flags to the scenario's thresholds: block (the same expression once)", async () => {
    const dir = tmp();
    const scenario = join(dir, 'guarded.yaml');
    writeFileSync(
      scenario,
      `extends: ${JSON.stringify(resolve(BASELINE))}\nthresholds:\n  - giftsSent > 0\n  - viewers == 1\n`,
    );
    const junit = join(dir, 'guarded.xml');
    const r = await giftlab([
      'run',
      scenario,
      ...SMALL,
      '--out',
      join(dir, 'run'),
      '--threshold',
      'giftsSent>0',
      '--threshold',
      'payers>=1',
      '--junit',
      junit,
    ]);
    expect(r.code).toBe(99);
    expect(r.out).toContain('thresholds: 2 held, 1 crossed');
    expect(r.err).toContain('✗ viewers == 1: viewers = 2000, limit == 1');
    const xml = readFileSync(junit, 'utf8');
    expect(xml.match(/classname="giftlab.thresholds"/g)).toHaveLength(3);
  });

  it('refuses a bad expression before running, naming it (exit 2, nothing written)', async () => {
    const out = join(tmp(), 'run');
    const r = await giftlab(['run', BASELINE, ...SMALL, '--out', out, '--threshold', 'platformMargin>0']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--threshold platformMargin>0: expected a KPI');
    expect(existsSync(out)).toBe(false);
    const dir = tmp();
    writeFileSync(
      join(dir, 'bad.yaml'),
      `extends: ${JSON.stringify(resolve(BASELINE))}\nthresholds: ['gifts >> 3']\n`,
    );
    const block = await giftlab(['run', join(dir, 'bad.yaml'), ...SMALL, '--out', out]);
    expect(block.code).toBe(2);
    expect(block.err).toContain('thresholds.0 (line 2): expected kpi<op>number');
    expect(block.err).toContain('"gifts >> 3"');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses thresholds on a shard (they hold for the merged run)', async () => {
    const r = await giftlab([
      'run',
      BASELINE,
      ...SMALL,
      '--replications',
      '2',
      '--shard',
      '1/2',
      '--threshold',
      'giftsSent>0',
      '--out',
      join(tmp(), 's'),
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--threshold: expected a whole run');
  });
});

describe('giftlab sweep --threshold', () => {
  // The design leaves the scenario's own creatorShare (0.5) out, so the sweep adds it as point 2 (the
  // baseline every point is compared with); it is a point like the others and is held to the thresholds.
  // Creators earn about $42, $70 and $125 at shares 0.3, 0.5 and 0.9 here: only 0.3 stays under $55.
  it('holds every point to the thresholds: the crossing points exit 99, one JUnit case per point', async () => {
    const dir = tmp();
    const junit = join(dir, 'sweep.xml');
    const r = await giftlab([
      'sweep',
      BASELINE,
      ...SMALL,
      '--vary',
      'payout.creatorShare=0.3,0.9',
      // Creators who do not respond to their share: a pure transfer, so earnings scale with it.
      '--set',
      'creators.earningsResponse.elasticity=0',
      '--workers',
      '1',
      '--out',
      join(dir, 'sweep'),
      '--threshold',
      'creatorEarningsCents<5500',
      '--junit',
      junit,
    ]);
    expect(r.code).toBe(99);
    expect(r.out).toContain('thresholds: 1 at each of 3 point(s); 1 held, 2 crossed');
    expect(r.err).toContain('2 of 3 thresholds crossed');
    expect(r.err).toMatch(/point 1 \(payout\.creatorShare=0\.9\): ✗ creatorEarningsCents<5500/);
    expect(r.err).toMatch(/point 2 \(payout\.creatorShare=0\.5\): ✗ creatorEarningsCents<5500/);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('tests="3" failures="2"');
    expect(xml).toContain('name="point 0 (payout.creatorShare=0.3): creatorEarningsCents&lt;5500"/>');
  });
});
