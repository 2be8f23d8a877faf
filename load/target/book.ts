/**
 * The target's bookkeeping: each write is planned from the economy's rules (`sim/economy`) and posted
 * with the shared layout (`sim/ledger/layout.ts`), so the journal has exactly the accounts, postings
 * and order of the in-memory ledger. Planning reads balances through a `View`; committing writes the
 * entry, the balances and the idempotency record. Both run inside one group-commit savepoint.
 *
 * Fault modes plug in here and nowhere else: a stale `View` (decisions on a balance read before an
 * await), absolute balance writes (lost update), rounding diamonds up, skipping the idempotency record.
 */
import { assert } from '../../common/assert.ts';
import { BP } from '../../common/limits.ts';
import {
  findChannelIndex,
  findGiftIndex,
  findPackIndex,
  giftCoins,
  giftDiamonds,
  newPurchaseSplit,
  nextCarry,
  quoteWithdrawal,
  splitPurchase,
} from '../../sim/economy/rules.ts';
import type { Economy, Unit } from '../../sim/economy/types.ts';
import {
  accountName,
  creatorAccount,
  Family,
  type PlatformAccount,
  platformAccountName,
  UNIT_OF_CODE,
  type UnitCode,
  viewerAccount,
} from '../../sim/ledger/accounts.ts';
import type { EntryKind, Posting } from '../../sim/ledger/journal.ts';
import {
  type PostingSink,
  postGift,
  postPurchase,
  postRefund,
  postWithdrawal,
} from '../../sim/ledger/layout.ts';
import type { Store } from './db/store.ts';
import { ApiError, ERRORS, type ErrorBody, type ErrorCode } from './errors.ts';

export interface GiftContext {
  kind: 'stream' | 'video';
  id: string;
}

export type WriteOp =
  | { kind: 'purchase'; viewerId: number; channel: string; pack: string }
  | {
      kind: 'gift';
      viewerId: number;
      creatorId: number;
      giftId: string;
      count: number;
      context: GiftContext;
    }
  | { kind: 'withdrawal'; creatorId: number; diamonds: number }
  | { kind: 'refund'; purchaseOpId: string };

export interface WriteRequest {
  /** The Idempotency-Key; it becomes the journal entry's opId. */
  key: string;
  /** Who asked (`viewer:3`, `creator:7`, `admin`); part of the fingerprint. */
  principal: string;
  op: WriteOp;
  /** Milliseconds since the epoch. */
  at: number;
}

export interface Outcome {
  status: number;
  /** The answer's body, serialised once: stored for replays and sent as is. */
  json: string;
  /** Answered from the idempotency record. */
  replayed: boolean;
  /** The entry written (or first written, on a replay); 0 when the write was rejected. */
  seq: number;
}

/** Balances as a write sees them while it decides. */
export interface View {
  balance(account: string, unit: Unit): number;
  carry(creator: number): number;
}

export interface BookOptions {
  /** Keep and honour idempotency records (off only in the `non-idempotent` fault). */
  idempotent: boolean;
  /** `up` only in the `rounding-leak` fault. */
  diamondRounding: 'down' | 'up';
  /** Whether a user id is registered. */
  isUser: (role: 'viewer' | 'creator', id: number) => boolean;
}

/** How the postings reach the balance table: added (sound) or written back from a stale read. */
export type BalanceWrite = { mode: 'add' } | { mode: 'absolute'; from: View };

type Plan =
  | {
      ok: true;
      kind: EntryKind;
      postings: Posting[];
      after: (seq: number) => void;
      body: () => Record<string, unknown>;
    }
  | { ok: false; status: number; body: ErrorBody };

export function fingerprint(req: WriteRequest): string {
  const op = req.op;
  switch (op.kind) {
    case 'purchase':
      return `${req.principal}|purchase|${op.viewerId}|${op.channel}|${op.pack}`;
    case 'gift':
      return `${req.principal}|gift|${op.viewerId}|${op.creatorId}|${op.giftId}|${op.count}|${op.context.kind}|${op.context.id}`;
    case 'withdrawal':
      return `${req.principal}|withdrawal|${op.creatorId}|${op.diamonds}`;
    case 'refund':
      return `${req.principal}|refund|${op.purchaseOpId}`;
  }
}

