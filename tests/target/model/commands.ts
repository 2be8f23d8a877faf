/**
 * Model-based commands for the reference API. The model is the in-memory `Ledger` (the simulation's
 * reference bookkeeping) plus the requests sent so far; each command sends one request through
 * `app.inject`, predicts its answer from the ledger, and compares. Indices are taken modulo what the
 * economy and the history hold when the command runs, so any generated sequence is runnable.
 */
import type fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { UsersFile } from '../../../load/users-file.ts';
import type { Economy } from '../../../sim/economy/types.ts';
import type { EntryKind } from '../../../sim/ledger/journal.ts';
import type { Ledger } from '../../../sim/ledger/ledger.ts';
import { Status } from '../../../sim/ledger/status.ts';
import { auth } from '../support/server.ts';

export interface Sent {
  kind: EntryKind;
  url: string;
  token: string;
  key: string;
  body: Record<string, unknown>;
  status: number;
  answer: Record<string, unknown>;
}

export interface Model {
  ledger: Ledger;
  economy: Economy;
  sent: Sent[];
  nextKey: number;
}

export interface Real {
  app: FastifyInstance;
  users: UsersFile;
}

type Cmd = fc.AsyncCommand<Model, Real>;

const HTTP: Record<Status, number> = {
  [Status.Ok]: 201,
  [Status.InsufficientCoins]: 409,
  [Status.InsufficientDiamonds]: 409,
  [Status.BelowMinimum]: 422,
  [Status.UnknownChannel]: 400,
  [Status.UnknownPack]: 400,
  [Status.UnknownGift]: 400,
  [Status.BadAmount]: 400,
  [Status.IdempotencyConflict]: 422,
  [Status.UnknownPurchase]: 404,
  [Status.AlreadyRefunded]: 409,
};

const URLS: Record<EntryKind, string> = {
  purchase: '/v1/purchases',
  gift: '/v1/gifts',
  withdrawal: '/v1/withdrawals',
  refund: '/v1/refunds',
};

async function send(real: Real, s: Omit<Sent, 'status' | 'answer'>) {
  const r = await real.app.inject({
    method: 'POST',
    url: s.url,
    headers: auth(s.token, s.key),
    payload: s.body,
  });
  return {
    status: r.statusCode,
    answer: r.json() as Record<string, unknown>,
    replayed: r.headers['idempotent-replayed'] === 'true',
  };
}

/** Applies `request` to the ledger (the model) and returns its status. */
function predict(model: Model, s: Pick<Sent, 'kind' | 'key' | 'body'>): Status {
  const l = model.ledger;
  const b = s.body as Record<string, never>;
  const e = model.economy;
  switch (s.kind) {
    case 'purchase': {
      const ch = e.channels.findIndex((c) => c.id === b.channel);
      return l.purchase(
        b.viewerId,
        ch,
        e.channels[ch].packs.findIndex((p) => p.id === b.pack),
        0,
        s.key,
      );
    }
    case 'gift':
      return l.gift(
        b.viewerId,
        b.creatorId,
        e.gifts.findIndex((g) => g.id === b.giftId),
        b.count,
        0,
        s.key,
      );
    case 'withdrawal':
      return l.withdraw(b.creatorId, b.diamonds, 0, s.key);
    case 'refund':
      return l.refund(b.purchaseOpId, 0, s.key);
  }
}

/** Sends a new request (new key), checks the answer against the model, remembers it. */
async function sendNew(
  model: Model,
  real: Real,
  kind: EntryKind,
  token: string,
  body: Record<string, unknown>,
) {
  const key = `k${model.nextKey++}`;
  const status = predict(model, { kind, key, body });
  const got = await send(real, { kind, url: URLS[kind], token, key, body });
  expect(got.status, JSON.stringify(got.answer)).toBe(HTTP[status]);
  expect(got.replayed).toBe(false);
  if (status === Status.Ok) {
    expect(got.answer.seq).toBe(model.ledger.lastSeq);
    expect(got.answer.opId).toBe(key);
  }
  model.sent.push({ kind, url: URLS[kind], token, key, body, status: got.status, answer: got.answer });
  return got;
}

export class PurchaseCommand implements Cmd {
  constructor(
    readonly viewer: number,
    readonly channel: number,
    readonly pack: number,
  ) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const ch = model.economy.channels[this.channel % model.economy.channels.length];
    const pack = ch.packs[this.pack % ch.packs.length];
    const v = real.users.viewers[this.viewer];
    const got = await sendNew(model, real, 'purchase', v.token, {
      viewerId: v.id,
      channel: ch.id,
      pack: pack.id,
    });
    if (got.status === 201) expect(got.answer.balance).toEqual({ coins: model.ledger.coinsOf(v.id) });
  }
  toString = () => `purchase(v${this.viewer}, ch${this.channel}, p${this.pack})`;
}

