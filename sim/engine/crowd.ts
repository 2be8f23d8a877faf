/**
 * The crowd: viewers who can never pay (population.nonPayers: crowd), counted instead of simulated one
 * by one. They matter only through audiences, so each market keeps how many of its crowd are in a
 * session, on videos, and — per creator — in each live stream. Their sessions are memoryless (an
 * exponential length in whole seconds, gaps on the viewers' diurnal clock), so members in the same
 * state are interchangeable and counts are all the state there is: each second, as many sessions end
 * as a binomial over the members in one says (each with the per-second hazard of the agents' session
 * length) and as many start as a binomial over those off (at the diurnal rate of that minute). Who ends
 * is drawn by the counts (videos, or a stream in proportion to its crowd); who starts picks videos or a
 * stream by pull, as an agent does.
 *
 * Distinct viewers per interval are counted exactly too: besides the members off, a market tracks how
 * many of them were in a session earlier in the interval (`seenOff`), so a session start is a new
 * distinct viewer with the chance that an off member picked at random was not.
 *
 * Arrivals and churn. Members who arrive during the run are counted by class — their market and the
 * hour they arrived in (class 0 of a market: the members present at the start) — so that cohorts.csv
 * and the retention KPIs can count them: a class's members are active on day of age a when in a session
 * at some moment of [mid-hour + a days, + a + 1 days) (an agent's day of age starts at its arrival
 * second: the crowd's at most half an hour apart), counted distinct as intervals are (`seenDay`); the
 * interval's "seen" count is kept per class too (`classSeenOff`: a new class, seen on arrival, differs
 * from an old one, and a member who leaves while off takes its class's share of it). Which
 * class a session start or end belongs to is drawn by the classes' counts of the market drawn first;
 * what the member watches is the market's (drawn independently of its class). Each member that will
 * leave before the run ends has its second of leaving in a heap (its lifetime drawn as an agent's, or
 * for those present at the start the time left in a steady state): then a member of its class, in a
 * session with the share of the class in one, leaves — its session cut short, as an agent's is.
 *
 * This module holds the counts and the draws; the engine moves audiences (Simulation.crowd*).
 */

import { assert } from '../../common/assert.ts';
import { DAY_SECONDS } from '../../common/limits.ts';
import type { LedgerOptions } from '../ledger/ledger.ts';
import { Fenwick } from '../model/fenwick.ts';
import { membersIn } from '../model/markets.ts';
import { type ModelParams, onShare } from '../model/params.ts';
import type { Survival } from '../model/survival.ts';
import { grownTo, potentialShare } from '../model/viewers.ts';
import { binomial, binomialAt, binomialWith, exponential, type Rng } from '../random/index.ts';
import { type Cohorts, CROWD_CLASS_SECONDS, RETENTION_DAYS } from './cohorts.ts';

export class Crowd {
  /** Crowd members per market (present now: arrivals add, departures take away). */
  readonly size: Float64Array;
  /** Members in a session, and of those the ones on videos (the rest are in `live`). */
  readonly on: Float64Array;
  readonly video: Float64Array;
  /** Members off now who were in a session earlier in the current interval (already counted active). */
  readonly seenOff: Float64Array;
  /**
   * Members per market who may start a session in this second (off at its start) and who may end one
   * (in a session at its start): who starts and who ends is drawn from these, so the cost of a second
   * follows its transitions, not the number of markets.
   */
  private readonly offTree: Fenwick;
  private readonly onTree: Fenwick;
  /** Members of each market who ended a session in this second (off, but not yet free to start again). */
  private readonly ended: Float64Array;
  /** The classes of this second's ends, in order (their members become free to start at its close). */
  private endedIn: Int32Array = new Int32Array(64);
  private endedCount = 0;
  /** Crowd members in each creator's stream, one tree per market: who leaves is drawn from it. */
  readonly live: Fenwick;
  readonly audience: Int32Array;
  /** Agent slots by market of the agents present at the start: slots agentStart[m] … agentStart[m + 1] − 1. */
  readonly agentStart: Int32Array;
  /** The market of each agent slot. */
  marketOf: Int32Array;
  /** The agents present, by market (for a spike's draws): slots in a list per market, and each slot's place. */
  private readonly present: PresentAgents;
  /** Chance a session in progress ends in a given second (its length is ⌈Exp(mean)⌉ seconds). */
  readonly endChance: number;

