/** A Monte Carlo band (fan) chart: cumulative gross bookings over time across replications. */

import type { TopLevelSpec } from 'vega-lite';
import { reportLimits } from '../../../common/limits.ts';
import { quantileSorted } from '../../compare/stats.ts';
import { centsToDollars } from '../../format.ts';
import { timeUnit } from '../data.ts';
import { FULL_WIDTH, INK, MEANING } from '../theme.ts';
import type { Chart, ChartInput } from './chart.ts';

export function fanChart(input: ChartInput): Chart {
  const { run, scenario } = input;
  const n = run.replications.length;
  const base = {
    id: 'fan',
    title: 'Monte Carlo band: cumulative gross bookings',
    reading:
      'How wide is the range of plausible outcomes as the simulated time unfolds, and when does the uncertainty build up?',
  };
  if (n < 2) {
    return {
      ...base,
      spec: null,
      note: 'A band needs several replications; this run has one. Run with --replications 20 for a useful fan.',
    };
  }
  const unit = timeUnit(scenario.duration);
  const paths = run.replications.map((r) => {
    let cum = 0;
    const points = [{ t: 0, cents: 0 }];
    r.timeseries.forEach((row, i) => {
      for (const v of Object.values(row.bookingsCents)) cum += v;
      const end = r.timeseries[i + 1]?.startSeconds ?? row.startSeconds + scenario.intervalSeconds;
      points.push({ t: end / unit.seconds, cents: cum });
    });
    return points;
  });
  const length = Math.min(...paths.map((p) => p.length));
  const bands = [];
  for (let i = 0; i < length; i++) {
    const sorted = paths.map((p) => p[i].cents).sort((a, b) => a - b);
    bands.push({
      t: paths[0][i].t,
      q05: centsToDollars(quantileSorted(sorted, 0.05)),
      q25: centsToDollars(quantileSorted(sorted, 0.25)),
      q50: centsToDollars(quantileSorted(sorted, 0.5)),
      q75: centsToDollars(quantileSorted(sorted, 0.75)),
      q95: centsToDollars(quantileSorted(sorted, 0.95)),
    });
  }
  const lines =
    n <= reportLimits.fanPathsDrawnMax
      ? paths.flatMap((p, r) =>
          p.slice(0, length).map((pt) => ({ t: pt.t, dollars: centsToDollars(pt.cents), rep: r + 1 })),
        )
      : [];
  const x = {
    field: 't',
    type: 'quantitative' as const,
    title: `Simulated time (${unit.label} since the start)`,
    scale: { domain: [0, scenario.duration / unit.seconds], nice: false },
  };
  const legend = [
    { band: '5–95 % of replications', color: MEANING.band, opacity: 0.14 },
    { band: '25–75 %', color: MEANING.band, opacity: 0.3 },
  ];
  const spec: TopLevelSpec = {
    width: FULL_WIDTH,
    height: 300,
    layer: [
      {
        data: { values: bands },
        mark: { type: 'area', color: MEANING.band, opacity: legend[0].opacity },
        encoding: { x, y: { field: 'q05', type: 'quantitative' }, y2: { field: 'q95' } },
      },
      {
        data: { values: bands },
        mark: { type: 'area', color: MEANING.band, opacity: legend[1].opacity },
        encoding: { x, y: { field: 'q25', type: 'quantitative' }, y2: { field: 'q75' } },
      },
      {
        data: { values: lines },
        mark: { type: 'line', color: INK.muted, strokeWidth: 0.6, opacity: 0.35 },
        encoding: {
          x,
          y: { field: 'dollars', type: 'quantitative' },
          detail: { field: 'rep', type: 'nominal' },
        },
      },
      {
        data: { values: bands },
        mark: { type: 'line', color: MEANING.band, strokeWidth: 2.5 },
        encoding: {
          x,
          y: {
            field: 'q50',
            type: 'quantitative',
            title: 'Cumulative gross bookings (US $)',
            axis: { format: '$,.0f', grid: true, tickCount: 6 },
          },
        },
      },
      {
        data: {
          values: [
            {
              t: 0.02,
              y: 0,
              text: `median (line), 25–75 % (dark band), 5–95 % (light band) of ${n} replications${lines.length ? '; grey lines: each replication' : ''}`,
            },
          ],
        },
        mark: { type: 'text', align: 'left', baseline: 'top', color: INK.muted, fontSize: 11 },
        encoding: { x: { value: 8 }, y: { value: 4 }, text: { field: 'text' } },
      },
    ],
  };
  return {
    ...base,
    spec,
    ...(n < 20
      ? {
          note: `With ${n} replications the outer band is interpolated between few runs and sits close to the min–max; 20 or more give a steadier fan.`,
        }
      : {}),
  };
}
