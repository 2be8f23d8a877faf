/**
 * fit-data recovers what generated its data (the acceptance): the shipped example
 * (examples/fit-data/events.csv, the baseline's parameters) is what its definition regenerates, byte
 * for byte, and fitting it gives back the payer share, the spend family and its parameters, the channel
 * mix, the daily rhythm and the gift mix within the reported standard errors (two of them: a 95 %
 * band; each estimate's z is in the failure message). A lognormal truth is told apart from a Pareto
 * one. Then the command end to end: exit 0, a fitted.yaml that extends the baseline and validates.
 */
import { copyFileSync, existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLE, exampleExport } from '../../examples/fit-data/example.ts';
import { chiSquare99 } from '../../experiments/calibrate/distance.ts';
import { type Estimate, estimate, type FitDataEstimates } from '../../experiments/fit-data/estimate.ts';
import { parseExport } from '../../experiments/fit-data/events.ts';
import { SYNTHETIC_START, syntheticExport } from '../../experiments/fit-data/synthetic.ts';
import { loadScenarioFile } from '../../scenarios/load.ts';
import type { Scenario } from '../../scenarios/schema/scenario.ts';
import { giftlab, read, tempDir } from '../sweep/support.ts';

function within2Se(what: string, e: Estimate, truth: number): void {
  const z = (e.value - truth) / e.se;
  expect(
    Math.abs(z),
    `${what}: estimate ${e.value} (se ${e.se}), truth ${truth}, z ${z.toFixed(2)}`,
  ).toBeLessThanOrEqual(2);
}

/** Pearson's χ² of the gifts sent against the scenario's weights, rare gifts pooled (expected < 5). */
function giftMixChiSquare(est: FitDataEstimates, scenario: Scenario): { stat: number; dof: number } {
  const n = est.gifts.reduce((s, g) => s + g.count, 0);
  const total = scenario.gifts.reduce((s, g) => s + g.weight, 0);
  let stat = 0;
  let bins = 0;
  let pooledObserved = 0;
  let pooledExpected = 0;
  for (const g of scenario.gifts) {
    const expected = (n * g.weight) / total;
    const observed = est.gifts.find((e) => e.id === g.id)?.count ?? 0;
    if (expected < 5) {
      pooledObserved += observed;
      pooledExpected += expected;
    } else {
      stat += (observed - expected) ** 2 / expected;
      bins++;
    }
  }
  if (pooledExpected > 0) {
    stat += (pooledObserved - pooledExpected) ** 2 / pooledExpected;
    bins++;
  }
  return { stat, dof: bins - 1 };
}

describe('the shipped example', () => {
  const text = readFileSync(EXAMPLE.events, 'utf8');
  const truth = loadScenarioFile(EXAMPLE.scenario);
  const est = estimate(parseExport(text, 'events.csv'), { viewers: EXAMPLE.viewers });

  it('is what examples/fit-data/regenerate.ts writes, byte for byte', () => {
    expect(exampleExport() === text).toBe(true);
  });

  it('gives back the payer share, the spend family and parameters, channels and rhythm within 2 se', () => {
    expect(est.period.days).toBe(EXAMPLE.days);
    within2Se('payer share', est.payerShare!, truth.viewers.payerShare);
    const s = est.spend;
    expect(s.chosen).toBe('pareto');
    expect(s.deltaAic).toBeGreaterThan(2);
    within2Se('pareto alpha', s.pareto.alpha, truth.viewers.budget.paretoAlpha);
    // The scale's MLE is the least value: above the truth by about x_min/(nα), floored to cents here.
    expect(s.pareto.minCents).toBeGreaterThanOrEqual(truth.viewers.budget.minCents);
    expect(s.pareto.minCents).toBeLessThan(truth.viewers.budget.minCents + 1 + (2 * 99) / (s.payers * 1.15));
    const app = est.channels.find((c) => c.id === 'app')!;
    within2Se('app share of payers', app.share, 0.85);
    within2Se('peak hour', est.rhythm.peakHour, truth.viewers.diurnal.peakHour);
    within2Se('amplitude', est.rhythm.amplitude, truth.viewers.diurnal.amplitude);
  });

  it('gives back the gift mix: χ² against the weights below its 99 % quantile', () => {
    const { stat, dof } = giftMixChiSquare(est, truth);
    expect(dof).toBeGreaterThanOrEqual(3);
    expect(stat, `χ² ${stat.toFixed(2)} on ${dof} dof`).toBeLessThan(chiSquare99(dof));
  });

  it('tells a lognormal truth from a Pareto one, and gives back its median and sigma', () => {
    const lognormal = loadScenarioFile(EXAMPLE.scenario, {
      sets: [
        'viewers.budget.distribution=lognormal',
        'viewers.budget.minCents=1',
        'viewers.budget.medianCents=800',
        'viewers.budget.lognormalSigma=1.2',
      ],
    });
    const events = parseExport(
      syntheticExport(lognormal, { viewers: 3000, days: 2, creators: 10, seed: 3, start: SYNTHETIC_START }),
      'lognormal.csv',
    );
    const s = estimate(events, { viewers: 3000 }).spend;
    expect(s.chosen).toBe('lognormal');
    within2Se('lognormal median', s.lognormal.medianCents, 800);
    within2Se('lognormal sigma', s.lognormal.sigma, 1.2);
  });
});

