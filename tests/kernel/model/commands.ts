/**
 * One model-based command per operation: `check` is the precondition, `run` sends the request to every
 * store (the in-memory ledger and the reference API's book), asserts each answer against the model,
 * updates the model, then asserts every balance of every store.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { BP } from '../../../common/limits.ts';
import type { Economy } from '../../../sim/economy/types.ts';
import { Status } from '../../../sim/kernel/status.ts';
import { CREATORS, type Request, VIEWERS } from '../../support/arbitraries.ts';
import { assertMatches, freshKey, type LedgerModel, wholeCentDiamonds } from './model.ts';
import type { Answer, Store } from './stores.ts';

type StoreCommand = fc.AsyncCommand<LedgerModel, Store[]>;

/** Sends `request` to every store; each must answer `expected` (a new answer, not a replay). */
async function sendFresh(
  model: LedgerModel,
  stores: Store[],
  request: Request,
  expected: Status,
  recorded = true,
): Promise<Answer[]> {
  const answers: Answer[] = [];
  if (expected === Status.Ok) model.entries++;
  for (const store of stores) {
    const got = await store.send(request);
    expect(
      Status[got.status],
      got.body === undefined ? store.name : `${store.name}: ${JSON.stringify(got.body)}`,
    ).toBe(Status[expected]);
    expect(got.replayed, store.name).toBe(false);
    expect(got.seq, store.name).toBe(expected === Status.Ok ? model.entries : 0);
    answers.push(got);
  }
  if (recorded) model.keys.set(request.opId!, { request, status: expected, seq: answers[0].seq, answers });
  return answers;
}

function assertAll(model: LedgerModel, stores: Store[]): void {
  for (const store of stores) assertMatches(model, store);
}

export class PurchaseCommand implements StoreCommand {
  constructor(
    readonly viewer: number,
    readonly channel: number,
    readonly pack: number,
  ) {}
  check = () => true;
  async run(model: LedgerModel, stores: Store[]): Promise<void> {
    const opId = freshKey(model);
    const request: Request = {
      kind: 'purchase',
      viewer: this.viewer,
      channel: this.channel,
      pack: this.pack,
      opId,
    };
    const answers = await sendFresh(model, stores, request, Status.Ok);
    const coins = model.economy.channels[this.channel].packs[this.pack].coins;
    model.coins[this.viewer] += coins;
    model.purchases.set(opId, { viewer: this.viewer, coins, refunded: false });
    for (const a of answers) if (a.body) expect(a.body.balance).toEqual({ coins: model.coins[this.viewer] });
    assertAll(model, stores);
  }
  toString = () => `purchase(viewer ${this.viewer}, channel ${this.channel}, pack ${this.pack})`;
}

export class GiftCommand implements StoreCommand {
  constructor(
    readonly viewer: number,
    readonly creator: number,
    readonly gift: number,
    readonly count: number,
  ) {}
  check = () => true;
  async run(model: LedgerModel, stores: Store[]): Promise<void> {
    const { viewer, creator, gift, count } = this;
    const coins = model.economy.gifts[gift].coins * count;
    const held = model.coins[viewer];
    const affordable = held >= coins;
    const request: Request = { kind: 'gift', viewer, creator, gift, count, opId: freshKey(model) };
    const answers = await sendFresh(
      model,
      stores,
      request,
      affordable ? Status.Ok : Status.InsufficientCoins,
    );
    const before = model.diamonds[creator];
    if (affordable) {
      model.coins[viewer] -= coins;
      model.owedBp[creator] += coins * model.economy.creatorShareBp;
      const credited = Math.floor(model.owedBp[creator] / BP);
      model.diamonds[creator] += credited - model.credited[creator];
      model.credited[creator] = credited;
    }
    for (const { body } of answers) {
      if (body === undefined) continue;
      if (affordable) {
        expect(body.balance).toEqual({ coins: model.coins[viewer] });
        expect(body.diamonds).toBe(model.diamonds[creator] - before);
      } else {
        expect(body).toMatchObject({
          balance: held,
          required: coins,
          shortfall: coins - held,
          field: 'count',
        });
      }
    }
    assertAll(model, stores);
  }
  toString = () => `gift(viewer ${this.viewer} → creator ${this.creator}, gift ${this.gift} × ${this.count})`;
}

