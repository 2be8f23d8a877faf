/**
 * The event engine of one replication. Time moves in whole seconds through a timing wheel; each
 * pending event is a number: a creator's next stream start (or its leaving), a creator's stream end,
 * an audience spike's edge, the next viewer arrival, the next creator join, then viewer slot v (its
 * next session, gift, or the end of what it watches) after them all. Handlers
 * read and write the typed-array agent tables and move money only through the Trader (the Ledger).
 * No allocation in the loop; randomness only from the replication's streams. With arrivals and a
 * survival curve, a departed viewer's slot goes to a later arrival (slots.ts): handlers take slots,
 * the ledger and the outputs viewer numbers (Viewers.idOf).
 */
import { assert } from '../../common/assert.ts';
import { recycle } from '../../common/columns.ts';
import { modelLimits } from '../../common/limits.ts';
import type { Economy } from '../economy/types.ts';
import type { Ledger } from '../ledger/ledger.ts';
import { Creators } from '../model/creators.ts';
import { Fenwick } from '../model/fenwick.ts';
import { membersIn } from '../model/markets.ts';
import { type ModelParams, onShare } from '../model/params.ts';
import type { Survival } from '../model/survival.ts';
import {
  ABSENT,
  BOOSTED,
  GIFT_DUE,
  grownTo,
  IN_SESSION,
  LIVE,
  PAYER,
  potentialShare,
  Viewers,
} from '../model/viewers.ts';
import { gapSeconds, type Rng, type Streams } from '../random/index.ts';
import { Arrivals } from './arrivals.ts';
import { Cohorts, CROWD_CLASS_SECONDS } from './cohorts.ts';
import { CreatorLives } from './creator-lives.ts';
import { Crowd, OFF, VIDEO } from './crowd.ts';
import { Departed, ViewerOutcomes } from './departed.ts';
import { NEVER } from './never.ts';
import { openPayers } from './opening.ts';
import { PayerLives } from './payer-lives.ts';
import { Recorder } from './recorder.ts';
import { SlotPool } from './slots.ts';
import { Trader, type TraderFaults } from './trader.ts';
import { TimingWheel } from './wheel.ts';

export interface SimulationOptions {
  /** Called every `progressEverySeconds` of simulated time with the events processed so far. */
  onProgress?: (simSeconds: number, events: number) => void;
  progressEverySeconds?: number;
  faults?: TraderFaults;
  /**
   * Departed viewers' slots go to later arrivals (default, where viewers arrive and leave). False keeps
   * a slot per viewer of the run, as before reuse: for tests that the outputs are the same either way.
   */
  reuseSlots?: boolean;
  /** The crowd's quiet-second hazard (Crowd.quietHazard; 0: two binomials every second, as before). */
  crowdQuietHazard?: number;
}

export class Simulation {
  readonly viewers: Viewers;
  readonly creators: Creators;
  readonly recorder: Recorder;
  /** Viewers who arrived during the run, by day of arrival and day of age. */
  readonly cohorts: Cohorts;
  /** The viewers who can never pay, counted (population.nonPayers: crowd); null when every viewer is an agent. */
  readonly crowd: Crowd | null;
  /** Agent slots of the viewers present at the start (arrivals come after): all viewers without a crowd. */
  readonly agents: number;
  /** Viewer numbers of the run: the agents present at the start, then every arrival. */
  readonly viewerIds: number;
  /** Departed viewers' slots go to later arrivals (with arrivals and a survival curve). */
  readonly reusesSlots: boolean;
  /** Events processed (slots taken from the wheel on their second). */
  events = 0;
  activeViewers = 0;
  /** Viewers in live streams (the rest of the active ones browse videos). */
  liveWatchers = 0;
  /** The same, by market. */
  private readonly liveWatchersIn: Int32Array;
  liveStreams = 0;

  private readonly wheel: TimingWheel;
  private readonly picker: Fenwick;
  private readonly trader: Trader;
  private readonly economy: Economy;
  private readonly startBase: number;
  private readonly endBase: number;
  private readonly spikeBase: number;
  private readonly spikeActive: Uint8Array;
  /** Audience each running spike tops its stream up to. */
  private readonly spikeTarget: Float64Array;
  /** The wheel slot of the next arrival. */
  private readonly arrivalSlot: number;
  /** The wheel slot of the next creator join (lifecycle.creators). */
  private readonly joinSlot: number;
  /** Viewer slot v's events are wheel slot viewerBase + v (after the others, so the table can grow). */
  private readonly viewerBase: number;
  /** Free slots, the map from viewer numbers to slots, each slot's last second in the wheel (with reuse). */
  private readonly slots: SlotPool | null;
  /** What the outputs need of the viewers who left, once their slots are reused. */
  private readonly departed: Departed | null;
  /** Who joins during the run and when creators leave (creator-lives.ts; nothing drawn when off). */
  readonly creatorLives: CreatorLives;
  /**
   * Arrival seconds, drawn as the run reaches them: arrival k is viewer number agents + k (its slot,
   * without reuse) — with a crowd, the arrivals who become agents take the next numbers in turn (nextId).
   */
  private readonly arrivals: Arrivals;
  /** The viewer number the next agent to arrive takes (agents + arrivals so far, without a crowd). */
  private nextId: number;
  /** The market state in force (params.market[k]); the next one starts at its fromSeconds. */
  private stretch = 0;
  /** Per slot, the second its viewer leaves for good (with a survival curve; empty without). */
  private departAt: Uint32Array;
  /** When payers pay and what their budgets are as they age (payer-lives.ts; empty when off). */
  private readonly payerLives: PayerLives;
  private readonly end: number;
  /** The second being run (0 while starting up: the warm start stands for second 0). */
  private now = 0;
  /** The current second's slots (reused; grows with the busiest second). */
  private due: Int32Array = new Int32Array(4096);
  /** Where the touching loads go, so that they are not optimised away. */
  private touched = 0;

