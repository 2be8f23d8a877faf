/**
 * fit-data's estimators in closed form (samples small enough to compute by hand), the laws of the
 * synthetic export's purchases (fast-check), and the normal distribution they use.
 */
import { readFileSync } from 'node:fs';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../common/input-error.ts';
import { limits } from '../../common/limits.ts';
import { fitSpend, ksDistance, proportion, rhythm } from '../../experiments/fit-data/estimate.ts';
import { parseExport, parseTime } from '../../experiments/fit-data/events.ts';
import { EXPORT_COLUMNS } from '../../experiments/fit-data/export-format.ts';
import { dayPurchases } from '../../experiments/fit-data/synthetic.ts';
import { normalCdf, normalQuantile } from '../../experiments/stats.ts';

describe('the spend fit', () => {
  // Ten payers: 100 × 2^(k/2) cents for k = 0..9: ln(x/100) = k ln2 / 2, Σ = 45 ln2 / 2.
  const x = Array.from({ length: 10 }, (_, k) => 100 * 2 ** (k / 2));
  const fit = fitSpend(x);

  it('Pareto: scale the least value, α = n / Σ ln(x / x_min), se α/√n', () => {
    const alpha = 10 / ((45 * Math.LN2) / 2);
    expect(fit.pareto.minCents).toBe(100);
    expect(fit.pareto.alpha.value).toBeCloseTo(alpha, 12);
    expect(fit.pareto.alpha.se).toBeCloseTo(alpha / Math.sqrt(10), 12);
    const sumLog = x.reduce((s, v) => s + Math.log(v), 0);
    expect(fit.pareto.logLik).toBeCloseTo(
      10 * Math.log(alpha) + 10 * alpha * Math.log(100) - (alpha + 1) * sumLog,
      9,
    );
  });

  it('lognormal: μ and σ the mean and (population) sd of ln x, median e^μ', () => {
    const logs = x.map(Math.log);
    const mu = Math.log(100) + (4.5 * Math.LN2) / 2;
    const sigma = Math.sqrt(logs.reduce((s, v) => s + (v - mu) ** 2, 0) / 10);
    expect(fit.lognormal.mu.value).toBeCloseTo(mu, 12);
    expect(fit.lognormal.medianCents.value).toBeCloseTo(Math.exp(mu), 9);
    expect(fit.lognormal.sigma.value).toBeCloseTo(sigma, 12);
    expect(fit.lognormal.sigma.se).toBeCloseTo(sigma / Math.sqrt(20), 12);
    // Evenly spaced logs are far from a Pareto's exponential logs: the lognormal wins.
    expect(fit.chosen).toBe('lognormal');
    expect(fit.deltaAic).toBeCloseTo(fit.pareto.aic - fit.lognormal.aic, 9);
  });

  it('leaves out free payers and refuses fewer than ten paying ones, naming the events', () => {
    expect(fitSpend([...x, 0, 0]).freeOnly).toBe(2);
    expect(() => fitSpend(x.slice(0, 9))).toThrow(InputError);
    expect(() => fitSpend(x.slice(0, 9))).toThrow(/events: expected purchases by at least 10 viewers/);
  });

  it('KS distance: the largest gap on either side of each step of the empirical CDF', () => {
    const sorted = [1, 2, 3, 4];
    expect(ksDistance(sorted, (v) => (v < 1 ? 0 : v / 4))).toBeCloseTo(0.25, 12);
    expect(ksDistance(sorted, () => 0.5)).toBeCloseTo(0.5, 12);
  });
});

describe('shares and the daily rhythm', () => {
  it('a proportion with its binomial standard error', () => {
    expect(proportion(25, 100)).toEqual({ value: 0.25, se: Math.sqrt(0.25 * 0.75) / 10 });
  });

  it('events only at 21:00 give peak 21 h and amplitude 1 (clipped from 2)', () => {
    const r = rhythm([21 * 3600, 86_400 + 21 * 3600]);
    expect(r.peakHour.value).toBeCloseTo(21, 9);
    expect(r.amplitude.value).toBe(1);
  });

  it('half the events at 6:00 and half at 18:00 give amplitude 0', () => {
    expect(rhythm([6 * 3600, 18 * 3600]).amplitude.value).toBeCloseTo(0, 9);
  });

  it('2/3 at the peak, 1/3 twelve hours later: mean cosine 1/3, amplitude 2/3', () => {
    const r = rhythm([3 * 3600, 3 * 3600, 15 * 3600]);
    expect(r.peakHour.value).toBeCloseTo(3, 9);
    expect(r.amplitude.value).toBeCloseTo(2 / 3, 9);
    expect(r.amplitude.se).toBeCloseTo(2 * Math.sqrt((0.5 - 1 / 9) / 3), 9);
  });
});

