/**
 * "Never" for a time: times are whole seconds from the run's start in typed columns, and a time that
 * never comes is the largest its column holds — one value per column type, here only.
 */

/** In Uint32 columns (arrivals, departures, stream ends, creators' joins and careers). */
export const NEVER = 2 ** 32 - 1;

/** In Int32 columns: payers' lives count from a second that may lie before the run (negative). */
export const NEVER_INT32 = 2 ** 31 - 1;