export class Book {
  constructor(
    readonly economy: Economy,
    readonly store: Store,
    private readonly options: BookOptions,
  ) {}

  /** Checks what needs no balance: the economy's ids and registered users. Throws ApiError. */
  validate(op: WriteOp): void {
    if (op.kind === 'purchase') {
      const ch = findChannelIndex(this.economy, op.channel);
      if (ch < 0) throw unknown('GIFT_ERR_UNKNOWN_CHANNEL', 'channel', op.channel, this.channelIds());
      const channel = this.economy.channels[ch];
      if (findPackIndex(channel, op.pack) < 0) {
        const ids = channel.packs.map((p) => p.id);
        throw unknown('GIFT_ERR_UNKNOWN_PACK', 'pack', op.pack, ids, ` on channel ${op.channel}`);
      }
    } else if (op.kind === 'gift') {
      if (findGiftIndex(this.economy, op.giftId) < 0) {
        throw unknown(
          'GIFT_ERR_UNKNOWN_GIFT',
          'giftId',
          op.giftId,
          this.economy.gifts.map((g) => g.id),
        );
      }
      if (!this.options.isUser('creator', op.creatorId)) {
        throw new ApiError('GIFT_ERR_UNKNOWN_CREATOR', `no creator ${op.creatorId}`, 'creatorId');
      }
    } else if (op.kind === 'refund' && this.store.purchase(op.purchaseOpId) === undefined) {
      // Before the idempotency record, as in the in-memory ledger: an unknown purchase is a 404 whatever the key.
      throw new ApiError(
        'GIFT_ERR_UNKNOWN_PURCHASE',
        `no purchase ${JSON.stringify(op.purchaseOpId)}`,
        'purchaseOpId',
      );
    }
  }

  /**
   * Applies one write: replays a known key, refuses a reused key with another request, else plans
   * and commits. Runs inside a savepoint; throws ApiError for input problems (nothing is written).
   */
  apply(req: WriteRequest, view: View = this.store, write: BalanceWrite = { mode: 'add' }): Outcome {
    this.validate(req.op);
    const print = fingerprint(req);
    if (this.options.idempotent) {
      const first = this.store.idempotency(req.key);
      if (first !== undefined) {
        if (first.fingerprint !== print) {
          throw new ApiError(
            'GIFT_ERR_IDEMPOTENCY_CONFLICT',
            `Idempotency-Key ${JSON.stringify(req.key)} was first used with a different request; use a new key for a new request`,
            'Idempotency-Key',
          );
        }
        return { status: first.status, json: first.body, replayed: true, seq: first.seq };
      }
    }
    const plan = this.plan(req, view);
    const outcome = plan.ok
      ? this.commit(req, plan, write)
      : { status: plan.status, json: JSON.stringify(plan.body), seq: 0 };
    if (this.options.idempotent) {
      this.store.remember(req.key, {
        fingerprint: print,
        status: outcome.status,
        seq: outcome.seq,
        body: outcome.json,
      });
    }
    return { ...outcome, replayed: false };
  }

  /** The balances a write would read, captured now (for the faults that decide on a stale read). */
  capture(req: WriteRequest): View {
    this.validate(req.op);
    const captured = new Map<string, number>();
    const carries = new Map<number, number>();
    const store = this.store;
    const recording: View = {
      balance(account, unit) {
        const value = store.balance(account, unit);
        captured.set(`${account}|${unit}`, value);
        return value;
      },
      carry(creator) {
        const value = store.carry(creator);
        carries.set(creator, value);
        return value;
      },
    };
    const plan = this.plan(req, recording);
    if (plan.ok) for (const p of plan.postings) recording.balance(p.account, p.unit);
    return {
      balance: (account, unit) => captured.get(`${account}|${unit}`) ?? store.balance(account, unit),
      carry: (creator) => carries.get(creator) ?? store.carry(creator),
    };
  }

  // ── planning ────────────────────────────────────────────────────────────────────────────────

  private plan(req: WriteRequest, view: View): Plan {
    const op = req.op;
    switch (op.kind) {
      case 'purchase':
        return this.planPurchase(op, view);
      case 'gift':
        return this.planGift(op, view);
      case 'withdrawal':
        return this.planWithdrawal(op, view);
      case 'refund':
        return this.planRefund(op, view);
    }
  }

