/**
 * The whole scenario file: identity, seed and time, the model and the economy, and thresholds. This
 * schema fills defaults; `scenario.schema.json` is generated from it for editors.
 */
import { z } from 'zod';
import { InputError } from '../../common/input-error.ts';
import { DAY_SECONDS, limits, modelLimits } from '../../common/limits.ts';
import { PURCHASE_FEES } from '../../sim/economy/rules.ts';
import type { Economy } from '../../sim/economy/types.ts';
import { parseThreshold } from '../thresholds.ts';
import { duration, id } from './common.ts';
import { FEE_FIELDS, giftsSchema, payoutSchema, pricingSchema, toEconomy } from './economy.ts';
import { acquisitionBurstSchema, creatorJoins, lifecycleSchema } from './lifecycle.ts';
import { audienceEffectSchema, creatorsSchema, demandSchema, eventSchema, viewersSchema } from './model.ts';
import { populationSchema } from './population.ts';
import { coinBonusSchema, priceChangeSchema, scenarioTimeline } from './promotions.ts';

export const scenarioSchema = z
  .strictObject({
    $schema: z.string().optional(),
    extends: z
      .string()
      .optional()
      .describe('a scenario file this one overrides (path relative to this file)'),
    name: id.optional().describe('defaults to the file name'),
    description: z.string().max(2000).optional(),
    seed: z.number().int().min(0).max(limits.seedMax).default(1),
    duration: duration.default(DAY_SECONDS).refine((s) => s <= limits.durationSecondsMax, 'at most a year'),
    intervalSeconds: duration.default(3600).describe('width of a row in timeseries.csv'),
    population: populationSchema.prefault({}),
    viewers: viewersSchema.prefault({}),
    creators: creatorsSchema.prefault({}),
    audienceEffect: audienceEffectSchema.prefault({}),
    demand: demandSchema.optional(),
    lifecycle: lifecycleSchema
      .prefault({})
      .describe(
        "viewers who arrive during the run and leave it for good, payers' lives, creators who join and leave (off by default)",
      ),
    events: z
      .array(
        z.discriminatedUnion('kind', [
          eventSchema,
          acquisitionBurstSchema,
          priceChangeSchema,
          coinBonusSchema,
        ]),
      )
      .max(modelLimits.eventsMax)
      .default([]),
    pricing: pricingSchema,
    gifts: giftsSchema,
    payout: payoutSchema.prefault({}),
    thresholds: z
      .array(z.string().superRefine(thresholdExpression))
      .default([])
      .describe("KPI guardrails like 'platformMarginCents>0' or 'payerConversion.ci95[0]>0.01'"),
  })
  .superRefine(crossFieldChecks);

