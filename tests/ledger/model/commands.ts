/**
 * One model-based command per operation: `check` is the precondition, `run` sends the request to the
 * real ledger, asserts the answer against the model, updates the model, then asserts every balance.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { BP } from '../../../common/limits.ts';
import type { Economy } from '../../../sim/economy/types.ts';
import type { Ledger } from '../../../sim/ledger/ledger.ts';
import { Status } from '../../../sim/ledger/status.ts';
import { CREATORS, fingerprint, type Request, send, VIEWERS } from '../../support/arbitraries.ts';
import { assertMatches, freshKey, type LedgerModel, wholeCentDiamonds } from './model.ts';

type LedgerCommand = fc.Command<LedgerModel, Ledger>;

/** Sends a request under a new key, checks the status, and records the key's first answer. */
function sendFresh(model: LedgerModel, real: Ledger, request: Request, expected: Status): void {
  const got = send(real, request, model.entries);
  expect(Status[got.status]).toBe(Status[expected]);
  expect(got.replayed).toBe(false);
  if (expected === Status.Ok) model.entries++;
  expect(got.seq).toBe(expected === Status.Ok ? model.entries : 0);
  model.keys.set(request.opId!, { request, status: expected, seq: got.seq });
}

export class PurchaseCommand implements LedgerCommand {
  constructor(
    readonly viewer: number,
    readonly channel: number,
    readonly pack: number,
  ) {}
  check = () => true;
  run(model: LedgerModel, real: Ledger): void {
    const opId = freshKey(model);
    sendFresh(
      model,
      real,
      { kind: 'purchase', viewer: this.viewer, channel: this.channel, pack: this.pack, opId },
      Status.Ok,
    );
    const coins = model.economy.channels[this.channel].packs[this.pack].coins;
    model.coins[this.viewer] += coins;
    model.purchases.set(opId, { viewer: this.viewer, coins, refunded: false });
    assertMatches(model, real);
  }
  toString = () => `purchase(viewer ${this.viewer}, channel ${this.channel}, pack ${this.pack})`;
}

export class GiftCommand implements LedgerCommand {
  constructor(
    readonly viewer: number,
    readonly creator: number,
    readonly gift: number,
    readonly count: number,
  ) {}
  check = () => true;
  run(model: LedgerModel, real: Ledger): void {
    const { viewer, creator, gift, count } = this;
    const coins = model.economy.gifts[gift].coins * count;
    const affordable = model.coins[viewer] >= coins;
    const request: Request = { kind: 'gift', viewer, creator, gift, count, opId: freshKey(model) };
    sendFresh(model, real, request, affordable ? Status.Ok : Status.InsufficientCoins);
    if (affordable) {
      model.coins[viewer] -= coins;
      model.owedBp[creator] += coins * model.economy.creatorShareBp;
      const credited = Math.floor(model.owedBp[creator] / BP);
      model.diamonds[creator] += credited - model.credited[creator];
      model.credited[creator] = credited;
    }
    assertMatches(model, real);
  }
  toString = () => `gift(viewer ${this.viewer} → creator ${this.creator}, gift ${this.gift} × ${this.count})`;
}

/** Asks for `percent` % of the creator's balance (at least 1) when set, else for `diamonds`. */
export class WithdrawCommand implements LedgerCommand {
  constructor(
    readonly creator: number,
    readonly diamonds: number,
    readonly percent: number | undefined,
  ) {}
  check = () => true;
  run(model: LedgerModel, real: Ledger): void {
    const { creator } = this;
    const held = model.diamonds[creator];
    const asked =
      this.percent === undefined ? this.diamonds : Math.max(1, Math.floor((held * this.percent) / 100));
    const taken = wholeCentDiamonds(model.economy.diamondValueMilliCents, asked);
    const expected =
      taken === 0 || taken < model.economy.withdrawal.minDiamonds
        ? Status.BelowMinimum
        : taken > held
          ? Status.InsufficientDiamonds
          : Status.Ok;
    sendFresh(model, real, { kind: 'withdraw', creator, diamonds: asked, opId: freshKey(model) }, expected);
    if (expected === Status.Ok) model.diamonds[creator] -= taken;
    assertMatches(model, real);
  }
  toString = () =>
    `withdraw(creator ${this.creator}, ${this.percent === undefined ? this.diamonds : `${this.percent} % of the`} diamonds)`;
}

/** Refunds the `pick`-th purchase made so far, or a purchase that never happened. */
export class RefundCommand implements LedgerCommand {
  constructor(
    readonly pick: number,
    readonly unknown: boolean,
  ) {}
  check = () => true;
  run(model: LedgerModel, real: Ledger): void {
    const made = [...model.purchases.keys()];
    const opId = freshKey(model);
    if (this.unknown || made.length === 0) {
      const got = send(real, { kind: 'refund', purchaseOpId: `never-${opId}`, opId }, model.entries);
      expect(Status[got.status]).toBe(Status[Status.UnknownPurchase]);
      assertMatches(model, real);
      return;
    }
    const purchaseOpId = made[this.pick % made.length];
    const purchase = model.purchases.get(purchaseOpId)!;
    const expected = purchase.refunded
      ? Status.AlreadyRefunded
      : model.coins[purchase.viewer] < purchase.coins
        ? Status.InsufficientCoins
        : Status.Ok;
    sendFresh(model, real, { kind: 'refund', purchaseOpId, opId }, expected);
    if (expected === Status.Ok) {
      model.coins[purchase.viewer] -= purchase.coins;
      purchase.refunded = true;
    }
    assertMatches(model, real);
  }
  toString = () => (this.unknown ? 'refund(a purchase never made)' : `refund(purchase #${this.pick})`);
}

/** Sends the `pick`-th answered key's request again: the first answer comes back, nothing changes. */
export class ReplayCommand implements LedgerCommand {
  constructor(readonly pick: number) {}
  check = (model: Readonly<LedgerModel>) => model.keys.size > 0;
  run(model: LedgerModel, real: Ledger): void {
    const first = [...model.keys.values()][this.pick % model.keys.size];
    const got = send(real, first.request, model.entries);
    expect(Status[got.status]).toBe(Status[first.status]);
    expect(got.replayed).toBe(true);
    if (first.status === Status.Ok) expect(real.lastSeq).toBe(first.seq);
    assertMatches(model, real);
  }
  toString = () => `replay(key #${this.pick})`;
}

/** Sends a different request under the `pick`-th answered key: a conflict, nothing changes. */
export class ConflictingReplayCommand implements LedgerCommand {
  constructor(
    readonly pick: number,
    readonly creator: number,
  ) {}
  check = (model: Readonly<LedgerModel>) => model.keys.size > 0;
  run(model: LedgerModel, real: Ledger): void {
    const first = [...model.keys.values()][this.pick % model.keys.size];
    const other: Request = { kind: 'withdraw', creator: this.creator, diamonds: 1, opId: first.request.opId };
    const request = fingerprint(other) === fingerprint(first.request) ? { ...other, diamonds: 2 } : other;
    const got = send(real, request, model.entries);
    expect(Status[got.status]).toBe(Status[Status.IdempotencyConflict]);
    expect(got.replayed).toBe(false);
    assertMatches(model, real);
  }
  toString = () => `conflicting-replay(key #${this.pick}, as a withdrawal for creator ${this.creator})`;
}

/** Every command, with arguments drawn for `economy`. */
export function ledgerCommands(economy: Economy): fc.Arbitrary<LedgerCommand>[] {
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
    fc.tuple(fc.nat(63), creator).map(([pick, c]) => new ConflictingReplayCommand(pick, c)),
  ];
}
