/**
 * Presentation-only formatting: integer cents become dollars here and nowhere else. Everything in
 * sim/ and in the CSV files stays in integer cents, coins or diamonds; the HTML report, `compare` and
 * the printed tables call these functions at the last moment.
 */
import { BP, DAY_SECONDS, MILLI } from '../common/limits.ts';
import { RATIOS } from '../experiments/calibrate/statistics.ts';
import { kpiInfo } from '../sim/kpis.ts';

export const CENTS_PER_DOLLAR = 100;

/** Dollars as a plain number for chart axes: presentation only, never fed back into a sum. */
export function centsToDollars(cents: number): number {
  return cents / CENTS_PER_DOLLAR;
}

/** `$1,234.56`; whole dollars (`$1,235`) once the amount is at least `wholeFrom` dollars. */
export function dollars(cents: number, options: { wholeFrom?: number } = {}): string {
  if (!Number.isFinite(cents)) return '–';
  const value = centsToDollars(cents);
  const whole = Math.abs(value) >= (options.wholeFrom ?? 10_000);
  const text = Math.abs(value).toLocaleString('en-US', {
    minimumFractionDigits: whole ? 0 : 2,
    maximumFractionDigits: whole ? 0 : 2,
  });
  return `${value < 0 ? '−' : ''}$${text}`;
}

/** Cents as dollars to the cent, however large (`$7,078.43`): beside a figure a threshold judged. */
export function dollarsExact(cents: number): string {
  return dollars(cents, { wholeFrom: Number.POSITIVE_INFINITY });
}

