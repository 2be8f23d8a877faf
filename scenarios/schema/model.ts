/**
 * The behavioural part of a scenario: who watches, who pays, how much, when, and how stream size
 * changes the urge to gift. Every knob an analyst may want to vary is a field with a stated default;
 * sim/model reads only the parsed form of this schema.
 */
import { z } from 'zod';
import { limits, modelLimits } from '../../common/limits.ts';
import { CURVE_SCALES } from '../../sim/model/audience-curve.ts';
import { duration, fraction, id } from './common.ts';

const budgetSchema = z.strictObject({
  distribution: z
    .enum(['pareto', 'lognormal', 'fixed'])
    .default('pareto')
    .describe("how payers' budgets per day spread; fixed gives every payer minCents"),
  minCents: z
    .number()
    .int()
    .min(1)
    .max(modelLimits.budgetCentsMax)
    .default(99)
    .describe("a payer's smallest budget, in cents a day (pareto scale, lognormal floor)"),
  paretoAlpha: z
    .number()
    .gt(1)
    .max(5)
    .default(1.2)
    .describe('Pareto tail index; closer to 1 = heavier tail (whales)'),
  medianCents: z
    .number()
    .int()
    .min(1)
    .max(modelLimits.budgetCentsMax)
    .default(500)
    .describe('median budget of the lognormal, in cents a day'),
  lognormalSigma: z.number().positive().max(5).default(1.5),
  capCents: z
    .number()
    .int()
    .min(1)
    .max(modelLimits.budgetCentsMax)
    .default(1_000_000)
    .describe('no payer budgets more than this, in cents a day'),
});

const diurnalSchema = z.strictObject({
  peakHour: z.number().min(0).lt(24).default(20),
  amplitude: z.number().min(0).max(1).default(0.6).describe('0 = flat day; 1 = nothing at the trough'),
});

export const viewersSchema = z.strictObject({
  payerShare: fraction.default(0.04).describe('share of viewers who will buy coins at all'),
  budget: budgetSchema
    .prefault({})
    .describe(
      "each payer's budget, in cents a day: it accrues into a wallet holding at most a day's budget (or the channel's cheapest pack, if dearer), spent as the payer gifts; the run opens with wallets as the days before it left them",
    ),
  channels: z
    .record(id, z.number().min(0))
    .default({ app: 0.85, web: 0.15 })
    .describe('share of payers preferring each purchase channel (normalised)'),
  webSwitch: z
    .strictObject({
      priceGap: fraction
        .default(0.2)
        .describe("the cheapest channel's smallest pack must be at least this much cheaper per coin"),
      probability: fraction.default(0.25).describe('share of the other payers who then buy there instead'),
    })
    .prefault({})
    .describe(
      'the previous channel choice, a one-off switch to the cheapest channel; demand.channelChoice, when present, replaces it',
    ),
  sessionsPerDay: z
    .number()
    .min(0)
    .max(100)
    .default(1.2)
    .describe('watching sessions a viewer starts a day; it watches sessionsPerDay × sessionMinutes a day'),
  sessionMinutes: z
    .number()
    .positive()
    .max(24 * 60)
    .default(25)
    .describe('mean watching session length (exponential)'),
  diurnal: diurnalSchema.prefault({ peakHour: 21, amplitude: 0.5 }).describe('when viewers watch'),
  liveShare: fraction
    .default(0.8)
    .describe('share of sessions spent in live streams; the rest browse videos'),
  giftsPerHour: z
    .number()
    .min(0)
    .max(3600)
    .default(0.8)
    .describe("a payer's base rate of gifts while watching a live stream"),
  motives: z
    .strictObject({
      support: z.number().min(0).default(0.5),
      interaction: z.number().min(0).default(0.3),
      visibility: z.number().min(0).default(0.2),
    })
    .prefault({})
    .refine((m) => m.support + m.interaction + m.visibility > 0, 'at least one motive above 0')
    .describe('mix of gifting motives (normalised)'),
  budgetPacing: z
    .number()
    .min(0)
    .max(4)
    .default(1)
    .describe(
      'how closely payers size gifts to their budget ÷ the gifts they expect to send: 0 = by popularity alone',
    ),
  bigGiftTilt: z
    .number()
    .min(0)
    .max(2)
    .default(0.5)
    .describe('visibility-motivated payers weight each gift by its coins^tilt: they pick bigger gifts'),
  shoutout: z
    .strictObject({
      probability: fraction.default(0.4).describe('chance a creator answers a gift with a shout-out'),
      boost: z
        .number()
        .min(1)
        .max(10)
        .default(1.8)
        .describe("multiplies an interaction-motivated viewer's next-gift rate"),
    })
    .prefault({}),
});