  private planPurchase(op: Extract<WriteOp, { kind: 'purchase' }>, view: View): Plan {
    const ch = findChannelIndex(this.economy, op.channel);
    const channel = this.economy.channels[ch];
    const split = splitPurchase(channel, channel.packs[findPackIndex(channel, op.pack)], newPurchaseSplit());
    const postings = this.postings((sink) => postPurchase(sink, op.viewerId, ch, split));
    const coins = view.balance(viewerAccount(op.viewerId), 'COIN') + split.coins;
    return {
      ok: true,
      kind: 'purchase',
      postings,
      after: () => {},
      body: () => ({
        viewerId: op.viewerId,
        channel: op.channel,
        pack: op.pack,
        coins: split.coins,
        grossCents: split.grossCents,
        storeFeeCents: split.storeFeeCents,
        paymentFeeCents: split.paymentFeeCents,
        netCents: split.netCents,
        balance: { coins },
      }),
    };
  }

  private planGift(op: Extract<WriteOp, { kind: 'gift' }>, view: View): Plan {
    const gift = this.economy.gifts[findGiftIndex(this.economy, op.giftId)];
    const coins = giftCoins(gift, op.count);
    const have = view.balance(viewerAccount(op.viewerId), 'COIN');
    if (have < coins) {
      return short('GIFT_ERR_INSUFFICIENT_COINS', `viewer:${op.viewerId}`, 'coins', have, coins, 'count');
    }
    const shareBp = this.economy.creatorShareBp;
    const carry = view.carry(op.creatorId);
    const leak = this.options.diamondRounding === 'up';
    const diamonds = leak ? Math.ceil((coins * shareBp) / BP) : giftDiamonds(shareBp, coins, carry);
    const carryAfter = leak ? 0 : nextCarry(shareBp, coins, carry);
    const postings = this.postings((sink) => postGift(sink, op.viewerId, op.creatorId, coins, diamonds));
    return {
      ok: true,
      kind: 'gift',
      postings,
      after: () => this.store.setCarry(op.creatorId, carryAfter),
      body: () => ({
        viewerId: op.viewerId,
        creatorId: op.creatorId,
        giftId: op.giftId,
        count: op.count,
        context: op.context,
        coins,
        diamonds,
        balance: { coins: have - coins },
      }),
    };
  }

  private planWithdrawal(op: Extract<WriteOp, { kind: 'withdrawal' }>, view: View): Plan {
    const quote = quoteWithdrawal(this.economy, op.diamonds);
    const minimum = this.economy.withdrawal.minDiamonds;
    if (quote.diamonds < minimum || quote.diamonds === 0) {
      const message = `${op.diamonds} diamonds make a withdrawal of ${quote.diamonds}; the minimum is ${minimum}`;
      return refuse('GIFT_ERR_BELOW_MINIMUM', message, 'diamonds', { minimum });
    }
    const have = view.balance(creatorAccount(op.creatorId), 'DIAMOND');
    if (have < quote.diamonds) {
      return short(
        'GIFT_ERR_INSUFFICIENT_DIAMONDS',
        `creator:${op.creatorId}`,
        'diamonds',
        have,
        quote.diamonds,
        'diamonds',
      );
    }
    const postings = this.postings((sink) => postWithdrawal(sink, op.creatorId, quote));
    return {
      ok: true,
      kind: 'withdrawal',
      postings,
      after: () => {},
      body: () => ({
        creatorId: op.creatorId,
        requestedDiamonds: op.diamonds,
        diamonds: quote.diamonds,
        grossCents: quote.grossCents,
        feeCents: quote.feeCents,
        netCents: quote.netCents,
        balance: { diamonds: have - quote.diamonds },
      }),
    };
  }

