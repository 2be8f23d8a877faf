/**
 * The report's key assumptions carry the demand block a price question rests on: the elasticities, the
 * reference prices and what this run's prices do to the payer share. price-up-20's report said only
 * "5.0 % of viewers buy coins", with no word of the conversion elasticity of −2 doing the work.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { assumptionsSection } from '../../reports/html/sections.ts';
import { loadScenarioFile } from '../../scenarios/load.ts';

/** The Demand row's text, tags stripped and entities read. */
function demandRow(html: string): string {
  const m = /<dt>Demand<\/dt><dd>([^<]*)<\/dd>/.exec(html);
  expect(m, 'a Demand row').not.toBeNull();
  return (m?.[1] ?? '').replaceAll('&#39;', "'");
}

describe('key assumptions: demand', () => {
  it('names the elasticities, the published range and the reference prices', () => {
    const s = loadScenarioFile('scenarios/baseline.yaml', {
      sets: ['demand.conversionElasticity=-3', 'demand.intensityElasticity=-0.5'],
    });
    const row = demandRow(assumptionsSection(s));
    expect(row).toContain('× p^−3 (published −1 to −4)');
    expect(row).toContain('× p^−0.5');
    expect(row).toContain('app 70 coins for $0.99, web 70 coins for $0.74');
    expect(row).toContain('app p 1.000, payer share × 1.000');
  });

  it("gives the price index and the payer share's factor at the run's prices (price-up-20: 1.2^−2)", () => {
    const s = loadScenarioFile('scenarios/price-up-20.yaml');
    const html = assumptionsSection(s);
    const row = demandRow(html);
    // app: 119 ¢ for 70 coins against 99 ¢; web: 89 ¢ against 74 ¢ — each factor is p^−2.
    for (const [id, price, ref] of [
      ['app', 119, 99],
      ['web', 89, 74],
    ] as const) {
      const p = price / ref;
      expect(row).toContain(`${id} p ${p.toFixed(3)}, payer share × ${(p ** -2).toFixed(3)}`);
    }
    expect(html).toContain('5.0\u00a0% of viewers buy coins at the reference prices (see Demand)');
  });

  it('after a price change, the last state too', () => {
    const s = loadScenarioFile('scenarios/baseline.yaml', {
      sets: ['events[0]={kind: price-change, at: 1h, factor: 1.5}'],
    });
    const row = demandRow(assumptionsSection(s));
    expect(row).toContain("at this run's prices: app p 1.000");
    expect(row).toMatch(
      /after the last price change or bonus \(above\): app p 1\.\d{3}, payer share × 0\.4\d\d/,
    );
  });

  it('without a demand block, says prices do not move who pays', () => {
    const raw = parse(readFileSync('scenarios/baseline.yaml', 'utf8'));
    delete raw.demand;
    const file = join(mkdtempSync(join(tmpdir(), 'giftlab-demand-')), 'no-demand.yaml');
    writeFileSync(file, stringify(raw));
    const html = assumptionsSection(loadScenarioFile(file));
    expect(demandRow(html)).toContain('prices do not move who pays');
    expect(html).toContain('5.0\u00a0% of viewers buy coins;');
  });
});