export const creatorsSchema = z.strictObject({
  streamsPerDay: z.number().min(0).max(24).default(1),
  streamMinutes: z
    .number()
    .positive()
    .max(24 * 60)
    .default(120)
    .describe('mean stream length (uniform between half and one and a half times this)'),
  diurnal: diurnalSchema.prefault({}).describe('when creators go live'),
  videoGiftRate: fraction
    .default(0.1)
    .describe('gift rate on videos (outside live streams) relative to live streams'),
  withdrawAtDiamonds: z
    .number()
    .int()
    .min(1)
    .default(10_000)
    .describe('creators withdraw once their balance reaches this many diamonds (this or more)'),
  earningsResponse: z
    .strictObject({
      elasticity: z
        .number()
        .min(0)
        .max(5)
        .default(0)
        .describe(
          'elasticity of streams a day with respect to what a gifted coin earns a creator (creatorShare × diamondValueCents) relative to the reference: streamsPerDay × (earning / reference)^this. 0 = creators stream as much whatever the split. No published figure for live-stream creators: vary it',
        ),
      reference: z
        .strictObject({
          creatorShare: fraction,
          diamondValueCents: z.number().positive().max(1000),
        })
        .optional()
        .describe('the split streamsPerDay was measured at (needed when the elasticity is above 0)'),
    })
    .prefault({})
    .describe('how much creators stream in response to their cut of a gift'),
});

const curvePoint = z.strictObject({
  audience: z.number().int().min(1),
  multiplier: z.number().min(0).max(modelLimits.audienceMultiplierMax),
});

export const audienceEffectSchema = z
  .strictObject({
    curve: z
      .enum(['flat', 'small-stream-boost', 'inverted-u', 'rising', 'custom'])
      .default('small-stream-boost')
      .describe('how concurrent audience size scales the urge to gift'),
    strength: z
      .number()
      .min(0)
      .max(2)
      .default(0.3)
      .describe('elasticity of the preset curves: multiplier = (audience / peakAudience)^(±strength)'),
    peakAudience: z
      .number()
      .int()
      .min(1)
      .default(200)
      .describe('audience size where the preset curves pass 1 (the top of the inverted-u)'),
    points: z
      .array(curvePoint)
      .max(32)
      .default([])
      .describe('custom curve, piecewise-linear in log10(audience), flat beyond its ends'),
    scale: z
      .enum(CURVE_SCALES)
      .default('peak')
      .describe(
        'peak: the curve as written (it passes 1 at peakAudience, so curves differ in level too); mean: divided by its mean over viewer-hours (estimated from the creators’ popularity, then the run’s own at each interval), so that every curve averages about 1 and switching curves moves gifts between stream sizes, not how many (giftsPerHour is then the rate at an average stream)',
      ),
  })
  .refine((a) => a.curve !== 'custom' || a.points.length >= 2, {
    message: 'at least 2 points for a custom curve',
    path: ['points'],
  })
  .refine((a) => a.points.every((p, i) => i === 0 || p.audience > a.points[i - 1].audience), {
    message: 'points in increasing audience order',
    path: ['points'],
  });

