/**
 * Demand assumptions a result would rest on without saying so, said on stderr before a run, sweep or
 * calibration: elasticities of the wrong sign, and prices that carry the elasticities far from where
 * they were measured, or that move no demand because the entry pack is not the one that costs least.
 *
 * A positive `demand.conversionElasticity` makes more viewers pay as coins get dearer; a positive
 * `demand.intensityElasticity` makes a payer buy more coins the more each costs. Neither matches any
 * published figure, and both turn a price rise into more revenue. They are not refused — an analyst may
 * explore them on purpose — but never accepted silently: each command that runs the model says so,
 * citing the published range, and goes on.
 */
import { atReferencePrices } from '../experiments/reference-prices.ts';
import { modelParams } from '../scenarios/model-params.ts';
import type { Scenario } from '../scenarios/schema/scenario.ts';
import { dollarsExact } from './format.ts';

type Elasticity = 'conversionElasticity' | 'intensityElasticity';

const WHY: Record<Elasticity, string> = {
  conversionElasticity:
    'more viewers would pay as coins get dearer; published own-price elasticities of in-app purchase conversion run from −1 to −4 (Enache, Friberg & Wiklander, IJIO 88, 2023), the baseline uses −2',
  intensityElasticity:
    'a payer would buy more coins the more each costs; no published figure, the baseline uses −1 (a payer’s spend in cents stays put) and 0 keeps its coins',
};

const PATHS: readonly Elasticity[] = ['conversionElasticity', 'intensityElasticity'];

function elasticityOf(scenario: Scenario, key: Elasticity): number | undefined {
  return scenario.demand?.[key];
}

function number(n: number): string {
  return String(n).replace(/^-/, '−');
}

/**
 * Price indices (a channel's entry-pack price per coin over the reference's) outside this range carry a
 * constant elasticity far past the price changes it was estimated from (App Store price adjustments of a
 * few tens of per cent): a price per coin halved already makes p^−2 = 4 times the payers.
 */
export const PRICE_INDEX_RANGE = { lo: 0.5, hi: 2 } as const;

function packText(pack: { id: string; coins: number; priceCents: number }): string {
  return `${pack.id} (${pack.coins.toLocaleString('en-US')} coins for ${dollarsExact(pack.priceCents)})`;
}

/**
 * Per channel, what in its prices an analyst should know before trusting the demand response: a price
 * index outside PRICE_INDEX_RANGE at some time of the run, or an entry pack (fewest coins) that is not
 * the cheapest pack, so that the cheaper one's price moves no demand. Empty without a demand block.
 */
export function priceIndexWarnings(scenario: Scenario): string[] {
  const demand = scenario.demand;
  if (demand === undefined) return [];
  const out: string[] = [];
  const states = modelParams(scenario).market;
  scenario.economy.channels.forEach((channel, i) => {
    const reference = demand.referencePrices[channel.id];
    if (reference === undefined || channel.packs.length === 0) return;
    const indices = states.map((s) => s.priceIndex[i]);
    const far = indices.find((p) => p < PRICE_INDEX_RANGE.lo || p > PRICE_INDEX_RANGE.hi);
    if (far !== undefined) {
      const factor = far ** demand.conversionElasticity;
      out.push(
        `pricing.channels.${channel.id}: a coin costs ${far.toFixed(2)} × the reference price (demand.referencePrices.${channel.id}: ${reference.coins.toLocaleString('en-US')} coins for ${dollarsExact(reference.priceCents)})${states.length > 1 ? ' in part of the run' : ''}, outside ×${PRICE_INDEX_RANGE.lo}–×${PRICE_INDEX_RANGE.hi}: the payer share is multiplied by ${far.toFixed(2)}^${number(demand.conversionElasticity)} = ${factor.toPrecision(3)}${factor > 1 ? ' (at most every viewer pays)' : ''}. A constant elasticity carried this far is an extrapolation, not evidence; vary demand.conversionElasticity and demand.intensityElasticity before acting on it.`,
      );
    }
    // Among the packs on sale together: a price change's variants replace the listed packs from its second.
    for (const state of states) {
      const shelves = state.shelves;
      const entry = shelves.entryLedgerIndex(i);
      let cheapest = entry;
      for (let p = 0; p < shelves.packCount(i); p++) {
        const j = shelves.ledgerIndex(i, p);
        if (channel.packs[j].priceCents < channel.packs[cheapest].priceCents) cheapest = j;
      }
      if (cheapest === entry) continue;
      out.push(
        `pricing.channels.${channel.id}: demand follows the entry pack, the one with the fewest coins — ${packText(channel.packs[entry])} — but ${packText(channel.packs[cheapest])} costs less${states.length > 1 ? ' in part of the run' : ''}: its price per coin moves no demand (sim/model/README.md, "Demand and prices").`,
      );
      break;
    }
  });
  return out;
}

