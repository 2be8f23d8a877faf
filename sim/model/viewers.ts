/**
 * Viewers as columns of typed arrays (struct of arrays), 53 bytes a slot plus the ledger's 8-byte
 * coin balance. The fields every event reads — state bits, the stream watched, the session's end and
 * the second of the viewer's pending event — share one aligned 16-byte record in `hot` with the last
 * interval the viewer was counted active in (read at every session's start and end), so that an event
 * costs one cache miss, not four. The budget per day, read by payers' trades only, has its own column. Attributes
 * are drawn once from the population stream; coins themselves live only in the ledger.
 *
 * A slot is storage, a viewer number is identity (its ledger account, its market, its rows in the
 * outputs). They are the same number unless departed viewers' slots are reused (`reuse`: with arrivals
 * and a survival curve, see slots.ts): then `ids` gives each slot's viewer number (4 bytes a slot) and
 * the table grows as slots are taken (`grow`).
 */
import { assert } from '../../common/assert.ts';
import { type Column, column } from '../../common/columns.ts';
import type { Rng } from '../random/index.ts';
import { drawBudgetCents } from './budget.ts';
import { conversionMax } from './market.ts';
import { type ModelParams, Motive } from './params.ts';

/** Bits of a viewer's state. */
export const IN_SESSION = 1;
/** Watching a live stream (else, in a session, browsing videos). */
export const LIVE = 2;
/** The pending event is a gift (else the end of what the viewer watches, or the next session). */
export const GIFT_DUE = 4;
/** A creator answered the last gift with a shout-out: the next one comes sooner. */
export const BOOSTED = 8;
export const PAYER = 16;
/** Not on the platform: not arrived yet, or gone for good (lifecycle). */
export const ABSENT = 32;
const MOTIVE_SHIFT = 6;
const STATE_MASK = 0xff;
const WATCHING_SHIFT = 8;

export class Viewers {
  /**
   * [4v] = second the session ends; [4v + 1] = state bits | (creator watched + 1) << 8; [4v + 2] =
   * second of the one event of the viewer's that counts (an entry in the wheel for any other second is
   * stale: the viewer was rescheduled, e.g. drawn into a viral stream); [4v + 3] = 1 + the last interval
   * the viewer was counted active in (0: none yet; see Recorder.sawViewer).
   */
  hot: Uint32Array;
  /** Budget per day, cents (0: a viewer drawn without attributes). */
  budget: Uint32Array;
  /** Second the payer's wallet accrues from (see budget.ts); before 0 when it starts the run with money. */
  walletSince: Int32Array;
  channel: Uint8Array;
  spentCents: Int32Array;
  purchases: Uint32Array;
  gifts: Uint32Array;
  coinsGifted: Float64Array;
  /**
   * Per viewer, the uniform that decided whether it pays (only when prices change during the run, so
   * that a later price can decide again with the same draw: empty otherwise, 8 bytes a viewer with).
   */
  conversionDraw: Float64Array;
  /** Per viewer, the two uniforms its channel was chosen with (kept as conversionDraw is: 16 bytes a viewer). */
  channelDraws: Float64Array;

  /**
   * With slot reuse, the viewer number in each slot (−1: free); empty otherwise (slot = viewer number).
   * The columns are replaced when the table grows: read them through the table, never keep one.
   */
  ids: Int32Array;
  /** Slots the columns have room for (`count` of them in use or used). */
  capacity: number;
  private readonly pricesChange: boolean;

  constructor(
    /** Slots in use or used: every loop over the table runs to it. */
    public count: number,
    pricesChange = false,
    /** Slots are reused (ids kept per slot); `capacity` ≥ count is the room allocated at once. */
    reuse = false,
    capacity = count,
  ) {
    this.pricesChange = pricesChange;
    this.capacity = capacity;
    this.conversionDraw = new Float64Array(pricesChange ? capacity : 0);
    this.channelDraws = new Float64Array(pricesChange ? 2 * capacity : 0);
    this.hot = column(Uint32Array, capacity * 4);
    this.budget = column(Uint32Array, capacity);
    this.walletSince = column(Int32Array, capacity);
    this.channel = column(Uint8Array, capacity);
    this.spentCents = column(Int32Array, capacity);
    this.purchases = column(Uint32Array, capacity);
    this.gifts = column(Uint32Array, capacity);
    this.coinsGifted = column(Float64Array, capacity);
    this.ids = new Int32Array(reuse ? capacity : 0);
    if (reuse) for (let v = 0; v < capacity; v++) this.ids[v] = v < count ? v : -1;
  }

