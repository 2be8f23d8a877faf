/** Parsers for flag values: each names the flag, what it expected and what it found. */
import { InputError, shown } from '../common/input-error.ts';

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