  private planRefund(op: Extract<WriteOp, { kind: 'refund' }>, view: View): Plan {
    const record = this.store.purchase(op.purchaseOpId);
    assert(record !== undefined, 'validate() lets only known purchases through');
    if (record.refunded) {
      return refuse('GIFT_ERR_ALREADY_REFUNDED', `${op.purchaseOpId} was refunded already`, 'purchaseOpId');
    }
    const ch = findChannelIndex(this.economy, record.channel);
    const channel = this.economy.channels[ch];
    const split = splitPurchase(
      channel,
      channel.packs[findPackIndex(channel, record.pack)],
      newPurchaseSplit(),
    );
    const have = view.balance(viewerAccount(record.viewer), 'COIN');
    if (have < split.coins) {
      return short(
        'GIFT_ERR_INSUFFICIENT_COINS',
        `viewer:${record.viewer}`,
        'coins',
        have,
        split.coins,
        'purchaseOpId',
      );
    }
    const postings = this.postings((sink) => postRefund(sink, record.viewer, ch, split));
    return {
      ok: true,
      kind: 'refund',
      postings,
      after: () => this.store.markRefunded(op.purchaseOpId),
      body: () => ({
        purchaseOpId: op.purchaseOpId,
        viewerId: record.viewer,
        coins: split.coins,
        grossCents: split.grossCents,
        balance: { coins: have - split.coins },
      }),
    };
  }

  // ── committing ──────────────────────────────────────────────────────────────────────────────

  private commit(
    req: WriteRequest,
    plan: Extract<Plan, { ok: true }>,
    write: BalanceWrite,
  ): { status: number; json: string; seq: number } {
    assertBalanced(plan.postings);
    const seq = this.store.appendEntry(req.key, plan.kind, req.at, plan.postings);
    for (const p of plan.postings) {
      if (write.mode === 'add') this.store.addBalance(p.account, p.unit, p.amount);
      else this.store.setBalance(p.account, p.unit, write.from.balance(p.account, p.unit) + p.amount);
    }
    plan.after(seq);
    if (req.op.kind === 'purchase') {
      const op = req.op;
      this.store.addPurchase({ opId: req.key, viewer: op.viewerId, channel: op.channel, pack: op.pack });
    }
    const body = { opId: req.key, kind: plan.kind, seq, ...plan.body() };
    return { status: 201, json: JSON.stringify(body), seq };
  }

  private postings(layout: (sink: PostingSink<number>) => void): Posting[] {
    const postings: Posting[] = [];
    const channels = this.economy.channels;
    layout({
      post(family: Family, key: number, unit: UnitCode, amount: number) {
        postings.push({ account: nameOf(family, key, channels), unit: UNIT_OF_CODE[unit], amount });
      },
    });
    return postings;
  }

  private channelIds(): string[] {
    return this.economy.channels.map((c) => c.id);
  }
}

function nameOf(family: Family, key: number, channels: Economy['channels']): string {
  switch (family) {
    case Family.Viewer:
      return viewerAccount(key);
    case Family.Creator:
      return creatorAccount(key);
    case Family.Platform:
      return platformAccountName(key as PlatformAccount);
    default:
      return accountName(family, channels[key].id);
  }
}

function assertBalanced(postings: readonly Posting[]): void {
  const sums: Record<Unit, number> = { COIN: 0, DIAMOND: 0, USD: 0 };
  for (const p of postings) {
    assert(
      Number.isSafeInteger(p.amount) && p.amount !== 0,
      `posting to ${p.account} is not a non-zero integer`,
    );
    sums[p.unit] += p.amount;
  }
  assert(sums.COIN === 0 && sums.DIAMOND === 0 && sums.USD === 0, 'entry does not balance');
}

function unknown(code: ErrorCode, field: string, found: string, ids: string[], where = ''): ApiError {
  return new ApiError(
    code,
    `no ${field} ${JSON.stringify(found)}${where}; expected one of ${ids.join(', ')}`,
    field,
  );
}

function refuse(
  code: ErrorCode,
  message: string,
  field: string,
  details: Partial<ErrorBody> = {},
): Extract<Plan, { ok: false }> {
  return { ok: false, status: ERRORS[code].status, body: { code, message, field, ...details } };
}

function short(
  code: ErrorCode,
  account: string,
  what: string,
  balance: number,
  required: number,
  field: string,
): Extract<Plan, { ok: false }> {
  const shortfall = required - balance;
  const message = `${account} has ${balance} ${what}; this needs ${required} (short by ${shortfall})`;
  return refuse(code, message, field, { balance, required, shortfall });
}
