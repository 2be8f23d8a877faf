/**
 * JSON schemas of every body, answer and parameter, registered once with `app.addSchema` and shared by
 * `$ref`. Fastify validates requests and serialises answers with them; `openapi.ts` turns the same
 * objects into the OpenAPI document, so the document cannot drift from what the server does.
 *
 * Schemas use only keywords that JSON Schema draft-07 (Fastify's Ajv) and OpenAPI 3.1 both read.
 */
import { BP, limits, targetLimits } from '../../common/limits.ts';
import { jsonSchema } from '../../common/shape.ts';
import { PURCHASE_FEES } from '../../sim/economy/rules.ts';
import { ECONOMY_ID_SHAPE, ECONOMY_JSON_SCHEMA } from '../../sim/economy/types.ts';
import {
  ENTRY_JSON_SCHEMA,
  POSTING_JSON_SCHEMA,
  STATED_BALANCE_JSON_SCHEMA,
} from '../../sim/ledger/journal.ts';
import { GIFT_CONTEXT_KINDS } from './book.ts';
import { SCOPE_MARK, SYNCHRONOUS_MODES } from './db/store.ts';
import { ERROR_CODES } from './errors.ts';
import { FAULTS } from './faults.ts';

type Schema = Record<string, unknown>;

export const ref = (id: string): Schema => ({ $ref: `${id}#` });

const int = (minimum: number, maximum: number, description?: string): Schema => ({
  type: 'integer',
  minimum,
  maximum,
  ...(description === undefined ? {} : { description }),
});
const money = (description: string): Schema => ({ type: 'integer', description });
const economyId: Schema = jsonSchema(ECONOMY_ID_SHAPE);
const userId = (what: string): Schema => int(0, targetLimits.userIdMax - 1, `the ${what}'s id`);
const object = (properties: Record<string, Schema>, required = Object.keys(properties)): Schema => ({
  type: 'object',
  additionalProperties: false,
  required,
  properties,
});

/**
 * A write's answer, `$id` `id`: the operation, the journal entry it wrote, what the operation reports,
 * and last the balance it left (the viewer's coins or the creator's diamonds).
 */
const answer = (
  id: string,
  kind: string,
  fields: Record<string, Schema>,
  /** The balance the write left, described: `{ coins: … }` (a viewer's) or `{ diamonds: … }` (a creator's). */
  balance: { coins: string } | { diamonds: string },
): Schema => ({
  $id: id,
  ...object({
    opId: { type: 'string' },
    kind: { type: 'string', enum: [kind] },
    seq: int(1, Number.MAX_SAFE_INTEGER, 'the journal entry written'),
    ...fields,
    balance: object(Object.fromEntries(Object.entries(balance).map(([unit, left]) => [unit, money(left)]))),
  }),
});

/** What a purchase and a gift ask for; their answers say it again. */
const PURCHASE_FIELDS = { viewerId: userId('viewer'), channel: economyId, pack: economyId };
const GIFT_FIELDS = {
  viewerId: userId('viewer'),
  creatorId: userId('creator'),
  giftId: economyId,
  count: int(1, limits.giftCountMax),
  context: ref('GiftContext'),
};

/**
 * A page of a paged admin export: its rows under `field`, then the cursor of the next page (`pageQuery`'s
 * `after`). The route that serves it names the same field (PagedExport.rows in plugins/paging.ts).
 */
const page = (field: string, rowSchema: string, cursorType: 'integer' | 'string'): Schema =>
  object({
    [field]: { type: 'array', items: ref(rowSchema) },
    next: {
      type: [cursorType, 'null'],
      description: 'pass as `after` for the next page; null on the last page',
    },
  });

const KEY_PATTERN = '^[\\x21-\\x7e]+$';
const CONTEXT_ID_PATTERN = '^[^\\x00-\\x1f\\x7f-\\x9f]+$';
/**
 * A journal entry's opId: its key, or scoped to the principal that wrote it when another principal's
 * entry had the key (`order-7·viewer:3`; principal names as tokens.ts's principalName writes them).
 */
const OP_ID_PATTERN = `^[\\x21-\\x7e]+(${SCOPE_MARK}(admin|viewer:[0-9]+|creator:[0-9]+))?$`;

/**
 * Headers of every write. Inlined in each route, not shared by `$ref`: Fastify lower-cases header
 * names only in inline header schemas.
 */
export const IDEMPOTENCY_HEADERS: Schema = {
  type: 'object',
  required: ['idempotency-key'],
  properties: {
    'idempotency-key': {
      type: 'string',
      minLength: 1,
      maxLength: targetLimits.idempotencyKeyCharsMax,
      pattern: KEY_PATTERN,
      description:
        'Unique per operation (printable ASCII). It becomes the journal entry opId; a replay with the same key and body returns the first answer.',
    },
  },
};