export const eventSchema = z.strictObject({
  kind: z.literal('audience-spike'),
  creatorRank: z.number().int().min(1).default(1).describe('which creator (1 = most popular)'),
  at: duration.describe('when the spike starts, from the start of the run'),
  for: duration.describe('how long it lasts; the creator is live throughout'),
  factor: z
    .number()
    .min(1)
    .max(1000)
    .default(10)
    .describe("multiplies the stream's pull on viewers choosing a stream"),
});

const referencePrice = z
  .strictObject({
    coins: z.number().int().min(1).max(limits.packCoinsMax),
    priceCents: z.number().int().min(1).max(limits.packPriceCentsMax),
  })
  .describe("the channel's entry pack when budgets and the payer share were measured");

const elasticity = z.number().min(-10).max(10);

const packChoiceSchema = z
  .strictObject({
    rule: z
      .enum(['value', 'smallest'])
      .default('value')
      .describe(
        'value: a logit on value for money among the packs the wallet allows; smallest: the smallest pack that covers what the payer lacks (the previous model, no draw)',
      ),
    sharpness: z
      .number()
      .min(0)
      .max(200)
      .default(30)
      .describe('value rule: a pack is chosen with probability ∝ (worth ÷ cost)^this; 0 picks uniformly'),
    heldCoinWorth: fraction
      .default(0.5)
      .describe(
        'value rule: what a coin beyond the coins the payer plans to gift (a day of its budget) is worth to it, relative to one it plans to gift',
      ),
    effortCents: z
      .number()
      .int()
      .min(0)
      .max(limits.packPriceCentsMax)
      .default(50)
      .describe(
        'value rule: the bother of one purchase, in cents added to its price; favours one big pack over several small ones',
      ),
  })
  .describe('how a payer picks the packs it buys when its coins fall short');

const channelChoiceSchema = z
  .strictObject({
    rule: z
      .enum(['logit', 'switch'])
      .default('logit')
      .describe(
        'logit: friction, then a logit on price per coin; switch: the previous one-off switch of viewers.webSwitch (friction and priceSensitivity unused)',
      ),
    friction: fraction
      .default(0.7)
      .describe(
        "share of payers who never leave the channel they prefer (viewers.channels): the app's one-tap purchase, habit, not knowing the web store. No published figure: an assumption to vary",
      ),
    priceSensitivity: z
      .number()
      .min(0)
      .max(50)
      .default(12)
      .describe(
        "β: the other payers choose channel c with probability ∝ its mix share × (list price per coin of the best pack a day's budget buys there)^−β, among their preferred channel and the channels whose cheapest pack fits a day's budget. Coins are the same good everywhere, so those who compare mostly take the cheaper; 0 keeps the mix. Payers see list prices: store and card fees do not enter. No published figure: an assumption to vary",
      ),
  })
  .describe(
    'how payers choose a purchase channel; replaces viewers.webSwitch, which applies only without this block (or with rule: switch)',
  );

export const demandSchema = z
  .strictObject({
    referencePrices: z
      .record(id, referencePrice)
      .describe(
        "per priced channel, the entry pack (fewest coins) at the prices budgets were measured at; demand responds to the entry pack's price per coin relative to it. Changing packs (in a file that extends this one, or with --set) leaves it where it is",
      ),
    conversionElasticity: elasticity
      .default(-2)
      .describe(
        'elasticity of the chance to become a payer with respect to the price per coin: payerShare × (p / p_ref)^this, at most 1. Published: -1 to -4 (Enache, Friberg & Wiklander, IJIO 88, 2023)',
      ),
    intensityElasticity: elasticity
      .default(-1)
      .describe(
        "elasticity of the coins a payer wants a day: (budget / p_ref) × (p / p_ref)^this. -1 keeps a payer's spend in cents whatever coins cost; 0 keeps its coins",
      ),
    packChoice: packChoiceSchema.prefault({}),
    channelChoice: channelChoiceSchema.optional(),
  })
  .describe(
    'how demand responds to prices; without this block it does not (budgets in cents buy what they buy, the payer share is fixed, payers buy the smallest pack that covers what they lack)',
  );
