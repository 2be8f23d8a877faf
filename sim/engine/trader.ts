/**
 * Money moves: a viewer picks a gift it can afford (and how many at once), buys packs when its coins
 * fall short, sends the gift; a creator whose diamonds pass the threshold withdraws. Every purchase, gift and withdrawal is
 * a call on the core Ledger — prices, fees, shares and rounding are the ledger's, never redone here.
 */
import { AssertionError, assert } from '../../common/assert.ts';
import { DAY_SECONDS, limits, modelLimits } from '../../common/limits.ts';
import type { Economy } from '../economy/types.ts';
import { codeOf, Status } from '../kernel/status.ts';
import type { LedgerTotals } from '../ledger/ledger.ts';
import { accrualSeconds, walletCents, walletSpanSeconds } from '../model/budget.ts';
import type { Creators } from '../model/creators.ts';
import type { MarketState } from '../model/market.ts';
import { type ModelParams, Motive } from '../model/params.ts';
import { BOOSTED, LIVE, type Viewers } from '../model/viewers.ts';
import type { Rng } from '../random/index.ts';
import type { Recorder } from './recorder.ts';

export interface TraderFaults {
  /** Send gifts without buying the coins first (with a ledger that does not check: an overdraft). */
  skipPurchases?: boolean;
}

/**
 * What the Trader asks of a ledger: the core Ledger in a run; the days before a run trade on a purse
 * that keeps one payer's coins (opening.ts).
 */
export interface TraderLedger {
  readonly economy: Economy;
  readonly totals: Pick<LedgerTotals, 'diamondsCredited' | 'diamondsWithdrawn'>;
  coinsOf(viewer: number): number;
  diamondsOf(creator: number): number;
  purchase(viewer: number, channel: number, pack: number, at: number): Status;
  gift(viewer: number, creator: number, gift: number, count: number, at: number): Status;
  withdraw(creator: number, diamonds: number, at: number): Status;
}

export class Trader {
  /** The timeseries row that flows are booked to; the engine moves it on. */
  interval = 0;
  /** What is on sale now; the engine moves it on at each price event. */
  market: MarketState;

  constructor(
    private readonly ledger: TraderLedger,
    private readonly params: ModelParams,
    private readonly viewers: Viewers,
    private readonly creators: Creators,
    private readonly recorder: Recorder,
    private readonly rng: Rng,
    private readonly faults: TraderFaults = {},
  ) {
    this.market = params.market[0];
    this.firstArrival = params.viewers;
  }

  /**
   * The viewer number of the first viewer who arrives during the run (the engine's: fewer with a crowd).
   * Compared with viewer numbers, never slots: a reused slot of a viewer present at the start may hold
   * an arrival, and a slot past this one need not.
   */
  firstArrival: number;

  /**
   * The viewer in slot `v` gifts to the stream it watches, or to a video, at second `t` — if it can
   * afford a gift. Slots are the engine's; the ledger's accounts are viewer numbers (Viewers.idOf).
   */
  giftFrom(v: number, t: number): void {
    const { viewers, creators, params } = this;
    const live = (viewers.state(v) & LIVE) !== 0;
    const catalogue = params.catalogue;
    const id = viewers.idOf(v);
    const reach =
      this.ledger.coinsOf(id) + this.market.shelves.reach(viewers.channel[v], this.walletOf(v, t));
    const n = catalogue.affordable(reach);
    if (n === 0) return;
    const creator = live ? viewers.watching(v) : creators.pickVideo(this.rng);
    if (creator < 0) return; // nobody on the platform has videos (creators who left took theirs)
    const target = this.pace(v);
    let g = catalogue.pick(this.rng, n, viewers.motive(v) === Motive.Visibility, target, params.budgetPacing);
    if (g < 0) return;
    let count = this.comboSize(g, target, reach);
    if (!this.faults.skipPurchases) {
      const held = this.ledger.coinsOf(id);
      if (held < catalogue.coins[g] * count) this.buyFor(v, catalogue.coins[g] * count - held, t);
      // The rule covers anything within reach; fewer or a smaller gift is the fallback should it not.
      const coins = this.ledger.coinsOf(id);
      count = Math.min(count, Math.floor(coins / catalogue.coins[g]));
      if (count === 0) {
        g = catalogue.affordable(coins) - 1;
        count = 1;
      }
      if (g < 0) return;
    }
    this.send(v, creator, g, count, live, t);
    this.answer(v, live);
    this.withdrawIfDue(creator, t);
  }

  /**
   * The first second from `t` on at which payer `v` may afford a gift: `t` when its coins cover the
   * cheapest one, else the second its wallet holds its channel's cheapest pack (every try before then
   * would find nothing affordable, so the engine makes none).
   */
  affordableFrom(v: number, t: number): number {
    const { viewers, params } = this;
    if (this.ledger.coinsOf(viewers.idOf(v)) >= params.catalogue.cheapestCoins) return t;
    const cheapest = this.market.shelves.cheapestCostCents(viewers.channel[v]);
    return Math.max(t, viewers.walletSince[v] + accrualSeconds(cheapest, viewers.budgetPerDayCents(v)));
  }

  /**
   * Payer v's budget a day becomes `cents` at second t; its wallet keeps what it holds (rounded down:
   * a new budget never adds to a wallet). A wallet that opens later is left to open then.
   */
  rebudget(v: number, t: number, cents: number): void {
    const viewers = this.viewers;
    if (cents === viewers.budgetPerDayCents(v)) return;
    const opened = viewers.walletSince[v] <= t;
    const wallet = opened ? this.walletOf(v, t) : 0;
    viewers.setBudgetPerDayCents(v, cents);
    if (opened) viewers.walletSince[v] = t - Math.floor((wallet * DAY_SECONDS) / cents);
  }

