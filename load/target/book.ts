/**
 * The target's bookkeeping: every decision — what is refused, in which order, under which key, and
 * the amounts posted — is the operation kernel's (`sim/kernel`), as in the in-memory ledger, and the
 * postings follow the shared layout, so the journal has exactly the accounts, postings and order of the
 * in-memory ledger. The book keeps only the storage: it reads balances through a `View` for the
 * kernel, and commits the entry with its idempotency record (balances follow in the store's memory),
 * inside one group-commit transaction.
 *
 * Fault modes plug in here and nowhere else: a stale `View` (decisions on a balance read before an
 * await), absolute balance writes (lost update), a broken kernel, skipping the idempotency record.
 */
import { assert } from '../../common/assert.ts';
import {
  findChannelIndex,
  findGiftIndex,
  findPackIndex,
  newPurchaseSplit,
  PURCHASE_FEES,
  type PurchaseSplit,
} from '../../sim/economy/rules.ts';
import type { Economy, Unit } from '../../sim/economy/types.ts';
import {
  giftPrint,
  KeyUse,
  keyUse,
  purchasePrint,
  refundPrint,
  withdrawalPrint,
} from '../../sim/kernel/keys.ts';
import {
  type PostingSink,
  postGift,
  postPurchase,
  postRefund,
  postWithdrawal,
} from '../../sim/kernel/layout.ts';
import {
  checkGift,
  checkPurchase,
  checkRefund,
  checkWithdrawal,
  type Kernel,
  newGiftPlan,
  newWithdrawalQuote,
  type PurchaseRecord,
} from '../../sim/kernel/operations.ts';
import { type Facts, type Refusal, refusal, STATUSES, Status } from '../../sim/kernel/status.ts';
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
import { GIFT_CONTEXT_TAGS } from '../k6/lib/tags.ts';
import type { Store } from './db/store.ts';
import { ApiError } from './errors.ts';

/**
 * Where a gift can be sent: what `POST /v1/gifts` accepts as `context.kind` (its schema reads this list).
 * One list with k6's `context` tag values (load/k6/lib/tags.ts, which k6 can bundle: it imports nothing).
 */
export const GIFT_CONTEXT_KINDS = GIFT_CONTEXT_TAGS;

export interface GiftContext {
  kind: (typeof GIFT_CONTEXT_KINDS)[number];
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
  /** The decisions: the sound kernel, or a broken one (the `rounding-leak` fault). */
  kernel: Kernel;
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
      /** A gift's creator and carried fraction after it. */
      carry?: { creator: number; bp: number };
      /** What the store keeps besides the entry (a refund marks its purchase; a purchase's own record needs its opId, so `commit` writes it). */
      after?: () => void;
      body: () => Record<string, unknown>;
    }
  | { ok: false; status: number; body: Refusal };
type Accepted = Extract<Plan, { ok: true }>;

/** The kernel's fingerprint of the operation, with what only the API knows: who asked, and a gift's context. */
export function fingerprint(req: WriteRequest): string {
  const op = req.op;
  switch (op.kind) {
    case 'purchase':
      return `${req.principal}|${purchasePrint(op.viewerId, op.channel, op.pack)}`;
    case 'gift':
      return `${req.principal}|${giftPrint(op.viewerId, op.creatorId, op.giftId, op.count)}|${op.context.kind}|${op.context.id}`;
    case 'withdrawal':
      return `${req.principal}|${withdrawalPrint(op.creatorId, op.diamonds)}`;
    case 'refund':
      return `${req.principal}|${refundPrint(op.purchaseOpId)}`;
  }
}

export class Book {
  constructor(
    readonly economy: Economy,
    readonly store: Store,
    private readonly options: BookOptions,
  ) {}

  /** The kernel's checks that need no balance: the economy's ids, amounts, registered creators, known purchases. Throws ApiError. */
  validate(op: WriteOp): void {
    const refused = this.check(op);
    if (refused !== undefined) throw ApiError.of(refused);
  }

