/** Parsers for flag values: each names the flag, what it expected and what it found. */
import { InputError, shown } from '../common/input-error.ts';
import { limits, loadLimits } from '../common/limits.ts';

export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function intFlag(flag: string, min: number, max: number): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InputError({
        field: flag,
        expected: `an integer from ${min} to ${max}`,
        found: shown(value),
      });
    }
    return n;
  };
}

/**
 * Flags several commands take, each parsed alike wherever it appears (its help says what the command
 * does with it): the seed, worker threads, replications of a run, sweep or calibration, and of a plan.
 */
export const seedFlag = intFlag('--seed', 0, limits.seedMax);
export const workersFlag = intFlag('--workers', 1, limits.workersMax);
export const replicationsFlag = intFlag('--replications', 1, limits.replicationsMax);
export const planReplicationsFlag = intFlag('--replications', 1, loadLimits.planReplicationsMax);

/** `200`, `200/s` or `12.5/s`: `what` per second (`--rate`). */
export function parseRate(text: string, what: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:\/s)?\s*$/.exec(text);
  const rate = m === null ? Number.NaN : Number(m[1]);
  if (!(rate > 0) || rate > loadLimits.ratePerSecondMax) {
    throw new InputError({
      field: '--rate',
      expected: `${what} per second above 0 and at most ${loadLimits.ratePerSecondMax.toLocaleString('en-US')}, e.g. 200 or 200/s`,
      found: shown(text),
    });
  }
  return rate;
}

/** `95%` or `0.95`: a share in (0, 1]; `expected` says what the share means for this flag. */
export function parseShare(
  flag: string,
  text: string,
  expected = 'a share above 0 and at most 1, like 95% or 0.95',
): number {
  const t = text.trim();
  const share = t.endsWith('%') ? Number(t.slice(0, -1)) / 100 : Number(t);
  if (t === '' || t === '%' || !(share > 0 && share <= 1)) {
    throw new InputError({ field: flag, expected, found: shown(text) });
  }
  return share;
}

/** A share as a terminal line writes it: 0.05 → `5 %`, 0.123456 → `12.3456 %`. */
export function percentText(share: number): string {
  return `${Number((share * 100).toFixed(4))} %`;
}

/** A relative half-width for `--precision`: a share of the mean, 0.05 or 5% = ±5 %. */
export function precisionFlag(flag: string): (value: string) => number {
  return (value: string) =>
    parseShare(
      flag,
      value,
      'a relative half-width above 0 and at most 1, like 0.05 or 5% (±5 % of the mean)',
    );
}