  /**
   * Classes per market: 1 (the members present at the start), and with arrivals one more per hour of
   * the run. Class k = j × markets + m (class j of market m), so that with no arrivals a class is its
   * market. The per-class counts below are kept only with arrivals or churn.
   */
  readonly classes: number;
  private readonly markets: number;
  private readonly classSize: Float64Array;
  private readonly classOn: Float64Array;
  private readonly classEnded: Float64Array;
  /** Members off now who were in a session earlier in their class's current day of age (arrival classes). */
  private readonly seenDay: Float64Array;
  /** Members off now who were in a session earlier in the current interval, per class (seenOff's parts). */
  private readonly classSeenOff: Float64Array;
  /** Arrivals per class, and of those the ones active on each retention day (RETENTION_DAYS). */
  private readonly arrived: Float64Array;
  private readonly hits: Float64Array;
  /** Per market, a tree over its classes: members off (free to start) and in a session. */
  private readonly classOffTree: Fenwick | null;
  private readonly classOnTree: Fenwick | null;
  /** Seconds members leave (a heap of second × classCount + class, earliest first). */
  private readonly leaving: MinHeap;

  constructor(
    private readonly params: ModelParams,
    population: Rng,
    /** Arrivals in the run (their counting classes are made only when there are some). */
    arrivals: number,
    private readonly cohorts: Cohorts,
  ) {
    const markets = params.markets;
    this.markets = markets;
    this.size = new Float64Array(markets);
    this.on = new Float64Array(markets);
    this.video = new Float64Array(markets);
    this.seenOff = new Float64Array(markets);
    this.ended = new Float64Array(markets);
    this.offTree = new Fenwick(markets);
    this.onTree = new Fenwick(markets);
    this.agentStart = new Int32Array(markets + 1);
    const potential = potentialShare(params);
    for (let m = 0; m < markets; m++) {
      const members = membersIn(params.viewers, markets, m);
      const agents = binomial(population, members, potential);
      this.agentStart[m + 1] = this.agentStart[m] + agents;
      this.size[m] = members - agents;
      this.offTree.add(m, this.size[m]);
    }
    this.marketOf = new Int32Array(this.agents);
    for (let m = 0; m < markets; m++) this.marketOf.fill(m, this.agentStart[m], this.agentStart[m + 1]);
    this.present = new PresentAgents(this.agentStart);
    this.live = new Fenwick(params.creatorSlots, markets);
    this.audience = new Int32Array(params.creatorSlots);
    this.endChance = -Math.expm1(-1 / params.sessionMeanSeconds);

    this.classes = arrivals > 0 ? 1 + Math.ceil(params.durationSeconds / CROWD_CLASS_SECONDS) : 1;
    const counted = arrivals > 0 || params.lifecycle.survival !== undefined;
    const n = counted ? this.classes * markets : 0;
    this.classSize = new Float64Array(n);
    this.classOn = new Float64Array(n);
    this.classEnded = new Float64Array(n);
    this.seenDay = new Float64Array(n);
    this.classSeenOff = new Float64Array(n);
    this.arrived = new Float64Array(n);
    this.hits = new Float64Array(n * RETENTION_DAYS.length);
    if (n > 0) this.classSize.set(this.size);
    this.classOffTree = this.classes > 1 ? new Fenwick(n, markets) : null;
    this.classOnTree = this.classes > 1 ? new Fenwick(n, markets) : null;
    for (let m = 0; m < markets; m++) this.classOffTree?.add(m, this.size[m]);
    this.leaving = new MinHeap();
    // A leaving is queued as second × classes + class: exact while that stays a safe integer.
    assert(
      Number.isSafeInteger((params.durationSeconds + 1) * Math.max(1, n)),
      'a leaving second and its class fit in a double',
    );
  }

  /** Agent slots of the viewers present at the start (the viewers a price could make pay). */
  get agents(): number {
    return this.agentStart[this.agentStart.length - 1];
  }

  /** Agents of market m present now. */
  agentsIn(m: number): number {
    return this.present.count(m);
  }

  /** The i-th present agent of market m (0 ≤ i < agentsIn(m)): its slot. */
  agentAt(m: number, i: number): number {
    return this.present.at(m, i);
  }

  /** An agent of market m arrived in slot v. */
  agentArrives(v: number, m: number): void {
    if (v >= this.marketOf.length)
      this.marketOf = grownTo(this.marketOf, Math.max(v + 1, 2 * this.marketOf.length));
    this.marketOf[v] = m;
    this.present.add(v, m);
  }