  constructor(
    private readonly params: ModelParams,
    private readonly ledger: Ledger,
    private readonly streams: Streams,
    private readonly options: SimulationOptions = {},
  ) {
    this.end = params.durationSeconds;
    this.arrivals = new Arrivals(params.lifecycle, params.viewerDiurnal, this.end, streams.lifecycle);
    this.cohorts = new Cohorts(this.arrivals.count > 0, this.end, 0);
    this.crowd = params.crowd
      ? new Crowd(params, streams.population, this.arrivals.count, this.cohorts)
      : null;
    if (this.crowd !== null && options.crowdQuietHazard !== undefined)
      this.crowd.quietHazard = options.crowdQuietHazard;
    this.agents = this.crowd === null ? params.viewers : this.crowd.agents;
    this.nextId = this.agents;
    // With a crowd, arrivals who become agents take the next numbers: this bounds them.
    this.viewerIds = this.agents + this.arrivals.count;
    const survival = params.lifecycle.survival !== undefined;
    // A crowd's agent arrivals are not known before the run: their table always grows as they come.
    this.reusesSlots =
      this.arrivals.count > 0 && ((options.reuseSlots !== false && survival) || this.crowd !== null);
    // Without reuse every viewer of the run has its slot, arrivals waiting absent; with it the table
    // starts with the viewers present and grows only when no departed viewer's slot is free.
    const count = this.reusesSlots ? this.agents : this.viewerIds;
    const slots = this.reusesSlots ? count + slotsStep(count) : count;
    this.viewers = new Viewers(count, params.market.length > 1, this.reusesSlots, slots);
    this.slots = this.reusesSlots ? new SlotPool(slots, count) : null;
    // With a crowd viewers.csv has segments only: a departed agent's row is not kept.
    this.departed = this.reusesSlots
      ? new Departed(this.crowd === null && this.viewerIds <= modelLimits.viewerRowsMax)
      : null;
    this.departAt = new Uint32Array(survival ? slots : 0);
    this.cohorts.grow(slots);
    this.payerLives = new PayerLives(params.lifecycle.payers, slots);
    this.creators = creatorsOf(params);
    this.creatorLives = new CreatorLives(
      params.lifecycle.creators,
      params.creators,
      this.creators.baseWeight.subarray(0, params.creators),
      params.creatorDiurnal,
      this.end,
      streams.careers,
    );
    this.recorder = new Recorder(params.intervals, ledger.economy, slots, params.intervalSeconds);
    this.startBase = 0;
    this.endBase = params.creatorSlots;
    this.spikeBase = 2 * params.creatorSlots;
    this.spikeActive = new Uint8Array(params.spikes.length);
    this.spikeTarget = new Float64Array(params.spikes.length);
    this.arrivalSlot = this.spikeBase + 2 * params.spikes.length;
    this.joinSlot = this.arrivalSlot + 1;
    this.viewerBase = this.joinSlot + 1;
    this.wheel = new TimingWheel(this.viewerBase + slots, this.end);
    this.picker = new Fenwick(params.creatorSlots, params.markets);
    this.rescales = params.curve.spec.scale === 'mean';
    this.liveWatchersIn = new Int32Array(params.markets);
    this.economy = ledger.economy;
    this.trader = new Trader(
      ledger,
      params,
      this.viewers,
      this.creators,
      this.recorder,
      streams.gifts,
      options.faults,
    );
    this.trader.firstArrival = this.agents;
  }

  /** Viewers the run stands for: agents and crowd, arrivals included. */
  get viewerCount(): number {
    return this.crowd === null ? this.viewerIds : this.params.viewers + this.arrivals.count;
  }

  /** Viewers of the run who were crowd members (never agents): 0 without a crowd. */
  get crowdViewers(): number {
    return this.crowd === null ? 0 : this.viewerCount - this.nextId;
  }

  /**
   * The run's outputs are read: its biggest columns (per-viewer state, the wheel's blocks) go to the
   * next replication on this thread (common/columns.ts), and this simulation is not used again. The
   * recorder's per-interval counts and the creators stay readable.
   */
  recycle(): void {
    recycle([...this.viewers.columns, ...this.wheel.columns, ...this.recorder.viewerColumns]);
  }

  /** Every viewer of the run, present or departed, for the outputs (after the run). */
  outcomes(): ViewerOutcomes {
    return new ViewerOutcomes(this.viewers, this.departed, this.viewerIds);
  }

  /** The slot of viewer number `id`, or −1 when it is not on the platform (not arrived, or gone with reuse). */
  slotOf(id: number): number {
    return this.slots === null ? id : this.slots.map.get(id);
  }

  /** Whether viewer number `id` watches a live stream now. */
  watchesLive(id: number): boolean {
    const v = this.slotOf(id);
    return v >= 0 && (this.viewers.state(v) & LIVE) !== 0;
  }

  /** Where the per-viewer state stands: slots in the table, their room, the bytes they take. */
  get slotFigures(): { slots: number; capacity: number; bytes: number; deferredFrees: number } {
    const bytes =
      this.viewers.bytes +
      this.departAt.byteLength +
      this.cohorts.bytes +
      this.payerLives.bytes +
      this.recorder.viewerBytes +
      (this.slots?.bytes ?? 0) +
      (this.departed?.bytes ?? 0);
    return {
      slots: this.viewers.count,
      capacity: this.viewers.capacity,
      bytes,
      deferredFrees: this.slots?.deferred ?? 0,
    };
  }

