/**
 * Every domain arbitrary in one place: economies (channels, packs, gifts, withdrawal rules), load
 * shelves, ledger operation sequences and hostile journal entries. Property tests, the model-based test and the mutant
 * tests all draw from here, so a counterexample from one reads like one from another.
 */
import fc from 'fast-check';
import type { Channel, Economy, Gift, Pack, WithdrawalRules } from '../../sim/economy/types.ts';
import { Status } from '../../sim/kernel/status.ts';
import type { Ledger } from '../../sim/ledger/ledger.ts';

// ── economy ───────────────────────────────────────────────────────────────────────────────────

/** Basis points, biased towards the values real economies use and the edges. */
export const bpArb: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, 1, 290, 1500, 3000, 3333, 5000, 6667, 9999, 10_000),
  fc.integer({ min: 0, max: 10_000 }),
);

export const packArb = (id: string): fc.Arbitrary<Pack> =>
  fc.record({
    id: fc.constant(id),
    coins: fc.oneof(fc.constantFrom(1, 70, 350, 1400, 1750), fc.integer({ min: 1, max: 20_000 })),
    priceCents: fc.oneof(fc.constantFrom(1, 29, 74, 99, 1500, 1999), fc.integer({ min: 1, max: 50_000 })),
  });

/** A list of packs with unique ids `p0`, `p1`, …. */
export const packsArb: fc.Arbitrary<Pack[]> = fc
  .integer({ min: 1, max: 4 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => packArb(`p${i}`))));

export const channelArb = (id: string): fc.Arbitrary<Channel> =>
  fc.record({
    id: fc.constant(id),
    storeFeeBp: fc.oneof(fc.constantFrom(0, 1500, 3000), bpArb),
    paymentFeeBp: fc.oneof(fc.constantFrom(0, 290), fc.integer({ min: 0, max: 2_000 })),
    // Up to a dollar: often larger than a cheap pack's price, so the cap is exercised.
    paymentFeeFixedCents: fc.oneof(fc.constantFrom(0, 30), fc.integer({ min: 0, max: 100 })),
    packs: packsArb,
  });

export const giftArb = (id: string): fc.Arbitrary<Gift> =>
  fc.record({
    id: fc.constant(id),
    coins: fc.oneof(
      { arbitrary: fc.constantFrom(1, 5, 99, 500), weight: 5 },
      { arbitrary: fc.integer({ min: 1, max: 300 }), weight: 5 },
      { arbitrary: fc.constantFrom(34_999, 1_000_000), weight: 1 },
    ),
  });

export const withdrawalRulesArb: fc.Arbitrary<WithdrawalRules> = fc.record({
  minDiamonds: fc.oneof(fc.constantFrom(0, 1, 10, 100), fc.integer({ min: 0, max: 500 })),
  feeBp: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 3_000 })),
  feeFixedCents: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 200 })),
});

/** Diamond values in milli-cents, with the awkward ones (333, 999, 7) that force whole-cent steps. */
export const diamondValueArb: fc.Arbitrary<number> = fc.oneof(
  { arbitrary: fc.constantFrom(100, 250, 500, 1000, 1250), weight: 3 },
  { arbitrary: fc.constantFrom(1, 7, 333, 999), weight: 1 },
  { arbitrary: fc.integer({ min: 1, max: 5_000 }), weight: 1 },
);

/**
 * A load workload's shelf (`WorkloadChannel` packs): coins sorted ascending, and the plan's observed
 * share of each pack, as weights — often with packs never bought (0) and sometimes none bought at all.
 */
export const shelfArb: fc.Arbitrary<{ coins: number[]; shares: number[] }> = packsArb.chain((packs) =>
  fc.record({
    coins: fc.constant(packs.map((p) => p.coins).sort((a, b) => a - b)),
    shares: fc.oneof(
      { arbitrary: fc.constant(packs.map(() => 0)), weight: 1 },
      {
        arbitrary: fc.tuple(
          ...packs.map(() => fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true }))),
        ),
        weight: 4,
      },
    ),
  }),
);