  /** Viewer number of slot v (its ledger account, its market, its rows). */
  idOf(v: number): number {
    return this.ids.length === 0 ? v : this.ids[v];
  }

  /** Bytes the columns hold. */
  get bytes(): number {
    return (
      this.columns.reduce((n, c) => n + c.byteLength, 0) +
      this.conversionDraw.byteLength +
      this.channelDraws.byteLength +
      this.ids.byteLength
    );
  }

  /** Room for `capacity` slots (free ones get id −1); the columns are copied into new ones. */
  grow(capacity: number): void {
    assert(capacity > this.capacity && this.ids.length > 0, 'only a table of reused slots grows');
    this.hot = grownTo(this.hot, capacity * 4);
    this.budget = grownTo(this.budget, capacity);
    this.walletSince = grownTo(this.walletSince, capacity);
    this.channel = grownTo(this.channel, capacity);
    this.spentCents = grownTo(this.spentCents, capacity);
    this.purchases = grownTo(this.purchases, capacity);
    this.gifts = grownTo(this.gifts, capacity);
    this.coinsGifted = grownTo(this.coinsGifted, capacity);
    if (this.pricesChange) {
      this.conversionDraw = grownTo(this.conversionDraw, capacity);
      this.channelDraws = grownTo(this.channelDraws, 2 * capacity);
    }
    const ids = grownTo(this.ids, capacity);
    ids.fill(-1, this.capacity);
    this.ids = ids;
    this.capacity = capacity;
  }

  /**
   * Slot v takes viewer `id`: every column as a fresh slot has it (zeros), its state absent until the
   * engine draws who the viewer is.
   */
  assign(v: number, id: number): void {
    assert(v < this.count && this.ids.length > 0, 'a slot in use of a table of reused slots');
    for (let k = 0; k < 4; k++) this.hot[4 * v + k] = 0;
    this.budget[v] = 0;
    this.walletSince[v] = 0;
    this.channel[v] = 0;
    this.spentCents[v] = 0;
    this.purchases[v] = 0;
    this.gifts[v] = 0;
    this.coinsGifted[v] = 0;
    if (this.pricesChange) {
      this.conversionDraw[v] = 0;
      this.channelDraws[2 * v] = 0;
      this.channelDraws[2 * v + 1] = 0;
    }
    this.ids[v] = id;
  }

  /** The columns a later table may take (common/columns.ts): once given, this table is not used again. */
  get columns(): Column[] {
    return [
      this.hot,
      this.budget,
      this.walletSince,
      this.channel,
      this.spentCents,
      this.purchases,
      this.gifts,
      this.coinsGifted,
    ];
  }

  /** Slot v is free again (its viewer left; what the outputs need of it was archived first). */
  free(v: number): void {
    this.ids[v] = -1;
    this.setState(v, ABSENT);
  }

  state(v: number): number {
    return this.hot[4 * v + 1] & STATE_MASK;
  }

  setState(v: number, state: number): void {
    const i = 4 * v + 1;
    this.hot[i] = (this.hot[i] & ~STATE_MASK) | state;
  }

  /** The creator whose stream the viewer watches, or −1. */
  watching(v: number): number {
    return (this.hot[4 * v + 1] >>> WATCHING_SHIFT) - 1;
  }

  setWatching(v: number, creator: number): void {
    const i = 4 * v + 1;
    this.hot[i] = (this.hot[i] & STATE_MASK) | ((creator + 1) << WATCHING_SHIFT);
  }

  sessionEnd(v: number): number {
    return this.hot[4 * v];
  }

  setSessionEnd(v: number, at: number): void {
    this.hot[4 * v] = at;
  }

  pendingAt(v: number): number {
    return this.hot[4 * v + 2];
  }

  setPendingAt(v: number, at: number): void {
    this.hot[4 * v + 2] = at;
  }

  /** Whether viewer v was drawn with a budget, channel and motive (a payer, or one a price may convert). */
  hasAttributes(v: number): boolean {
    return this.budget[v] > 0;
  }

  budgetPerDayCents(v: number): number {
    return this.budget[v];
  }

  setBudgetPerDayCents(v: number, cents: number): void {
    this.budget[v] = cents;
  }

  /** The last interval viewer v was counted active in (−1: none yet). */
  seenThrough(v: number): number {
    return this.hot[4 * v + 3] - 1;
  }

  setSeenThrough(v: number, interval: number): void {
    this.hot[4 * v + 3] = interval + 1;
  }

