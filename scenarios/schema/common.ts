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

/** Seconds, or a string like `90m`, `6h`, `1d`, `1d12h`. */
export const duration = z
  .union([z.number().int().positive(), z.string().regex(DURATION_TEXT, 'a duration like 90m, 6h or 1d')])
  .transform((v) => (typeof v === 'number' ? v : parseDuration(v)))
  .describe('seconds, or a duration such as "90m", "6h", "1d"');

export function parseDuration(text: string): number {
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)([smhd])/g)) total += Number(m[1]) * UNIT_SECONDS[m[2]];
  return Math.round(total);
}