  /** The agent in slot v left for good. */
  agentLeaves(v: number): void {
    this.present.remove(v, this.marketOf[v]);
  }

  /** Members of market m in a session at second 0, as many as an on/off process has at that hour. */
  openSessions(m: number, rng: Rng): number {
    const p = this.params;
    return binomial(
      rng,
      this.size[m],
      onShare(p.sessionGapSeconds / p.viewerDiurnal.factorIn(0), p.sessionMeanSeconds),
    );
  }

  /**
   * Second t's transitions, drawn from the state at its start: how many members in a session end it
   * (each with the chance endChance) and how many off start one (each at the diurnal rate of the
   * minute before t: an agent's next start is the first second past the instant its gap ends).
   */
  drawSecond(t: number, rng: Rng): void {
    const gap = this.params.sessionGapSeconds;
    const rate = gap === Number.POSITIVE_INFINITY ? 0 : this.params.viewerDiurnal.factorIn(t - 1) / gap;
    const on = this.onTree.total;
    const off = this.offTree.total;
    const endLogq = -1 / this.params.sessionMeanSeconds;
    // −ln P(no session ends), −ln P(none starts): the second's hazard is their sum.
    const endHazard = -on * endLogq;
    const startHazard = off * rate;
    if (endHazard + startHazard >= this.quietHazard) {
      this.hazardLeft = -1;
      this.endsDue = chances(rng, on, this.endChance, endLogq);
      this.startsDue = chances(rng, off, -Math.expm1(-rate), -rate);
      return;
    }
    if (this.hazardLeft < 0) this.hazardLeft = exponential(rng, 1);
    if (this.hazardLeft >= endHazard + startHazard) {
      this.hazardLeft -= endHazard + startHazard;
      this.endsDue = 0;
      this.startsDue = 0;
      return;
    }
    // This second has a transition: ends and starts given that not both are 0 (either ends do, starts
    // as they may; or none ends and starts do), each by inversion from a uniform past its zero term.
    this.hazardLeft = -1;
    const endNone = Math.exp(-endHazard);
    const startNone = Math.exp(-startHazard);
    const u = rng() * (1 - endNone * startNone);
    if (u < 1 - endNone) {
      this.endsDue = binomialAt(endNone + u, on, this.endChance, endLogq);
      this.startsDue = chances(rng, off, -Math.expm1(-rate), -rate);
    } else {
      this.endsDue = 0;
      this.startsDue = binomialAt(startNone + (u - (1 - endNone)) / endNone, off, -Math.expm1(-rate), -rate);
    }
  }

  /**
   * Below this hazard a second (expected sessions ending and starting in it), seconds are mostly quiet:
   * one exponential says how much hazard passes before the next second with a transition — exact, as a
   * second is quiet with the chance e^(−hazard) — instead of two binomials a second. 0: two binomials
   * every second (the draws before this existed; big crowds never come this low, so theirs are as before).
   */
  quietHazard = QUIET_HAZARD;
  /** The exponential's hazard still to pass before the next second with a transition (−1: none drawn). */
  private hazardLeft = -1;

  /** Transitions of this second still to run (set by drawSecond). */
  endsDue = 0;
  startsDue = 0;

  /**
   * The class of the next session to end this second: one of the members in a session at its start,
   * uniformly (its market, then — with arrivals — its class there).
   */
  nextEnd(rng: Rng): number {
    const m = this.onTree.sample(rng());
    return this.classOnTree === null ? m : this.classOnTree.sample(rng(), m);
  }

  /** The class of the next session to start this second: one of the members off at its start, uniformly. */
  nextStart(rng: Rng): number {
    const m = this.offTree.sample(rng());
    return this.classOffTree === null ? m : this.classOffTree.sample(rng(), m);
  }

  /** The class of an off member of market m, uniformly (a spike drew one in). */
  offClassIn(m: number, rng: Rng): number {
    return this.classOffTree === null ? m : this.classOffTree.sample(rng(), m);
  }