describe('giftlab fit-data', () => {
  it('writes a fitted.yaml that extends the scenario, validates and holds the estimates', async () => {
    const out = join(tempDir('fit-data'), 'fitted');
    const r = await giftlab([
      'fit-data',
      EXAMPLE.events,
      '--extends',
      EXAMPLE.scenario,
      '--viewers',
      '3000',
      '--out',
      out,
    ]);
    expect(r.code, r.err).toBe(0);
    expect(r.out.trim().split('\n').at(-1)).toBe(join(out, 'fitted.yaml'));
    expect(r.out).toMatch(/spend a day of \d+ payers: pareto chosen by AIC/);
    expect(r.err).toContain('giftlab fit-data: reading');
    const yaml = read(out, 'fitted.yaml');
    expect(yaml).toMatch(/^extends: .*scenarios\/baseline\.yaml$/m);
    expect(yaml).toMatch(/paretoAlpha: [\d.]+ # fitted: [\d.]+ \(se [\d.]+\)/);
    const v = await giftlab(['validate', join(out, 'fitted.yaml')]);
    expect(v.code, v.err).toBe(0);
    const fitted = loadScenarioFile(join(out, 'fitted.yaml'));
    const summary = JSON.parse(read(out, 'summary.json'));
    expect(summary.kind).toBe('fit-data');
    expect(fitted.viewers.payerShare).toBeCloseTo(summary.payerShare.value, 4);
    expect(fitted.viewers.budget.paretoAlpha).toBeCloseTo(summary.spend.pareto.alpha.value, 4);
    expect(fitted.pricing).toEqual(loadScenarioFile(EXAMPLE.scenario).pricing);
    expect(read(out, 'spend-fit.csv').split('\n')[0]).toBe(
      'quantile,observedCents,paretoCents,lognormalCents',
    );
  });

  it('exits 2 naming --extends, --viewers, a missing file or a bad row', async () => {
    const cases: [string[], RegExp][] = [
      [[EXAMPLE.events], /--extends: expected the scenario to extend, found nothing/],
      [
        [EXAMPLE.events, '--extends', EXAMPLE.scenario, '--viewers', '10'],
        /--viewers: expected at least the [\d,]+ viewers/,
      ],
      [
        ['nope.csv', '--extends', EXAMPLE.scenario],
        /events: expected a readable CSV file, found nope\.csv: no such file/,
      ],
      [
        [EXAMPLE.events, '--extends', EXAMPLE.scenario, '--viewers', 'many'],
        /--viewers: expected an integer/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await giftlab(['fit-data', ...args, '--out', join(tempDir('fit-data-bad'), 'out')]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
  });
});

describe('an export given twice', () => {
  it('is refused by the same name or another (a symlink), naming it, before anything is written', async () => {
    const dir = tempDir('fit-data-twice');
    const link = join(dir, 'again.csv');
    symlinkSync(EXAMPLE.events, link);
    const copy = join(dir, 'copy.csv');
    copyFileSync(EXAMPLE.events, copy);
    const expected = 'giftlab: events: expected each export once (rows given twice would count twice), found';
    for (const [files, found] of [
      [[EXAMPLE.events, EXAMPLE.events], `${EXAMPLE.events} twice`],
      [[EXAMPLE.events, link], `${link}, the same file as ${EXAMPLE.events}`],
      [[EXAMPLE.events, copy], `${copy}, the same rows as ${EXAMPLE.events} (an identical file)`],
    ]) {
      const out = join(dir, 'out');
      const r = await giftlab([
        'fit-data',
        ...files,
        '--extends',
        EXAMPLE.scenario,
        '--viewers',
        '3000',
        '--out',
        out,
      ]);
      expect(r.code, r.err).toBe(2);
      expect(r.err.split('\n').at(-2)).toBe(`${expected} ${found}`);
      expect(existsSync(out)).toBe(false);
    }
  });
});
