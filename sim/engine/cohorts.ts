/**
 * Cohorts: the viewers who arrived on the same day of the run, followed by day of age (age day a of a
 * viewer is [a, a + 1) days after its arrival second). Counts who was active (in a session at some
 * moment of that day), who bought, and what they spent; and, per arrival, what the KPIs need: active on
 * day 1, 7 and 30, a payer within 30 days, and its gross bookings in them. Flat typed arrays; nothing is
 * allocated while the run goes but when the viewer table grows.
 *
 * What is kept per arrival lives in its viewer slot while it is on the platform (its arrival second,
 * flags and bookings; a later arrival may take the slot: slots.ts); when it leaves, its flags and
 * bookings are added to the KPIs' sums and the slot forgets it.
 */

import { assert } from '../../common/assert.ts';
import { DAY_SECONDS } from '../../common/limits.ts';
import type { CohortKpiName } from '../kpis.ts';
import { grownTo } from '../model/viewers.ts';

/** The days of age the retention KPIs read (retentionD1, D7, D30), and their bits in `flags`. */
export const RETENTION_DAYS = [1, 7, 30] as const;
/**
 * Crowd members who arrive in the same hour form a class (crowd.ts): their days of age count from the
 * middle of that hour, and a class joins a KPI's sums once the day it reads is over.
 */
export const CROWD_CLASS_SECONDS = 3600;
/** Conversion and lifetime value are over the first this many days of age. */
export const LTV_DAYS = 30;
const PAID_BIT = 1 << RETENTION_DAYS.length;

/** The catalogue's cohort KPIs (sim/kpis.ts): one added there must be computed here. */
export type CohortKpis = Record<CohortKpiName, number>;

/** One row of cohorts.csv: cohort (day of arrival) × day of age. */
export interface CohortRow {
  cohortDay: number;
  ageDay: number;
  newViewers: number;
  activeViewers: number;
  payers: number;
  grossCents: number;
  /** Gross bookings of the cohort up to and including this day of age, per new viewer. */
  cumulativeGrossPerViewerCents: number;
  /** Viewers of the cohort whose first purchase fell on this day of age (conversion by age adds these up). */
  newPayers: number;
}

export class Cohorts {
  readonly days: number;
  /** New viewers by cohort day. */
  readonly newViewers: Float64Array;
  /** By cohort × age day (index cohort × days + age). */
  readonly active: Float64Array;
  readonly payers: Float64Array;
  /** Of `payers`, those buying for the first time. */
  readonly newPayers: Float64Array;
  readonly grossCents: Float64Array;
  /** Per viewer slot: the second its arrival came (−1: a viewer present at the start, or free). */
  private arrivedAt: Int32Array;
  /** Per slot: the last age day its arrival was counted active or paying (−1: none yet). */
  private lastActive: Int16Array;
  private lastPaid: Int16Array;
  private flags: Uint8Array;
  private gross30: Float64Array;
  /** The KPIs' sums over the arrivals who left (folded as each leaves; those still here at the end). */
  private readonly left: KpiSums = emptySums();

  constructor(
    /** Whether viewers arrive in this run (nothing is kept per slot without). */
    private readonly arrivals: boolean,
    private readonly endSeconds: number,
    /** Viewer slots to start with (nothing is kept per slot without arrivals). */
    slots: number,
  ) {
    this.days = Math.ceil(endSeconds / DAY_SECONDS);
    const n = arrivals ? slots : 0;
    const cells = arrivals ? this.days * this.days : 0;
    this.newViewers = new Float64Array(arrivals ? this.days : 0);
    this.active = new Float64Array(cells);
    this.payers = new Float64Array(cells);
    this.newPayers = new Float64Array(cells);
    this.grossCents = new Float64Array(cells);
    this.arrivedAt = new Int32Array(n).fill(-1);
    this.lastActive = new Int16Array(n).fill(-1);
    this.lastPaid = new Int16Array(n).fill(-1);
    this.flags = new Uint8Array(n);
    this.gross30 = new Float64Array(n);
  }