/** One line per elasticity above 0 in the scenario, and per channel priced where demand is an extrapolation. */
export function demandWarnings(scenario: Scenario): string[] {
  const out: string[] = [];
  for (const key of PATHS) {
    const v = elasticityOf(scenario, key);
    if (v !== undefined && v > 0) out.push(`demand.${key} is ${number(v)}, above 0: ${WHY[key]}.`);
  }
  return [...out, ...priceIndexWarnings(scenario)];
}

/** The same over a sweep's points: how many points have an elasticity above 0, and the largest. */
export function sweepDemandWarnings(points: readonly Scenario[]): string[] {
  const out: string[] = [];
  for (const key of PATHS) {
    const above = points
      .map((s) => elasticityOf(s, key))
      .filter((v): v is number => v !== undefined && v > 0);
    if (above.length === 0) continue;
    const where =
      above.length === points.length
        ? `at every point (up to ${number(Math.max(...above))})`
        : `at ${above.length} of ${points.length} points (up to ${number(Math.max(...above))})`;
    out.push(`demand.${key} is above 0 ${where}: ${WHY[key]}.`);
  }
  // Points that price alike warn alike: each distinct pricing is checked once.
  const byPricing = new Map<string, string[]>();
  let first: string | undefined;
  let warned = 0;
  for (const point of points) {
    const key = JSON.stringify([point.economy.channels, point.demand, point.events]);
    let lines = byPricing.get(key);
    if (lines === undefined) {
      lines = priceIndexWarnings(point);
      byPricing.set(key, lines);
    }
    if (lines.length === 0) continue;
    warned++;
    first ??= lines[0];
  }
  if (first !== undefined) {
    const where = warned === points.length ? 'every point' : `${warned} of ${points.length} points`;
    out.push(`prices at ${where} call for care with the demand response; the first: ${first}`);
  }
  return out;
}

/** A calibration's scenario, and any `--fit` box of an elasticity that reaches above 0. */
export function fitDemandWarnings(
  scenario: Scenario,
  axes: readonly { path: string; lo: number; hi: number }[],
): string[] {
  const fitted = new Set(axes.map((a) => a.path));
  const out = demandWarnings(scenario).filter(
    (line) => !PATHS.some((k) => fitted.has(`demand.${k}`) && line.startsWith(`demand.${k} `)),
  );
  for (const key of PATHS) {
    const axis = axes.find((a) => a.path === `demand.${key}`);
    if (axis !== undefined && axis.hi > 0)
      out.push(`--fit demand.${key}=${number(axis.lo)}:${number(axis.hi)} reaches above 0: ${WHY[key]}.`);
  }
  return out;
}

/**
 * A sweep that varies an elasticity only where prices are at the reference measures nothing: a tornado
 * ranked demand.conversionElasticity −4 → −1 last with a swing of $0.00, as if the answer did not rest
 * on it. The points that move the path (a tornado's or Morris's `moved`, else every point) are checked.
 */
export function elasticityWithoutPriceWarnings(
  axes: readonly { path: string }[],
  points: readonly { moved?: number }[],
  scenarios: readonly Scenario[],
  design: string,
): string[] {
  const out: string[] = [];
  const reference = new Map<number, boolean>();
  const at = (i: number) => {
    let v = reference.get(i);
    if (v === undefined) {
      v = atReferencePrices(scenarios[i]);
      reference.set(i, v);
    }
    return v;
  };
  axes.forEach((axis, d) => {
    if (!PATHS.some((k) => axis.path === `demand.${k}`)) return;
    const moving = design === 'tornado' || design === 'morris';
    const ids = points.flatMap((p, i) => (!moving || p.moved === d ? [i] : []));
    if (ids.length === 0 || !ids.every(at)) return;
    out.push(
      `--vary ${axis.path}: every point that moves it sells at the reference prices (each channel's entry pack as demand.referencePrices, price index 1), where an elasticity changes nothing — its effect there is 0 by construction, not a finding. Vary it together with a price (a grid or --sobol with a price path, e.g. a price-change event's factor), or --set prices away from the reference.`,
    );
  });
  return out;
}
