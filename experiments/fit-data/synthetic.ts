/**
 * A synthetic event export drawn from a scenario's parameters — the data `fit-data`'s estimators assume,
 * so that fitting it must give those parameters back within their standard errors (the shipped
 * example, examples/fit-data/, and its test). It is not the agent simulation: each of `viewers` viewers
 * is a payer with probability viewers.payerShare; a payer draws its budget (viewers.budget, as the model
 * does) and its channel (viewers.channels over the priced channels) once, and every day
 *
 * - buys packs of its channel, greedily the dearest whose list price fits what is left of the day's
 *   budget (the cheapest if none fits), paying the list prices scaled so that they sum to the budget to
 *   the cent (a payer's own price level: regional prices, promotions) — its daily spend is its budget;
 * - sends Poisson(giftsPerHour × sessionsPerDay × sessionMinutes/60 × liveShare) gifts, each picked by
 *   the gifts' weights, to one of `creators` creators picked uniformly;
 * - every row's time of day is drawn from viewers.diurnal (rate ∝ 1 + amplitude cos(2π(h − peak)/24)).
 *
 * Rows come sorted by time; times are UTC from `start`. Deterministic for a seed.
 */
import { assert } from '../../common/assert.ts';
import { DAY_SECONDS, limits } from '../../common/limits.ts';
import type { Scenario } from '../../scenarios/schema/scenario.ts';
import { drawBudgetCents } from '../../sim/model/budget.ts';
import { createStreams, pickCumulative, type Rng } from '../../sim/random/index.ts';
import { EXPORT_COLUMNS } from './export-format.ts';

export interface SyntheticOptions {
  viewers: number;
  days: number;
  seed: number;
  creators: number;
  /** Unix seconds of the first day's midnight (UTC). */
  start: number;
}

/** Where the example's days begin: a Monday, 2026-03-02T00:00:00Z. */
export const SYNTHETIC_START = Date.UTC(2026, 2, 2) / 1000;

interface Row {
  time: number;
  cells: Record<string, string | number>;
}

/** The export as CSV text (header and rows, LF line ends). */
export function syntheticExport(scenario: Scenario, options: SyntheticOptions): string {
  assert(
    options.viewers >= 1 && options.days >= 1 && options.creators >= 1,
    'a synthetic export needs viewers, days and creators',
  );
  const rng = createStreams(options.seed, 0);
  const v = scenario.viewers;
  const priced = Object.keys(scenario.pricing.channels).filter((c) => (v.channels[c] ?? 0) > 0);
  const channelCum = cumulative(priced.map((c) => v.channels[c]));
  const giftCum = cumulative(scenario.gifts.map((g) => g.weight));
  const giftsPerDay = v.giftsPerHour * v.sessionsPerDay * (v.sessionMinutes / 60) * v.liveShare;
  assert(
    giftsPerDay <= limits.syntheticGiftsPerDayMax,
    `at most ${limits.syntheticGiftsPerDayMax} gifts a payer a day in a synthetic export`,
  );
  const width = String(options.viewers).length;
  const rows: Row[] = [];
  const at = (day: number) => options.start + day * DAY_SECONDS + timeOfDay(rng.streams, v.diurnal);
  for (let i = 1; i <= options.viewers; i++) {
    if (rng.population() >= v.payerShare) continue;
    const viewer = `v${String(i).padStart(width, '0')}`;
    const budget = drawBudgetCents(rng.population, v.budget);
    const channel = priced[pickCumulative(rng.population, channelCum, priced.length)];
    const packs = [...scenario.pricing.channels[channel].packs].sort((a, b) => b.priceCents - a.priceCents);
    for (let day = 0; day < options.days; day++) {
      for (const [pack, price] of dayPurchases(packs, budget)) {
        rows.push({ time: at(day), cells: { viewer, kind: 'purchase', channel, pack, price } });
      }
      const gifts = poisson(rng.gifts, giftsPerDay);
      for (let k = 0; k < gifts; k++) {
        const g = scenario.gifts[pickCumulative(rng.gifts, giftCum, scenario.gifts.length)];
        const creator = `c${1 + Math.floor(rng.gifts() * options.creators)}`;
        rows.push({ time: at(day), cells: { viewer, kind: 'gift', gift: g.id, coins: g.coins, creator } });
      }
    }
  }
  rows.sort((a, b) => a.time - b.time);
  const header = EXPORT_COLUMNS.map((c) => c.name);
  const lines = rows.map((r) =>
    header.map((h) => (h === 'time' ? isoSeconds(r.time) : String(r.cells[h] ?? ''))).join(','),
  );
  return `${[header.join(','), ...lines].join('\n')}\n`;
}

/**
 * One day's purchases for a budget: the dearest pack that fits what is left, again and again (the
 * cheapest if none fits), then the list prices scaled to sum to the budget exactly (largest remainders
 * get the spare cents). Pairs of pack id and price paid.
 */
export function dayPurchases(
  packsDearestFirst: readonly { id: string; priceCents: number }[],
  budgetCents: number,
): [string, number][] {
  const bought: { id: string; priceCents: number }[] = [];
  let left = budgetCents;
  for (const p of packsDearestFirst) {
    while (p.priceCents > 0 && p.priceCents <= left) {
      bought.push(p);
      left -= p.priceCents;
    }
  }
  if (bought.length === 0) bought.push(packsDearestFirst[packsDearestFirst.length - 1]);
  const list = bought.reduce((s, p) => s + p.priceCents, 0);
  const exact = bought.map((p) => (p.priceCents * budgetCents) / list);
  const paid = exact.map(Math.floor);
  let spare = budgetCents - paid.reduce((s, c) => s + c, 0);
  const order = exact.map((e, k) => ({ k, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.k - b.k);
  for (const { k } of order) {
    if (spare === 0) break;
    paid[k]++;
    spare--;
  }
  return bought.map((p, k) => [p.id, paid[k]]);
}

/** A second of the day from rate ∝ 1 + amplitude cos(2π(t − peak)/day), by rejection. */
function timeOfDay(streams: Rng, shape: { peakHour: number; amplitude: number }): number {
  for (;;) {
    const t = Math.floor(streams() * DAY_SECONDS);
    const rate = 1 + shape.amplitude * Math.cos((2 * Math.PI * (t - shape.peakHour * 3600)) / DAY_SECONDS);
    if (streams() * (1 + shape.amplitude) < rate) return t;
  }
}

/** Poisson by counting uniforms until their product drops below e^−mean (means of a few here). */
function poisson(rng: Rng, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = rng(); p > limit; p *= rng()) k++;
  return k;
}

function cumulative(weights: readonly number[]): Float64Array {
  const cum = new Float64Array(weights.length);
  let s = 0;
  weights.forEach((w, i) => {
    s += w;
    cum[i] = s;
  });
  return cum;
}

function isoSeconds(t: number): string {
  return new Date(t * 1000).toISOString().replace('.000Z', 'Z');
}
