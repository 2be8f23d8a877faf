/**
 * Viewers as columns of typed arrays (struct of arrays), about 41 bytes a viewer plus the ledger's
 * 8-byte coin balance. The three fields every event reads — state bits, the stream watched and the
 * session's end — share one 8-byte record in `hot`, so that an event costs one cache miss, not three.
 * Attributes are drawn once from the population stream; coins themselves live only in the ledger.
 */
import type { Rng } from '../random/index.ts';
import { drawBudgetCents } from './budget.ts';
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
/** Budget and coins can no longer buy the cheapest gift. */
export const SPENT_OUT = 32;
const MOTIVE_SHIFT = 6;
const STATE_MASK = 0xff;
const WATCHING_SHIFT = 8;

export class Viewers {
  /** [2v] = second the session ends; [2v + 1] = state bits | (creator watched + 1) << 8. */
  readonly hot: Uint32Array;
  readonly channel: Uint8Array;
  readonly budgetLeftCents: Int32Array;
  readonly spentCents: Int32Array;
  readonly purchases: Uint32Array;
  readonly gifts: Uint32Array;
  readonly coinsGifted: Float64Array;

  constructor(readonly count: number) {
    this.hot = new Uint32Array(count * 2);
    this.channel = new Uint8Array(count);
    this.budgetLeftCents = new Int32Array(count);
    this.spentCents = new Int32Array(count);
    this.purchases = new Uint32Array(count);
    this.gifts = new Uint32Array(count);
    this.coinsGifted = new Float64Array(count);
  }

  state(v: number): number {
    return this.hot[2 * v + 1] & STATE_MASK;
  }

  setState(v: number, state: number): void {
    const i = 2 * v + 1;
    this.hot[i] = (this.hot[i] & ~STATE_MASK) | state;
  }

  /** The creator whose stream the viewer watches, or −1. */
  watching(v: number): number {
    return (this.hot[2 * v + 1] >>> WATCHING_SHIFT) - 1;
  }

  setWatching(v: number, creator: number): void {
    const i = 2 * v + 1;
    this.hot[i] = (this.hot[i] & STATE_MASK) | ((creator + 1) << WATCHING_SHIFT);
  }

  sessionEnd(v: number): number {
    return this.hot[2 * v];
  }

  setSessionEnd(v: number, at: number): void {
    this.hot[2 * v] = at;
  }

  motive(v: number): Motive {
    return (this.state(v) >>> MOTIVE_SHIFT) & 3;
  }

  /** Who pays, with what budget, on which channel and why: one pass over the population stream. */
  draw(params: ModelParams, rng: Rng): void {
    const [support, interaction] = params.motiveCum;
    for (let v = 0; v < this.count; v++) {
      if (rng() >= params.payerShare) continue;
      const budget = drawBudgetCents(rng, params.budget);
      const channel = params.channels.choose(rng);
      const u = rng();
      const motive = u < support ? Motive.Support : u < interaction ? Motive.Interaction : Motive.Visibility;
      this.budgetLeftCents[v] = budget;
      this.channel[v] = channel;
      this.setState(v, PAYER | (motive << MOTIVE_SHIFT));
    }
  }
}