export const economyArb: fc.Arbitrary<Economy> = fc
  .record({ channels: fc.integer({ min: 1, max: 3 }), gifts: fc.integer({ min: 1, max: 5 }) })
  .chain((n) =>
    fc.record({
      channels: fc.tuple(...Array.from({ length: n.channels }, (_, i) => channelArb(`ch${i}`))),
      gifts: fc.tuple(...Array.from({ length: n.gifts }, (_, i) => giftArb(`g${i}`))),
      creatorShareBp: bpArb,
      diamondValueMilliCents: diamondValueArb,
      withdrawal: withdrawalRulesArb,
    }),
  );

// ── ledger operations ─────────────────────────────────────────────────────────────────────────

/** Small populations so that operations collide on the same viewers, creators and op ids. */
export const VIEWERS = 4;
export const CREATORS = 3;
const OP_KEYS = 48;

/**
 * One operation, in terms that stay valid for any economy: indices are taken modulo what the economy
 * has when the operation is applied. `op` is an idempotency-key number (`o<op>`), or undefined for
 * none; drawing from a small range makes same-key-different-request conflicts common.
 */
export type Op =
  | { kind: 'purchase'; viewer: number; channel: number; pack: number; op: number | undefined }
  | { kind: 'gift'; viewer: number; creator: number; gift: number; count: number; op: number | undefined }
  /** `percent` of the creator's balance at that moment (at least 1) when set, else `diamonds`. */
  | {
      kind: 'withdraw';
      creator: number;
      diamonds: number;
      percent: number | undefined;
      op: number | undefined;
    }
  | { kind: 'refund'; purchase: number; op: number | undefined }
  /** Sends the `back`-th earlier keyed request again, unchanged. */
  | { kind: 'replay'; back: number };

const opKeyArb = fc.option(fc.nat(OP_KEYS - 1), { nil: undefined, freq: 5 });

export const purchaseOpArb: fc.Arbitrary<Op> = fc.record({
  kind: fc.constant('purchase' as const),
  viewer: fc.nat(VIEWERS - 1),
  channel: fc.nat(7),
  pack: fc.nat(7),
  op: opKeyArb,
});

export const giftOpArb: fc.Arbitrary<Op> = fc.record({
  kind: fc.constant('gift' as const),
  viewer: fc.nat(VIEWERS - 1),
  creator: fc.nat(CREATORS - 1),
  gift: fc.nat(7),
  count: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 100 })),
  op: opKeyArb,
});

export const withdrawOpArb: fc.Arbitrary<Op> = fc.record({
  kind: fc.constant('withdraw' as const),
  creator: fc.nat(CREATORS - 1),
  diamonds: fc.oneof(
    fc.integer({ min: 1, max: 50 }),
    fc.integer({ min: 1, max: 500 }),
    fc.integer({ min: 1, max: 5_000 }),
    fc.integer({ min: 1, max: 200_000 }),
  ),
  percent: fc.option(fc.oneof(fc.constant(100), fc.integer({ min: 1, max: 120 })), { nil: undefined }),
  op: opKeyArb,
});

export const refundOpArb: fc.Arbitrary<Op> = fc.record({
  kind: fc.constant('refund' as const),
  purchase: fc.nat(31),
  op: opKeyArb,
});

export const replayOpArb: fc.Arbitrary<Op> = fc.record({
  kind: fc.constant('replay' as const),
  back: fc.nat(31),
});

export const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: purchaseOpArb, weight: 4 },
  { arbitrary: giftOpArb, weight: 6 },
  { arbitrary: withdrawOpArb, weight: 2 },
  { arbitrary: refundOpArb, weight: 1 },
  { arbitrary: replayOpArb, weight: 2 },
);

