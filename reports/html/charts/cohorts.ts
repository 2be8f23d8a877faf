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
import { describe, ratioCi95 } from '../../../experiments/stats.ts';
import type { CohortRow } from '../../../sim/engine/cohorts.ts';
import { benchmarkText, RETENTION_BENCHMARKS } from '../../../sim/kpis.ts';
import { centsToDollars } from '../../format.ts';
import { FULL_WIDTH, MEANING } from '../theme.ts';
import { type Chart, type ChartInput, replicationsText } from './chart.ts';

/** The benchmarks' bars: neutral, beside the curve's colour. */
const BENCHMARK_GREY = '#9ca3af';

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

/** Cohort rows summed by day of age. */
function sumByAge(cohorts: Iterable<CohortRow>): Map<number, ByAge> {
  const ages = new Map<number, ByAge>();
  for (const c of cohorts) {
    const a = ages.get(c.ageDay) ?? { ageDay: c.ageDay, newViewers: 0, active: 0, grossCents: 0 };
    a.newViewers += c.newViewers;
    a.active += c.activeViewers;
    a.grossCents += c.grossCents;
    ages.set(c.ageDay, a);
  }
  return ages;
}

/** The ages drawn, pooled over cohorts and replications, and each replication's own sums by age. */
function byAge(run: RunResult): { pooled: ByAge[]; each: Map<number, ByAge>[] } {
  const all = [...sumByAge(run.replications.flatMap((r) => r.cohorts)).values()].sort(
    (x, y) => x.ageDay - y.ageDay,
  );
  // The last ages are lived by the first cohorts only: below a tenth of the arrivals they are noise.
  const arrivals = all[0]?.newViewers ?? 0;
  const pooled = all.filter((a) => a.newViewers > 0 && a.newViewers >= arrivals * MIN_POOLED_SHARE);
  return { pooled, each: run.replications.map((r) => sumByAge(r.cohorts)) };
}

/** An age is drawn when the cohorts that lived to it hold at least this share of the arrivals. */
const MIN_POOLED_SHARE = 0.1;

/**
 * At each age drawn, the 95 % CI of the mean over replications (t-based, as the KPI table's) from each
 * replication's own curve — `curves[r][i]`, undefined where replication r had no viewer of that age —
 * or undefined below two values. Clipped to what the figure can be (0 up, a share 0 to 1): with few
 * replications a symmetric interval reaches past both.
 */
function ciBand(
  curves: readonly (number | undefined)[][],
  ages: number,
  max = Number.POSITIVE_INFINITY,
): ({ lo: number; hi: number } | undefined)[] {
  return Array.from({ length: ages }, (_, i) => {
    const at = curves.map((c) => c[i]).filter((v): v is number => v !== undefined);
    if (at.length < 2) return undefined;
    const [lo, hi] = describe(at).ci95;
    return { lo: Math.max(0, lo), hi: Math.min(max, hi) };
  });
}

const AGE_AXIS = {
  field: 'ageDay',
  type: 'quantitative' as const,
  title: 'Day of age (0 = the day of arrival)',
};

/**
 * A line over day of age with its band where rows have `lo`/`hi`: the retention and LTV curves differ
 * only in their field, colour and axis.
 */
function ageLine(
  rows: readonly { ageDay: number; lo?: number; hi?: number }[],
  field: string,
  color: string,
  title: string,
  format: string,
): TopLevelSpec {
  const y = { type: 'quantitative' as const, title, axis: { format, grid: true } };
  const band = rows.some((r) => r.lo !== undefined);
  return {
    width: FULL_WIDTH,
    height: 240,
    data: { values: [...rows] },
    encoding: {
      // The axis ends at the last age drawn (a rounded-up axis showed days with no point).
      x: {
        ...AGE_AXIS,
        scale: { domain: [0, Math.max(1, ...rows.map((r) => r.ageDay))] },
      },
    },
    layer: [
      ...(band
        ? [
            {
              mark: { type: 'area' as const, color, opacity: 0.18, interpolate: 'monotone' as const },
              encoding: { y: { field: 'lo', ...y }, y2: { field: 'hi' } },
            },
          ]
        : []),
      {
        mark: { type: 'line', color, point: { size: 18 }, interpolate: 'monotone' },
        encoding: { y: { field, ...y } },
      },
    ],
  };
}