/** Every shared schema, by `$id`. */
export const SHARED_SCHEMAS: Schema[] = [
  {
    $id: 'ErrorBody',
    description: 'Every error: a stable code to match on, a message for people, the field at fault.',
    ...object(
      {
        code: { type: 'string', enum: ERROR_CODES },
        message: { type: 'string' },
        field: { type: 'string', description: 'the body field, header or query parameter at fault' },
        balance: money('the balance the request found'),
        required: money('what the request needed'),
        shortfall: money('required − balance'),
        minimum: money('the smallest amount accepted'),
      },
      ['code', 'message'],
    ),
  },
  {
    $id: 'PurchaseRequest',
    description: 'Buy a coin pack on a channel (prices and fees from GET /v1/economy).',
    ...object(PURCHASE_FIELDS),
  },
  {
    $id: 'GiftContext',
    description: 'Where the gift was sent: a live stream or a video.',
    ...object({
      kind: { type: 'string', enum: [...GIFT_CONTEXT_KINDS] },
      id: {
        type: 'string',
        minLength: 1,
        maxLength: targetLimits.contextIdCharsMax,
        // It is journaled and compared as sent: no control characters (a NUL, a newline) to hide in it.
        pattern: CONTEXT_ID_PATTERN,
        description: 'The stream or video, e.g. live-17 (no control characters).',
      },
    }),
  },
  {
    $id: 'GiftRequest',
    description: 'Send `count` of a gift from a viewer to a creator; costs gift.coins × count.',
    ...object(GIFT_FIELDS),
  },
  {
    $id: 'WithdrawalRequest',
    description: 'Cash out diamonds; rounded down to whole cents, at least the economy minimum.',
    ...object({ creatorId: userId('creator'), diamonds: int(1, limits.withdrawalDiamondsMax) }),
  },
  {
    $id: 'RefundRequest',
    description: 'Reverse a purchase (admin); the viewer must still hold its coins.',
    ...object({
      purchaseOpId: {
        type: 'string',
        minLength: 1,
        maxLength: targetLimits.idempotencyKeyCharsMax + 1 + targetLimits.principalCharsMax,
        pattern: OP_ID_PATTERN,
        description:
          'the purchase entry’s opId as its answer and the journal state it: its key, or `key·principal` when scoped',
      },
    }),
  },
  answer(
    'Purchase',
    'purchase',
    {
      ...PURCHASE_FIELDS,
      coins: money('coins credited'),
      grossCents: money('what the buyer paid'),
      ...Object.fromEntries(PURCHASE_FEES.map((f) => [f.answer, money(f.doc)])),
      netCents: money("the platform's net"),
    },
    { coins: 'coins after the purchase' },
  ),
  answer(
    'Gift',
    'gift',
    {
      // The answer's count is documented as any integer: the request's bounds are not restated.
      ...GIFT_FIELDS,
      count: { type: 'integer' },
      coins: money('coins spent'),
      diamonds: money('diamonds credited to the creator (rounded down; the fraction is carried)'),
    },
    { coins: "the viewer's coins after the gift" },
  ),
  answer(
    'Withdrawal',
    'withdrawal',
    {
      creatorId: userId('creator'),
      requestedDiamonds: money('diamonds asked for'),
      diamonds: money('diamonds taken (a whole number of cents)'),
      grossCents: money('value of the diamonds taken'),
      feeCents: money('withdrawal fee'),
      netCents: money('paid out'),
    },
    { diamonds: "the creator's diamonds after the withdrawal" },
  ),
  answer(
    'Refund',
    'refund',
    {
      purchaseOpId: { type: 'string' },
      viewerId: userId('viewer'),
      coins: money('coins taken back'),
      grossCents: money('paid back to the buyer'),
    },
    { coins: "the viewer's coins after the refund" },
  ),
  {
    $id: 'ViewerBalance',
    ...object({ viewerId: userId('viewer'), coins: money('coins held') }),
  },
  {
    $id: 'CreatorBalance',
    ...object({
      creatorId: userId('creator'),
      coinsReceived: money('coins received in gifts, lifetime'),
      diamonds: money('diamonds held'),
      carryBp: int(0, BP - 1, `fraction of a diamond carried, in 1/${BP.toLocaleString('en-US')} diamond`),
      paidOutCents: money('net paid out, lifetime'),
    }),
  },
  { $id: 'Posting', ...POSTING_JSON_SCHEMA },
  {
    $id: 'JournalEntry',
    ...ENTRY_JSON_SCHEMA,
    properties: {
      ...(ENTRY_JSON_SCHEMA.properties as Schema),
      postings: { type: 'array', items: ref('Posting') },
    },
  },
  { $id: 'JournalPage', ...page('entries', 'JournalEntry', 'integer') },
  { $id: 'StatedBalance', ...STATED_BALANCE_JSON_SCHEMA },
  { $id: 'BalancesPage', ...page('balances', 'StatedBalance', 'string') },
  {
    $id: 'Economy',
    description:
      'The economy the server runs (from its scenario): packs, fees, gifts, creator share, withdrawals.',
    ...object({
      scenario: { type: 'string' },
      economy: ECONOMY_JSON_SCHEMA,
    }),
  },
  {
    $id: 'Health',
    ...object({
      status: { type: 'string', enum: ['ok'] },
      fault: { type: 'string', enum: ['none', ...FAULTS] },
      entries: { type: 'integer' },
      synchronous: { type: 'string', enum: [...SYNCHRONOUS_MODES] },
      // walSyncs: the WAL's fdatasyncs, under FULL only.
      commits: object(
        { batches: { type: 'integer' }, writes: { type: 'integer' }, walSyncs: { type: 'integer' } },
        ['batches', 'writes'],
      ),
    }),
  },
];

/** Query string of the paged admin exports. */
export function pageQuery(afterDescription: string, afterPattern: string): Schema {
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      after: { type: 'string', pattern: afterPattern, maxLength: 512, description: afterDescription },
      limit: {
        type: 'string',
        pattern: '^[0-9]{1,6}$',
        description: `page size, 1 to ${targetLimits.pageMax} (default ${targetLimits.pageDefault})`,
      },
    },
  };
}

/** The error answers a write can give, for route response schemas. */
export function errorResponses(...statuses: number[]): Record<string, Schema> {
  return Object.fromEntries(statuses.map((s) => [String(s), ref('ErrorBody')]));
}