  run(): void {
    if (this.crowd === null) this.viewers.draw(this.params, this.streams.population, this.streams.demand);
    else
      this.viewers.drawAgents(
        this.params,
        this.crowd.agentStart,
        this.streams.population,
        this.streams.demand,
      );
    this.openPayerLives();
    openPayers(this.params, this.economy, this.viewers, this.creators, this.streams.population);
    this.warmStart();
    const { intervalSeconds } = this.params;
    const every = this.options.progressEverySeconds ?? 3600;
    this.recorder.sample(0, this.liveStreams, this.activeViewers, this.creatorLives.count);
    const market = this.params.market;
    for (let t = 1; t < this.end; t++) {
      if (t % intervalSeconds === 0) {
        this.trader.interval = t / intervalSeconds;
        this.recorder.sample(
          this.trader.interval,
          this.liveStreams,
          this.activeViewers,
          this.creatorLives.count,
        );
        if (this.crowd !== null)
          this.recorder.viewersActive[this.trader.interval] += this.crowd.newInterval();
        this.rescaleCurve();
      }
      // Creators whose careers end this second leave before anything else happens in it: no gift,
      // withdrawal or spike reaches a creator in its leaving second.
      while (this.creatorLives.nextLeaveAt <= t) this.leaveNow(this.creatorLives.nextLeaving(), t);
      if (this.crowd !== null) this.crowdSecond(t);
      if (this.stretch + 1 < market.length && market[this.stretch + 1].fromSeconds === t) this.reprice(t);
      this.runSecond(t);
      if (t % every === 0) this.options.onProgress?.(t, this.events);
    }
    this.crowd?.foldKpis();
    this.closeAudiences();
    this.closeSessions();
    this.options.onProgress?.(this.end, this.events);
  }

  /**
   * Runs the events of second `t`. Its slots are read out first, touching each viewer's record on the
   * way: those loads are independent, so their cache misses overlap instead of stalling event by
   * event. Handlers only schedule later seconds, so the list is complete.
   */
  private runSecond(t: number): void {
    const wheel = this.wheel;
    const base = this.viewerBase;
    this.now = t;
    wheel.take(t);
    let n = 0;
    let touched = 0;
    for (let slot = wheel.nextSlot(); slot >= 0; slot = wheel.nextSlot()) {
      if (n === this.due.length) this.due = grownInt32(this.due);
      this.due[n++] = slot;
      if (slot >= base) touched |= this.viewers.pendingAt(slot - base);
    }
    this.touched ^= touched;
    const due = this.due;
    for (let i = 0; i < n; i++) {
      const slot = due[i];
      if (slot >= base) {
        const v = slot - base;
        if (this.viewers.pendingAt(v) !== t) continue; // rescheduled since: stale
        if ((this.viewers.state(v) & ABSENT) !== 0) {
          this.freeSlot(v); // a departed viewer's last entry in the wheel: its slot is free now
          continue;
        }
        this.events++;
        this.viewerEvent(v, t);
        continue;
      }
      this.events++;
      this.dispatch(slot, t);
    }
  }

  private dispatch(slot: number, t: number): void {
    if (slot < this.endBase) this.streamStartEvent(slot - this.startBase, t);
    else if (slot < this.spikeBase) this.streamEndEvent(slot - this.endBase, t);
    else if (slot === this.arrivalSlot) this.arrive(t);
    else if (slot === this.joinSlot) this.joinCreators(t);
    else if (((slot - this.spikeBase) & 1) === 0) this.spikeTick((slot - this.spikeBase) >> 1, t);
    else this.spikeEnd((slot - this.spikeBase) >> 1);
  }

  private schedule(slot: number, at: number): boolean {
    assert(at > this.now, 'events are scheduled for a later second');
    if (at >= this.end) return false;
    this.wheel.schedule(slot, at);
    return true;
  }

  /** A viewer has one event that counts: the last one scheduled (an earlier entry becomes stale). */
  private scheduleViewer(v: number, at: number): void {
    this.viewers.setPendingAt(v, at < this.end ? at : NEVER);
    if (this.schedule(this.viewerBase + v, at) && this.slots !== null && at > this.slots.lastDue[v])
      this.slots.lastDue[v] = at;
  }

  // ── viewers ─────────────────────────────────────────────────────────────────────────────────

  private viewerEvent(v: number, t: number): void {
    const viewers = this.viewers;
    const state = viewers.state(v);
    // A viewer not on the platform has no event (a departing one's pending second is never: depart).
    assert((state & ABSENT) === 0, 'an event for a viewer who left or has not arrived');
    if ((state & IN_SESSION) === 0) {
      this.startSession(v, t, this.sessionLength());
      return;
    }
    if ((state & GIFT_DUE) !== 0) {
      viewers.setState(v, state & ~GIFT_DUE);
      const spent = viewers.spentCents[v];
      this.trader.giftFrom(v, t);
      if (viewers.spentCents[v] !== spent) this.bought(v, t, viewers.spentCents[v] - spent);
      this.scheduleWatching(v, t);
      return;
    }
    // Not a gift: the end of what the viewer watches — unless the stream was extended meanwhile.
    if (t < this.leaveAt(v)) {
      this.scheduleWatching(v, t);
      return;
    }
    this.leaveStream(v, t);
    if (t < viewers.sessionEnd(v)) {
      this.watch(v, true, t); // the stream ended under the viewer: hop to another one
      this.scheduleWatching(v, t);
    } else this.endSession(v, t);
  }

  private sessionLength(): number {
    return gapSeconds(this.streams.sessions, this.params.sessionMeanSeconds);
  }

  private startSession(v: number, t: number, seconds: number): void {
    this.enterSession(v, t, seconds);
    this.scheduleWatching(v, t);
  }

  /** Starts a session and joins what it watches, leaving the viewer's next event to the caller. */
  private enterSession(v: number, t: number, seconds: number): void {
    const viewers = this.viewers;
    viewers.setSessionEnd(v, Math.min(t + seconds, this.departureOf(v)));
    viewers.setState(v, viewers.state(v) | IN_SESSION);
    if (this.payerLives.grows && (viewers.state(v) & PAYER) !== 0)
      this.trader.rebudget(v, t, this.payerLives.budgetAt(v, t));
    this.sessionStarted(v, t);
    this.watch(v, this.streams.sessions() < this.params.liveShare, t);
  }

  /** Counts a session's start: the active viewers now, in this interval and in the viewer's cohort. */
  private sessionStarted(v: number, t: number): void {
    this.activeViewers++;
    this.recorder.sawViewer(this.viewers, v, this.trader.interval);
    this.cohorts.sessionStart(v, t);
  }