  /** Cents in the payer's wallet at second `t` (reference cents: see demand.ts). */
  private walletOf(v: number, t: number): number {
    const viewers = this.viewers;
    const perDay = viewers.budgetPerDayCents(v);
    const span = walletSpanSeconds(perDay, this.market.shelves.cheapestCostCents(viewers.channel[v]));
    return walletCents(perDay, viewers.walletSince[v], t, span);
  }

  /** The gift size, in coins, that would spend the payer's budget per day over the gifts it tries a day. */
  private pace(v: number): number {
    const viewers = this.viewers;
    const budget = viewers.budgetPerDayCents(v);
    return (budget * this.market.shelves.coinsPerCostCent(viewers.channel[v])) / this.params.expectedGifts;
  }

  private buyFor(v: number, needCoins: number, t: number): void {
    const viewers = this.viewers;
    const channel = viewers.channel[v];
    // A first-purchase bonus reaches a viewer who arrived during the run, on its first pack only.
    const first = this.market.firstShelves;
    const id = viewers.idOf(v);
    let shelves =
      first !== null && id >= this.firstArrival && viewers.purchases[v] === 0 ? first : this.market.shelves;
    const perDay = viewers.budgetPerDayCents(v);
    const span = walletSpanSeconds(perDay, shelves.cheapestCostCents(channel));
    // Accrual older than the span is lost: the wallet is full from t − span on.
    let since = Math.max(viewers.walletSince[v], t - span);
    let short = needCoins;
    const choice = this.params.packChoice;
    // A value-minded payer plans for what its budget buys in a day (what it expects to gift).
    let plan = perDay * this.market.shelves.coinsPerCostCent(channel);
    for (let i = 0; i < modelLimits.packsPerGiftMax && short > 0; i++) {
      const wallet = walletCents(perDay, since, t, span);
      const k =
        choice.rule === 'smallest'
          ? shelves.next(channel, short, wallet)
          : shelves.choose(channel, short, plan, wallet, choice, this.rng());
      if (k < 0) break;
      const status = this.ledger.purchase(id, channel, shelves.ledgerIndex(channel, k), t);
      if (status !== Status.Ok) refused('purchase', status);
      const price = shelves.priceCents(channel, k);
      const coins = shelves.coins(channel, k);
      since += accrualSeconds(shelves.costCents(channel, k), perDay);
      assert(since <= t, 'a payer spent more than its wallet held');
      viewers.spentCents[v] += price;
      viewers.purchases[v]++;
      this.recorder.purchase(this.interval, channel, shelves.ledgerIndex(channel, k), price, coins);
      short -= coins;
      plan -= coins;
      shelves = this.market.shelves;
    }
    viewers.walletSince[v] = since;
  }

  /**
   * How many of gift `g` to send at once (a combo): as many as bring the gift to the paced size, within
   * reach. With pacing off, one.
   */
  private comboSize(g: number, targetCoins: number, reachCoins: number): number {
    if (this.params.budgetPacing === 0) return 1;
    const unit = this.params.catalogue.coins[g];
    const wanted = Math.min(
      Math.round(targetCoins / unit),
      Math.floor(reachCoins / unit),
      limits.giftCountMax,
    );
    return Math.max(1, wanted);
  }

  private send(v: number, creator: number, g: number, count: number, live: boolean, t: number): void {
    const coins = this.params.catalogue.coins[g] * count;
    const diamondsBefore = this.ledger.totals.diamondsCredited;
    const status = this.ledger.gift(
      this.viewers.idOf(v),
      creator,
      this.params.catalogue.ledgerIndex[g],
      count,
      t,
    );
    if (status !== Status.Ok) refused('gift', status);
    this.viewers.gifts[v]++;
    this.viewers.coinsGifted[v] += coins;
    this.creators.gifts[creator]++;
    const diamonds = this.ledger.totals.diamondsCredited - diamondsBefore;
    this.recorder.gift(this.interval, this.params.catalogue.ledgerIndex[g], count, coins, diamonds);
    if (live) this.recorder.liveGift(this.creators.audience[creator], coins);
  }

  /** A shout-out raises an interaction-minded viewer's next gift rate; any gift uses the last one up. */
  private answer(v: number, live: boolean): void {
    const viewers = this.viewers;
    const state = viewers.state(v) & ~BOOSTED;
    const boosted =
      live && viewers.motive(v) === Motive.Interaction && this.rng() < this.params.shoutoutProbability;
    viewers.setState(v, boosted ? state | BOOSTED : state);
  }

  private withdrawIfDue(creator: number, t: number): void {
    const diamonds = this.ledger.diamondsOf(creator);
    if (diamonds < this.params.withdrawAtDiamonds) return;
    const before = this.ledger.totals.diamondsWithdrawn;
    // Below the minimum after rounding to whole cents is a refusal, not an error: the creator waits.
    if (this.ledger.withdraw(creator, diamonds, t) !== Status.Ok) return;
    this.creators.diamondsWithdrawn[creator] += this.ledger.totals.diamondsWithdrawn - before;
    this.recorder.withdrawals[this.interval]++;
  }
}

/** A refused operation is a bug in the engine (its message is built only then: none in the hot loop). */
function refused(operation: string, status: Status): never {
  throw new AssertionError(`${operation} refused: ${codeOf(status)}`);
}