export const opsArb = (maxLength = 60): fc.Arbitrary<Op[]> => fc.array(opArb, { maxLength, size: 'max' });

/** An economy and a sequence of operations over it (apply them with `runOps`). */
export const runArb = (maxLength = 60): fc.Arbitrary<{ economy: Economy; ops: Op[] }> =>
  fc.record({ economy: economyArb, ops: opsArb(maxLength) });

/** A request as the ledger receives it, after the indices were resolved against the economy. */
export type Request =
  | { kind: 'purchase'; viewer: number; channel: number; pack: number; opId: string | undefined }
  | {
      kind: 'gift';
      viewer: number;
      creator: number;
      gift: number;
      count: number;
      opId: string | undefined;
    }
  | { kind: 'withdraw'; creator: number; diamonds: number; opId: string | undefined }
  | { kind: 'refund'; purchaseOpId: string; opId: string | undefined };

export interface Applied {
  request: Request;
  status: Status;
  /** Seq the ledger reported for it (0 when rejected). */
  seq: number;
  replayed: boolean;
}

/**
 * Applies operations to a ledger one by one, resolving each against the economy and the ledger's state
 * at that moment (a withdrawal of a share of the balance, a refund of an earlier purchase, a replay of an
 * earlier keyed request). Returns what each request got.
 */
export function runOps(ledger: Ledger, ops: readonly Op[], atStart = 0): Applied[] {
  const applied: Applied[] = [];
  const keyed: Request[] = [];
  const purchases: string[] = [];
  for (const op of ops) {
    const request = resolveOp(ledger, op, keyed, purchases);
    if (request === undefined) continue;
    applied.push(send(ledger, request, atStart + applied.length));
    if (request.opId !== undefined) keyed.push(request);
    if (request.kind === 'purchase' && request.opId !== undefined) purchases.push(request.opId);
  }
  return applied;
}

function resolveOp(
  ledger: Ledger,
  op: Op,
  keyed: readonly Request[],
  purchases: readonly string[],
): Request | undefined {
  const economy = ledger.economy;
  const opId = op.kind === 'replay' || op.op === undefined ? undefined : `o${op.op}`;
  switch (op.kind) {
    case 'purchase': {
      const channel = op.channel % economy.channels.length;
      const pack = op.pack % economy.channels[channel].packs.length;
      return { kind: 'purchase', viewer: op.viewer, channel, pack, opId };
    }
    case 'gift':
      return { ...op, kind: 'gift', gift: op.gift % economy.gifts.length, opId };
    case 'withdraw': {
      const diamonds =
        op.percent === undefined
          ? op.diamonds
          : Math.max(1, Math.floor((ledger.diamondsOf(op.creator) * op.percent) / 100));
      return { kind: 'withdraw', creator: op.creator, diamonds, opId };
    }
    case 'refund': {
      const purchaseOpId =
        purchases.length === 0 ? 'never-bought' : purchases[op.purchase % purchases.length];
      return { kind: 'refund', purchaseOpId, opId };
    }
    case 'replay':
      return keyed.length === 0 ? undefined : keyed[keyed.length - 1 - (op.back % keyed.length)];
  }
}

/** Sends one request to a ledger; `at` is the request's position. */
export function send(ledger: Ledger, request: Request, at: number): Applied {
  const r = request;
  let status: Status;
  if (r.kind === 'purchase') status = ledger.purchase(r.viewer, r.channel, r.pack, at, r.opId);
  else if (r.kind === 'gift') status = ledger.gift(r.viewer, r.creator, r.gift, r.count, at, r.opId);
  else if (r.kind === 'withdraw') status = ledger.withdraw(r.creator, r.diamonds, at, r.opId);
  else status = ledger.refund(r.purchaseOpId, at, r.opId);
  return { request, status, seq: status === Status.Ok ? ledger.lastSeq : 0, replayed: ledger.lastReplayed };
}

