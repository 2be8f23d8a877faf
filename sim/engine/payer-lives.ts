/**
 * Payers' lives (`lifecycle.payers`): when a payer starts paying, how long it keeps paying, and how its
 * budget grows or fades with its tenure. All off by default — then nothing here is allocated or drawn,
 * and every payer pays from the start of the run (or its arrival) to its end with one budget.
 *
 * - A viewer who arrives as a payer starts paying after an exponential delay (mean `lifecycle.payers.firstPurchaseDays`):
 *   first purchases spread over a viewer's life instead of all coming in its first session. Its wallet
 *   opens then. Viewers present at the start are in steady state and have converted already.
 * - A payer stops paying after an exponential paying life (mean `lifecycle.payers.payingDays`): it gifts and buys no more,
 *   and the coins it holds stay unspent. Memoryless, so the payers present at the start draw the paying
 *   life they have left the same way, and their tenure (for growth) as the steady state's age, which is
 *   the same exponential. A price that stops a payer and a later one that restarts it leave its life as
 *   it was (one life per viewer).
 * - Its budget a day is its budget at tenure 0 × (1 + growth)^(tenure / 30 days), applied at each
 *   session's start (a payer's budget changes while it is away, not between two gifts). An arrival's
 *   drawn budget is its budget at tenure 0; a payer present at the start has its drawn budget now, at its
 *   steady-state tenure, so that the population at the start is the calibrated one.
 */
import { assert } from '../../common/assert.ts';
import { DAY_SECONDS, modelLimits } from '../../common/limits.ts';
import type { PayerLife } from '../model/params.ts';
import { grownTo } from '../model/viewers.ts';
import type { Rng } from '../random/index.ts';
import { NEVER_INT32 as NEVER } from './never.ts';

const TENURE_UNIT_SECONDS = 30 * DAY_SECONDS;

export class PayerLives {
  /** Per slot: the second the payer starts paying (before 0: its tenure at the start of the run). */
  private from: Int32Array;
  /** Per slot: the second it stops paying. */
  private until: Int32Array;
  /** Per slot: the budget a day at tenure 0, which tenure scales. */
  private base: Float64Array;
  /** Per slot: 1 once the viewer's paying life is drawn (a price that stops and restarts it keeps it). */
  private drawn: Uint8Array;
  private readonly lives: boolean;

  constructor(
    private readonly spec: PayerLife,
    slots: number,
  ) {
    this.lives = spec.firstPurchaseMeanSeconds > 0 || spec.payingMeanSeconds < Number.POSITIVE_INFINITY;
    const timed = this.lives || spec.tenureGrowth !== 0;
    this.from = new Int32Array(timed ? slots : 0);
    this.until = new Int32Array(this.lives ? slots : 0);
    this.base = new Float64Array(spec.tenureGrowth !== 0 ? slots : 0);
    this.drawn = new Uint8Array(timed ? slots : 0);
  }

  /** Room for `slots` slots (a table of reused slots grew); nothing when off. */
  grow(slots: number): void {
    if (this.from.length > 0) this.from = grownTo(this.from, slots);
    if (this.until.length > 0) this.until = grownTo(this.until, slots);
    if (this.base.length > 0) this.base = grownTo(this.base, slots);
    if (this.drawn.length > 0) this.drawn = grownTo(this.drawn, slots);
  }

  /** Slot v has a new viewer: as a fresh slot, no paying life drawn yet. */
  reset(v: number): void {
    if (this.from.length > 0) this.from[v] = 0;
    if (this.until.length > 0) this.until[v] = 0;
    if (this.base.length > 0) this.base[v] = 0;
    if (this.drawn.length > 0) this.drawn[v] = 0;
  }

  get bytes(): number {
    return this.from.byteLength + this.until.byteLength + this.base.byteLength + this.drawn.byteLength;
  }

  /** Whether budgets change with tenure (the engine then calls budgetAt at each session's start). */
  get grows(): boolean {
    return this.base.length > 0;
  }

  /**
   * A payer present at the start: paying already, with the tenure and paying life of a steady state.
   * Its drawn budget is its budget now, at that tenure (the population at the start is the calibrated
   * one): growth moves it from there.
   */
  open(v: number, budget: number, rng: Rng): void {
    if (this.from.length === 0) return;
    const life = this.spec.payingMeanSeconds;
    this.from[v] = life < Number.POSITIVE_INFINITY ? -Math.min(NEVER, exponential(rng, life)) : 0;
    if (this.lives) this.until[v] = Math.min(NEVER, exponential(rng, life));
    if (this.grows) this.base[v] = budget / this.growth(-this.from[v]);
    this.drawn[v] = 1;
  }

  /**
   * A payer that starts at second t: an arrival (after its first-purchase delay), or a viewer a price
   * change turned into a payer (at once). Returns the second it starts paying.
   */
  start(v: number, t: number, budget: number, rng: Rng, arrival: boolean): number {
    if (this.from.length === 0) return t;
    // A payer a price stopped and a later price restarts goes on with the life it had: it does not
    // start a new one (nor skip its first-purchase delay).
    if (this.drawn[v] === 1) return Math.max(t, this.from[v]);
    this.drawn[v] = 1;
    const delay = arrival ? exponential(rng, this.spec.firstPurchaseMeanSeconds) : 0;
    const from = Math.min(NEVER, t + delay);
    this.from[v] = from;
    if (this.lives) this.until[v] = Math.min(NEVER, from + exponential(rng, this.spec.payingMeanSeconds));
    if (this.grows) this.base[v] = budget;
    return from;
  }

  /** The second payer v stops paying (never, without paying lives). */
  untilOf(v: number): number {
    return this.lives ? this.until[v] : NEVER;
  }

  /** Payer v's budget a day at second t: its drawn budget scaled by its tenure then. */
  budgetAt(v: number, t: number): number {
    assert(this.grows, 'budgets grow only with a tenure growth');
    const cents = Math.round(this.base[v] * this.growth(Math.max(0, t - this.from[v])));
    return Math.min(modelLimits.budgetCentsMax, Math.max(1, cents));
  }

  /** What a budget is multiplied by after `seconds` of tenure. */
  private growth(seconds: number): number {
    return (1 + this.spec.tenureGrowth) ** (seconds / TENURE_UNIT_SECONDS);
  }
}

/** Whole seconds of an exponential with this mean (0 for a mean of 0, never for an infinite one). */
function exponential(rng: Rng, mean: number): number {
  if (mean === 0) return 0;
  if (mean === Number.POSITIVE_INFINITY) return NEVER;
  return Math.ceil(-mean * Math.log(1 - rng()));
}
