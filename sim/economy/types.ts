/**
 * The economy's resolved, integer form — its one wire format. Scenario files speak in fractions and
 * dollars; the loader turns them into this, and every consumer (simulation, reference API, audit,
 * replay, operation logs) reads only this. The shape below is the single description: the types, the
 * programmer-error assertion, the canonical form a target's database remembers, the JSON schema of
 * `GET /v1/economy` and the reader of an economy from untrusted JSON all come from it.
 */
import { assert } from '../../common/assert.ts';
import { InputError } from '../../common/input-error.ts';
import { BP, limits } from '../../common/limits.ts';
import {
  canonical,
  type DeepReadonly,
  type Infer,
  int,
  jsonSchema,
  list,
  object,
  shapeProblem,
  string,
} from '../../common/shape.ts';

export type Unit = 'COIN' | 'DIAMOND' | 'USD';
export const UNITS: readonly Unit[] = ['COIN', 'DIAMOND', 'USD'];

/** Ids of channels, packs and gifts: what scenario files may name them. */
export const ECONOMY_ID = /^[a-z0-9][a-z0-9_-]*$/;
export const ECONOMY_ID_SHAPE = string(
  1,
  limits.economyIdCharsMax,
  ECONOMY_ID,
  'lowercase letters, digits, "-" or "_"',
);
const id = ECONOMY_ID_SHAPE;
const bp = (doc: string) => int(0, BP, doc);
const count = (doc?: string) => int(0, Number.MAX_SAFE_INTEGER, doc);

export const ECONOMY_SHAPE = object({
  channels: list(
    object({
      id,
      storeFeeBp: bp("the app store's cut of the gross, in basis points (3000 = 30 %); 0 on the web"),
      paymentFeeBp: bp("the card processor's percentage, in basis points"),
      paymentFeeFixedCents: int(0, limits.paymentFeeFixedCentsMax, 'fixed processor fee per purchase'),
      packs: list(
        object({
          id,
          coins: int(1, limits.packCoinsMax),
          priceCents: int(1, limits.packPriceCentsMax, 'price in US cents'),
        }),
        1,
        limits.packsPerChannelMax,
        { uniqueBy: 'id' },
      ),
    }),
    1,
    limits.channelsMax,
    { uniqueBy: 'id' },
  ),
  gifts: list(object({ id, coins: int(1, limits.giftCoinsMax) }), 1, limits.giftsMax, { uniqueBy: 'id' }),
  creatorShareBp: bp(
    "share of a gift's coins that becomes diamonds, in basis points (5000 = 2 coins make 1)",
  ),
  diamondValueMilliCents: int(
    1,
    limits.diamondValueMilliCentsMax,
    'cash value of one diamond in milli-cents (500 = $0.005)',
  ),
  withdrawal: object({
    minDiamonds: count('the fewest diamonds one withdrawal may cash out'),
    feeBp: bp('withdrawal fee, in basis points of the cash value'),
    feeFixedCents: count('fixed withdrawal fee'),
  }),
});

export type Economy = DeepReadonly<Infer<typeof ECONOMY_SHAPE>>;
export type Channel = Economy['channels'][number];
export type Pack = Channel['packs'][number];
export type Gift = Economy['gifts'][number];
export type WithdrawalRules = Economy['withdrawal'];

/**
 * Asserts that a resolved economy is internally sound. The scenario loader reports user mistakes with
 * field names; this catches programmer mistakes (an economy built by hand in code or a test).
 */
export function assertEconomy(economy: Economy): void {
  const problem = shapeProblem(ECONOMY_SHAPE, economy);
  assert(
    problem === undefined,
    `economy ${problem?.field}: expected ${problem?.expected}, found ${problem?.found}`,
  );
}

/** The economy's fields only, in a fixed order (scenario files may carry names and weights). */
export function canonicalEconomy(economy: Economy): Economy {
  return canonical(ECONOMY_SHAPE, economy) as Economy;
}

/** An economy from untrusted JSON (a target's answer, an operation log's header), in canonical form. */
export function economyFrom(value: unknown, field: string, line?: number): Economy {
  const problem = shapeProblem(ECONOMY_SHAPE, value);
  if (problem !== undefined) {
    throw new InputError({
      field: `${field} ${problem.field}`,
      expected: problem.expected,
      found: problem.found,
      ...(line === undefined ? {} : { line }),
    });
  }
  return canonicalEconomy(value as Economy);
}

/** The JSON schema of an economy (the target's `GET /v1/economy`, its OpenAPI document). */
export const ECONOMY_JSON_SCHEMA = jsonSchema(ECONOMY_SHAPE);