  /** Viewer v bought for `cents` at second t (in this interval, at its age). */
  private bought(v: number, t: number, cents: number): void {
    this.recorder.sawPayer(v, this.trader.interval);
    this.cohorts.purchase(v, t, cents);
  }

  /** The second viewer v leaves for good (NEVER if it stays); sessions end by then and none starts after. */
  private departureOf(v: number): number {
    return this.departAt.length === 0 ? NEVER : this.departAt[v];
  }

  /**
   * Joins a live stream of its market picked by pull, or browses videos when asked to or when nobody
   * is live there (viewer v's market is marketOf(v); creator c's is c mod markets).
   */
  private watch(v: number, live: boolean, t: number): void {
    const viewers = this.viewers;
    const market = this.marketOf(v);
    if (!live || this.picker.totalOf(market) === 0) {
      viewers.setState(v, viewers.state(v) & ~LIVE);
      viewers.setWatching(v, -1);
      return;
    }
    this.join(v, this.picker.sample(this.streams.streams(), market), t);
  }

  private join(v: number, c: number, t: number): void {
    this.audienceMoves(c, t, 1);
    this.viewers.setWatching(v, c);
    this.viewers.setState(v, this.viewers.state(v) | LIVE);
  }

  private leaveStream(v: number, t: number): void {
    const viewers = this.viewers;
    const state = viewers.state(v);
    if ((state & LIVE) === 0) return;
    this.audienceMoves(viewers.watching(v), t, -1);
    viewers.setState(v, state & ~LIVE);
    viewers.setWatching(v, -1);
  }

  /** One viewer joins (+1) or leaves (−1) creator c's stream at second t. */
  private audienceMoves(c: number, t: number, delta: 1 | -1): void {
    const creators = this.creators;
    this.flushAudience(c, t);
    creators.audience[c] += delta;
    if (creators.audience[c] > creators.peakAudience[c]) creators.peakAudience[c] = creators.audience[c];
    this.liveWatchers += delta;
    this.liveWatchersIn[c % this.params.markets] += delta;
  }

  /** The market of agent v: its viewer number mod markets, or with a crowd the market kept for its slot. */
  private marketOf(v: number): number {
    return this.crowd === null ? this.viewers.idOf(v) % this.params.markets : this.crowd.marketOf[v];
  }

  private endSession(v: number, t: number): void {
    const viewers = this.viewers;
    viewers.setState(v, viewers.state(v) & ~(IN_SESSION | LIVE | BOOSTED | GIFT_DUE));
    this.activeViewers--;
    this.recorder.sawViewerThrough(this.viewers, v, this.trader.interval);
    this.cohorts.sessionEnd(v, t);
    this.scheduleSession(v, t);
  }

  /**
   * The viewer's next session starts after a gap that follows the viewers' daily rhythm — unless the
   * viewer has left for good by then.
   */
  private scheduleSession(v: number, t: number): void {
    const gap = this.params.sessionGapSeconds;
    if (gap === Number.POSITIVE_INFINITY) return;
    const at = this.params.viewerDiurnal.next(t, gap, this.streams.sessions);
    if (at < this.departureOf(v)) this.scheduleViewer(v, at);
    else this.depart(v, t);
  }

  /**
   * The viewer in slot v leaves for good at second t (its last session ended): no event of its counts
   * any more; its ledger row goes to a later viewer when it holds no coins. With reuse, what its outputs
   * need is archived, its number forgotten, and its slot freed — once the last entry the wheel holds for
   * it has come due (slots.ts), before that a later arrival could meet it.
   */
  private depart(v: number, t: number): void {
    const viewers = this.viewers;
    viewers.setState(v, viewers.state(v) | ABSENT);
    viewers.setPendingAt(v, NEVER);
    this.cohorts.leave(v);
    this.crowd?.agentLeaves(v);
    const id = viewers.idOf(v);
    const slots = this.slots;
    if (slots !== null) (this.departed as Departed).add(viewers, v, this.ledger.coinsOf(id));
    this.ledger.release(id);
    if (slots === null) return;
    slots.map.delete(id);
    viewers.free(v);
    if (slots.lastDue[v] <= t) slots.release(v);
    else {
      viewers.setPendingAt(v, slots.lastDue[v]);
      slots.deferred++;
    }
  }

  /** A departed viewer's slot whose last wheel entry came due goes to the free slots. */
  private freeSlot(v: number): void {
    assert(this.slots !== null && this.viewers.idOf(v) === -1, 'only a departed viewer’s slot is freed');
    this.viewers.setPendingAt(v, NEVER);
    this.slots.release(v);
  }

  /** Viewer number `id` arrives: a free slot, or a new one at the end of the table (grown if full). */
  private takeSlot(id: number): number {
    const slots = this.slots as SlotPool;
    const viewers = this.viewers;
    let v = slots.take();
    if (v < 0) {
      if (viewers.count === viewers.capacity) this.growSlots(viewers.capacity + slotsStep(viewers.capacity));
      v = viewers.count++;
    }
    viewers.assign(v, id);
    this.recorder.resetViewer(v);
    this.payerLives.reset(v);
    slots.map.set(id, v);
    return v;
  }

  /** Room for `capacity` viewer slots in every per-slot column (copied: outside the hot loop, rarely). */
  private growSlots(capacity: number): void {
    this.viewers.grow(capacity);
    (this.slots as SlotPool).grow(capacity);
    this.departAt = grownTo(this.departAt, capacity);
    this.cohorts.grow(capacity);
    this.payerLives.grow(capacity);
    this.recorder.growViewers(capacity);
  }