export class GiftCommand implements Cmd {
  constructor(
    readonly viewer: number,
    readonly creator: number,
    readonly gift: number,
    readonly count: number,
  ) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const gift = model.economy.gifts[this.gift % model.economy.gifts.length];
    const v = real.users.viewers[this.viewer];
    const c = real.users.creators[this.creator];
    const before = model.ledger.diamondsOf(c.id);
    const body = {
      viewerId: v.id,
      creatorId: c.id,
      giftId: gift.id,
      count: this.count,
      context: { kind: 'stream', id: 's' },
    };
    const got = await sendNew(model, real, 'gift', v.token, body);
    if (got.status === 201) {
      expect(got.answer.balance).toEqual({ coins: model.ledger.coinsOf(v.id) });
      expect(got.answer.diamonds).toBe(model.ledger.diamondsOf(c.id) - before);
    }
    if (got.status === 409)
      expect(got.answer.shortfall).toBe(gift.coins * this.count - model.ledger.coinsOf(v.id));
  }
  toString = () => `gift(v${this.viewer} → c${this.creator}, g${this.gift} × ${this.count})`;
}

export class WithdrawCommand implements Cmd {
  /** `percent` of the creator's diamonds when set (so that many withdrawals can succeed), else `diamonds`. */
  constructor(
    readonly creator: number,
    readonly diamonds: number,
    readonly percent: number | undefined,
  ) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const c = real.users.creators[this.creator];
    const held = model.ledger.diamondsOf(c.id);
    const diamonds =
      this.percent === undefined ? this.diamonds : Math.max(1, Math.floor((held * this.percent) / 100));
    const got = await sendNew(model, real, 'withdrawal', c.token, { creatorId: c.id, diamonds });
    if (got.status === 201) expect(got.answer.balance).toEqual({ diamonds: model.ledger.diamondsOf(c.id) });
  }
  toString = () =>
    `withdraw(c${this.creator}, ${this.percent === undefined ? this.diamonds : `${this.percent}%`})`;
}

export class RefundCommand implements Cmd {
  constructor(readonly back: number) {}
  check = (model: Readonly<Model>) => model.sent.some((s) => s.kind === 'purchase');
  async run(model: Model, real: Real) {
    const purchases = model.sent.filter((s) => s.kind === 'purchase');
    const target = purchases[purchases.length - 1 - (this.back % purchases.length)];
    await sendNew(model, real, 'refund', real.users.adminToken, { purchaseOpId: target.key });
  }
  toString = () => `refund(purchase -${this.back})`;
}

/** Sends an earlier request again, unchanged: the first answer comes back and nothing changes. */
export class ReplayCommand implements Cmd {
  constructor(readonly back: number) {}
  check = (model: Readonly<Model>) => model.sent.length > 0;
  async run(model: Model, real: Real) {
    const first = model.sent[model.sent.length - 1 - (this.back % model.sent.length)];
    const seq = model.ledger.entryCount;
    const status = predict(model, first);
    const got = await send(real, first);
    expect(model.ledger.entryCount).toBe(seq);
    expect(got.status).toBe(HTTP[status]);
    // Answers that were recorded (accepted or refused by a balance rule) come back verbatim.
    const recorded =
      first.status === 201 || first.status === 409 || first.answer.code === 'GIFT_ERR_BELOW_MINIMUM';
    if (recorded) {
      expect(got.answer).toEqual(first.answer);
      expect(got.replayed).toBe(true);
    }
  }
  toString = () => `replay(-${this.back})`;
}

/** Reuses an earlier key with a different request: 422, nothing changes. */
export class ConflictCommand implements Cmd {
  constructor(readonly back: number) {}
  check = (model: Readonly<Model>) => model.sent.some((s) => s.kind === 'gift');
  async run(model: Model, real: Real) {
    const first = model.sent[model.sent.length - 1 - (this.back % model.sent.length)];
    const gifts = model.sent.filter((s) => s.kind === 'gift');
    const template = gifts[gifts.length - 1];
    const body = {
      ...template.body,
      count: (template.body.count as number) + (first.kind === 'gift' ? 1 : 0),
    };
    const seq = model.ledger.entryCount;
    const status = predict(model, { kind: 'gift', key: first.key, body });
    const got = await send(real, { ...template, key: first.key, body });
    expect(model.ledger.entryCount).toBe(seq);
    expect(got.status, JSON.stringify(got.answer)).toBe(HTTP[status]);
    if (status === Status.IdempotencyConflict) expect(got.answer.code).toBe('GIFT_ERR_IDEMPOTENCY_CONFLICT');
  }
  toString = () => `conflict(key of -${this.back})`;
}

export class BalancesCommand implements Cmd {
  constructor(
    readonly viewer: number,
    readonly creator: number,
  ) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const v = real.users.viewers[this.viewer];
    const c = real.users.creators[this.creator];
    const coins = await real.app.inject({ url: `/v1/viewers/${v.id}/balance`, headers: auth(v.token) });
    expect(coins.json()).toEqual({ viewerId: v.id, coins: model.ledger.coinsOf(v.id) });
    const diamonds = await real.app.inject({ url: `/v1/creators/${c.id}/balance`, headers: auth(c.token) });
    expect(diamonds.json()).toEqual({
      creatorId: c.id,
      coinsReceived: model.ledger.coinsReceivedBy(c.id),
      diamonds: model.ledger.diamondsOf(c.id),
      carryBp: model.ledger.carryOf(c.id),
      paidOutCents: model.ledger.paidOutCentsTo(c.id),
    });
  }
  toString = () => `balances(v${this.viewer}, c${this.creator})`;
}