  /** Copies viewer `from` of `source` — its record, channel and wallet — into slot `to` of this table. */
  copyFrom(source: Viewers, from: number, to: number): void {
    for (let k = 0; k < 4; k++) this.hot[4 * to + k] = source.hot[4 * from + k];
    this.budget[to] = source.budget[from];
    this.channel[to] = source.channel[from];
    this.walletSince[to] = source.walletSince[from];
  }

  motive(v: number): Motive {
    return (this.state(v) >>> MOTIVE_SHIFT) & 3;
  }

  /**
   * Who pays, with what budget, on which channel and why: one pass over the population stream for the
   * viewers present at the start (slots from params.viewers on are for arrivals, drawn as they come).
   * Wallets start empty at second 0; the engine opens them as the days before the run left them
   * (opening.ts).
   */
  draw(params: ModelParams, rng: Rng, extra: Rng): void {
    const conversion = params.market[0].conversion;
    for (let v = 0; v < params.viewers; v++) this.drawOne(v, params, 0, conversion, rng, extra);
  }

  /**
   * Draws viewer v's attributes, at market state `state`'s prices. A viewer pays with probability payerShare × its channel's `conversion`
   * factor (market.ts; at second 0, or when it arrives): it is drawn as a payer at payerShare, with the
   * draws of the previous model, and kept when its uniform is below the factor's share too — so a dearer
   * market keeps a subset of the same payers. Viewers only a cheaper market converts (factor above 1)
   * take their attributes from `extra`, so that the population stream stays aligned.
   */
  drawOne(
    v: number,
    params: ModelParams,
    state: number,
    conversion: Float64Array,
    rng: Rng,
    extra: Rng,
    u = rng(),
  ): void {
    const [support, interaction] = params.motiveCum;
    const share = params.payerShare;
    const potential = share * conversionMax(params.market);
    if (this.conversionDraw.length > 0) this.conversionDraw[v] = u;
    if (u >= share && u >= potential) return;
    const src = u < share ? rng : extra;
    const budget = drawBudgetCents(src, params.budget);
    const preference = src();
    const choice = src();
    const channel = params.channels[state].chooseFrom(preference, choice, budget);
    if (this.channelDraws.length > 0) {
      this.channelDraws[2 * v] = preference;
      this.channelDraws[2 * v + 1] = choice;
    }
    const w = src();
    const motive = w < support ? Motive.Support : w < interaction ? Motive.Interaction : Motive.Visibility;
    this.budget[v] = budget;
    this.channel[v] = channel;
    this.setState(v, (u < share * conversion[channel] ? PAYER : 0) | (motive << MOTIVE_SHIFT));
  }

  /**
   * With a crowd (params.crowd), only the viewers a price could make pay are agents: those whose
   * conversion uniform falls below `potentialShare`. `agentStart` (crowd.ts) says how many each market
   * has; each is drawn as `draw` would draw it, its uniform below that share. The rest never have
   * attributes, so the crowd loses nothing a viewer of theirs could have done.
   */
  drawAgents(params: ModelParams, agentStart: Int32Array, rng: Rng, extra: Rng): void {
    const conversion = params.market[0].conversion;
    const potential = potentialShare(params);
    for (let v = 0; v < agentStart[agentStart.length - 1]; v++)
      this.drawOne(v, params, 0, conversion, rng, extra, potential * rng());
  }

  /** Payer v's channel at market state `state`'s prices, chosen with the draws it was chosen with. */
  channelAt(v: number, params: ModelParams, state: number): number {
    return params.channels[state].chooseFrom(
      this.channelDraws[2 * v],
      this.channelDraws[2 * v + 1],
      this.budgetPerDayCents(v),
    );
  }

  /**
   * Whether viewer v pays at these conversion factors, decided by the draw that decided it when it was
   * drawn (so a price change keeps a subset of the payers, or adds to them). Only with prices that change.
   */
  paysAt(v: number, params: ModelParams, conversion: Float64Array): boolean {
    const u = this.conversionDraw[v];
    const potential = params.payerShare * conversionMax(params.market);
    return u < potential && u < params.payerShare * conversion[this.channel[v]];
  }
}

/** The share of viewers drawn with attributes: those who pay at some price of the run. */
export function potentialShare(params: ModelParams): number {
  return Math.min(1, params.payerShare * conversionMax(params.market));
}

/** A copy of `from` with room for `length` entries (the rest zeros). */
export function grownTo<T extends Uint32Array | Int32Array | Uint8Array | Float64Array | Int16Array>(
  from: T,
  length: number,
): T {
  const to = new (from.constructor as new (n: number) => T)(length);
  to.set(from as never);
  return to;
}