/** The kind a request journals as. */
export function entryKindOf(request: Request): 'purchase' | 'gift' | 'withdrawal' | 'refund' {
  return request.kind === 'withdraw' ? 'withdrawal' : request.kind;
}

/** The idempotency fingerprint of a request: equal for the same request, different otherwise. */
export function fingerprint(r: Request): string {
  if (r.kind === 'purchase') return `purchase|${r.viewer}|${r.channel}|${r.pack}`;
  if (r.kind === 'gift') return `gift|${r.viewer}|${r.creator}|${r.gift}|${r.count}`;
  if (r.kind === 'withdraw') return `withdraw|${r.creator}|${r.diamonds}`;
  return `refund|${r.purchaseOpId}`;
}

// ── hostile journal input ─────────────────────────────────────────────────────────────────────

/** Anything at all, including the values JSON cannot hold (bigint, symbols' cousins, null prototypes). */
export const junkArb: fc.Arbitrary<unknown> = fc.anything({
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
});

const hostileNumberArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.constantFrom(
    0,
    -1,
    0.5,
    -0,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.MAX_SAFE_INTEGER,
    -Number.MAX_SAFE_INTEGER,
    2 ** 53,
    1e308,
  ),
  fc.double(),
  fc.bigInt(),
  fc.string({ maxLength: 4 }),
  fc.constantFrom(null, undefined, true, [], {}),
);

const accountArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    'viewer:0',
    'viewer:1',
    'creator:0',
    'creator:1',
    'platform:cash',
    'platform:coins_issued',
    'platform:diamonds_issued',
    'platform:diamonds_redeemed',
    'platform:withdrawal_fees',
    'buyers:ch0',
    'buyers:nowhere',
    'store_fees:ch0',
    'payment_fees:ch0',
    'creator:',
    'viewer',
    ':',
    '',
    '__proto__',
    'constructor',
  ),
  fc.string({ maxLength: 12 }),
  hostileNumberArb,
);

const unitArb: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom('COIN', 'DIAMOND', 'USD'), weight: 8 },
  { arbitrary: fc.constantFrom('coin', 'EUR', '', null, 0), weight: 1 },
);

/** A posting: usually well-formed, sometimes wrong in one or more fields, sometimes not an object. */
export const hostilePostingArb: fc.Arbitrary<unknown> = fc.oneof(
  {
    arbitrary: fc.record({
      account: accountArb,
      unit: unitArb,
      amount: fc.oneof({ arbitrary: fc.integer({ min: -1e6, max: 1e6 }), weight: 6 }, hostileNumberArb),
    }),
    weight: 9,
  },
  { arbitrary: junkArb, weight: 1 },
);

/**
 * A journal entry from a backend that cannot be trusted: right shape with wrong numbers, wrong shape,
 * huge amounts, unknown units and accounts, missing fields, or no object at all.
 */
export const hostileEntryArb: fc.Arbitrary<unknown> = fc.oneof(
  {
    arbitrary: fc.record(
      {
        seq: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 50 }), weight: 6 }, hostileNumberArb),
        opId: fc.oneof(
          { arbitrary: fc.constantFrom('o1', 'o2', 'o3'), weight: 6 },
          fc.string({ maxLength: 6 }),
          hostileNumberArb,
        ),
        kind: fc.oneof(
          { arbitrary: fc.constantFrom('purchase', 'gift', 'withdrawal', 'refund'), weight: 8 },
          fc.constantFrom('transfer', '', null),
        ),
        at: fc.oneof({ arbitrary: fc.nat(), weight: 6 }, hostileNumberArb),
        postings: fc.oneof({ arbitrary: fc.array(hostilePostingArb, { maxLength: 8 }), weight: 8 }, junkArb),
      },
      { requiredKeys: [] },
    ),
    weight: 9,
  },
  { arbitrary: junkArb, weight: 1 },
);
