import { describe, expect, it } from 'vitest';
import {
  bpPercent,
  count,
  dollars,
  dollarsLike,
  dollarsShort,
  kpiDelta,
  kpiLabel,
  kpiLabelInText,
  kpiUnit,
  kpiValue,
  milliCents,
  percent,
  signedPercent,
} from '../../reports/format.ts';
import { KPI_NAMES } from '../../sim/kpis.ts';

const NB = '\u00a0';

describe('presentation formats', () => {
  it('turns integer cents into dollars only here', () => {
    expect(dollars(123_456)).toBe('$1,234.56');
    expect(dollars(5)).toBe('$0.05');
    expect(dollars(-250)).toBe('−$2.50');
    expect(dollars(1_234_567)).toBe('$12,346');
    expect(dollarsShort(2_040_000)).toBe('$20.4k');
    expect(dollarsShort(297_202)).toBe('$2,972');
    expect(dollarsShort(1_500_000_000)).toBe('$15.0M');
    expect(dollarsShort(99)).toBe('$0.99');
    // Beside a figure in thousands, in thousands too ($6.43k, not $6,427); below $10,000 as dollarsShort.
    expect(dollarsLike(642_700, 1_140_000)).toBe('$6.43k');
    expect(dollarsLike(-73_467, 1_140_000)).toBe('−$0.73k');
    expect(dollarsLike(642_700, 800_000)).toBe('$6,427');
    expect(dollarsLike(25_000_000_000, 150_000_000_000)).toBe('$0.25B');
  });

  it('formats shares, basis points and milli-cents with no-break spaces', () => {
    expect(percent(0.0385, 2)).toBe(`3.85${NB}%`);
    expect(percent(-0.123)).toBe(`−12.3${NB}%`);
    expect(signedPercent(-0.042)).toBe(`−4.2${NB}%`);
    expect(signedPercent(0.23)).toBe(`+23.0${NB}%`);
    expect(bpPercent(3000)).toBe(`30${NB}%`);
    expect(bpPercent(290)).toBe(`2.9${NB}%`);
    expect(milliCents(500)).toBe(`0.5${NB}¢`);
    expect(count(1_234_567)).toBe('1,234,567');
    expect(count(410_710.94)).toBe('410,710.9');
    // A mean's trailing zero stays, so the two ends of a CI read with the same precision.
    expect(count(1553.04)).toBe('1,553.0');
    expect(count(1553)).toBe('1,553');
  });

  it('knows every KPI’s unit and label', () => {
    const units = Object.fromEntries(KPI_NAMES.map((k) => [k, kpiUnit(k)]));
    expect(units.grossBookingsCents).toBe('cents');
    expect(units.arppuCents).toBe('cents');
    expect(units.payerConversion).toBe('share');
    expect(units.creatorEarningsGini).toBe('share');
    expect(units.topPayerShare1Pct).toBe('share');
    expect(units.giftsSent).toBe('count');
    for (const k of KPI_NAMES) expect(kpiLabel(k), k).not.toBe(k);
  });

  it('writes KPI values and differences in their units (share differences in points)', () => {
    expect(kpiValue('platformMarginCents', 1_205_600)).toBe('$12,056');
    expect(kpiValue('creatorEarningsGini', 0.90012)).toBe('0.900');
    expect(kpiValue('payerConversion', 0.0385)).toBe(`3.85${NB}%`);
    expect(kpiDelta('payerConversion', 0.0009)).toBe(`+0.09${NB}pp`);
    expect(kpiDelta('creatorEarningsCents', -9463)).toBe('−$94.63');
    expect(kpiDelta('giftsSent', 1200)).toBe('+1,200');
    expect(kpiDelta('viewers', 0)).toBe('0');
    expect(kpiDelta('creatorEarningsGini', -0.00012)).toBe('−0.00012');
    expect(kpiDelta('creatorEarningsGini', -0.000004)).toBe('−0.000004');
    expect(kpiDelta('creatorEarningsGini', 0.00031)).toBe('+0.00031');
    expect(kpiDelta('creatorEarningsGini', 4e-7)).toBe('+4e-7');
    expect(kpiDelta('creatorEarningsGini', 0.0123)).toBe('+0.012');
  });

  it('a KPI label inside a sentence keeps its acronyms and day numbers', () => {
    expect(kpiLabelInText('payerConversionD30')).toBe('payer conversion D30');
    expect(kpiLabelInText('ltvD30Cents')).toBe('LTV D30');
    expect(kpiLabelInText('arppuPerDayCents')).toBe('ARPPU per day');
    expect(kpiLabelInText('grossBookingsCents')).toBe('gross bookings');
  });

  it('a rate below 10 keeps three significant digits, so two close rates and their difference read apart', () => {
    // creator-share-60 against the baseline (20,000 viewers, 6 replications): 2.26 and 2.32 gifts per
    // payer per day read 2.3 and 2.3 with a difference of +0.1 and a CI of +0 … +0.1.
    expect(kpiValue('giftsPerPayerPerDay', 2.2611)).toBe('2.26');
    expect(kpiValue('giftsPerPayerPerDay', 2.3154)).toBe('2.32');
    expect(kpiDelta('giftsPerPayerPerDay', 0.0543)).toBe('+0.054');
    expect(kpiDelta('giftsPerPayerPerDay', 0.0042)).toBe('+0.0042');
    expect(kpiValue('giftsPerPayerPerDay', 3)).toBe('3');
    // 2.30 next to 2.22 (the ends of one CI) kept its zero.
    expect(kpiValue('giftsPerPayerPerDay', 2.2999)).toBe('2.30');
    expect(kpiDelta('giftsPerPayerPerDay', -0.1)).toBe('−0.100');
    // Below 1, three decimals: launch-90d's 95 % CI of 0.2406 – 0.2459 read 0.24 – 0.24.
    expect(kpiValue('giftsPerPayerPerDay', 0.2406)).toBe('0.241');
    expect(kpiValue('giftsPerPayerPerDay', 0.2459)).toBe('0.246');
    expect(kpiValue('coinsPerGift', 176.63)).toBe('176.6');
    // Counts of things keep one decimal: a mean of 444.2 payers, a difference of 7.7.
    expect(kpiDelta('payers', 7.667)).toBe('+7.7');
  });
});