describe('the synthetic export’s purchases', () => {
  const packs = [
    { id: 'c7000', priceCents: 9999 },
    { id: 'c1400', priceCents: 1999 },
    { id: 'c350', priceCents: 499 },
    { id: 'c70', priceCents: 99 },
  ];

  test.prop([fc.integer({ min: 1, max: 5_000_000 })])(
    'pay the budget to the cent, every price above 0',
    (budget) => {
      const bought = dayPurchases(packs, budget);
      expect(bought.reduce((s, [, c]) => s + c, 0)).toBe(budget);
      expect(bought.every(([, c]) => c >= 0)).toBe(true);
      expect(bought.length).toBeGreaterThan(0);
    },
  );

  it('greedy by list price: 2,597 cents buys c1400, c350 and c70 at list; 50 cents the cheapest pack at 50', () => {
    expect(dayPurchases(packs, 1999 + 499 + 99)).toEqual([
      ['c1400', 1999],
      ['c350', 499],
      ['c70', 99],
    ]);
    expect(dayPurchases(packs, 50)).toEqual([['c70', 50]]);
  });
});

describe('the export reader', () => {
  const header = 'time,viewer,kind,channel,pack,price,gift,coins,creator';

  it('reads ISO times with a zone, without one (UTC) and Unix seconds alike', () => {
    expect(parseTime('2026-03-02T01:00:00Z')).toBe(Date.UTC(2026, 2, 2, 1) / 1000);
    expect(parseTime('2026-03-02T03:00:00+02:00')).toBe(Date.UTC(2026, 2, 2, 1) / 1000);
    expect(parseTime('2026-03-02 01:00:00')).toBe(Date.UTC(2026, 2, 2, 1) / 1000);
    expect(parseTime('1772413200')).toBe(1772413200);
    expect(parseTime('yesterday')).toBeUndefined();
  });

  it('names the file, line, column, what it expected and what it found', () => {
    const text = [
      header,
      '2026-03-02T01:00:00Z,v1,purchase,app,c70,ninety,,,',
      '2026-03-02T01:00:00Z,v1,refund,app,c70,99,,,',
      '2026-03-02T01:00:00Z,v1,gift,,,,rose,,c1',
      'soon,v1,gift,,,,Rose!,1,c1',
    ].join('\n');
    let error: unknown;
    try {
      parseExport(text, 'events.csv');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    const m = (error as Error).message;
    expect(m).toMatch(/^events\.csv: 5 problems/);
    expect(m).toContain('price (line 2): expected a whole number of at least 0, found "ninety"');
    expect(m).toContain('kind (line 3): expected purchase or gift, found "refund"');
    expect(m).toContain('coins (line 4): expected a value on a gift row, found an empty cell');
    expect(m).toContain('time (line 5)');
    expect(m).toContain('gift (line 5): expected an id as in the scenario');
  });

  it('lists as many problems as any message does, then counts the rest in one line', () => {
    const bad = Array.from({ length: 50 }, (_, i) => `2026-03-02T01:00:00Z,v${i},refund,app,c70,99,,,`);
    let message = '';
    try {
      parseExport([header, ...bad].join('\n'), 'events.csv');
    } catch (e) {
      message = (e as Error).message;
    }
    const lines = message.split('\n');
    expect(lines).toHaveLength(1 + limits.problemsShownMax);
    expect(lines[1]).toContain('kind (line 2)');
    expect(lines.at(-1)).toBe(
      `  events: expected no more problems, found ${50 - limits.problemsShownMax + 1} more`,
    );
  });

  it('names the missing columns of the header', () => {
    expect(() => parseExport('time,viewer,kind\n', 'e.csv')).toThrow(
      /header \(line 1\): expected the columns .*, found no channel, pack, price, gift, coins, creator/,
    );
  });
});

describe('the normal distribution', () => {
  it('Φ at table values', () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 7);
    expect(normalCdf(-1)).toBeCloseTo(0.158655254, 8);
    expect(normalCdf(Infinity)).toBe(1);
  });

  test.prop([fc.double({ min: 1e-6, max: 1 - 1e-6, noNaN: true })])('Φ(Φ⁻¹(p)) = p', (p) => {
    expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 9);
  });
});

describe('the export format', () => {
  it('every column of the table is in the README’s column list, in order', () => {
    const readme = readFileSync('README.md', 'utf8');
    const rows = [...readme.matchAll(/^\| `(\w+)` \| (all|purchase|gift) \|/gm)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual(
      EXPORT_COLUMNS.map((c) => [c.name, c.requiredFor.length === 2 ? 'all' : c.requiredFor[0]]),
    );
  });
});