/** The reading's parenthesis: how the curve pools the replications, and what its band is. */
function poolingText(n: number): string {
  const band = n > 1 ? '; the band is the 95 % CI of the mean over replications' : '';
  return `${replicationsText(n)}, pooled over the cohorts that lived to that age, while they hold a tenth of the arrivals${band}`;
}

export function retentionCurve(input: ChartInput): Chart {
  const { pooled, each } = byAge(input.run);
  // The line is a pooled ratio (active ÷ new viewers over replications): its band is that ratio's CI,
  // so that replications of different sizes do not pull the band off the line.
  const rows = pooled.map((a) => {
    const ci = ratioCi95(
      each.map((e) => e.get(a.ageDay)?.active ?? 0),
      each.map((e) => e.get(a.ageDay)?.newViewers ?? 0),
    );
    const band = ci === null ? {} : { lo: Math.max(0, ci[0]), hi: Math.min(1, ci[1]) };
    return { ageDay: a.ageDay, retention: a.active / a.newViewers, ...band };
  });
  const spec = ageLine(rows, 'retention', MEANING.payers, 'Share of new viewers who watched that day', '.0%');
  // The public app benchmarks at D1, D7 and D30 the curve reaches: a grey bar from low to high.
  const lastAge = Math.max(0, ...rows.map((r) => r.ageDay));
  const marks = RETENTION_BENCHMARKS.filter((b) => b.day <= lastAge).map((b) => ({
    ageDay: b.day,
    low: b.low,
    high: b.high,
    label: benchmarkText(b.day),
  }));
  if (marks.length > 0 && 'layer' in spec) {
    spec.layer.unshift(
      {
        data: { values: marks },
        mark: { type: 'rule', color: BENCHMARK_GREY, strokeWidth: 7, opacity: 0.45 },
        encoding: { y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } },
      },
      {
        data: { values: marks },
        mark: { type: 'text', color: '#6b7280', align: 'left', dx: 7, dy: -4, fontSize: 10.5 },
        encoding: { y: { field: 'high', type: 'quantitative' }, text: { field: 'label' } },
      },
    );
  }
  const benchmarks =
    marks.length === 0
      ? ''
      : `. Grey bars: public app benchmarks for new users, ${marks.map((m) => m.label).join(', ')} (the range from all apps' averages to social and streaming apps' medians)`;
  return {
    id: 'retention-curve',
    title: 'Retention by day of age',
    reading: `Of the viewers who arrived during the run, how many still watch N days later? (${poolingText(input.run.replications.length)})${benchmarks}`,
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
        // The top colour holds every cell from the 95th percentile up: its label, at the domain's end, says so.
        legend: {
          format: '$,.2f',
          values: top > 0 ? [0, top / 2, top] : undefined,
          labelExpr: `datum.value >= ${top > 0 ? top : 1} ? datum.label + ' or more' : datum.label`,
        },
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
  const { pooled, each } = byAge(input.run);
  let cents = 0;
  const ltvCents = pooled.map((a) => {
    cents += a.grossCents / a.newViewers;
    return cents;
  });
  // Each replication's own LTV, added up the same way; one without viewers of an age stops there.
  const curves = each.map((e) => {
    let own: number | undefined = 0;
    return pooled.map(({ ageDay }) => {
      const a = e.get(ageDay);
      own =
        own !== undefined && a !== undefined && a.newViewers > 0
          ? own + a.grossCents / a.newViewers
          : undefined;
      return own;
    });
  });
  const band = ciBand(curves, pooled.length);
  const rows = pooled.map((a, i) => ({
    ageDay: a.ageDay,
    ltv: centsToDollars(ltvCents[i]),
    ...(band[i] && { lo: centsToDollars(band[i].lo), hi: centsToDollars(band[i].hi) }),
  }));
  const spec = ageLine(rows, 'ltv', MEANING.creators, 'Bookings per new viewer so far (US $)', '$,.2f');
  const n = input.run.replications.length;
  return {
    id: 'ltv-curve',
    title: 'Lifetime value by day of age',
    reading: `How much has a new viewer brought in, on average, by N days after arriving? Set it against what acquiring one costs. (Each day adds the bookings per new viewer of the cohorts that lived to it${n > 1 ? '; the band is the 95 % CI of the mean over replications' : ''}.)`,
    spec,
  };
}

/** The cohort charts in page order, after the run's own charts. */
export const COHORT_CHARTS: readonly ((input: ChartInput) => Chart)[] = [
  retentionCurve,
  cohortRevenue,
  ltvCurve,
];
