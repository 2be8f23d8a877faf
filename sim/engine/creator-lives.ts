/**
 * Creators' careers (`lifecycle.creators`): creators who join during the run and creators who leave it
 * for good. Off by default — then nothing here is allocated or drawn, and every creator streams from
 * second 0 to the end.
 *
 * - Joins: exactly `joins` creators join, round(joinsPerDay × days): a Poisson process of that rate
 *   conditioned on its count, so that a run's creator slots are known before it runs (the ledger, plans
 *   and journals are sized from ModelParams.creatorSlots, the same in every replication). Each join's
 *   second is drawn on its own, uniform on the creators' daily rhythm's clock (so joins follow
 *   `creators.diurnal`); in time order, join k takes slot `initial + k`, in market slot mod markets as
 *   every creator is.
 * - Popularity: a joining creator pulls with the Zipf weight of a creator present at the start, drawn
 *   uniformly: the weights of the start, spread as they are, so the mix of popular and obscure creators
 *   stays the start's whoever leaves (the Zipf ranks of the start are one draw of that spread).
 * - Careers: exponential of mean `careerMeanSeconds`. Memoryless, so the creators present at the start
 *   draw the time they have left the same way: a steady state's.
 *
 * Everything is drawn when the run is built, from the `careers` stream only: the joins' seconds, then
 * each join's weight and career, then the time left of those present at the start.
 */
import { assert } from '../../common/assert.ts';
import type { Diurnal } from '../model/diurnal.ts';
import type { CreatorLife } from '../model/params.ts';
import { exponential, type Rng } from '../random/index.ts';
import { NEVER } from './never.ts';

export class CreatorLives {
  /** Join seconds, ascending: join k takes creator slot `initial + k`. */
  private readonly joinAt: Uint32Array;
  /** Per join: the Zipf weight it pulls with. */
  private readonly weights: Float64Array;
  /** Per slot: the second the creator leaves (empty when careers are endless: nobody leaves). */
  private readonly leaveAt: Uint32Array;
  /** Slots by leaving second, ascending (ties by slot): the engine takes each at the top of its second. */
  private readonly leaveOrder: Uint32Array;
  /** The next leaving (an index into leaveOrder). */
  private nextLeaver = 0;
  /** Per slot: 1 while the creator is on the platform (joined, not left); empty when off. */
  private readonly present: Uint8Array;
  /** Creators on the platform now. */
  count: number;
  /** The next join (an index into joinAt). */
  private next = 0;

  /**
   * `initialWeights`: the Zipf weights of the creators present at the start (slots 0 … initial − 1), the
   * spread a joining creator's weight is drawn from.
   */
  constructor(
    spec: CreatorLife,
    readonly initial: number,
    initialWeights: Float64Array,
    rhythm: Diurnal,
    endSeconds: number,
    rng: Rng,
  ) {
    assert(initialWeights.length >= initial && initial >= 1, 'a weight per creator present at the start');
    const careers = spec.careerMeanSeconds < Number.POSITIVE_INFINITY;
    const on = spec.joins > 0 || careers;
    const slots = initial + spec.joins;
    this.count = initial;
    this.joinAt = drawJoins(spec.joins, rhythm, endSeconds, rng);
    this.weights = new Float64Array(spec.joins);
    this.leaveAt = new Uint32Array(careers ? slots : 0);
    this.present = new Uint8Array(on ? slots : 0);
    this.present.fill(1, 0, on ? initial : 0);
    for (let k = 0; k < spec.joins; k++) {
      this.weights[k] = initialWeights[Math.floor(rng() * initial)];
      if (careers) this.leaveAt[initial + k] = careerEnd(this.joinAt[k], spec.careerMeanSeconds, rng);
    }
    if (careers)
      for (let c = 0; c < initial; c++) this.leaveAt[c] = careerEnd(0, spec.careerMeanSeconds, rng);
    const leaveAt = this.leaveAt;
    this.leaveOrder = new Uint32Array(leaveAt.length).map((_, c) => c);
    this.leaveOrder.sort((a, b) => leaveAt[a] - leaveAt[b] || a - b);
  }

  /** Whether creators join or leave at all (the engine then keeps a catalogue of those present). */
  get on(): boolean {
    return this.present.length > 0;
  }

  /** The second of the next join (NEVER when none is left). */
  get nextJoinAt(): number {
    return this.next < this.joinAt.length ? this.joinAt[this.next] : NEVER;
  }

  /** The second creator c joins (0 for those present at the start). */
  joinOf(c: number): number {
    return c < this.initial ? 0 : this.joinAt[c - this.initial];
  }

  /** The second creator c leaves for good (NEVER: it stays to the end). */
  leaveOf(c: number): number {
    return this.leaveAt.length === 0 ? NEVER : this.leaveAt[c];
  }

  /** The second of the next leaving (NEVER when nobody leaves again). */
  get nextLeaveAt(): number {
    return this.nextLeaver < this.leaveOrder.length ? this.leaveAt[this.leaveOrder[this.nextLeaver]] : NEVER;
  }

  /**
   * The creator whose leaving is next, due now (the engine takes it off the air and calls `leave`).
   * Every leaving second comes after the creator's join, so it has joined by then.
   */
  nextLeaving(): number {
    assert(this.nextLeaver < this.leaveOrder.length, 'a leaving beyond those drawn');
    const c = this.leaveOrder[this.nextLeaver++];
    assert(this.isPresent(c), 'a creator leaves after it joined');
    return c;
  }

  /** Whether creator c is on the platform now (always, when off). */
  isPresent(c: number): boolean {
    return this.present.length === 0 || this.present[c] === 1;
  }

  /** The next join, due now: marks it present and returns its slot. */
  join(): number {
    assert(this.next < this.joinAt.length, 'a join beyond those drawn');
    const c = this.initial + this.next++;
    this.present[c] = 1;
    this.count++;
    return c;
  }

  /** The Zipf weight joined creator c pulls with. */
  weightOf(c: number): number {
    assert(c >= this.initial, 'only joining creators draw a weight');
    return this.weights[c - this.initial];
  }

  /** Creator c leaves for good. */
  leave(c: number): void {
    assert(this.isPresent(c) && this.on, 'a creator leaves once, after it joined');
    this.present[c] = 0;
    this.count--;
  }
}

/**
 * `n` seconds in [1, end), ascending, each drawn on its own with the rhythm's density: a uniform on the
 * rhythm's clock between seconds 1 and end, mapped back to a second.
 */
function drawJoins(n: number, rhythm: Diurnal, endSeconds: number, rng: Rng): Uint32Array {
  const at = new Uint32Array(n);
  if (n === 0) return at;
  const from = rhythm.clockAt(1);
  const span = rhythm.clockAt(endSeconds) - from;
  for (let k = 0; k < n; k++) {
    const second = Math.floor(rhythm.secondAt(from + rng() * span));
    at[k] = Math.min(Math.max(1, endSeconds - 1), Math.max(1, second));
  }
  return at.sort();
}

/** The second a career that starts at `from` ends: at least a second later, at most NEVER. */
function careerEnd(from: number, meanSeconds: number, rng: Rng): number {
  return Math.min(NEVER, from + Math.max(1, Math.ceil(exponential(rng, meanSeconds))));
}
