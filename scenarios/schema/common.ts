/** Shared zod pieces for scenario files: fractions that become basis points, durations, ids. */
import { z } from 'zod';
import { BP, DAY_SECONDS, limits } from '../../common/limits.ts';
import { ECONOMY_ID } from '../../sim/economy/types.ts';

export const id = z
  .string()
  .regex(ECONOMY_ID, 'lowercase letters, digits, "-" or "_"')
  .max(limits.economyIdCharsMax)
  .describe('identifier: lowercase letters, digits, "-" or "_"');

/** A fraction 0..1 given to at most 4 decimals, so that it is a whole number of basis points. */
export const fraction = z
  .number()
  .min(0)
  .max(1)
  .refine((x) => Math.abs(x * BP - Math.round(x * BP)) < 1e-9, 'a multiple of 0.0001 (whole basis points)');

export function toBp(x: number): number {
  return Math.round(x * BP);
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: DAY_SECONDS };

/** A duration written as text: `90m`, `6h`, `1d`, `1d12h`. */
export const DURATION_TEXT = /^(\d+(\.\d+)?[smhd])+$/;

/** Whole seconds of at least `min`, given as a number or as text (`90m`, `6h`, `1d`, `1d12h`). */
function seconds(min: 0 | 1, above: string) {
  return (
    z
      .union([z.number().int().min(min), z.string().regex(DURATION_TEXT, 'a duration like 90m, 6h or 1d')])
      .transform((v) => (typeof v === 'number' ? v : parseDuration(v)))
      // Aborting: checks across fields (an interval within the duration) would only repeat it.
      .refine((s) => s >= min, { message: above, abort: true })
  );
}

/** A length of time: seconds, or a string like `90m`, `6h`, `1d`, `1d12h` — never 0 (`0s` is refused too). */
export const duration = seconds(1, 'a duration of at least 1 s').describe(
  'seconds, or a duration such as "90m", "6h", "1d"',
);

/** A time from the start of the run, as a duration is written: 0 (or `0s`) is the run's first second. */
export const offset = seconds(0, 'a time from the start of the run, 0 or more').describe(
  'seconds from the start of the run, or a duration such as "90m", "6h", "1d"; 0 is its start',
);

export function parseDuration(text: string): number {
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)([smhd])/g)) total += Number(m[1]) * UNIT_SECONDS[m[2]];
  return Math.round(total);
}
