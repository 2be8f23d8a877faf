/**
 * Viewers as columns of typed arrays (struct of arrays), 49 bytes a viewer plus the ledger's 8-byte
 * coin balance. The fields every event reads — state bits, the stream watched, the session's end and
 * the second of the viewer's pending event — share one aligned 16-byte record in `hot` (with the
 * budget per day, read by every gift), so that an event costs one cache miss, not four. Attributes
 * are drawn once from the population stream; coins themselves live only in the ledger.
 */
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
   * stale: the viewer was rescheduled, e.g. drawn into a viral stream); [4v + 3] = budget per day, cents.
   */
  readonly hot: Uint32Array;
  /** Second the payer's wallet accrues from (see budget.ts); before 0 when it starts the run with money. */
  readonly walletSince: Int32Array;
  readonly channel: Uint8Array;
  readonly spentCents: Int32Array;
  readonly purchases: Uint32Array;
  readonly gifts: Uint32Array;
  readonly coinsGifted: Float64Array;
  /**
   * Per viewer, the uniform that decided whether it pays (only when prices change during the run, so
   * that a later price can decide again with the same draw: empty otherwise, 8 bytes a viewer with).
   */
  readonly conversionDraw: Float64Array;
  /** Per viewer, the two uniforms its channel was chosen with (kept as conversionDraw is: 16 bytes a viewer). */
  readonly channelDraws: Float64Array;

  constructor(
    readonly count: number,
    pricesChange = false,
  ) {
    this.conversionDraw = new Float64Array(pricesChange ? count : 0);
    this.channelDraws = new Float64Array(pricesChange ? 2 * count : 0);
    this.hot = new Uint32Array(count * 4);
    this.walletSince = new Int32Array(count);
    this.channel = new Uint8Array(count);
    this.spentCents = new Int32Array(count);
    this.purchases = new Uint32Array(count);
    this.gifts = new Uint32Array(count);
    this.coinsGifted = new Float64Array(count);
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
    return this.hot[4 * v + 3] > 0;
  }

  budgetPerDayCents(v: number): number {
    return this.hot[4 * v + 3];
  }

  setBudgetPerDayCents(v: number, cents: number): void {
    this.hot[4 * v + 3] = cents;
  }

  /** Copies viewer `from` of `source` — its record, channel and wallet — into slot `to` of this table. */
  copyFrom(source: Viewers, from: number, to: number): void {
    for (let k = 0; k < 4; k++) this.hot[4 * to + k] = source.hot[4 * from + k];
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
    this.hot[4 * v + 3] = budget;
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
