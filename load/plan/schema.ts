/**
 * Validation of a plan read back from a file (`giftlab load plan.json`): the fields of `types.ts`,
 * finite non-negative rates, shares that sum to 1, a timeline that covers the run. A plan that fails is
 * bad input (exit 2) naming the field.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { InputError } from '../../common/input-error.ts';
import { BP, limits } from '../../common/limits.ts';
import { zodProblems } from '../../common/zod-problems.ts';
import { PLAN_VERSION, type Plan } from './types.ts';

const rate = z.number().finite().min(0);
const share = z
  .number()
  .finite()
  .min(0)
  .max(1 + 1e-9);
const count = z.number().finite().min(0);
const id = z.string().min(1).max(limits.economyIdCharsMax);

const rates = z.strictObject({ purchase: rate, gift: rate, withdrawal: rate });

const spenderClass = z.strictObject({
  name: z.enum(['heavy', 'regular', 'light']),
  payerShare: share,
  payers: count,
  spendShare: share,
  giftShare: share,
  purchaseShare: share,
  gifts: z.record(id, share),
  meanCount: z.record(id, z.number().finite().min(1)),
  channels: z.record(id, share),
});

export const planSchema = z
  .strictObject({
    version: z.literal(PLAN_VERSION),
    generator: z.string(),
    scenario: z.strictObject({
      name: z.string().min(1),
      seed: z.number().int().min(0),
      durationSeconds: z.number().int().positive(),
      intervalSeconds: z.number().int().positive(),
      viewers: z.number().int().positive(),
      creators: z.number().int().positive(),
    }),
    replications: z.number().int().positive(),
    totals: z.strictObject({
      purchases: count,
      gifts: count,
      giftUnits: count,
      withdrawals: count,
      coinsPurchased: count,
      coinsGifted: count,
      bookingsCents: count,
      diamondsWithdrawn: count,
    }),
    rates,
    timeline: z.array(rates.extend({ startSeconds: z.number().int().min(0) })).min(1),
    purchases: z
      .array(
        z.strictObject({
          channel: id,
          pack: id,
          coins: z.number().int().positive(),
          priceCents: z.number().int().positive(),
          share,
          perSecond: rate,
        }),
      )
      .min(1),
    gifts: z
      .array(
        z.strictObject({
          gift: id,
          coins: z.number().int().positive(),
          share,
          perSecond: rate,
          meanCount: z.number().finite().min(1),
          streamShare: share,
        }),
      )
      .min(1),
    streamShare: share,
    pools: z.strictObject({ viewers: count, creators: count, payers: count, creatorsGifted: count }),
    spenders: z.strictObject({ classes: z.array(spenderClass).min(1), topShare1Pct: share }),
    hotStreams: z.array(z.strictObject({ rank: z.number().int().min(0), share, perSecond: rate })),
    creators: z
      .array(
        z.strictObject({ fromRank: z.number().int().min(0), toRank: z.number().int().positive(), share }),
      )
      .min(1),
    withdrawal: z.strictObject({
      minDiamonds: z.number().int().min(0),
      atDiamonds: z.number().int().min(0),
      meanDiamonds: count,
      coinsPerDiamond: z.number().int().positive(),
      // Plans written before it was recorded lack it: the workload falls back on coinsPerDiamond.
      creatorShareBp: z.number().int().min(0).max(BP).optional(),
    }),
  })
  .superRefine((p, ctx) => {
    const sums: [string, number[]][] = [
      ['purchases', p.purchases.map((x) => x.share)],
      ['gifts', p.gifts.map((x) => x.share)],
      ['creators', p.creators.map((x) => x.share)],
    ];
    for (const [field, shares] of sums) {
      const total = shares.reduce((a, b) => a + b, 0);
      if (total !== 0 && Math.abs(total - 1) > 1e-6) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `shares that sum to 1 (they sum to ${total})`,
        });
      }
    }
    p.creators.forEach((b, i) => {
      const from = i === 0 ? 0 : p.creators[i - 1].toRank;
      if (b.fromRank !== from || b.toRank <= b.fromRank) {
        ctx.addIssue({ code: 'custom', path: ['creators', i], message: `a bucket from rank ${from} on` });
      }
    });
    const expected = Math.ceil(p.scenario.durationSeconds / p.scenario.intervalSeconds);
    if (p.timeline.length !== expected) {
      ctx.addIssue({
        code: 'custom',
        path: ['timeline'],
        message: `${expected} intervals (one per intervalSeconds)`,
      });
    }
  });

/** Checks a parsed plan; throws InputError naming every field at fault. */
export function validatePlan(value: unknown, source = 'plan'): Plan {
  const parsed = planSchema.safeParse(value);
  if (parsed.success) return parsed.data as Plan;
  throw new InputError(zodProblems(parsed.error.issues.slice(0, 20), value, 'plan'), source);
}

export function readPlanFile(file: string): Plan {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError({
      field: 'plan',
      expected: 'a readable plan file',
      found: `${file}: ${(error as NodeJS.ErrnoException).code}`,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError(
      { field: 'plan', expected: 'JSON (written by giftlab plan)', found: (error as Error).message },
      file,
    );
  }
  return validatePlan(value, file);
}
