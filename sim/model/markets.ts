/**
 * Markets: viewers and creators are dealt to them in turn — member i is in market i mod markets — so
 * that markets differ in size by at most one, and with one market everyone is in it. A viewer picks live
 * streams among the creators of its own market; a platform grows by adding markets (see
 * scenarios/schema/population.ts for why).
 */

/** Members (of `total`, dealt to `markets` in turn) in market g. */
export function membersIn(total: number, markets: number, g: number): number {
  return Math.floor(total / markets) + (g < total % markets ? 1 : 0);
}