/** Asks for `percent` % of the creator's balance (at least 1) when set, else for `diamonds`. */
export class WithdrawCommand implements StoreCommand {
  constructor(
    readonly creator: number,
    readonly diamonds: number,
    readonly percent: number | undefined,
  ) {}
  check = () => true;
  async run(model: LedgerModel, stores: Store[]): Promise<void> {
    const { creator } = this;
    const held = model.diamonds[creator];
    const asked =
      this.percent === undefined ? this.diamonds : Math.max(1, Math.floor((held * this.percent) / 100));
    const taken = wholeCentDiamonds(model.economy.diamondValueMilliCents, asked);
    const minimum = model.economy.withdrawal.minDiamonds;
    const expected =
      taken === 0 || taken < minimum
        ? Status.BelowMinimum
        : taken > held
          ? Status.InsufficientDiamonds
          : Status.Ok;
    const request: Request = { kind: 'withdraw', creator, diamonds: asked, opId: freshKey(model) };
    const answers = await sendFresh(model, stores, request, expected);
    if (expected === Status.Ok) model.diamonds[creator] -= taken;
    for (const { body } of answers) {
      if (body === undefined) continue;
      if (expected === Status.Ok) {
        expect(body).toMatchObject({ diamonds: taken, requestedDiamonds: asked });
        expect(body.balance).toEqual({ diamonds: model.diamonds[creator] });
      } else if (expected === Status.BelowMinimum) expect(body.minimum).toBe(minimum);
      else expect(body).toMatchObject({ balance: held, required: taken, shortfall: taken - held });
    }
    assertAll(model, stores);
  }
  toString = () =>
    `withdraw(creator ${this.creator}, ${this.percent === undefined ? this.diamonds : `${this.percent} % of the`} diamonds)`;
}

/** Refunds the `pick`-th purchase made so far, or a purchase that never happened. */
export class RefundCommand implements StoreCommand {
  constructor(
    readonly pick: number,
    readonly unknown: boolean,
  ) {}
  check = () => true;
  async run(model: LedgerModel, stores: Store[]): Promise<void> {
    const made = [...model.purchases.keys()];
    const opId = freshKey(model);
    if (this.unknown || made.length === 0) {
      const request: Request = { kind: 'refund', purchaseOpId: `never-${opId}`, opId };
      await sendFresh(model, stores, request, Status.UnknownPurchase, false);
      assertAll(model, stores);
      return;
    }
    const purchaseOpId = made[this.pick % made.length];
    const purchase = model.purchases.get(purchaseOpId)!;
    const expected = purchase.refunded
      ? Status.AlreadyRefunded
      : model.coins[purchase.viewer] < purchase.coins
        ? Status.InsufficientCoins
        : Status.Ok;
    await sendFresh(model, stores, { kind: 'refund', purchaseOpId, opId }, expected);
    if (expected === Status.Ok) {
      model.coins[purchase.viewer] -= purchase.coins;
      purchase.refunded = true;
    }
    assertAll(model, stores);
  }
  toString = () => (this.unknown ? 'refund(a purchase never made)' : `refund(purchase #${this.pick})`);
}

/** A purchase or gift naming a channel, pack or gift the economy lacks: refused, the key not recorded. */
export class UnknownIdCommand implements StoreCommand {
  constructor(
    readonly what: 'channel' | 'pack' | 'gift',
    readonly viewer: number,
  ) {}
  check = () => true;
  async run(model: LedgerModel, stores: Store[]): Promise<void> {
    const e = model.economy;
    const opId = freshKey(model);
    const request: Request =
      this.what === 'gift'
        ? { kind: 'gift', viewer: this.viewer, creator: 0, gift: e.gifts.length, count: 1, opId }
        : this.what === 'channel'
          ? { kind: 'purchase', viewer: this.viewer, channel: e.channels.length, pack: 0, opId }
          : { kind: 'purchase', viewer: this.viewer, channel: 0, pack: e.channels[0].packs.length, opId };
    const expected = { channel: Status.UnknownChannel, pack: Status.UnknownPack, gift: Status.UnknownGift };
    await sendFresh(model, stores, request, expected[this.what], false);
    // The key was not recorded: a valid request under it is new.
    const valid: Request = { kind: 'purchase', viewer: this.viewer, channel: 0, pack: 0, opId };
    await sendFresh(model, stores, valid, Status.Ok);
    const coins = e.channels[0].packs[0].coins;
    model.coins[this.viewer] += coins;
    model.purchases.set(opId, { viewer: this.viewer, coins, refunded: false });
    assertAll(model, stores);
  }
  toString = () => `unknown-${this.what}(viewer ${this.viewer}), then a purchase under its key`;
}

/** Sends the `pick`-th answered key's request again: the first answer comes back, nothing changes. */
export class ReplayCommand implements StoreCommand {
  constructor(readonly pick: number) {}
  check = (model: Readonly<LedgerModel>) => model.keys.size > 0;
  async run(model: LedgerModel, stores: Store[]): Promise<void> {
    const first = [...model.keys.values()][this.pick % model.keys.size];
    for (const [i, store] of stores.entries()) {
      const got = await store.send(first.request);
      expect(Status[got.status], store.name).toBe(Status[first.status]);
      expect(got.replayed, store.name).toBe(true);
      expect(got.seq, store.name).toBe(first.seq);
      expect(got.body, store.name).toEqual(first.answers[i].body);
    }
    assertAll(model, stores);
  }
  toString = () => `replay(key #${this.pick})`;
}

/**
 * Sends a different request of the same principal under the `pick`-th answered key: a conflict, nothing
 * changes. (The API scopes keys per principal — another principal's key is a new key there, tested in
 * tests/target/api.test.ts — so the request stays with the first one's viewer, creator or admin.)
 */