  /**
   * Prices change at second t (a price event of the scenario): the trader sells the next state's
   * packs, and every viewer on the platform decides again whether it pays, with the draw that decided
   * it before (Viewers.paysAt): a new payer starts with an empty wallet and, in a session, starts
   * gifting now; one that stops keeps its coins and gifts no more.
   */
  private reprice(t: number): void {
    this.stretch++;
    const state = this.params.market[this.stretch];
    assert(state.fromSeconds === t, 'a market state starts on its second');
    this.trader.market = state;
    const viewers = this.viewers;
    const present = this.nextId;
    // By viewer number, so that the payers' stream is drawn in the same order whichever slots they hold.
    for (let id = 0; id < present; id++) {
      const v = this.slotOf(id);
      if (v < 0) continue; // gone for good, its slot reused
      const was = viewers.state(v);
      if ((was & ABSENT) !== 0) continue; // gone for good
      // Payers choose their channel again at the new prices, with the same draws (a promotion on the
      // web pulls some over; its end sends them back). Channel first: conversion follows its prices.
      if (viewers.hasAttributes(v)) viewers.channel[v] = viewers.channelAt(v, this.params, this.stretch);
      // Arrivals are judged as they were drawn: on the price a new viewer sees (its first pack's, with
      // a first-purchase bonus), so a price event that changes nothing for them keeps them as they are.
      const conversion = id < this.agents ? state.conversion : state.arrivalConversion;
      const pays = viewers.paysAt(v, this.params, conversion);
      if (pays === ((was & PAYER) !== 0)) continue;
      viewers.setState(v, pays ? was | PAYER : was & ~(PAYER | GIFT_DUE));
      if (!pays) continue;
      viewers.walletSince[v] = this.payerLives.start(
        v,
        t,
        viewers.budgetPerDayCents(v),
        this.streams.payers,
        false,
      );
      if ((was & IN_SESSION) !== 0) this.scheduleWatching(v, t);
    }
  }

  // ── arrivals ────────────────────────────────────────────────────────────────────────────────

  /**
   * The arrivals of second t: each takes its slot (a departed viewer's, with reuse), draws who it is
   * (payer or not, budget, channel, motive) and how long it will stay from the lifecycle stream, and
   * starts its first session with an empty wallet.
   */
  private arrive(t: number): void {
    const { viewers, params, arrivals } = this;
    const rng = this.streams.lifecycle;
    const survival = params.lifecycle.survival;
    while (arrivals.peek() === t) {
      const rank = arrivals.taken;
      arrivals.take();
      const market = (params.viewers + rank) % params.markets;
      // The conversion uniform first, as drawOne draws it: with a crowd, one no price converts is a
      // crowd member, and the lifecycle stream moves as it would for an agent (that uniform, a lifetime).
      const u = rng();
      const crowd = this.crowd;
      if (crowd !== null && u >= potentialShare(params)) {
        const leaves = survival === undefined ? NEVER : t + lifetimeSeconds(survival, rng);
        crowd.arrives(market, t, leaves);
        this.recorder.viewersActive[this.trader.interval]++;
        this.activeViewers++;
        this.crowdWatches(market, this.streams.crowd() < params.liveShare, t);
        continue;
      }
      const id = this.nextId++;
      const v = this.slots === null ? id : this.takeSlot(id);
      viewers.setState(v, 0);
      crowd?.agentArrives(v, market);
      // Attributes of a viewer only a cheaper market converts come from the demand stream, so that the
      // lifecycle stream (arrival times, lifetimes) stays aligned whatever prices do later in the run.
      viewers.drawOne(
        v,
        params,
        this.stretch,
        this.trader.market.arrivalConversion,
        rng,
        this.streams.demand,
        u,
      );
      // A payer's wallet opens when it starts paying (after its first-purchase delay, with payer lives).
      viewers.walletSince[v] =
        (viewers.state(v) & PAYER) === 0
          ? t
          : this.payerLives.start(v, t, viewers.budgetPerDayCents(v), this.streams.payers, true);
      if (survival !== undefined) this.departAt[v] = Math.min(NEVER, t + lifetimeSeconds(survival, rng));
      this.cohorts.arrive(v, t);
      this.startSession(v, t, this.sessionLength());
    }
    if (arrivals.peek() !== NEVER) this.schedule(this.arrivalSlot, arrivals.peek());
  }

  /** When the viewer stops watching what it watches: its session's end, or its stream's. */
  private leaveAt(v: number): number {
    const viewers = this.viewers;
    const end = viewers.sessionEnd(v);
    if ((viewers.state(v) & LIVE) === 0) return end;
    return Math.min(end, this.creators.streamEnd[viewers.watching(v)]);
  }

  /**
   * Schedules the viewer's next gift if it comes before it stops watching, else the stop. A payer that
   * cannot afford any gift before its wallet fills enough makes no tries until then (the gaps are
   * memoryless, so starting the draw there changes nothing but the wasted events).
   */
  private scheduleWatching(v: number, t: number): void {
    const leave = Math.max(t + 1, this.leaveAt(v));
    const rate = this.giftRate(v);
    if (rate > 0) {
      const at = this.trader.affordableFrom(v, t) + gapSeconds(this.streams.gifts, 1 / rate);
      if (at < leave && at < this.payerLives.untilOf(v)) {
        this.viewers.setState(v, this.viewers.state(v) | GIFT_DUE);
        this.scheduleViewer(v, at);
        return;
      }
    }
    this.viewers.setState(v, this.viewers.state(v) & ~GIFT_DUE);
    this.scheduleViewer(v, leave);
  }

  /** Gifts per second: the base rate, scaled by the audience curve (live) or the video rate, and a shout-out. */
  private giftRate(v: number): number {
    const state = this.viewers.state(v);
    if ((state & PAYER) === 0) return 0;
    const p = this.params;
    let rate = p.giftRatePerSecond;
    if ((state & LIVE) !== 0)
      rate *= p.curve.multiplier(this.creators.audience[this.viewers.watching(v)]) * this.curveCorrection;
    else rate *= p.videoGiftRate;
    if ((state & BOOSTED) !== 0) rate *= p.shoutoutBoost;
    return rate;
  }

  // ── creators ────────────────────────────────────────────────────────────────────────────────

