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
 * This module holds the counts and the draws; the engine moves audiences (Simulation.crowd*).
 */
import { assert } from '../../common/assert.ts';
import type { LedgerOptions } from '../ledger/ledger.ts';
import { Fenwick } from '../model/fenwick.ts';
import { membersIn } from '../model/markets.ts';
import { type ModelParams, onShare } from '../model/params.ts';
import { potentialShare } from '../model/viewers.ts';
import { binomial, binomialWith, type Rng } from '../random/index.ts';

export class Crowd {
  /** Crowd members per market (never changes: no arrivals or churn with a crowd). */
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
  /** The markets of this second's ends, in order (their members become free to start at its close). */
  private endedIn: Int32Array = new Int32Array(64);
  private endedCount = 0;
  /** Crowd members in each creator's stream, one tree per market: who leaves is drawn from it. */
  readonly live: Fenwick;
  readonly audience: Int32Array;
  /** Agent slots by market: market m's agents are slots agentStart[m] … agentStart[m + 1] − 1. */
  readonly agentStart: Int32Array;
  /** The market of each agent slot. */
  readonly marketOf: Int32Array;
  /** Chance a session in progress ends in a given second (its length is ⌈Exp(mean)⌉ seconds). */
  readonly endChance: number;

  constructor(
    private readonly params: ModelParams,
    population: Rng,
  ) {
    const markets = params.markets;
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
    this.live = new Fenwick(params.creatorSlots, markets);
    this.audience = new Int32Array(params.creatorSlots);
    this.endChance = -Math.expm1(-1 / params.sessionMeanSeconds);
  }

  /** Agent slots (the viewers a price could make pay). */
  get agents(): number {
    return this.agentStart[this.agentStart.length - 1];
  }

  /** Agents of market m. */
  agentsIn(m: number): number {
    return this.agentStart[m + 1] - this.agentStart[m];
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
    this.endsDue = chances(rng, this.onTree.total, this.endChance, -1 / this.params.sessionMeanSeconds);
    this.startsDue = chances(rng, this.offTree.total, -Math.expm1(-rate), -rate);
  }

  /** Transitions of this second still to run (set by drawSecond). */
  endsDue = 0;
  startsDue = 0;

  /** The market of the next session to end this second: one of the members in a session at its start, uniformly. */
  nextEnd(rng: Rng): number {
    return this.onTree.sample(rng());
  }

  /** The market of the next session to start this second: one of the members off at its start, uniformly. */
  nextStart(rng: Rng): number {
    return this.offTree.sample(rng());
  }

  /**
   * An off member of market m starts a session: whether it is one not yet counted active in this
   * interval (true: a new distinct viewer). Members who ended a session this second cannot start
   * again in it (as an agent cannot), and they are all counted already: both are left out.
   */
  starts(m: number, rng: Rng): boolean {
    const off = this.size[m] - this.on[m] - this.ended[m];
    assert(off > 0, 'a crowd session starts from a member off');
    this.on[m]++;
    this.offTree.add(m, -1);
    this.onTree.add(m, 1);
    if (rng() * off < this.seenOff[m] - this.ended[m]) {
      this.seenOff[m]--;
      return false;
    }
    return true;
  }

  /** A member of market m in a session ends it (after the caller took it off what it watched). */
  ends(m: number): void {
    assert(this.on[m] > 0, 'a crowd session ends from a member in one');
    this.on[m]--;
    this.seenOff[m]++;
    this.ended[m]++;
    this.onTree.add(m, -1);
    if (this.endedCount === this.endedIn.length) {
      const grown = new Int32Array(2 * this.endedIn.length);
      grown.set(this.endedIn);
      this.endedIn = grown;
    }
    this.endedIn[this.endedCount++] = m;
  }

  /** The second is over: members who ended a session in it may start the next one. */
  closeSecond(): void {
    for (let k = 0; k < this.endedCount; k++) {
      const m = this.endedIn[k];
      this.offTree.add(m, 1);
      this.ended[m] = 0;
    }
    this.endedCount = 0;
  }

  /** A new interval: every member in a session counts in it; nobody off has been seen in it yet. */
  newInterval(): number {
    this.seenOff.fill(0);
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
}

/** Binomial(n, p) where ln(1 − p) = logq is known: the crowd draws two a market every second. */
function chances(rng: Rng, n: number, p: number, logq: number): number {
  return p > 0.5 ? binomial(rng, n, p) : binomialWith(rng, n, p, logq);
}

/** pickMember's answers for a member not in a stream. */
export const OFF = -2;
export const VIDEO = -1;

/**
 * Viewer accounts a ledger should be sized for: every viewer, or with a crowd the agents expected (a
 * ledger grows on demand, so this only spares the crowd's 8 bytes a viewer of balances).
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