  /**
   * An off member of class k starts a session at second t: whether it is one not yet counted active in
   * this interval (true: a new distinct viewer). Members who ended a session this second cannot start
   * again in it (as an agent cannot), and they are all counted already: both are left out.
   */
  starts(k: number, t: number, rng: Rng): boolean {
    const m = k % this.markets;
    const off = this.size[m] - this.on[m] - this.ended[m];
    assert(off > 0, 'a crowd session starts from a member off');
    this.on[m]++;
    this.offTree.add(m, -1);
    this.onTree.add(m, 1);
    if (this.classSize.length > 0) {
      const classOff = this.classSize[k] - this.classOn[k] - this.classEnded[k];
      this.classStarts(k, t, rng);
      if (rng() * classOff < this.classSeenOff[k] - this.classEnded[k]) {
        this.classSeenOff[k]--;
        this.seenOff[m]--;
        return false;
      }
      return true;
    }
    if (rng() * off < this.seenOff[m] - this.ended[m]) {
      this.seenOff[m]--;
      return false;
    }
    return true;
  }

  /** A member of class k in a session ends it (after the caller took it off what it watched). */
  ends(k: number): void {
    const m = k % this.markets;
    assert(this.on[m] > 0, 'a crowd session ends from a member in one');
    this.on[m]--;
    this.seenOff[m]++;
    this.ended[m]++;
    this.onTree.add(m, -1);
    if (this.classSize.length > 0) {
      this.classOn[k]--;
      this.classEnded[k]++;
      if (k >= this.markets) this.seenDay[k]++; // days of age are counted for arrival classes only
      this.classSeenOff[k]++;
      this.classOnTree?.add(k, -1);
    }
    if (this.endedCount === this.endedIn.length) {
      const grown = new Int32Array(2 * this.endedIn.length);
      grown.set(this.endedIn);
      this.endedIn = grown;
    }
    this.endedIn[this.endedCount++] = k;
  }

  /** The second is over: members who ended a session in it may start the next one. */
  closeSecond(): void {
    for (let i = 0; i < this.endedCount; i++) {
      const k = this.endedIn[i];
      const m = k % this.markets;
      this.offTree.add(m, 1);
      this.ended[m] = 0;
      if (this.classSize.length > 0) {
        this.classOffTree?.add(k, 1);
        this.classEnded[k] = 0;
      }
    }
    this.endedCount = 0;
  }

  /** A new interval: every member in a session counts in it; nobody off has been seen in it yet. */
  newInterval(): number {
    this.seenOff.fill(0);
    this.classSeenOff.fill(0);
    let on = 0;
    for (let m = 0; m < this.on.length; m++) on += this.on[m];
    return on;
  }

  /** A crowd member of market m drawn uniformly: OFF, VIDEO, or the creator whose stream it watches. */
  pickMember(m: number, rng: Rng): number {
    const u = rng() * this.size[m];
    const off = this.size[m] - this.on[m];
    if (u < off) return OFF;
    if (u < off + this.video[m]) return VIDEO;
    return this.live.sample(rng(), m);
  }

  // ── arrivals and churn ──────────────────────────────────────────────────────────────────────

  /**
   * A member of market m arrives at second t, in a session from its first second (as an agent does);
   * what it watches is the caller's. It is a new distinct viewer of the interval and of its day 0.
   * `leavesAt`: the second it leaves for good (its lifetime drawn by the caller; past the run: never).
   */
  arrives(m: number, t: number, leavesAt: number): void {
    const k = (1 + Math.floor(t / CROWD_CLASS_SECONDS)) * this.markets + m;
    this.size[m]++;
    this.on[m]++;
    this.onTree.add(m, 1);
    this.classSize[k]++;
    this.classOn[k]++;
    this.classOnTree?.add(k, 1);
    this.arrived[k]++;
    this.cohorts.crowdArrives(t);
    this.active(k, t, 1);
    if (leavesAt < this.params.durationSeconds) this.leaving.push(leavesAt * this.classSize.length + k);
  }

  /**
   * The members present at the start who leave before the run ends, each at the time it has left in a
   * steady state (survival.ts): how many, per market, then when (the residual lifetime, given it ends
   * within the run).
   */
  openLeaving(survival: Survival, rng: Rng): void {
    const end = this.params.durationSeconds;
    const beyond = survival.residualShare(end);
    for (let m = 0; m < this.markets; m++) {
      const n = binomial(rng, this.size[m], 1 - beyond);
      for (let i = 0; i < n; i++) {
        const r = survival.residual(beyond + (1 - beyond) * (1 - rng()));
        const at = Math.max(1, Math.ceil(r));
        if (at < end) this.leaving.push(at * this.classSize.length + m);
      }
    }
  }