  private streamStartEvent(c: number, t: number): void {
    const creators = this.creators;
    creators.startPending[c] = 0;
    if (creators.live[c] !== 0) return; // a spike made the creator live; its stream's end schedules the next
    assert(t < this.creatorLives.leaveOf(c), 'a stream starts before its creator leaves');
    this.startStream(c, t, t + this.streamLength());
  }

  /** Uniform between half and one and a half times the mean: no zero-length streams, no marathons. */
  private streamLength(): number {
    const mean = this.params.streamMeanSeconds;
    return Math.max(1, Math.round(mean * (0.5 + this.streams.creators())));
  }

  /** The creator's next stream start, unless its career ends first (its leaving needs no event). */
  private scheduleStreamStart(c: number, t: number): void {
    const gap = this.params.streamGapSeconds;
    if (this.creators.startPending[c] !== 0) return;
    const next =
      gap === Number.POSITIVE_INFINITY
        ? NEVER
        : this.params.creatorDiurnal.next(t, gap, this.streams.creators);
    if (next >= Math.min(this.creatorLives.leaveOf(c), NEVER)) return;
    if (this.schedule(this.startBase + c, next)) this.creators.startPending[c] = 1;
  }

  private startStream(c: number, t: number, endAt: number): void {
    const creators = this.creators;
    assert(creators.live[c] === 0, 'a live creator started another stream');
    this.flushAudience(c, t);
    creators.live[c] = 1;
    // A stream that would run past the creator's leaving ends then (its viewers read this end).
    creators.streamEnd[c] = Math.min(endAt, this.creatorLives.leaveOf(c), NEVER);
    creators.streams[c]++;
    this.picker.add(c, creators.pull[c]);
    this.liveStreams++;
    this.schedule(this.endBase + c, creators.streamEnd[c]);
  }

  private streamEndEvent(c: number, t: number): void {
    const creators = this.creators;
    if (creators.live[c] === 0) return; // its creator left first thing this second, ending it then
    if (t < creators.streamEnd[c]) {
      this.schedule(this.endBase + c, creators.streamEnd[c]); // extended by a spike
      return;
    }
    this.endStream(c, t);
    this.scheduleStreamStart(c, t);
  }

  private endStream(c: number, t: number): void {
    const creators = this.creators;
    assert(creators.live[c] === 1 && creators.streamEnd[c] === t, 'a stream ends when it said it would');
    creators.live[c] = 0;
    this.picker.add(c, -creators.pull[c]);
    this.liveStreams--;
    if (this.crowd !== null) this.crowdHops(c, t);
    // Its viewers leave on their own events this second or the next (their leave time was this end).
  }

  /** Adds the viewer-seconds since the audience last changed to its size's bin. */
  private flushAudience(c: number, t: number): void {
    const creators = this.creators;
    const audience = creators.audience[c];
    if (audience > 0 && t > creators.audienceSince[c]) {
      const seconds = t - creators.audienceSince[c];
      this.recorder.watched(audience, seconds);
      if (this.rescales) {
        this.curveSeconds += audience * seconds;
        this.curveSum += audience * seconds * this.params.curve.multiplier(audience);
      }
    }
    creators.audienceSince[c] = t;
  }

  /**
   * With audienceEffect.scale: mean, the curve's multipliers are also divided by their mean over the
   * viewer-seconds watched so far (from the end of the first interval; the curve's own divisor, an
   * estimate from the scenario's creators, is within about 15 % of it): so the run's curve averages 1
   * over its viewer-hours whatever its shape. 1 with scale: peak.
   */
  curveCorrection = 1;
  private readonly rescales: boolean;
  private curveSeconds = 0;
  private curveSum = 0;

  private rescaleCurve(): void {
    if (this.rescales && this.curveSum > 0) this.curveCorrection = this.curveSeconds / this.curveSum;
  }

  // ── creators' careers ───────────────────────────────────────────────────────────────────────

  /**
   * The joins of second t: each takes its slot and weight and goes live for its first stream (unless
   * creators never stream: streamsPerDay 0; then it waits for its leaving, as they do).
   */
  private joinCreators(t: number): void {
    const lives = this.creatorLives;
    while (lives.nextJoinAt === t) {
      const c = lives.join();
      this.creators.join(c, lives.weightOf(c));
      if (this.params.streamGapSeconds === Number.POSITIVE_INFINITY) this.scheduleStreamStart(c, t);
      else this.startStream(c, t, t + this.streamLength());
    }
    this.scheduleJoin();
  }

  private scheduleJoin(): void {
    const at = this.creatorLives.nextJoinAt;
    if (at !== NEVER) this.schedule(this.joinSlot, at);
  }

  /**
   * Creator c leaves for good at second t (its career's end): a stream it is in ends now (it was cut
   * to end then), no stream starts after, and its videos go with it.
   */
  private leaveNow(c: number, t: number): void {
    assert(t === this.creatorLives.leaveOf(c), 'a creator leaves in its leaving second');
    if (this.creators.live[c] !== 0) this.endStream(c, t);
    this.creatorLives.leave(c);
    this.creators.leave(c);
  }

  private closeAudiences(): void {
    for (let c = 0; c < this.creators.count; c++) this.flushAudience(c, this.end);
  }

  /** Sessions still going at the end count as active through its last second. */
  private closeSessions(): void {
    const last = this.params.intervals - 1;
    for (let v = 0; v < this.viewers.count; v++) {
      if ((this.viewers.state(v) & IN_SESSION) === 0) continue;
      this.recorder.sawViewerThrough(this.viewers, v, last);
      this.cohorts.sessionEnd(v, this.end - 1);
    }
  }

  // ── spikes ──────────────────────────────────────────────────────────────────────────────────

