/**
 * Execution segments → user, creator and idempotency-key ranges that never collide.
 *
 * k6 splits a distributed test (k6-operator `parallelism: n`, or `--execution-segment`) into segments
 * `from:to` of [0, 1) that tile the unit interval. Instance i owns the ids [⌊from·N⌋, ⌊to·N⌋) of a pool
 * of N: adjacent segments share an end point, so the ranges tile [0, N) without overlap whatever the
 * rounding. Inside an instance, VU slot s of S owns the ids lo+s, lo+s+S, … of that range. Keys are
 * prefixed with the run, the instance's segment start (distinct per instance) and the VU.
 *
 * Exact integer arithmetic throughout; no k6 import, so Node tests run the same code.
 */

export interface Fraction {
  n: number;
  d: number;
}

export interface Segment {
  from: Fraction;
  to: Fraction;
}

export const WHOLE: Segment = { from: { n: 0, d: 1 }, to: { n: 1, d: 1 } };

/** `1/4`, `0.25`, `25%`, `0`, `1` → a reduced fraction in [0, 1]. */
export function parseFraction(text: string): Fraction {
  const t = text.trim();
  let f: Fraction;
  const slash = t.indexOf('/');
  if (slash >= 0) {
    f = { n: wholeNumber(t.slice(0, slash), text), d: wholeNumber(t.slice(slash + 1), text) };
  } else if (t.endsWith('%')) {
    f = decimal(t.slice(0, -1), text);
    f = { n: f.n, d: f.d * 100 };
  } else {
    f = decimal(t, text);
  }
  if (f.d === 0 || f.n > f.d) throw new Error(`execution segment: ${text} is not a fraction in [0, 1]`);
  return reduce(f);
}

/** `from:to` (k6's `executionSegment`); null, undefined or empty is the whole test. */
export function parseSegment(text: string | null | undefined): Segment {
  if (text === null || text === undefined || text.trim() === '') return WHOLE;
  const parts = text.split(':');
  const from = parts.length === 1 ? { n: 0, d: 1 } : parseFraction(parts[0]);
  const to = parseFraction(parts.length === 1 ? parts[0] : parts[1]);
  if (parts.length > 2 || compare(from, to) >= 0) {
    throw new Error(`execution segment: ${text} is not from:to with from < to`);
  }
  return { from, to };
}

/** ⌊f · size⌋, exactly. */
export function scale(f: Fraction, size: number): number {
  const product = f.n * size;
  if (!Number.isSafeInteger(product)) throw new Error('execution segment: range too large');
  return (product - (product % f.d)) / f.d;
}

/** The ids [lo, hi) of a pool of `size` that the instance running `segment` owns. */
export function segmentRange(segment: Segment, size: number): { lo: number; hi: number } {
  return { lo: scale(segment.from, size), hi: scale(segment.to, size) };
}

/** The ids of [lo, hi) that VU slot `slot` (0-based) of `slots` owns: lo+slot, lo+slot+slots, … */
export function stripe(lo: number, hi: number, slot: number, slots: number): number[] {
  if (!(slots >= 1 && slot >= 0 && slot < slots)) throw new Error(`VU slot ${slot} of ${slots}`);
  const out: number[] = [];
  for (let id = lo + slot; id < hi; id += slots) out.push(id);
  return out;
}

/**
 * `run-from_d-vu`: unique per instance (segment starts differ) and VU; callers append a counter.
 * Printable ASCII, so it is a valid Idempotency-Key.
 */
export function keyPrefix(runId: string, segment: Segment, vuInInstance: number): string {
  return `${runId}-${segment.from.n}_${segment.from.d}-${vuInInstance}`;
}

function compare(a: Fraction, b: Fraction): number {
  return a.n * b.d - b.n * a.d;
}

function reduce(f: Fraction): Fraction {
  if (f.n === 0) return { n: 0, d: 1 };
  let a = f.n;
  let b = f.d;
  while (b !== 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return { n: f.n / a, d: f.d / a };
}

function wholeNumber(text: string, whole: string): number {
  const t = text.trim();
  if (!/^[0-9]{1,9}$/.test(t)) throw new Error(`execution segment: ${whole} is not a fraction`);
  return Number(t);
}

function decimal(text: string, whole: string): Fraction {
  const m = /^([0-9]{1,9})(?:\.([0-9]{1,7}))?$/.exec(text.trim());
  if (m === null) throw new Error(`execution segment: ${whole} is not a number`);
  const digits = m[2] ?? '';
  const d = 10 ** digits.length;
  return { n: Number(m[1]) * d + (digits === '' ? 0 : Number(digits)), d };
}