/** `$1.2M`, `$840k`, `$2,972`, `$12.50`: short dollar amounts for cards and chart labels. */
export function dollarsShort(cents: number): string {
  if (!Number.isFinite(cents)) return '–';
  const value = centsToDollars(cents);
  const abs = Math.abs(value);
  const sign = value < 0 ? '−' : '';
  if (abs >= 1e9) return `${sign}$${trim(abs / 1e9)}B`;
  if (abs >= 1e6) return `${sign}$${trim(abs / 1e6)}M`;
  if (abs >= 1e4) return `${sign}$${trim(abs / 1e3)}k`;
  if (abs >= 1e3) return `${sign}$${Math.round(abs).toLocaleString('en-US')}`;
  return `${sign}$${abs.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/**
 * Cents in the unit `dollarsShort` gives `reference` (`$6.43k` beside `$11.4k`, not `$6,427`), so that
 * figures read side by side share one format; below $10,000 it is `dollarsShort` itself.
 */
export function dollarsLike(cents: number, reference: number): string {
  if (!Number.isFinite(cents)) return '–';
  const ref = Math.abs(centsToDollars(reference));
  const scale = ref >= 1e9 ? [1e9, 'B'] : ref >= 1e6 ? [1e6, 'M'] : ref >= 1e4 ? [1e3, 'k'] : undefined;
  if (scale === undefined) return dollarsShort(cents);
  const value = centsToDollars(cents);
  const [per, unit] = scale as [number, string];
  return `${value < 0 ? '−' : ''}$${trim(Math.abs(value) / per)}${unit}`;
}

function trim(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

/**
 * A count with thousands separators; fractional counts (means over replications) keep one decimal, a
 * trailing zero included: a CI of 1,553.04 … 18,226.8 read `1,553 – 18,226.8`, one end whole, one not.
 */
export function count(n: number): string {
  if (!Number.isFinite(n)) return '–';
  const digits = Math.abs(n - Math.round(n)) > 1e-9 && Math.abs(n) < 1e6 ? 1 : 0;
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A no-break space: keeps `12 %` and `0.5 ¢` together when text wraps. */
export const NBSP = '\u00a0';

/** A share 0..1 as `12.3 %`. */
export function percent(share: number, digits = 1): string {
  if (!Number.isFinite(share)) return '–';
  return `${(share * 100).toFixed(digits).replace(/^-/, '−')}${NBSP}%`;
}

/** A signed relative change as `+12.3 %` / `−4.0 %`. */
export function signedPercent(share: number, digits = 1): string {
  if (!Number.isFinite(share)) return '–';
  const text = `${Math.abs(share * 100).toFixed(digits)}${NBSP}%`;
  return share > 0 ? `+${text}` : share < 0 ? `−${text}` : text;
}

/** Basis points as a percentage: 3000 → `30 %`, 290 → `2.9 %`. */
export function bpPercent(bp: number): string {
  const value = (bp / BP) * 100;
  return `${Number.isInteger(value) ? value.toFixed(0) : String(Number(value.toFixed(2)))}${NBSP}%`;
}

/** Milli-cents as cents: 500 → `0.5 ¢`. */
export function milliCents(mc: number): string {
  return `${Number((mc / MILLI).toFixed(3))}${NBSP}¢`;
}

/** Cents per coin with enough digits to tell packs apart: `1.414 ¢`. */
export function centsPerCoin(cents: number, coins: number): string {
  if (coins <= 0) return '–';
  return `${(cents / coins).toFixed(3)}${NBSP}¢`;
}

/** An interval as a noun for "per …": `hour`, `day`, `minute`, or `15 min`. */
export function perText(seconds: number): string {
  if (seconds === 3600) return 'hour';
  if (seconds === DAY_SECONDS) return 'day';
  if (seconds === 60) return 'minute';
  return durationText(seconds);
}

/** Seconds as `1 d`, `6 h`, `90 min`, `45 s`. */
export function durationText(seconds: number): string {
  if (seconds % DAY_SECONDS === 0) return `${seconds / DAY_SECONDS} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

export type KpiUnit = 'cents' | 'share' | 'count';

/**
 * How a KPI's value is shown: money, a share 0..1 (a Gini too), or a count (coins, people, events) — from
 * the KPI catalogue, or from the name for a KPI it does not hold (another version's run, say): `…Cents`
 * money, Gini/shares/conversion 0..1.
 */
export function kpiUnit(name: string): KpiUnit {
  const unit = kpiInfo(name)?.unit;
  if (unit !== undefined)
    return unit === 'cents' ? 'cents' : unit === 'share' || unit === 'gini' ? 'share' : 'count';
  if (name.endsWith('Cents')) return 'cents';
  if (/Gini$|Share\d*Pct$|Conversion$|Share$/.test(name)) return 'share';
  return 'count';
}

/** A KPI value in its unit for people: dollars, a percentage, a Gini coefficient or a count. */
export function kpiValue(name: string, value: number): string {
  const unit = kpiUnit(name);
  if (unit === 'cents') return dollars(value);
  if (unit === 'share') return name.endsWith('Gini') ? value.toFixed(3) : percent(value, 2);
  return (RATE.test(name) ? smallCount(value) : undefined) ?? count(value);
}

/** A count KPI that is a rate (gifts per payer per day, coins per gift): its decimals carry the answer. */
const RATE = /Per[A-Z]/;

/**
 * A rate below 10 with three significant digits (two decimals from 1, three below), or two below 0.01:
 * one decimal showed gifts per payer per day of 2.26 and 2.32 both as 2.3, their difference as +0.1 and
 * its 95 % CI as +0 … +0.1; two decimals showed launch-90d's 0.2432 (±1.1 %) with a CI of 0.24 – 0.24.
 * Trailing zeros stay: a CI read `2.22 – 2.3`. Undefined for anything else (count's one decimal).
 */
function smallCount(value: number): string | undefined {
  const abs = Math.abs(value);
  if (!Number.isFinite(value) || abs >= 10 || Number.isInteger(value)) return undefined;
  if (abs < 0.01) return value.toPrecision(2);
  const digits = abs < 1 ? 3 : 2;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/**
 * The same difference as `kpiValue` but signed: `+$12.50`, `−0.012`, `+1,200`; a difference of two
 * shares is in percentage points (`+0.09 pp`), not percent.
 */
export function kpiDelta(name: string, delta: number): string {
  if (!Number.isFinite(delta)) return '–';
  const share = kpiUnit(name) === 'share' && !name.endsWith('Gini');
  const abs = Math.abs(delta);
  const tiny = name.endsWith('Gini') && abs > 0 && abs < 0.0005;
  // Two significant digits without a trailing zero: 0.0000040 reads as more precise than it is.
  const significant = () =>
    abs
      .toPrecision(2)
      .replace(/(\.\d*?)0+(?=e|$)/, '$1')
      .replace(/\.(?=e|$)/, '');
  const text = share ? `${(abs * 100).toFixed(2)}${NBSP}pp` : tiny ? significant() : kpiValue(name, abs);
  return delta > 0 ? `+${text}` : delta < 0 ? `−${text}` : text;
}

/**
 * A KPI's label inside a sentence: its first letter lowercased unless the first word is an acronym, the
 * rest as written — `payer conversion D30`, `ARPPU per day`, `LTV D30` (lowercasing the whole label gave
 * `payer conversion d30`, `arppu per day`, `ltv d30`).
 */
export function kpiLabelInText(name: string): string {
  const label = kpiLabel(name);
  return /^[A-Z][A-Z]/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1);
}

/** A human label for a KPI name; unknown names are shown as they are. */
export function kpiLabel(name: string): string {
  return kpiInfo(name)?.label ?? RATIOS.find((r) => r.name === name)?.label ?? name;
}