  /** The class of the next member to leave by second t, or −1 when none is due. */
  nextLeaving(t: number): number {
    const n = this.classSize.length;
    if (this.leaving.size === 0 || this.leaving.peek() >= (t + 1) * n) return -1;
    return this.leaving.pop() % n;
  }

  /**
   * A member of class k leaves for good, drawn uniformly from its class: OFF, or what it watched in the
   * session its leaving cuts short (VIDEO or a creator, for the caller to take it off).
   */
  leaves(k: number, rng: Rng): number {
    const m = k % this.markets;
    assert(this.classSize[k] > 0 && this.endedCount === 0, 'a member leaves from its class, between seconds');
    const inSession = rng() * this.classSize[k] < this.classOn[k];
    this.size[m]--;
    this.classSize[k]--;
    if (inSession) {
      const watching = rng() * this.on[m] < this.video[m] ? VIDEO : this.live.sample(rng(), m);
      if (watching === VIDEO) this.video[m]--;
      this.on[m]--;
      this.onTree.add(m, -1);
      this.classOn[k]--;
      this.classOnTree?.add(k, -1);
      return watching;
    }
    const classOff = this.classSize[k] + 1 - this.classOn[k];
    this.offTree.add(m, -1);
    this.classOffTree?.add(k, -1);
    if (rng() * classOff < this.classSeenOff[k]) {
      this.seenOff[m]--;
      this.classSeenOff[k]--;
    }
    if (k >= this.markets && rng() * classOff < this.seenDay[k]) this.seenDay[k]--;
    return OFF;
  }

  /**
   * At second t the arrival classes whose day of age turns (classDayStart) start a new one: each member
   * in a session counts in it at once, and nobody off has been seen in it yet. Called every second that
   * is a class's day start (t ≡ CROWD_CLASS_SECONDS / 2 mod CROWD_CLASS_SECONDS).
   */
  newDayOfAge(t: number): void {
    const perDay = DAY_SECONDS / CROWD_CLASS_SECONDS;
    for (let j = 1 + (t - classDayStart(1)) / CROWD_CLASS_SECONDS - perDay; j >= 1; j -= perDay)
      for (let m = 0; m < this.markets; m++) {
        const k = j * this.markets + m;
        this.seenDay[k] = 0;
        if (this.classOn[k] > 0) this.active(k, t, this.classOn[k]);
      }
  }

  /** The retention KPIs' counts of the arrival classes, into the cohorts' sums (after the run). */
  foldKpis(): void {
    const n = this.arrived.length;
    for (let k = this.markets; k < n; k++) {
      if (this.arrived[k] === 0) continue;
      this.cohorts.crowdKpis(
        classDayStart(Math.floor(k / this.markets)),
        this.arrived[k],
        this.hits.subarray(k * RETENTION_DAYS.length),
      );
    }
  }

  /** Class k's members, and how many of them are in a session (for tests). */
  classCounts(k: number): { size: number; on: number } {
    return { size: this.classSize[k], on: this.classOn[k] };
  }

  /** Members leaving later in the run, queued (for tests and the bench). */
  get leavingQueued(): number {
    return this.leaving.size;
  }

  private classStarts(k: number, t: number, rng: Rng): void {
    const classOff = this.classSize[k] - this.classOn[k] - this.classEnded[k];
    this.classOn[k]++;
    this.classOffTree?.add(k, -1);
    this.classOnTree?.add(k, 1);
    if (k < this.markets) return; // present at the start: not in a cohort
    if (rng() * classOff < this.seenDay[k] - this.classEnded[k]) this.seenDay[k]--;
    else this.active(k, t, 1);
  }

  /** `n` members of arrival class k count active on their day of age at second t. */
  private active(k: number, t: number, n: number): void {
    if (k < this.markets) return;
    // Members who came in the class's first half hour are in their day 0 until its first day ends.
    const start = classDayStart(Math.floor(k / this.markets));
    const age = Math.max(0, Math.floor((t - start) / DAY_SECONDS));
    this.cohorts.crowdActive(start, age, n);
    const bit = RETENTION_DAYS.indexOf(age as 1 | 7 | 30);
    if (bit >= 0) this.hits[k * RETENTION_DAYS.length + bit] += n;
  }

  get bytes(): number {
    return (
      (this.classOnTree === null ? 6 : 8) * this.classSize.byteLength + // six counts a class, two trees
      this.hits.byteLength +
      this.leaving.bytes +
      this.present.bytes +
      this.marketOf.byteLength
    );
  }
}