function crossFieldChecks(s: unknown, ctx: z.RefinementCtx): void {
  const spec = s as CrossFields;
  const channels = Object.keys(spec.pricing.channels);
  for (const channel of Object.keys(spec.viewers.channels)) {
    if (!channels.includes(channel)) {
      ctx.addIssue({
        code: 'custom',
        path: ['viewers', 'channels', channel],
        message: `a channel of pricing.channels (${channels.join(', ')})`,
      });
    }
  }
  // The model normalises the mix over the priced channels: it needs something to normalise.
  const mixTotal = channels.reduce((sum, channel) => sum + (spec.viewers.channels[channel] ?? 0), 0);
  if (!(mixTotal > 0)) {
    ctx.addIssue({
      code: 'custom',
      path: ['viewers', 'channels'],
      message: `a share above 0 for at least one channel of pricing.channels (${channels.join(', ')})`,
    });
  }
  if (spec.demand !== undefined) {
    const referenced = Object.keys(spec.demand.referencePrices);
    for (const channel of channels.filter((c) => !referenced.includes(c))) {
      ctx.addIssue({
        code: 'custom',
        path: ['demand', 'referencePrices', channel],
        message: `a reference entry pack for every priced channel (${channels.join(', ')}), e.g. { coins: 70, priceCents: 99 }`,
      });
    }
    for (const channel of referenced.filter((c) => !channels.includes(c))) {
      ctx.addIssue({
        code: 'custom',
        path: ['demand', 'referencePrices', channel],
        message: `a channel of pricing.channels (${channels.join(', ')})`,
      });
    }
  }
  const response = spec.creators.earningsResponse;
  if (response.elasticity > 0 && response.reference === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['creators', 'earningsResponse', 'reference'],
      message:
        'the split streamsPerDay was measured at when the elasticity is above 0, e.g. { creatorShare: 0.5, diamondValueCents: 0.5 }',
    });
  }
  if (spec.creators.withdrawAtDiamonds < spec.payout.withdrawal.minDiamonds) {
    ctx.addIssue({
      code: 'custom',
      path: ['creators', 'withdrawAtDiamonds'],
      message: `at least payout.withdrawal.minDiamonds (${spec.payout.withdrawal.minDiamonds})`,
    });
  }
  // An event happens in every market, to the creator of its rank there.
  const { creators, markets } = spec.population;
  const perMarket = Math.floor(creators / markets);
  spec.events.forEach((e, i) => {
    if (e.kind === 'audience-spike' && e.creatorRank > perMarket) {
      ctx.addIssue({
        code: 'custom',
        path: ['events', i, 'creatorRank'],
        message:
          markets === 1
            ? `at most population.creators (${creators})`
            : `at most the creators of a market (${perMarket}: ${creators} creators in ${markets} markets)`,
      });
    }
  });
  const spikes = spec.events.filter((e) => e.kind === 'audience-spike').length;
  if (spikes * markets > modelLimits.spikesMax) {
    ctx.addIssue({
      code: 'custom',
      path: ['events'],
      message: `at most ${modelLimits.spikesMax.toLocaleString('en-US')} events × markets (each event happens in each of the ${markets.toLocaleString('en-US')} markets)`,
    });
  }
  spec.events.forEach((e, i) => {
    // Every event that names channels, whatever its kind (a new kind's are checked without a list here).
    if (!('channels' in e) || e.channels === undefined) return;
    // An event at or after the end does not happen: allowed, so that `--set duration=1d` shortens any
    // scenario for a quick look (as audience spikes and bursts are).
    e.channels.forEach((channel: string, j: number) => {
      if (!channels.includes(channel))
        ctx.addIssue({
          code: 'custom',
          path: ['events', i, 'channels', j],
          message: `a channel of pricing.channels (${channels.join(', ')})`,
        });
    });
  });
  promotionLimits(spec, ctx);
  feesWithinPrices(spec, ctx);
  if (spec.viewers.budget.capCents < spec.viewers.budget.minCents)
    ctx.addIssue({
      code: 'custom',
      path: ['viewers', 'budget', 'capCents'],
      message: `at least viewers.budget.minCents (${spec.viewers.budget.minCents} ¢): no budget lies between them`,
    });
  const anyArrive =
    spec.lifecycle.arrivalsPerDay > 0 || spec.events.some((e) => e.kind === 'acquisition-burst');
  const crowdClasses = spec.population.markets * (1 + Math.ceil(spec.duration / 3600));
  if (spec.population.crowd && anyArrive && crowdClasses > limits.crowdClassesMax)
    ctx.addIssue({
      code: 'custom',
      path: ['population', 'nonPayers'],
      message: `agents, or a crowd of at most ${limits.crowdClassesMax.toLocaleString('en-US')} classes (markets × hours of a run with arrivals; this one has ${spec.population.markets.toLocaleString('en-US')} markets × ${(crowdClasses / spec.population.markets).toLocaleString('en-US')} hours = ${crowdClasses.toLocaleString('en-US')}): fewer markets (population.creatorsPerMarket) or a shorter run`,
    });
  if (spec.pricing.firstPurchaseBonus.bonus > 0 && !anyArrive)
    ctx.addIssue({
      code: 'custom',
      path: ['pricing', 'firstPurchaseBonus', 'bonus'],
      message:
        'viewers who arrive during the run to reach (lifecycle.arrivalsPerDay or an acquisition-burst event): viewers present at the start have bought before, so this bonus would change nothing',
    });
  const days = spec.duration / DAY_SECONDS;
  const bursts = spec.events.reduce((n, e) => n + (e.kind === 'acquisition-burst' ? e.viewers : 0), 0);
  const arrivals = spec.lifecycle.arrivalsPerDay * days + bursts;
  // Viewers over the limit on their own are population.viewers' problem, said there.
  if (
    spec.population.viewers <= limits.viewersMax &&
    spec.population.viewers + arrivals > limits.viewersMax
  ) {
    ctx.addIssue({
      code: 'custom',
      path: ['lifecycle', 'arrivalsPerDay'],
      message: `at most ${limits.viewersMax.toLocaleString('en-US')} viewers in all (population.viewers + arrivals over the run)`,
    });
  }
  const joins = creatorJoins(spec.lifecycle.creators.joinsPerDay, spec.duration);
  if (spec.population.creators + joins > limits.creatorsMax) {
    ctx.addIssue({
      code: 'custom',
      path: ['lifecycle', 'creators', 'joinsPerDay'],
      message: `at most ${limits.creatorsMax.toLocaleString('en-US')} creators in all (population.creators ${spec.population.creators.toLocaleString('en-US')} + ${joins.toLocaleString('en-US')} joining over the run)`,
    });
  }
  if (spec.intervalSeconds > spec.duration) {
    ctx.addIssue({
      code: 'custom',
      path: ['intervalSeconds'],
      message: `at most the duration (${spec.duration} s)`,
    });
  }
}

/**
 * A pack's fees (the fee table's rule, sim/economy/rules.ts) at most its price: past it the ledger
 * caps them (a purchase never nets below 0), so what was asked for is not what would be charged.
 */