export class ConflictingReplayCommand implements StoreCommand {
  constructor(
    readonly pick: number,
    readonly creator: number,
    /** Which field of a gift differs (0: another kind of request; 1 count, 2 gift, 3 creator). */
    readonly variant = 0,
  ) {}
  check = (model: Readonly<LedgerModel>) => model.keys.size > 0;
  async run(model: LedgerModel, stores: Store[]): Promise<void> {
    const first = [...model.keys.values()][this.pick % model.keys.size];
    const request = sameCaller(model, first.request, this.creator, this.variant);
    if (request === undefined) return;
    for (const store of stores) {
      const got = await store.send(request);
      expect(Status[got.status], store.name).toBe(Status[Status.IdempotencyConflict]);
      expect(got.replayed, store.name).toBe(false);
      if (got.body) expect(got.body.field).toBe('Idempotency-Key');
    }
    assertAll(model, stores);
  }
  toString = () =>
    `conflicting-replay(key #${this.pick}, creator ${this.creator} where a gift needs one, variant ${this.variant})`;
}

/**
 * Another valid request of `first`'s principal under its key; undefined when there is none (a refund of
 * the only purchase). A gift's conflict is another kind of request, or the same gift with one field
 * changed (`variant`): its count, its gift, its creator — each must be part of its fingerprint.
 */
function sameCaller(
  model: Readonly<LedgerModel>,
  first: Request,
  creator: number,
  variant: number,
): Request | undefined {
  const opId = first.opId;
  switch (first.kind) {
    case 'purchase':
      return { kind: 'gift', viewer: first.viewer, creator, gift: 0, count: 1, opId };
    case 'gift': {
      const gifts = model.economy.gifts.length;
      if (variant === 1) return { ...first, count: first.count === 1 ? 2 : first.count - 1, opId };
      if (variant === 2 && gifts > 1) return { ...first, gift: (first.gift + 1) % gifts, opId };
      if (variant === 3 && creator !== first.creator) return { ...first, creator, opId };
      return { kind: 'purchase', viewer: first.viewer, channel: 0, pack: 0, opId };
    }
    case 'withdraw':
      return { kind: 'withdraw', creator: first.creator, diamonds: first.diamonds === 1 ? 2 : 1, opId };
    case 'refund': {
      const other = [...model.purchases.keys()].find((k) => k !== first.purchaseOpId);
      return other === undefined ? undefined : { kind: 'refund', purchaseOpId: other, opId };
    }
  }
}

/** Reads a viewer's and a creator's balances as a client does. */
export class BalancesCommand implements StoreCommand {
  constructor(
    readonly viewer: number,
    readonly creator: number,
  ) {}
  check = () => true;
  async run(model: LedgerModel, stores: Store[]): Promise<void> {
    const { viewer, creator } = this;
    const received = model.owedBp[creator] / model.economy.creatorShareBp;
    for (const store of stores) {
      const got = await store.balances(viewer, creator);
      expect(got.coins, store.name).toBe(model.coins[viewer]);
      expect(got.creator.diamonds, store.name).toBe(model.diamonds[creator]);
      if (model.economy.creatorShareBp > 0) expect(got.creator.coinsReceived, store.name).toBe(received);
    }
    assertAll(model, stores);
  }
  toString = () => `balances(viewer ${this.viewer}, creator ${this.creator})`;
}

/** Every command, with arguments drawn for `economy`. */
export function storeCommands(economy: Economy): fc.Arbitrary<StoreCommand>[] {
  const viewer = fc.nat(VIEWERS - 1);
  const creator = fc.nat(CREATORS - 1);
  const purchase = fc
    .nat(economy.channels.length - 1)
    .chain((ch) => fc.tuple(viewer, fc.constant(ch), fc.nat(economy.channels[ch].packs.length - 1)))
    .map(([v, ch, p]) => new PurchaseCommand(v, ch, p));
  const gift = fc
    .tuple(
      viewer,
      creator,
      fc.nat(economy.gifts.length - 1),
      fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 50 })),
    )
    .map(([v, c, g, n]) => new GiftCommand(v, c, g, n));
  const withdraw = fc
    .tuple(
      creator,
      fc.integer({ min: 1, max: 5_000 }),
      fc.option(fc.integer({ min: 1, max: 120 }), { nil: undefined }),
    )
    .map(([c, d, pct]) => new WithdrawCommand(c, d, pct));
  return [
    purchase,
    purchase,
    gift,
    gift,
    gift,
    withdraw,
    fc.tuple(fc.nat(63), fc.boolean()).map(([pick, unknown]) => new RefundCommand(pick, unknown)),
    fc.nat(63).map((pick) => new ReplayCommand(pick)),
    fc.tuple(fc.nat(63), creator, fc.nat(3)).map(([pick, c, v]) => new ConflictingReplayCommand(pick, c, v)),
    fc
      .tuple(fc.constantFrom('channel' as const, 'pack' as const, 'gift' as const), viewer)
      .map(([what, v]) => new UnknownIdCommand(what, v)),
    fc.tuple(viewer, creator).map(([v, c]) => new BalancesCommand(v, c)),
  ];
}