/**
 * The agents present in each market, for a spike's uniform draw: a list of slots per market (removal
 * swaps the last in), and each slot's place in its list. Without arrivals or departures the lists are
 * the markets' blocks of slots, in order.
 */
export class PresentAgents {
  private lists: Int32Array[];
  private counts: Int32Array;
  private place: Int32Array;

  constructor(agentStart: Int32Array) {
    const markets = agentStart.length - 1;
    this.counts = new Int32Array(markets);
    this.lists = [];
    this.place = new Int32Array(agentStart[markets]);
    for (let m = 0; m < markets; m++) {
      const n = agentStart[m + 1] - agentStart[m];
      const list = new Int32Array(Math.max(16, n));
      for (let i = 0; i < n; i++) {
        list[i] = agentStart[m] + i;
        this.place[agentStart[m] + i] = i;
      }
      this.lists.push(list);
      this.counts[m] = n;
    }
  }

  count(m: number): number {
    return this.counts[m];
  }

  at(m: number, i: number): number {
    return this.lists[m][i];
  }

  add(v: number, m: number): void {
    if (v >= this.place.length) this.place = grownTo(this.place, Math.max(v + 1, 2 * this.place.length));
    let list = this.lists[m];
    if (this.counts[m] === list.length) {
      list = grownTo(list, 2 * list.length);
      this.lists[m] = list;
    }
    list[this.counts[m]] = v;
    this.place[v] = this.counts[m]++;
  }

  remove(v: number, m: number): void {
    const list = this.lists[m];
    const i = this.place[v];
    assert(list[i] === v, 'a present agent is in its market’s list');
    const last = list[--this.counts[m]];
    list[i] = last;
    this.place[last] = i;
  }

  get bytes(): number {
    let n = this.place.byteLength + this.counts.byteLength;
    for (const l of this.lists) n += l.byteLength;
    return n;
  }
}

/** A binary min-heap of whole numbers held exactly in doubles (second × classes + class). */
export class MinHeap {
  private items = new Float64Array(64);
  size = 0;

  get bytes(): number {
    return this.items.byteLength;
  }

  peek(): number {
    return this.items[0];
  }

  push(x: number): void {
    if (this.size === this.items.length) this.items = grownTo(this.items, 2 * this.items.length);
    const a = this.items;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent] <= x) break;
      a[i] = a[parent];
      i = parent;
    }
    a[i] = x;
  }

  pop(): number {
    const a = this.items;
    const top = a[0];
    const x = a[--this.size];
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && a[child + 1] < a[child]) child++;
      if (a[child] >= x) break;
      a[i] = a[child];
      i = child;
    }
    a[i] = x;
    return top;
  }
}

/**
 * Where arrival class j's days of age start (j ≥ 1: arrivals in [(j − 1) × span, j × span)): the middle
 * of its span, so that its members' own days of age (from their arrival seconds) are as often later as
 * earlier.
 */
function classDayStart(j: number): number {
  return (j - 1) * CROWD_CLASS_SECONDS + CROWD_CLASS_SECONDS / 2;
}

/** Binomial(n, p) where ln(1 − p) = logq is known: the crowd draws two a market every second. */
/** Crowd.quietHazard's default: a second is quiet with a chance of at least e^(−1), 37 %. */
export const QUIET_HAZARD = 1;

function chances(rng: Rng, n: number, p: number, logq: number): number {
  return p > 0.5 ? binomial(rng, n, p) : binomialWith(rng, n, p, logq);
}

/** pickMember's answers for a member not in a stream. */
export const OFF = -2;
export const VIDEO = -1;

/**
 * Viewers a run's ledger is told to expect: every viewer, or with a crowd the agents expected. A hint
 * only: the ledger makes rows as viewers trade (at most 1,024 up front) and reuses departed ones.
 */
export function ledgerViewers(params: ModelParams): number {
  return params.crowd ? Math.ceil(params.viewers * potentialShare(params)) + 16 : params.viewers;
}

/** A run's ledger as the engine alone needs it: sized for the run, no journal, no idempotency keys. */
export function runLedgerOptions(params: ModelParams): LedgerOptions {
  return {
    journal: false,
    idempotency: false,
    viewers: ledgerViewers(params),
    creators: params.creatorSlots,
  };
}