function feesWithinPrices(spec: CrossFields, ctx: z.RefinementCtx): void {
  // A channel without packs is a problem of its own (the timeline has nothing to offer it).
  if (Object.values(spec.pricing.channels).some((c) => c.packs.length === 0)) return;
  const listed = toEconomy(spec.pricing, spec.gifts, spec.payout).channels;
  // With the variants a price change puts on sale (a cut to 1 % of 99 ¢ is a 1 ¢ pack, fees and all).
  scenarioTimeline(spec, listed).channels.forEach((channel, c) => {
    let variantsSaid = false;
    channel.packs.forEach((pack, i) => {
      const fees = PURCHASE_FEES.map((f) => f.rawCents(channel, pack.priceCents));
      const total = fees.reduce((a, b) => a + b, 0);
      if (total <= pack.priceCents) return;
      const parts = PURCHASE_FEES.map((f, j) => `${f.label} ${fees[j]} ¢`).join(' + ');
      const covers = `a price that covers its fees (${parts} = ${total} ¢ on ${pack.priceCents} ¢`;
      if (i < listed[c].packs.length)
        ctx.addIssue({
          code: 'custom',
          path: ['pricing', 'channels', channel.id, 'packs', i, 'priceCents'],
          message: `${covers}): lower ${feeFieldsText()} of ${channel.id}, or raise the price`,
        });
      else if (!variantsSaid) {
        variantsSaid = true;
        ctx.addIssue({
          code: 'custom',
          path: ['events'],
          message: `price changes whose packs still cover their fees: ${pack.id} on ${channel.id} would cost ${pack.priceCents} ¢ and its fees ${total} ¢ (${parts})`,
        });
      }
    });
  });
}

/** Every fee field of a channel, in the fee table's order: `storeFee, paymentFee or paymentFeeFixedCents`. */
function feeFieldsText(): string {
  const fields = PURCHASE_FEES.flatMap((f) => FEE_FIELDS[f.family]);
  return `${fields.slice(0, -1).join(', ')} or ${fields.at(-1)}`;
}

/** Promotions add packs to their channels (sim/model/timeline.ts): within the economy's limits. */
function promotionLimits(spec: CrossFields, ctx: z.RefinementCtx): void {
  // A channel without packs is already a problem of its own (packs: at least 1 item); the refinement
  // still runs, and the timeline has nothing to offer it.
  if (Object.values(spec.pricing.channels).some((c) => c.packs.length === 0)) return;
  const listed = Object.entries(spec.pricing.channels).map(([channelId, c]) => ({
    id: channelId,
    storeFeeBp: 0,
    paymentFeeBp: 0,
    paymentFeeFixedCents: 0,
    packs: c.packs,
  }));
  const { channels } = scenarioTimeline(spec, listed);
  channels.forEach((c, i) => {
    const added = c.packs.length - listed[i].packs.length;
    if (c.packs.length > limits.packsPerChannelMax)
      ctx.addIssue({
        code: 'custom',
        path: ['events'],
        message: `price changes and bonuses that add at most ${limits.packsPerChannelMax} packs in all to ${c.id} (its ${listed[i].packs.length} packs have ${added} variants)`,
      });
    const long = c.packs.find((p) => p.id.length > limits.economyIdCharsMax);
    if (long !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['pricing', 'channels', c.id, 'packs'],
        message: `pack ids short enough for a promotion's tag (${long.id}: at most ${limits.economyIdCharsMax} characters)`,
      });
  });
}

/**
 * What the cross-field rules read: the parsed scenario itself (zod has filled the defaults before the
 * refinement runs), so a field they name that the schema lacks is a type error, not a rule that never fires.
 */
export type CrossFields = ScenarioSpec;

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type ScenarioSpec = z.output<typeof scenarioSchema>;

/** A validated scenario with its integer economy. */
export interface Scenario extends Omit<ScenarioSpec, 'name' | 'extends' | '$schema'> {
  name: string;
  economy: Economy;
  /**
   * The `--set` overrides the scenario was loaded with, as given (`path=value`), so that outputs say
   * what changed from the file; absent without any.
   */
  overrides?: string[];
}

export function resolveScenario(spec: ScenarioSpec, fallbackName: string): Scenario {
  const { extends: _extends, $schema: _schema, ...rest } = spec;
  const economy = toEconomy(spec.pricing, spec.gifts, spec.payout);
  return {
    ...rest,
    name: spec.name ?? fallbackName,
    // Promotions are packs of the economy, appended after the listed ones (sim/model/timeline.ts).
    economy: { ...economy, channels: scenarioTimeline(spec, economy.channels).channels },
  };
}

/** A threshold in the file is checked by the same parser as `--threshold`, so `validate` catches it. */
function thresholdExpression(text: string, ctx: z.RefinementCtx): void {
  try {
    parseThreshold(text);
  } catch (error) {
    const problem = error instanceof InputError ? error.problems[0] : undefined;
    ctx.addIssue({ code: 'custom', message: problem?.expected ?? 'a threshold expression' });
  }
}
