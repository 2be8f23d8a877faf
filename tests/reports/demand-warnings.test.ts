/**
 * A demand elasticity of the wrong sign (price up → more payers, or more coins per payer) is run as
 * asked, never silently: validate, run, sweep and calibrate say so on stderr with the published range.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { atReferencePrices } from '../../experiments/reference-prices.ts';
import { fitDemandWarnings, priceIndexWarnings } from '../../reports/demand-warnings.ts';
import { loadScenarioFile } from '../../scenarios/load.ts';
import { runGiftlab } from '../support/io.ts';

const giftlab = (args: string[]) => runGiftlab(args);

const out = () => join(mkdtempSync(join(tmpdir(), 'giftlab-demand-')), 'out');
const small = ['--set', 'population.viewers=500', '--set', 'duration=2h', '--set', 'thresholds=[]'];

describe('demand elasticities above 0', () => {
  it('validate warns, naming the field, its value and the published range, and still exits 0', async () => {
    const r = await giftlab([
      'validate',
      'scenarios/baseline.yaml',
      '--set',
      'demand.conversionElasticity=1.5',
    ]);
    expect(r.code).toBe(0);
    expect(r.err).toContain('warning: demand.conversionElasticity is 1.5, above 0');
    expect(r.err).toContain('−1 to −4');
    expect(r.err).toContain('Enache, Friberg & Wiklander');
  });

  it('the shipped elasticities, and 0, give no warning', async () => {
    for (const v of ['-2', '0']) {
      const r = await giftlab([
        'validate',
        'scenarios/baseline.yaml',
        '--set',
        `demand.conversionElasticity=${v}`,
      ]);
      expect(r.code).toBe(0);
      expect(r.err).not.toContain('warning');
    }
  });

  it('run warns on a positive intensity elasticity and writes its outputs', async () => {
    const r = await giftlab([
      'run',
      'scenarios/baseline.yaml',
      ...small,
      '--set',
      'demand.intensityElasticity=0.5',
      '--out',
      out(),
      '--quiet',
    ]);
    expect(r.code).toBe(0);
    expect(r.err).toContain('giftlab run: warning: demand.intensityElasticity is 0.5, above 0');
    expect(r.err).not.toContain('conversionElasticity');
    expect(r.out).toMatch(/report\.html\n$/);
  });

  it('sweep counts the points above 0 and names the largest', async () => {
    const r = await giftlab([
      'sweep',
      'scenarios/baseline.yaml',
      ...small,
      '--vary',
      'demand.conversionElasticity=-2,0.5,1',
      '--out',
      out(),
      '--quiet',
    ]);
    expect(r.code).toBe(0);
    expect(r.err).toContain('warning: demand.conversionElasticity is above 0 at 2 of 3 points (up to 1)');
  });

  it("calibrate's --fit box reaching above 0 is named; the scenario's own value is then not repeated", () => {
    const scenario = loadScenarioFile('scenarios/baseline.yaml', { sets: ['demand.conversionElasticity=2'] });
    const axes = [{ path: 'demand.conversionElasticity', lo: -4, hi: 0.5 }];
    const lines = fitDemandWarnings(scenario, axes);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^--fit demand\.conversionElasticity=−4:0\.5 reaches above 0: .*−1 to −4/);
    expect(fitDemandWarnings(scenario, [])).toEqual([
      expect.stringMatching(/^demand\.conversionElasticity is 2,/),
    ]);
    expect(fitDemandWarnings(loadScenarioFile('scenarios/baseline.yaml'), [{ ...axes[0], hi: -1 }])).toEqual(
      [],
    );
  });
});

describe('an elasticity swept where prices are at the reference', () => {
  const sweep = async (file: string, design: string[], vary: string[]) => {
    const dir = out();
    const r = await giftlab([
      'sweep',
      file,
      ...small,
      ...design,
      ...vary.flatMap((v) => ['--vary', v]),
      '--out',
      dir,
      '--quiet',
    ]);
    return { ...r, report: () => readFileSync(join(dir, 'report.html'), 'utf8') };
  };
  const NOTE =
    /<p class="note"><code>demand\.conversionElasticity<\/code>: no swing by construction, not a finding/;
  const noEffect =
    /warning: --vary demand\.conversionElasticity: every point that moves it sells at the reference prices/;

  it('a tornado of the elasticity alone at the baseline prices is said to measure nothing', async () => {
    const r = await sweep(
      'scenarios/baseline.yaml',
      ['--tornado'],
      ['payout.creatorShare=0.5,0.6', 'demand.conversionElasticity=-4,-1'],
    );
    expect(r.code).toBe(0);
    expect(r.err).toMatch(noEffect);
    expect(r.err).not.toContain('--vary payout.creatorShare:');
    // The report, which outlives stderr, says so under its tornado table.
    expect(r.report()).toMatch(NOTE);
  });

  it('not when the prices differ from the reference, or a grid crosses the elasticity with a price', async () => {
    const dear = await sweep(
      'scenarios/price-up-20.yaml',
      ['--tornado'],
      ['demand.conversionElasticity=-4,-1'],
    );
    expect(dear.code).toBe(0);
    expect(dear.err).not.toMatch(noEffect);
    expect(dear.report()).not.toMatch(NOTE);
    const grid = await giftlab([
      'sweep',
      'scenarios/baseline.yaml',
      ...small,
      '--set',
      'events[0]={kind: price-change, at: 1, factor: 1}',
      '--vary',
      'events.0.factor=1,1.2',
      '--vary',
      'demand.conversionElasticity=-4,-1',
      '--out',
      out(),
      '--quiet',
    ]);
    expect(grid.code).toBe(0);
    expect(grid.err).not.toMatch(noEffect);
  });

  it('reads the reference from the whole run: a later price change or a first-purchase bonus that counts', () => {
    expect(atReferencePrices(loadScenarioFile('scenarios/baseline.yaml'))).toBe(true);
    expect(atReferencePrices(loadScenarioFile('scenarios/price-up-20.yaml'))).toBe(false);
    const later = ['events[0]={kind: price-change, at: 12h, factor: 1.1}'];
    expect(atReferencePrices(loadScenarioFile('scenarios/baseline.yaml', { sets: later }))).toBe(false);
    const bonus = 'scenarios/first-purchase-bonus.yaml';
    expect(atReferencePrices(loadScenarioFile(bonus))).toBe(false);
    const weightless = ['pricing.firstPurchaseBonus.conversionWeight=0'];
    expect(atReferencePrices(loadScenarioFile(bonus, { sets: weightless }))).toBe(true);
  });
});

describe('prices where the demand response is an extrapolation, or moves with the wrong pack', () => {
  const warnings = (sets: string[], file = 'scenarios/baseline.yaml') =>
    priceIndexWarnings(loadScenarioFile(file, { sets }));
  const app = (field: string, value: number) => [`pricing.channels.app.packs[0].${field}=${value}`];

  it('a price index outside ×0.5–×2 is named with its channel, index and the factor it multiplies payers by', () => {
    // 349 coins for 99¢ against the reference's 70: p = 70 / 349, p^−2 = (349 / 70)^2.
    const [line, ...rest] = warnings(app('coins', 349));
    expect(rest).toEqual([]);
    expect(line).toContain('pricing.channels.app: a coin costs 0.20 × the reference price');
    expect(line).toContain(`= ${((349 / 70) ** 2).toPrecision(3)} `);
    // Dearer: 99¢ for 34 coins is p = 70 / 34 = 2.06 > 2; at 36 coins (1.94) it is within the range.
    expect(warnings(app('coins', 34))[0]).toContain('a coin costs 2.06 ×');
    expect(warnings(app('coins', 36))).toEqual([]);
    // Just inside the other edge: 99¢ for 139 coins is p = 0.504.
    expect(warnings(app('coins', 139))).toEqual([]);
    expect(warnings(app('coins', 141))).toHaveLength(1);
  });

  it('a later price change out of the range is caught too, and said to be part of the run', () => {
    const [line] = warnings(['events[0]={kind: price-change, at: 12h, factor: 2.5}']);
    // Factor 2.5 on every price (each rounded to whole cents): p = 2.5 and a little.
    expect(line).toMatch(/a coin costs 2\.5\d × .* in part of the run.*= 0\.1\d+\. A/);
  });

  it('an entry pack (fewest coins) that is not the cheapest pack is named with the cheaper one', () => {
    // 351 coins for 99¢: the 350-coin pack at $4.99 becomes the entry pack, the 99¢ one moves nothing.
    const lines = warnings(app('coins', 351));
    expect(lines).toEqual([
      expect.stringMatching(
        /^pricing\.channels\.app: demand follows the entry pack.*c350 \(350 coins for \$4\.99\).*c70 \(351 coins for \$0\.99\) costs less/,
      ),
    ]);
  });

  it('compares packs on sale together: a price cut’s cheaper variants are not set against the old entry pack', () => {
    // Before 12h the listed packs, after it their variants at 90 %: in each stretch the entry pack is the cheapest.
    expect(warnings(['events[0]={kind: price-change, at: 12h, factor: 0.9}'])).toEqual([]);
    expect(warnings(['events[0]={kind: price-change, at: 0, factor: 0.9}'])).toEqual([]);
    // A listed pack cheaper than the entry pack is still named, in whichever stretch it is on sale.
    const lines = warnings(['events[0]={kind: price-change, at: 12h, factor: 0.9}', ...app('coins', 351)]);
    expect(lines).toEqual([
      expect.stringMatching(/c70 \(351 coins for \$0\.99\) costs less in part of the run/),
    ]);
  });

  it('none for the shipped scenarios, or without a demand block', () => {
    for (const file of ['baseline', 'price-up-20', 'pack-ladder', 'web-push', 'web-weekend-promo'])
      expect(warnings([], `scenarios/${file}.yaml`)).toEqual([]);
    const cheap = loadScenarioFile('scenarios/baseline.yaml', { sets: app('coins', 349) });
    expect(priceIndexWarnings({ ...cheap, demand: undefined })).toEqual([]);
  });

  it("a run's summary.json and report say it too (they outlive stderr); none when nothing was warned", async () => {
    const dir = out();
    const r = await giftlab([
      'run',
      'scenarios/baseline.yaml',
      ...small,
      '--set',
      app('coins', 349)[0],
      '--out',
      dir,
      '--quiet',
    ]);
    expect(r.code).toBe(0);
    const warned = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')).warnings;
    expect(warned).toEqual([expect.stringContaining('pricing.channels.app: a coin costs 0.20 ×')]);
    expect(r.err).toContain(`giftlab run: warning: ${warned[0]}`);
    const report = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(report).toContain('<b>Read with care</b> (as the run warned when it ran)');
    expect(report).toContain('a coin costs 0.20 × the reference price');
    const plain = out();
    expect(
      (await giftlab(['run', 'scenarios/baseline.yaml', ...small, '--out', plain, '--quiet'])).code,
    ).toBe(0);
    expect(JSON.parse(readFileSync(join(plain, 'summary.json'), 'utf8'))).not.toHaveProperty('warnings');
    expect(readFileSync(join(plain, 'report.html'), 'utf8')).not.toContain('Read with care');
  });

  it('validate says it and exits 0; a sweep counts the points', async () => {
    const v = await giftlab(['validate', 'scenarios/baseline.yaml', '--set', app('coins', 349)[0]]);
    expect(v.code).toBe(0);
    expect(v.err).toContain('giftlab validate: warning: pricing.channels.app: a coin costs 0.20 ×');
    const s = await giftlab([
      'sweep',
      'scenarios/baseline.yaml',
      ...small,
      '--vary',
      'pricing.channels.app.packs[0].coins=70,200,349',
      '--out',
      out(),
      '--quiet',
    ]);
    expect(s.code).toBe(0);
    expect(s.err).toContain(
      'warning: prices at 2 of 3 points call for care with the demand response; the first:',
    );
  });
});