  /**
   * A viral stream: at its start the creator goes live (if it was not), its pull grows by the factor,
   * and every minute until the end viewers are drawn in — off-line ones start a session, others leave
   * what they watch — until its audience is `factor` times what it had (or would have had) at the start.
   */
  private spikeTick(i: number, t: number): void {
    const spike = this.params.spikes[i];
    const c = spike.creator;
    const creators = this.creators;
    if (!this.creatorLives.isPresent(c)) return; // its creator has left: the spike goes with it
    if (this.spikeActive[i] === 0) {
      this.spikeActive[i] = 1;
      if (creators.live[c] === 0) this.startStream(c, t, Math.max(t + this.streamLength(), spike.endSeconds));
      else if (creators.streamEnd[c] < spike.endSeconds)
        creators.streamEnd[c] = Math.min(spike.endSeconds, this.creatorLives.leaveOf(c));
      const market = c % this.params.markets;
      const share = creators.pull[c] / Math.max(1, this.picker.totalOf(market));
      const usual = Math.max(creators.audience[c], Math.round(share * this.liveWatchersIn[market]), 1);
      this.spikeTarget[i] = Math.ceil(spike.factor * usual);
      this.repull(c);
    }
    this.drawIn(c, this.spikeTarget[i], t);
    if (t + SPIKE_TICK_SECONDS < spike.endSeconds)
      this.schedule(this.spikeBase + 2 * i, t + SPIKE_TICK_SECONDS);
  }

  private spikeEnd(i: number): void {
    this.spikeActive[i] = 0;
    this.repull(this.params.spikes[i].creator);
  }

  /**
   * Draws random viewers of its market into creator c's stream until it has `target` (a bounded number
   * of tries).
   */
  private drawIn(c: number, target: number, t: number): void {
    const viewers = this.viewers;
    const rng = this.streams.streams;
    const markets = this.params.markets;
    const market = c % markets;
    const crowd = this.crowd;
    // Picked by viewer number, among every viewer of the run (arrived or not, gone or not), so that the
    // draws are the same whichever slots viewers hold.
    // With a crowd, agents present and crowd members present are picked among as many numbers as the
    // run without one has (departed and later viewers included), so a spike draws in as many.
    const agents = crowd === null ? membersIn(this.viewerIds, markets, market) : crowd.agentsIn(market);
    const members =
      crowd === null ? agents : membersIn(this.params.viewers + this.arrivals.count, markets, market);
    const tries = Math.min(4 * Math.max(0, target - this.creators.audience[c]), 4 * members);
    for (let k = 0; k < tries && this.creators.audience[c] < target; k++) {
      const pick = Math.floor(rng() * members);
      if (pick >= agents) {
        if (crowd !== null && pick - agents < crowd.size[market]) this.crowdDrawnIn(market, c, t);
        continue;
      }
      const v = crowd === null ? this.slotOf(market + markets * pick) : crowd.agentAt(market, pick);
      if (v < 0) continue; // not on the platform (its slot gone to another viewer)
      const state = viewers.state(v);
      if ((state & ABSENT) !== 0 || ((state & LIVE) !== 0 && viewers.watching(v) === c)) continue;
      if ((state & IN_SESSION) !== 0) this.leaveStream(v, t);
      else {
        viewers.setSessionEnd(v, Math.min(t + this.sessionLength(), this.departureOf(v)));
        viewers.setState(v, state | IN_SESSION);
        this.sessionStarted(v, t);
      }
      this.join(v, c, t);
      this.scheduleWatching(v, t);
    }
  }

  /** Pull = base weight × every running spike's factor, kept whole; the live picker follows it. */
  private repull(c: number): void {
    const creators = this.creators;
    let factor = 1;
    this.params.spikes.forEach((s, i) => {
      if (s.creator === c && this.spikeActive[i] !== 0) factor *= s.factor;
    });
    const pull = Math.max(1, Math.round(creators.baseWeight[c] * factor));
    if (creators.live[c] !== 0) this.picker.add(c, pull - creators.pull[c]);
    creators.pull[c] = pull;
  }

  // ── the crowd ───────────────────────────────────────────────────────────────────────────────

  /**
   * The crowd's second t: as many sessions end, then start, as the crowd's draws say, each in a
   * market drawn by its members in a session (or off) at the second's start.
   */
  private crowdSecond(t: number): void {
    const crowd = this.crowd as Crowd;
    const rng = this.streams.crowd;
    if (crowd.classes > 1 && t % CROWD_CLASS_SECONDS === CROWD_CLASS_SECONDS / 2) crowd.newDayOfAge(t);
    for (let k = crowd.nextLeaving(t); k >= 0; k = crowd.nextLeaving(t)) {
      const was = crowd.leaves(k, rng);
      if (was === OFF) continue;
      if (was !== VIDEO) this.crowdLeaves(was, t);
      this.activeViewers--;
    }
    crowd.drawSecond(t, rng);
    const markets = this.params.markets;
    for (; crowd.endsDue > 0; crowd.endsDue--) {
      const k = crowd.nextEnd(rng);
      const m = k % markets;
      if (rng() * crowd.on[m] < crowd.video[m]) crowd.video[m]--;
      else this.crowdLeaves(crowd.live.sample(rng(), m), t);
      crowd.ends(k);
      this.activeViewers--;
    }
    for (; crowd.startsDue > 0; crowd.startsDue--) {
      const k = crowd.nextStart(rng);
      this.crowdStarts(k, t);
      this.crowdWatches(k % markets, rng() < this.params.liveShare, t);
    }
    crowd.closeSecond();
  }

  /** A crowd member of class k (crowd.ts) starts a session at second t (what it watches is the caller's). */
  private crowdStarts(k: number, t: number): void {
    const crowd = this.crowd as Crowd;
    if (crowd.starts(k, t, this.streams.crowd)) this.recorder.viewersActive[this.trader.interval]++;
    this.activeViewers++;
  }

  /** A crowd member of market m in a session watches a live stream picked by pull, or videos (as watch). */
  private crowdWatches(m: number, live: boolean, t: number): void {
    const crowd = this.crowd as Crowd;
    if (!live || this.picker.totalOf(m) === 0) crowd.video[m]++;
    else this.crowdJoins(this.picker.sample(this.streams.crowd(), m), t);
  }

  private crowdJoins(c: number, t: number): void {
    const crowd = this.crowd as Crowd;
    this.audienceMoves(c, t, 1);
    crowd.audience[c]++;
    crowd.live.add(c, 1);
  }

