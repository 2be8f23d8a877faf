/**
 * Days, cohorts and lifetimes: viewers who arrive during the run and leave it for good, payers' lives,
 * creators who join and leave. All off by default (nobody arrives, nobody leaves: the model before
 * lifecycles, for the same seed).
 */
import { z } from 'zod';
import { DAY_SECONDS, limits } from '../../common/limits.ts';
import { duration } from './common.ts';

const survivalPoint = z.strictObject({
  day: z.number().positive().max(limits.durationDaysMax).describe('age in days since arrival'),
  share: z.number().gt(0).max(1).describe('share of a cohort still a viewer at that age'),
});

const days = (doc: string) => z.number().min(0).max(10_000).default(0).describe(doc);

export const payerLifeSchema = z
  .strictObject({
    firstPurchaseDays: days(
      "mean delay from a payer's arrival to its first chance to buy (exponential): first purchases spread over a viewer's life; 0 = in its first session. Viewers present at the start have converted already",
    ),
    payingDays: days(
      'mean time a payer keeps paying (exponential), after which it buys and gifts no more (its coins stay unspent): whales are not immortal; 0 = for ever',
    ),
    tenureGrowth: z
      .number()
      .min(-0.99)
      .max(10)
      .default(0)
      .describe(
        "a payer's budget a day × (1 + this) per 30 days of paying (0.1 = +10 % a month, -0.2 = fading); 0 = constant",
      ),
  })
  .describe(
    "payers' lives: when they start paying, how long they pay, how their spending changes (all off by default)",
  );

export const creatorLifeSchema = z
  .strictObject({
    joinsPerDay: z
      .number()
      .min(0)
      .max(Math.floor(limits.creatorsMax / limits.durationDaysMax))
      .default(0)
      .describe(
        'new creators a day, spread over the day as creators.diurnal: each goes live for its first stream as it joins. Exactly round(joinsPerDay × days) join in a run (the slots after population.creators, dealt to markets as the others are; popularity drawn from the Zipf weights of the creators present at the start); 0 = nobody joins',
      ),
    careerDays: days(
      "mean time a creator keeps streaming (exponential), after which it leaves for good: it streams no more, its videos go with it, its diamonds stay in the ledger unwithdrawn. Creators present at the start have a steady state's time left (the same exponential); 0 = for ever",
    ),
  })
  .describe("creators' careers: who joins during the run and when creators leave (off by default)");

/** How many creators join in a run of `durationSeconds` (a fixed count: creator slots are sized before the run). */
export function creatorJoins(joinsPerDay: number, durationSeconds: number): number {
  return Math.round((joinsPerDay * durationSeconds) / DAY_SECONDS);
}

export const lifecycleSchema = z.strictObject({
  arrivalsPerDay: z
    .number()
    .min(0)
    .max(limits.viewersMax / limits.durationDaysMax)
    .default(0)
    .describe(
      'new viewers a day (install and first session at once), spread over the day as viewers.diurnal; 0 = nobody arrives',
    ),
  survival: z
    .array(survivalPoint)
    .max(32)
    .default([])
    .describe(
      "share of a cohort still a viewer by age (S(0) = 1; ln S linear between points, the last stretch's rate going on after the last point): churned viewers leave for good; empty = nobody leaves. Viewers present at the start have the ages of a steady state",
    )
    .refine((ps) => ps.every((p, i) => i === 0 || p.day > ps[i - 1].day), 'points in increasing day order')
    .refine(
      (ps) => ps.every((p, i) => i === 0 || p.share <= ps[i - 1].share),
      'shares that never rise with age',
    ),
  payers: payerLifeSchema.prefault({}),
  creators: creatorLifeSchema.prefault({}),
});

export const acquisitionBurstSchema = z.strictObject({
  kind: z.literal('acquisition-burst'),
  at: duration.describe('when the burst starts, from the start of the run'),
  for: duration.describe('how long it lasts'),
  viewers: z
    .number()
    .int()
    .min(1)
    .max(limits.viewersMax)
    .describe('new viewers it brings on top of lifecycle.arrivalsPerDay, arriving at random over the burst'),
});

export type LifecycleSpec = z.output<typeof lifecycleSchema>;
