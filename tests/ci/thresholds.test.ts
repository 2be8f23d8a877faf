import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../common/input-error.ts';
import { describeOutcome, evaluateThreshold, parseThreshold } from '../../scenarios/thresholds.ts';
import { KPI_NAMES, type KpiStat } from '../../sim/kpis.ts';

const stat = (mean: number, lo = mean, hi = mean, sd = 0): KpiStat => ({ mean, ci95: [lo, hi], sd });

describe('KPI thresholds', () => {
  it('parses a KPI, an optional statistic, an operator and a limit', () => {
    expect(parseThreshold('platformMarginCents>0')).toMatchObject({
      kpi: 'platformMarginCents',
      stat: 'mean',
      op: '>',
      limit: 0,
    });
    expect(parseThreshold(' payerConversion.ci95[0] >= 0.01 ')).toMatchObject({
      stat: 'ci95[0]',
      op: '>=',
      limit: 0.01,
    });
    expect(parseThreshold('creatorEarningsGini.sd<1e-2')).toMatchObject({ stat: 'sd', op: '<', limit: 0.01 });
  });

  it('passes and fails as written', () => {
    expect(evaluateThreshold(parseThreshold('platformMarginCents>0'), stat(5)).passed).toBe(true);
    expect(evaluateThreshold(parseThreshold('platformMarginCents>0'), stat(0)).passed).toBe(false);
    expect(
      evaluateThreshold(parseThreshold('payerConversion.ci95[0]>0.01'), stat(0.02, 0.005, 0.03)).passed,
    ).toBe(false);
    expect(
      evaluateThreshold(parseThreshold('payerConversion.ci95[1]<=0.03'), stat(0.02, 0.005, 0.03)).passed,
    ).toBe(true);
    expect(evaluateThreshold(parseThreshold('giftsSent!=0'), stat(0)).passed).toBe(false);
  });

  it('prints values with their integer digits whole', () => {
    const t = parseThreshold('platformMarginCents>0');
    expect(describeOutcome(evaluateThreshold(t, stat(707843.2, 591446, 824240.4)))).toBe(
      '✓ platformMarginCents>0: platformMarginCents = 707843.2 (95 % CI 591446 – 824240.4), limit > 0',
    );
    const c = parseThreshold('payerConversion.ci95[0]>0.03');
    expect(describeOutcome(evaluateThreshold(c, stat(0.023, 0.0225143, 0.02363)))).toBe(
      '✗ payerConversion.ci95[0]>0.03: payerConversion.ci95[0] = 0.0225143 (95 % CI 0.0225143 – 0.02363), limit > 0.03',
    );
    expect(describeOutcome(evaluateThreshold(parseThreshold('arppuCents<100'), stat(120.5)))).toContain(
      '= 120.5,',
    );
    expect(describeOutcome(evaluateThreshold(parseThreshold('giftsSent>0'), stat(1e-7)))).toContain(
      '= 1.00000e-7,',
    );

    // Given a money format, a value in cents also reads in dollars; other units and absent values do not.
    const money = (cents: number) => `$${(cents / 100).toFixed(2)}`;
    expect(describeOutcome(evaluateThreshold(t, stat(707843.2, 591446, 824240.4)), money)).toBe(
      '✓ platformMarginCents>0: platformMarginCents = 707843.2 ($7078.43) (95 % CI 591446 – 824240.4), limit > 0',
    );
    expect(describeOutcome(evaluateThreshold(c, stat(0.023, 0.0225143, 0.02363)), money)).not.toContain('$');
    expect(
      describeOutcome(evaluateThreshold(parseThreshold('coinsPurchased>0'), stat(5)), money),
    ).not.toContain('$');

    // An absent cohort KPI fails, and the reason does not blame the run's length (a long run with rare
    // arrivals has none either).
    const absent = evaluateThreshold(
      parseThreshold('retentionD7>0.1'),
      stat(Number.NaN, Number.NaN, Number.NaN),
    );
    expect(absent.passed).toBe(false);
    expect(describeOutcome(absent)).toBe(
      '✗ retentionD7>0.1: retentionD7 = absent (no viewer arrived early enough for the days of age it reads to be over by the end of the run), limit > 0.1',
    );
  });

  it('agrees with the comparison it names for any value and limit', () => {
    const ops = {
      '<': (a: number, b: number) => a < b,
      '<=': (a: number, b: number) => a <= b,
      '>': (a: number, b: number) => a > b,
      '>=': (a: number, b: number) => a >= b,
    };
    fc.assert(
      fc.property(
        fc.constantFrom(...KPI_NAMES),
        fc.constantFrom('<', '<=', '>', '>=' as const),
        fc.integer({ min: -1e6, max: 1e6 }),
        fc.integer({ min: -1e6, max: 1e6 }),
        (kpi, op, value, limit) => {
          const outcome = evaluateThreshold(parseThreshold(`${kpi}${op}${limit}`), stat(value));
          expect(outcome.passed).toBe(ops[op as keyof typeof ops](value, limit));
        },
      ),
    );
  });

  it.each([
    ['platformMargin>0', 'a KPI'],
    ['platformMarginCents>>0', 'kpi<op>number'],
    ['platformMarginCents>', 'kpi<op>number'],
    ['payerConversion.ci99[0]>0', 'kpi<op>number'],
    ['', 'kpi<op>number'],
    ['platformMarginCents>1e400', 'a limit a number can hold'],
    ['platformMarginCents<-1e309', 'a limit a number can hold'],
  ])('rejects %j naming the expression', (expr, expected) => {
    try {
      parseThreshold(expr);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).message).toContain(expected);
      expect((error as InputError).message).toContain('--threshold');
    }
  });
});
