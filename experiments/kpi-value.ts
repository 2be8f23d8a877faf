/**
 * Whether a KPI can have a value: the rule `sweep --kpi` and `calibrate --target` hold a KPI to, the one
 * `run --precision --kpi` applies after its first batch (experiments/precision.ts). A cohort KPI
 * (sim/engine/cohorts.ts) is measured on the viewers who arrive during the run once their first days of
 * age are over; without such a viewer it is absent (NaN: an empty CSV cell, null in JSON).
 *
 * Two halves: before anything runs, `whyNoValue` says when a scenario cannot give a KPI a value whatever
 * the draws (nobody arrives, or the run is too short for the days the KPI reads: exit 2 naming the flag);
 * after the runs, `hasValue` says whether it did (too few arrivals early enough can leave it absent at
 * some points or candidates, which only the runs tell).
 */
import { DAY_SECONDS } from '../common/limits.ts';
import type { Scenario } from '../scenarios/schema/scenario.ts';
import { LTV_DAYS, RETENTION_DAYS } from '../sim/engine/cohorts.ts';
import type { KpiStat } from '../sim/kpis.ts';

/**
 * The days of age a cohort KPI reads: an arrival counts once its first this many days are over (day d
 * of age is [d, d + 1) days after arrival; conversion and LTV read the first LTV_DAYS).
 */
const COHORT_DAYS: Readonly<Record<string, number>> = {
  retentionD1: RETENTION_DAYS[0] + 1,
  retentionD7: RETENTION_DAYS[1] + 1,
  retentionD30: RETENTION_DAYS[2] + 1,
  payerConversionD30: LTV_DAYS,
  ltvD30Cents: LTV_DAYS,
};

/** Days of age a KPI needs over by the end of the run; undefined for a KPI every run gives a value. */
export function cohortDays(kpi: string): number | undefined {
  return Object.hasOwn(COHORT_DAYS, kpi) ? COHORT_DAYS[kpi] : undefined;
}

/** What a KPI that can be absent needs, for an error's `expected` (after what is asked and a colon). */
export function valueNeeds(kpi: string): string {
  const days = cohortDays(kpi);
  if (days === undefined) return `every run gives ${kpi} a value`;
  return `${kpi} counts the viewers who arrive during the run once their first ${days} days are over, so a run lasting more than ${days}d in which viewers arrive (lifecycle.arrivalsPerDay or an acquisition-burst event)`;
}

/**
 * Why `scenario` cannot give `kpi` a value whatever the draws, or null when it may (a cohort KPI with
 * arrivals early enough, or any other KPI). Arrivals come at second 1 or later (sim/engine/arrivals.ts),
 * a burst's from its start; an arrival at second t counts once t + days ≤ the run's end.
 */
export function whyNoValue(scenario: Scenario, kpi: string): string | null {
  const days = cohortDays(kpi);
  if (days === undefined) return null;
  const latest = scenario.duration - days * DAY_SECONDS;
  const bursts = scenario.events.filter((e) => e.kind === 'acquisition-burst');
  const reasons: string[] = [];
  if (scenario.lifecycle.arrivalsPerDay === 0 && bursts.length === 0)
    reasons.push('nobody arrives (lifecycle.arrivalsPerDay 0, no acquisition-burst event)');
  if (latest < 1) reasons.push(`the run lasts ${daysText(scenario.duration)}`);
  else if (
    reasons.length === 0 &&
    scenario.lifecycle.arrivalsPerDay === 0 &&
    bursts.every((b) => b.at > latest)
  ) {
    reasons.push(
      `its only arrivals are acquisition bursts from ${daysText(Math.min(...bursts.map((b) => b.at)))} on, in a run of ${daysText(scenario.duration)}: none has ${days} days left`,
    );
  }
  return reasons.length === 0 ? null : reasons.join(' and ');
}

/** Whether the runs gave a KPI a value (every replication did: a mean over an absent one is absent). */
export function hasValue(stat: KpiStat): boolean {
  return Number.isFinite(stat.mean);
}

/** Why the runs left a KPI without a value where the scenario allowed one. */
export function noValueAfterRuns(kpi: string): string {
  const days = cohortDays(kpi);
  if (days === undefined) return 'the runs gave none';
  return `in some replication no viewer arrived early enough for their first ${days} days to be over by the end`;
}

/** Seconds as the shortest of `12d`, `6h`, `90s`, as scenario files write durations. */
export function daysText(seconds: number): string {
  if (seconds % DAY_SECONDS === 0) return `${seconds / DAY_SECONDS}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  return `${seconds}s`;
}
