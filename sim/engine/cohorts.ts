/**
 * Cohorts: the viewers who arrived on the same day of the run, followed by day of age (age day a of a
 * viewer is [a, a + 1) days after its arrival second). Counts who was active (in a session at some
 * moment of that day), who bought, and what they spent; and, per arrival, what the KPIs need: active on
 * day 1, 7 and 30, a payer within 30 days, and its gross bookings in them. Flat typed arrays; nothing is
 * allocated while the run goes.
 */
import { DAY_SECONDS } from '../model/diurnal.ts';

/** The days of age the retention KPIs read (retentionD1, D7, D30), and their bits in `flags`. */
export const RETENTION_DAYS = [1, 7, 30] as const;
/** Conversion and lifetime value are over the first this many days of age. */
export const LTV_DAYS = 30;
const PAID_BIT = 1 << RETENTION_DAYS.length;

export interface CohortKpis {
  retentionD1: number;
  retentionD7: number;
  retentionD30: number;
  payerConversionD30: number;
  ltvD30Cents: number;
}

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
}

export class Cohorts {
  readonly days: number;
  /** New viewers by cohort day. */
  readonly newViewers: Float64Array;
  /** By cohort × age day (index cohort × days + age). */
  readonly active: Float64Array;
  readonly payers: Float64Array;
  readonly grossCents: Float64Array;
  /** Per arrival (slot − first): the last age day it was counted active or paying (−1: none yet). */
  private readonly lastActive: Int16Array;
  private readonly lastPaid: Int16Array;
  private readonly flags: Uint8Array;
  private readonly gross30: Float64Array;

  constructor(
    /** Slot of the first arrival (the viewers present at the start come before). */
    private readonly first: number,
    /** Arrival seconds, ascending: arrival k has slot first + k. */
    private readonly arrivals: Uint32Array,
    private readonly endSeconds: number,
  ) {
    this.days = Math.ceil(endSeconds / DAY_SECONDS);
    const n = arrivals.length;
    const cells = n === 0 ? 0 : this.days * this.days;
    this.newViewers = new Float64Array(n === 0 ? 0 : this.days);
    this.active = new Float64Array(cells);
    this.payers = new Float64Array(cells);
    this.grossCents = new Float64Array(cells);
    this.lastActive = new Int16Array(n).fill(-1);
    this.lastPaid = new Int16Array(n).fill(-1);
    this.flags = new Uint8Array(n);
    this.gross30 = new Float64Array(n);
  }

  arrive(v: number): void {
    this.newViewers[Math.floor(this.arrivals[v - this.first] / DAY_SECONDS)]++;
  }

  /** Viewer v starts a session at second t. */
  sessionStart(v: number, t: number): void {
    const k = v - this.first;
    if (k < 0) return;
    const age = this.ageDay(k, t);
    if (age > this.lastActive[k]) this.markActive(k, age, age);
  }

  /** Viewer v, in a session since its last start, ends it at second t: active every day up to t's. */
  sessionEnd(v: number, t: number): void {
    const k = v - this.first;
    if (k < 0) return;
    const age = this.ageDay(k, t);
    if (age > this.lastActive[k]) this.markActive(k, this.lastActive[k] + 1, age);
  }

  /** Viewer v bought for `cents` at second t. */
  purchase(v: number, t: number, cents: number): void {
    const k = v - this.first;
    if (k < 0) return;
    const age = this.ageDay(k, t);
    const cell = this.cohortOf(k) * this.days + age;
    this.grossCents[cell] += cents;
    if (age > this.lastPaid[k]) {
      this.payers[cell]++;
      this.lastPaid[k] = age;
    }
    if (age < LTV_DAYS) {
      this.gross30[k] += cents;
      this.flags[k] |= PAID_BIT;
    }
  }

  /**
   * The KPIs over the arrivals whose days they read are over by the end of the run (NaN when none are:
   * the run is too short to measure them).
   */
  kpis(): CohortKpis {
    const retention = RETENTION_DAYS.map((day, bit) => {
      let eligible = 0;
      let active = 0;
      for (let k = 0; k < this.arrivals.length && this.complete(k, day + 1); k++) {
        eligible++;
        if ((this.flags[k] & (1 << bit)) !== 0) active++;
      }
      return eligible === 0 ? Number.NaN : active / eligible;
    });
    let eligible = 0;
    let paid = 0;
    let gross = 0;
    for (let k = 0; k < this.arrivals.length && this.complete(k, LTV_DAYS); k++) {
      eligible++;
      if ((this.flags[k] & PAID_BIT) !== 0) paid++;
      gross += this.gross30[k];
    }
    return {
      retentionD1: retention[0],
      retentionD7: retention[1],
      retentionD30: retention[2],
      payerConversionD30: eligible === 0 ? Number.NaN : paid / eligible,
      ltvD30Cents: eligible === 0 ? Number.NaN : gross / eligible,
    };
  }

  /** cohorts.csv's rows: every cohort with viewers, by each day of age all its viewers have lived by the end. */
  rows(): CohortRow[] {
    const out: CohortRow[] = [];
    for (let c = 0; c < this.newViewers.length; c++) {
      const n = this.newViewers[c];
      if (n === 0) continue;
      let cumulative = 0;
      for (let a = 0; (c + 1 + a + 1) * DAY_SECONDS <= this.endSeconds; a++) {
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
        });
      }
    }
    return out;
  }

  /** Arrival k's first `days` days of age are over by the end of the run. */
  private complete(k: number, days: number): boolean {
    return this.arrivals[k] + days * DAY_SECONDS <= this.endSeconds;
  }

  private ageDay(k: number, t: number): number {
    return Math.floor((t - this.arrivals[k]) / DAY_SECONDS);
  }

  private cohortOf(k: number): number {
    return Math.floor(this.arrivals[k] / DAY_SECONDS);
  }

  private markActive(k: number, from: number, to: number): void {
    const base = this.cohortOf(k) * this.days;
    for (let a = from; a <= to; a++) {
      this.active[base + a]++;
      const bit = RETENTION_DAYS.indexOf(a as 1 | 7 | 30);
      if (bit >= 0) this.flags[k] |= 1 << bit;
    }
    this.lastActive[k] = to;
  }
}