  /** Room for `slots` viewer slots (the table grew). */
  grow(slots: number): void {
    if (!this.arrivals) return;
    const from = this.arrivedAt.length;
    this.arrivedAt = grownTo(this.arrivedAt, slots);
    this.arrivedAt.fill(-1, from);
    this.lastActive = grownTo(this.lastActive, slots);
    this.lastPaid = grownTo(this.lastPaid, slots);
    this.flags = grownTo(this.flags, slots);
    this.gross30 = grownTo(this.gross30, slots);
  }

  get bytes(): number {
    return (
      this.arrivedAt.byteLength +
      this.lastActive.byteLength +
      this.lastPaid.byteLength +
      this.flags.byteLength +
      this.gross30.byteLength
    );
  }

  /** A viewer arriving at second `at` takes viewer slot v. */
  arrive(v: number, at: number): void {
    assert(this.arrivedAt[v] === -1, 'a slot holds one arrival at a time');
    assert(at >= 1, 'arrivals come from second 1');
    this.arrivedAt[v] = at;
    this.lastActive[v] = -1;
    this.lastPaid[v] = -1;
    this.flags[v] = 0;
    this.gross30[v] = 0;
    this.newViewers[Math.floor(at / DAY_SECONDS)]++;
  }

  /** The viewer in slot v left for good: its KPI flags join the sums, and the slot is no arrival's. */
  leave(v: number): void {
    const at = this.arrivalIn(v);
    if (at < 0) return;
    this.fold(this.left, v, at);
    this.arrivedAt[v] = -1;
  }

  /** The viewer in slot v starts a session at second t. */
  sessionStart(v: number, t: number): void {
    const at = this.arrivalIn(v);
    if (at < 0) return;
    const age = this.ageDay(at, t);
    if (age > this.lastActive[v]) this.markActive(v, at, age, age);
  }

  /** The viewer in slot v, in a session since its last start, ends it at second t: active every day up to t's. */
  sessionEnd(v: number, t: number): void {
    const at = this.arrivalIn(v);
    if (at < 0) return;
    const age = this.ageDay(at, t);
    if (age > this.lastActive[v]) this.markActive(v, at, this.lastActive[v] + 1, age);
  }

  /** The viewer in slot v bought for `cents` at second t. */
  purchase(v: number, t: number, cents: number): void {
    const at = this.arrivalIn(v);
    if (at < 0) return;
    const age = this.ageDay(at, t);
    const cell = this.cohortOf(at) * this.days + age;
    this.grossCents[cell] += cents;
    if (age > this.lastPaid[v]) {
      this.payers[cell]++;
      if (this.lastPaid[v] < 0) this.newPayers[cell]++;
      this.lastPaid[v] = age;
    }
    if (age < LTV_DAYS) {
      this.gross30[v] += cents;
      this.flags[v] |= PAID_BIT;
    }
  }

  /** A crowd member arrived at second t (population.nonPayers: crowd): counted, not kept (crowd.ts). */
  crowdArrives(t: number): void {
    this.newViewers[Math.floor(t / DAY_SECONDS)]++;
  }

  /** `n` crowd members whose days of age start at second `start` count active on day of age `age`. */
  crowdActive(start: number, age: number, n: number): void {
    this.active[Math.floor(start / DAY_SECONDS) * this.days + age] += n;
  }

  /**
   * The crowd members whose days of age start at second `start` (`viewers` of them) join the KPIs'
   * sums where their days are over: `hits[i]` of them were active on day RETENTION_DAYS[i]; they never pay.
   */
  crowdKpis(start: number, viewers: number, hits: Float64Array): void {
    for (let bit = 0; bit < RETENTION_DAYS.length; bit++) {
      if (!this.complete(start, RETENTION_DAYS[bit] + 1)) continue;
      this.left.eligible[bit] += viewers;
      this.left.hits[bit] += hits[bit];
    }
    if (this.complete(start, LTV_DAYS)) this.left.eligible[RETENTION_DAYS.length] += viewers;
  }