  private crowdLeaves(c: number, t: number): void {
    const crowd = this.crowd as Crowd;
    this.audienceMoves(c, t, -1);
    crowd.audience[c]--;
    crowd.live.add(c, -1);
  }

  /** Creator c's stream ended: its crowd, in mid-session, hops to another stream (as watch(v, true)). */
  private crowdHops(c: number, t: number): void {
    const crowd = this.crowd as Crowd;
    const m = c % this.params.markets;
    for (let n = crowd.audience[c]; n > 0; n--) {
      this.crowdLeaves(c, t);
      this.crowdWatches(m, true, t);
    }
  }

  /** A spike draws a crowd member of market m into creator c's stream (one already there stays). */
  private crowdDrawnIn(m: number, c: number, t: number): void {
    const crowd = this.crowd as Crowd;
    const member = crowd.pickMember(m, this.streams.streams);
    if (member === c) return;
    if (member === OFF) this.crowdStarts(crowd.offClassIn(m, this.streams.streams), t);
    else if (member === VIDEO) crowd.video[m]--;
    else this.crowdLeaves(member, t);
    this.crowdJoins(c, t);
  }

  /** The crowd at second 0: in sessions as an on/off process has them at that hour, watching as they would. */
  private openCrowd(): void {
    const crowd = this.crowd as Crowd;
    const rng = this.streams.crowd;
    for (let m = 0; m < this.params.markets; m++) {
      const on = crowd.openSessions(m, rng);
      for (let k = 0; k < on; k++) {
        this.crowdStarts(m, 0); // class m: the members of market m present at the start
        this.crowdWatches(m, rng() < this.params.liveShare, 0);
      }
    }
  }

  // ── the first second ────────────────────────────────────────────────────────────────────────

  /**
   * Starts the run in the steady state of its first second rather than empty: each creator is live and
   * each viewer in a session with the probability an on/off process with these rates has at that hour
   * (payers as the days before the run left them, see opening.ts).
   */
  private warmStart(): void {
    const p = this.params;
    const crng = this.streams.creators;
    const streamOn = onShare(p.streamGapSeconds / p.creatorDiurnal.factorIn(0), p.streamMeanSeconds);
    for (let c = 0; c < p.creators; c++) {
      if (crng() < streamOn) this.startStream(c, 0, Math.max(1, Math.ceil(crng() * this.streamLength())));
      else this.scheduleStreamStart(c, 0);
    }
    const srng = this.streams.sessions;
    const sessionOn = onShare(p.sessionGapSeconds / p.viewerDiurnal.factorIn(0), p.sessionMeanSeconds);
    this.openLifetimes();
    if (this.crowd !== null) this.openCrowd();
    for (let v = 0; v < this.agents; v++) {
      // A payer's session comes from the days it lived before the run (opening.ts), with its wallet.
      const payer = (this.viewers.state(v) & PAYER) !== 0;
      const end = payer ? this.viewers.sessionEnd(v) : srng() < sessionOn ? this.sessionLength() : 0;
      if (end > 0) this.enterSession(v, 0, end);
      else this.scheduleSession(v, 0);
    }
    // Gift rates follow the audience, so they are set once every stream has the viewers it opens with.
    for (let v = 0; v < this.agents; v++)
      if ((this.viewers.state(v) & IN_SESSION) !== 0) this.scheduleWatching(v, 0);
    p.spikes.forEach((s, i) => {
      this.schedule(this.spikeBase + 2 * i, Math.max(1, s.startSeconds));
      this.schedule(this.spikeBase + 2 * i + 1, Math.max(2, s.endSeconds));
    });
    if (this.arrivals.peek() !== NEVER) this.schedule(this.arrivalSlot, this.arrivals.peek());
    this.scheduleJoin();
  }

  /** The payers present at the start pay already, with a steady state's tenure and paying life left. */
  private openPayerLives(): void {
    const { viewers, payerLives } = this;
    const rng = this.streams.payers;
    for (let v = 0; v < this.agents; v++) {
      if ((viewers.state(v) & PAYER) === 0) continue;
      payerLives.open(v, viewers.budgetPerDayCents(v), rng);
    }
  }

  /**
   * Arrival slots wait absent; with a survival curve, the viewers present at the start draw the time
   * they have left as in a steady state (their ages spread as the curve: survival.ts).
   */
  private openLifetimes(): void {
    const p = this.params;
    for (let v = this.agents; v < this.viewers.count; v++) this.viewers.setState(v, ABSENT);
    const survival = p.lifecycle.survival;
    if (survival === undefined) return;
    const rng = this.streams.lifecycle;
    for (let v = 0; v < this.agents; v++)
      this.departAt[v] = Math.min(NEVER, Math.max(1, Math.ceil(survival.residual(1 - rng()))));
    this.crowd?.openLeaving(survival, rng);
  }
}

/** Creator slots: with joins or careers, a catalogue of those present and room for the joins. */
function creatorsOf(p: ModelParams): Creators {
  const spec = p.lifecycle.creators;
  const on = spec.joins > 0 || spec.careerMeanSeconds < Number.POSITIVE_INFINITY;
  return new Creators(p.creatorSlots, p.popularityZipf, p.markets, on ? { initial: p.creators } : undefined);
}

/** A new viewer's lifetime in whole seconds, at least one (Infinity: it never leaves). */
function lifetimeSeconds(survival: Survival, rng: Rng): number {
  return Math.max(1, Math.ceil(survival.lifetime(1 - rng())));
}

/** Slots a table of reused slots grows by: an eighth, at least 64 (a few copies early in a run). */
function slotsStep(slots: number): number {
  return Math.max(64, Math.ceil(slots / 8));
}

function grownInt32(from: Int32Array): Int32Array {
  const to = new Int32Array(from.length * 2);
  to.set(from);
  return to;
}

/** How often a running spike draws viewers in. */
const SPIKE_TICK_SECONDS = 60;
