/**
 * Prices that move during a run: timed price changes and coin bonuses (`events:`), and the bonus on a
 * new viewer's first purchase (`pricing.firstPurchaseBonus`). Read here into the model's timeline
 * (sim/model/timeline.ts), which turns them into packs of the economy and stretches of the run.
 */
import { z } from 'zod';
import { limits } from '../../common/limits.ts';
import type { Channel } from '../../sim/economy/types.ts';
import { type MarketEvent, type Timeline, timeline } from '../../sim/model/timeline.ts';
import { duration, id, offset } from './common.ts';
import type { ScenarioSpec } from './scenario.ts';

const channelsField = z
  .array(id)
  .min(1)
  .max(limits.channelsMax)
  .optional()
  .describe('channels of pricing.channels it applies to; every channel when absent');

export const priceChangeSchema = z.strictObject({
  kind: z.literal('price-change'),
  at: offset.describe(
    'when the new prices start, from the start of the run; they hold to its end. 0: from the start, as if they had always been the prices (payers’ wallets open at them); a change later starts the payers it converts with empty wallets',
  ),
  channels: channelsField,
  factor: z
    .number()
    .min(0.01)
    .max(100)
    .describe(
      "multiplies every pack's price (rounded to the cent): 1.2 = 20 % dearer. Several changes multiply; demand responds from that second (demand block)",
    ),
});

export const coinBonusSchema = z.strictObject({
  kind: z.literal('coin-bonus'),
  at: duration.describe('when the promotion starts, from the start of the run'),
  for: duration.describe('how long it lasts'),
  channels: channelsField,
  bonus: z
    .number()
    .gt(0)
    .max(10)
    .describe('extra coins on every pack, as a share of its coins (0.2 = 20 % more, rounded down)'),
});

export const firstPurchaseBonusSchema = z
  .strictObject({
    bonus: z
      .number()
      .min(0)
      .max(10)
      .default(0)
      .describe(
        "extra coins on a new viewer's first pack, as a share of its coins (1 = double coins); 0 = none",
      ),
    conversionWeight: z
      .number()
      .min(0)
      .max(1)
      .default(0)
      .describe(
        "how far a new viewer's decision to pay (demand.conversionElasticity) responds to its first pack's price per coin with the bonus rather than the list price: it sees p_list^(1 − w) × p_bonus^w. 0: the bonus changes what a payer gets, not who pays; 1: as to a lasting price cut. No published figure: vary it",
      ),
  })
  .describe(
    'a bonus on the first purchase of a viewer who arrives during the run (lifecycle); viewers present at the start have bought before or been offered it before',
  );

/**
 * The fields of a scenario this module reads (the schema has validated them): its events are the
 * schema's own union, so a new event kind is a type error in marketEvents until it is placed.
 */
export interface PromotionFields {
  duration: number;
  events: ScenarioSpec['events'];
  pricing: { firstPurchaseBonus: { bonus: number } };
}

/** The scenario's market events on the economy's channels (ids the schema has checked). */
export function marketEvents(spec: PromotionFields, channelIds: readonly string[]): MarketEvent[] {
  const on = (ids: readonly string[] | undefined) =>
    ids === undefined ? channelIds.map((_, i) => i) : ids.map((c) => channelIds.indexOf(c));
  return spec.events.flatMap((e): MarketEvent[] => {
    switch (e.kind) {
      case 'price-change':
        return [{ kind: 'price', atSeconds: e.at, channels: on(e.channels), factor: e.factor }];
      case 'coin-bonus':
        return [
          {
            kind: 'bonus',
            atSeconds: e.at,
            endSeconds: e.at + e.for,
            channels: on(e.channels),
            bonus: e.bonus,
          },
        ];
      // Not market events: audiences and arrivals (the engine's).
      case 'audience-spike':
      case 'acquisition-burst':
        return [];
      default:
        return unplaced(e);
    }
  });
}

/** The run's timeline over the scenario's listed channels. */
export function scenarioTimeline(spec: PromotionFields, channels: readonly Channel[]): Timeline {
  return timeline(
    channels,
    marketEvents(
      spec,
      channels.map((c) => c.id),
    ),
    spec.pricing.firstPurchaseBonus.bonus,
    spec.duration,
  );
}

/** A market event in a few words, for the report: "+20 % coins on web", "prices × 1.2 on app, web". */
export function marketEventLabel(e: MarketEvent, channelIds: readonly string[]): string {
  const on =
    e.channels.length === channelIds.length ? '' : ` on ${e.channels.map((c) => channelIds[c]).join(', ')}`;
  return e.kind === 'price'
    ? `prices × ${Number(e.factor.toFixed(3))}${on}`
    : `+${Number((e.bonus * 100).toFixed(1))} % coins${on}`;
}

/** An event kind marketEvents does not place: a type error where a new kind is added to the schema. */
function unplaced(e: never): never {
  throw new Error(`an event kind marketEvents does not place: ${JSON.stringify(e)}`);
}