  /**
   * The KPIs over the arrivals whose days they read are over by the end of the run (NaN when none are:
   * the run is too short to measure them): those who left, and those still in their slots.
   */
  kpis(): CohortKpis {
    const sums = emptySums();
    for (let i = 0; i < sums.eligible.length; i++) {
      sums.eligible[i] = this.left.eligible[i];
      sums.hits[i] = this.left.hits[i];
    }
    sums.gross = this.left.gross;
    for (let v = 0; v < this.arrivedAt.length; v++) {
      const at = this.arrivedAt[v];
      if (at >= 0) this.fold(sums, v, at);
    }
    const share = (i: number) => (sums.eligible[i] === 0 ? Number.NaN : sums.hits[i] / sums.eligible[i]);
    const ltv = RETENTION_DAYS.length;
    return {
      retentionD1: share(0),
      retentionD7: share(1),
      retentionD30: share(2),
      payerConversionD30: share(ltv),
      ltvD30Cents: sums.eligible[ltv] === 0 ? Number.NaN : sums.gross / sums.eligible[ltv],
    };
  }

  /** cohorts.csv's rows: every cohort with viewers, by each day of age all its viewers have lived by the end. */
  rows(): CohortRow[] {
    const out: CohortRow[] = [];
    for (let c = 0; c < this.newViewers.length; c++) {
      const n = this.newViewers[c];
      if (n === 0) continue;
      let cumulative = 0;
      for (let a = 0; this.complete(c * DAY_SECONDS, a + 1); a++) {
        const cell = c * this.days + a;
        cumulative += this.grossCents[cell];
        out.push({
          cohortDay: c,
          ageDay: a,
          newViewers: n,
          activeViewers: this.active[cell],
          payers: this.payers[cell],
          grossCents: this.grossCents[cell],
          cumulativeGrossPerViewerCents: cumulative / n,
          newPayers: this.newPayers[cell],
        });
      }
    }
    return out;
  }

  /**
   * The first `days` days of age are over by the end of the run for every arrival of the cohort (day of
   * arrival) of second `at`: the KPIs count the cohorts cohorts.csv has rows for, so that its rows add
   * up to them (an arrival's own days could be over while its cohort's last arrival's are not).
   */
  private complete(at: number, days: number): boolean {
    return (this.cohortOf(at) + 1 + days) * DAY_SECONDS <= this.endSeconds;
  }

  /** The second the arrival slot v holds came, or −1 (none; nothing kept: no arrivals in this run). */
  private arrivalIn(v: number): number {
    return this.arrivedAt.length === 0 ? -1 : this.arrivedAt[v];
  }

  /** Adds the flags and bookings of slot v's arrival (at second `at`) to `sums`, where its days are over. */
  private fold(sums: KpiSums, v: number, at: number): void {
    for (let bit = 0; bit < RETENTION_DAYS.length; bit++) {
      if (!this.complete(at, RETENTION_DAYS[bit] + 1)) continue;
      sums.eligible[bit]++;
      if ((this.flags[v] & (1 << bit)) !== 0) sums.hits[bit]++;
    }
    if (!this.complete(at, LTV_DAYS)) return;
    const ltv = RETENTION_DAYS.length;
    sums.eligible[ltv]++;
    if ((this.flags[v] & PAID_BIT) !== 0) sums.hits[ltv]++;
    sums.gross += this.gross30[v];
  }

  private ageDay(at: number, t: number): number {
    return Math.floor((t - at) / DAY_SECONDS);
  }

  private cohortOf(at: number): number {
    return Math.floor(at / DAY_SECONDS);
  }

  private markActive(v: number, at: number, from: number, to: number): void {
    const base = this.cohortOf(at) * this.days;
    for (let a = from; a <= to; a++) {
      this.active[base + a]++;
      const bit = RETENTION_DAYS.indexOf(a as 1 | 7 | 30);
      if (bit >= 0) this.flags[v] |= 1 << bit;
    }
    this.lastActive[v] = to;
  }
}

/**
 * Sums over arrivals: per retention day (then conversion), those whose days are over and those
 * active (paying) on it; their bookings in their first LTV_DAYS.
 */
interface KpiSums {
  eligible: Float64Array;
  hits: Float64Array;
  gross: number;
}

function emptySums(): KpiSums {
  const n = RETENTION_DAYS.length + 1;
  return { eligible: new Float64Array(n), hits: new Float64Array(n), gross: 0 };
}