  private check(op: WriteOp): Refusal | undefined {
    const economy = this.economy;
    switch (op.kind) {
      case 'purchase': {
        const ch = findChannelIndex(economy, op.channel);
        const pack = ch < 0 ? -1 : findPackIndex(economy.channels[ch], op.pack);
        const status = checkPurchase(economy, op.viewerId, ch, pack);
        if (status === Status.UnknownChannel) {
          const known = economy.channels.map((c) => c.id);
          return refusal(status, { field: 'channel', found: op.channel, known });
        }
        if (status === Status.UnknownPack) {
          const known = economy.channels[ch].packs.map((p) => p.id);
          return refusal(status, {
            field: 'pack',
            found: op.pack,
            known,
            where: ` on channel ${op.channel}`,
          });
        }
        return status === Status.Ok ? undefined : refusal(status, { field: 'viewerId' });
      }
      case 'gift': {
        const known = this.options.isUser('creator', op.creatorId);
        const g = findGiftIndex(economy, op.giftId);
        const status = checkGift(economy, op.viewerId, op.creatorId, g, op.count, known);
        if (status === Status.UnknownGift) {
          const ids = economy.gifts.map((x) => x.id);
          return refusal(status, { field: 'giftId', found: op.giftId, known: ids });
        }
        if (status === Status.UnknownCreator)
          return refusal(status, { field: 'creatorId', found: String(op.creatorId) });
        return status === Status.Ok ? undefined : refusal(status);
      }
      case 'withdrawal': {
        const status = checkWithdrawal(op.creatorId, op.diamonds);
        return status === Status.Ok ? undefined : refusal(status, { field: 'diamonds' });
      }
      case 'refund': {
        // Before the idempotency record, as in the in-memory ledger: an unknown purchase is a 404 whatever the key.
        const status = checkRefund(this.purchase(op.purchaseOpId));
        return status === Status.Ok
          ? undefined
          : refusal(status, { field: 'purchaseOpId', key: op.purchaseOpId });
      }
    }
  }

  /**
   * Applies one write: replays a known key, refuses a reused key with another request, else plans
   * and commits. Runs inside a group-commit transaction; throws ApiError for input problems (nothing is written).
   */
  apply(req: WriteRequest, view: View = this.store, write: BalanceWrite = { mode: 'add' }): Outcome {
    this.validate(req.op);
    const print = fingerprint(req);
    if (this.options.idempotent) {
      const first = this.store.idempotency(req.principal, req.key);
      const use = keyUse(first?.fingerprint, print);
      if (use === KeyUse.Conflict) {
        throw ApiError.of(refusal(Status.IdempotencyConflict, { field: 'Idempotency-Key', key: req.key }));
      }
      if (first !== undefined && use === KeyUse.Replay) {
        return { status: first.status, json: first.body, replayed: true, seq: first.seq };
      }
    }
    const plan = this.plan(req, view);
    if (plan.ok) return { ...this.commit(req, print, plan, write), replayed: false };
    const json = JSON.stringify(plan.body);
    if (this.options.idempotent) {
      this.store.rememberRefusal(req.principal, req.key, {
        fingerprint: print,
        status: plan.status,
        body: json,
      });
    }
    return { status: plan.status, json, seq: 0, replayed: false };
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
    const pack = findPackIndex(this.economy.channels[ch], op.pack);
    const split = newPurchaseSplit();
    this.options.kernel.decidePurchase(this.economy, ch, pack, split);
    const postings = this.postings((sink) => postPurchase(sink, op.viewerId, ch, split));
    const coins = view.balance(viewerAccount(op.viewerId), 'COIN') + split.coins;
    return accepted('purchase', postings, () => ({
      viewerId: op.viewerId,
      channel: op.channel,
      pack: op.pack,
      coins: split.coins,
      grossCents: split.grossCents,
      ...Object.fromEntries(PURCHASE_FEES.map((f, i) => [f.answer, split.feeCents[i]])),
      netCents: split.netCents,
      balance: { coins },
    }));
  }

  private planGift(op: Extract<WriteOp, { kind: 'gift' }>, view: View): Plan {
    const account = viewerAccount(op.viewerId);
    const have = view.balance(account, 'COIN');
    const plan = newGiftPlan();
    const gift = findGiftIndex(this.economy, op.giftId);
    const carry = view.carry(op.creatorId);
    const status = this.options.kernel.decideGift(this.economy, gift, op.count, have, carry, plan);
    if (status !== Status.Ok) {
      return refused(status, { field: 'count', account, balance: have, required: plan.coins });
    }
    const { coins, diamonds, carryAfterBp } = plan;
    const postings = this.postings((sink) => postGift(sink, op.viewerId, op.creatorId, coins, diamonds));
    const body = () => ({
      viewerId: op.viewerId,
      creatorId: op.creatorId,
      giftId: op.giftId,
      count: op.count,
      context: op.context,
      coins,
      diamonds,
      balance: { coins: have - coins },
    });
    return accepted('gift', postings, body, { carry: { creator: op.creatorId, bp: carryAfterBp } });
  }

