/**
 * The cohort charts, drawn only when viewers arrived during the run (cohorts.csv has rows): retention by
 * day of age, revenue by cohort and day of age, and lifetime value by day of age. Every figure pools the
 * cohorts and replications that lived to that age, weighted by their new viewers, as the KPIs do. The
 * lifetime value adds up each age's bookings per new viewer (each from the cohorts that lived to that
 * age), so it never falls: averaging cumulative bookings over a set of cohorts that shrinks with age
 * would make it jump with whichever cohorts are left.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { RunResult } from '../../../experiments/result.ts';
import type { CohortRow } from '../../../sim/engine/cohorts.ts';
import { centsToDollars } from '../../format.ts';
import { FULL_WIDTH, MEANING } from '../theme.ts';
import { type Chart, type ChartInput, replicationsText } from './chart.ts';

/** True when some replication has cohort rows: the cohort charts have something to draw. */
export function hasCohorts(run: RunResult): boolean {
  return run.replications.some((r) => r.cohorts.length > 0);
}

interface ByAge {
  ageDay: number;
  newViewers: number;
  active: number;
  /** Bookings on that day of age. */
  grossCents: number;
}

/** Sums over cohorts and replications, by day of age. */
function byAge(run: RunResult): ByAge[] {
  const ages = new Map<number, ByAge>();
  for (const r of run.replications) {
    for (const c of r.cohorts) {
      const a = ages.get(c.ageDay) ?? { ageDay: c.ageDay, newViewers: 0, active: 0, grossCents: 0 };
      a.newViewers += c.newViewers;
      a.active += c.activeViewers;
      a.grossCents += c.grossCents;
      ages.set(c.ageDay, a);
    }
  }
  const all = [...ages.values()].sort((x, y) => x.ageDay - y.ageDay);
  // The last ages are lived by the first cohorts only: below a tenth of the arrivals they are noise.
  const arrivals = all[0]?.newViewers ?? 0;
  return all.filter((a) => a.newViewers > 0 && a.newViewers >= arrivals * MIN_POOLED_SHARE);
}

/** An age is drawn when the cohorts that lived to it hold at least this share of the arrivals. */
const MIN_POOLED_SHARE = 0.1;

const AGE_AXIS = {
  field: 'ageDay',
  type: 'quantitative' as const,
  title: 'Day of age (0 = the day of arrival)',
};

/** A line over day of age: the retention and LTV curves differ only in their field, colour and axis. */
function ageLine(
  rows: readonly { ageDay: number }[],
  field: string,
  color: string,
  title: string,
  format: string,
): TopLevelSpec {
  return {
    width: FULL_WIDTH,
    height: 240,
    data: { values: [...rows] },
    mark: { type: 'line', color, point: { size: 18 }, interpolate: 'monotone' },
    encoding: {
      // The axis ends at the last age drawn (a rounded-up axis showed days with no point).
      x: {
        ...AGE_AXIS,
        scale: { domain: [0, Math.max(1, ...rows.map((r) => r.ageDay))] },
      },
      y: { field, type: 'quantitative', title, axis: { format, grid: true } },
    },
  };
}

export function retentionCurve(input: ChartInput): Chart {
  const rows = byAge(input.run).map((a) => ({ ageDay: a.ageDay, retention: a.active / a.newViewers }));
  const spec = ageLine(rows, 'retention', MEANING.payers, 'Share of new viewers who watched that day', '.0%');
  return {
    id: 'retention-curve',
    title: 'Retention by day of age',
    reading: `Of the viewers who arrived during the run, how many still watch N days later? (${replicationsText(input.run.replications.length)}, pooled over the cohorts that lived to that age, while they hold a tenth of the arrivals)`,
    spec,
  };
}

export function cohortRevenue(input: ChartInput): Chart {
  const { run } = input;
  const cells = new Map<string, { cohortDay: number; ageDay: number; gross: number; viewers: number }>();
  const add = (c: CohortRow) => {
    const key = `${c.cohortDay}:${c.ageDay}`;
    const cell = cells.get(key) ?? { cohortDay: c.cohortDay, ageDay: c.ageDay, gross: 0, viewers: 0 };
    cell.gross += c.grossCents;
    cell.viewers += c.newViewers;
    cells.set(key, cell);
  };
  for (const r of run.replications) for (const c of r.cohorts) add(c);
  const values = [...cells.values()]
    .filter((c) => c.viewers > 0)
    .map((c) => ({
      cohortDay: c.cohortDay,
      ageDay: c.ageDay,
      perViewer: centsToDollars(c.gross / c.viewers),
    }));
  // A whale's day would wash out every other cell: the colour scale stops at the 95th percentile.
  const sorted = values.map((v) => v.perViewer).sort((a, b) => a - b);
  const top = sorted[Math.floor(0.95 * (sorted.length - 1))] ?? 0;
  const spec: TopLevelSpec = {
    width: FULL_WIDTH,
    height: 280,
    data: { values },
    mark: { type: 'rect' },
    encoding: {
      x: { field: 'ageDay', type: 'ordinal', title: 'Day of age', axis: { labelOverlap: true } },
      y: {
        field: 'cohortDay',
        type: 'ordinal',
        title: 'Cohort (day of arrival)',
        axis: { labelOverlap: true },
      },
      color: {
        field: 'perViewer',
        type: 'quantitative',
        title: '$ per new viewer',
        scale: { scheme: 'purples', domain: [0, top > 0 ? top : 1], clamp: true },
        legend: { format: '$,.2f' },
      },
    },
  };
  return {
    id: 'cohort-revenue',
    title: 'Bookings by cohort and day of age',
    reading:
      'What does each day’s intake of new viewers bring in on each day of its life? (a triangle: later cohorts have lived fewer days; the darkest cells are at or above the 95th percentile)',
    spec,
  };
}

export function ltvCurve(input: ChartInput): Chart {
  let cents = 0;
  const rows = byAge(input.run).map((a) => {
    cents += a.grossCents / a.newViewers;
    return { ageDay: a.ageDay, ltv: centsToDollars(cents) };
  });
  const spec = ageLine(rows, 'ltv', MEANING.creators, 'Bookings per new viewer so far (US $)', '$,.2f');
  return {
    id: 'ltv-curve',
    title: 'Lifetime value by day of age',
    reading:
      'How much has a new viewer brought in, on average, by N days after arriving? Set it against what acquiring one costs. (Each day adds the bookings per new viewer of the cohorts that lived to it.)',
    spec,
  };
}

/** The cohort charts in page order, after the run's own charts. */
export const COHORT_CHARTS: readonly ((input: ChartInput) => Chart)[] = [
  retentionCurve,
  cohortRevenue,
  ltvCurve,
];