  private planWithdrawal(op: Extract<WriteOp, { kind: 'withdrawal' }>, view: View): Plan {
    const account = creatorAccount(op.creatorId);
    const have = view.balance(account, 'DIAMOND');
    const quote = newWithdrawalQuote();
    const status = this.options.kernel.decideWithdrawal(this.economy, op.diamonds, have, quote);
    if (status !== Status.Ok) {
      const minimum = this.economy.withdrawal.minDiamonds;
      return refused(status, {
        field: 'diamonds',
        ...(status === Status.BelowMinimum
          ? { requested: op.diamonds, taken: quote.diamonds, minimum }
          : { account, balance: have, required: quote.diamonds }),
      });
    }
    const postings = this.postings((sink) => postWithdrawal(sink, op.creatorId, quote));
    return accepted('withdrawal', postings, () => ({
      creatorId: op.creatorId,
      requestedDiamonds: op.diamonds,
      diamonds: quote.diamonds,
      grossCents: quote.grossCents,
      feeCents: quote.feeCents,
      netCents: quote.netCents,
      balance: { diamonds: have - quote.diamonds },
    }));
  }

  private planRefund(op: Extract<WriteOp, { kind: 'refund' }>, view: View): Plan {
    const record = this.purchase(op.purchaseOpId);
    assert(record !== undefined, 'validate() lets only known purchases through');
    const account = viewerAccount(record.viewer);
    const have = view.balance(account, 'COIN');
    const split: PurchaseSplit = newPurchaseSplit();
    const status = this.options.kernel.decideRefund(this.economy, record, have, split);
    if (status !== Status.Ok) {
      const facts: Facts = { field: 'purchaseOpId', key: op.purchaseOpId };
      return refused(
        status,
        status === Status.InsufficientCoins
          ? { ...facts, account, balance: have, required: split.coins }
          : facts,
      );
    }
    const postings = this.postings((sink) => postRefund(sink, record.viewer, record.channel, split));
    const body = () => ({
      purchaseOpId: op.purchaseOpId,
      viewerId: record.viewer,
      coins: split.coins,
      grossCents: split.grossCents,
      balance: { coins: have - split.coins },
    });
    return accepted('refund', postings, body, { after: () => this.store.markRefunded(op.purchaseOpId) });
  }

  /** A stored purchase, with the economy's indices of its channel and pack (the kernel's terms). */
  private purchase(opId: string): PurchaseRecord | undefined {
    const stored = this.store.purchase(opId);
    if (stored === undefined) return undefined;
    const ch = findChannelIndex(this.economy, stored.channel);
    assert(ch >= 0, `purchase ${opId} names channel ${stored.channel}, not in this economy`);
    const pack = findPackIndex(this.economy.channels[ch], stored.pack);
    assert(pack >= 0, `purchase ${opId} names pack ${stored.pack}, not in this economy`);
    return { viewer: stored.viewer, channel: ch, pack, refunded: stored.refunded };
  }

  // ── committing ──────────────────────────────────────────────────────────────────────────────

  /**
   * Writes the entry with its idempotency record. Its opId is the key (scoped when another principal's
   * entry has that opId; never under the non-idempotent fault, whose replays must show as duplicates).
   */
  private commit(
    req: WriteRequest,
    fingerprint: string,
    plan: Accepted,
    write: BalanceWrite,
  ): { status: number; json: string; seq: number } {
    assertBalanced(plan.postings);
    const store = this.store;
    const opId = this.options.idempotent ? store.opIdFor(req.principal, req.key) : req.key;
    const seq = store.nextSeq();
    const json = JSON.stringify({ opId, kind: plan.kind, seq, ...plan.body() });
    const written = store.appendEntry(
      {
        opId,
        kind: plan.kind,
        at: req.at,
        postings: plan.postings,
        principal: req.principal,
        key: req.key,
        fingerprint,
        answer: json,
        carry: plan.carry,
      },
      write.mode === 'add' ? 'add' : 'none',
    );
    assert(written === seq, 'the entry got the seq its answer states');
    if (write.mode === 'absolute') {
      for (const p of plan.postings)
        store.setBalance(p.account, p.unit, write.from.balance(p.account, p.unit) + p.amount);
    }
    plan.after?.();
    if (req.op.kind === 'purchase') {
      const op = req.op;
      store.addPurchase({ opId, viewer: op.viewerId, channel: op.channel, pack: op.pack });
    }
    return { status: 201, json, seq };
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

/** A plan the kernel accepted: the entry, and the answer's fields (built once the entry is committed). */
function accepted(
  kind: EntryKind,
  postings: Posting[],
  body: () => Record<string, unknown>,
  more: Pick<Accepted, 'carry' | 'after'> = {},
): Accepted {
  return { ok: true, kind, postings, body, ...more };
}

function refused(status: Status, facts: Facts): Extract<Plan, { ok: false }> {
  assert(status !== Status.Ok, 'a refusal needs a refusing status');
  return { ok: false, status: STATUSES[status].http, body: refusal(status, facts) };
}
