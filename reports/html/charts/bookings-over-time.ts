/** Bookings per channel and gifts over simulated time: when the money comes in, and when it is spent. */
import type { TopLevelSpec } from 'vega-lite';
import { centsToDollars, perText } from '../../format.ts';
import { channelIdsOf, intervalMeans, timeUnit } from '../data.ts';
import { channelColors, FULL_WIDTH, MEANING } from '../theme.ts';
import { type Chart, type ChartInput, replicationsText } from './chart.ts';

export function bookingsOverTime(input: ChartInput): Chart {
  const { run, scenario } = input;
  const channels = channelIdsOf(
    run,
    scenario.economy.channels.map((c) => c.id),
  );
  const unit = timeUnit(scenario.duration);
  const means = intervalMeans(run, channels, scenario.intervalSeconds);
  // Stacked by hand: vega-lite does not stack bars whose x is a continuous [x, x2] span.
  const bookings = means.flatMap((m) => {
    let base = 0;
    return channels.map((channel) => {
      const dollars = centsToDollars(m.bookingsCents[channel] ?? 0);
      const row = {
        start: m.startSeconds / unit.seconds,
        end: m.endSeconds / unit.seconds,
        channel,
        y0: base,
        y1: base + dollars,
      };
      base += dollars;
      return row;
    });
  });
  const gifts = means.map((m) => ({
    mid: (m.startSeconds + m.endSeconds) / 2 / unit.seconds,
    gifts: m.gifts,
  }));
  const per = perText(scenario.intervalSeconds);
  const x = {
    type: 'quantitative' as const,
    scale: { domain: [0, scenario.duration / unit.seconds], nice: false },
    axis: { tickMinStep: 1 },
  };
  const spec: TopLevelSpec = {
    vconcat: [
      {
        width: FULL_WIDTH,
        height: 220,
        data: { values: bookings },
        mark: { type: 'bar', stroke: '#ffffff', strokeWidth: 1 },
        encoding: {
          x: { ...x, field: 'start', title: null, axis: { labels: false, ticks: false, domain: false } },
          x2: { field: 'end' },
          y: {
            field: 'y0',
            type: 'quantitative',
            title: `Bookings per ${per} (US $)`,
            axis: { format: '$,.0f', tickCount: 5, grid: true },
          },
          y2: { field: 'y1' },
          color: {
            field: 'channel',
            type: 'nominal',
            title: 'Gross bookings by channel',
            scale: channelColors(channels),
            legend: { orient: 'top', direction: 'horizontal', titleOrient: 'left' },
          },
        },
      },
      {
        width: FULL_WIDTH,
        height: 130,
        data: { values: gifts },
        layer: [
          {
            mark: { type: 'area', color: MEANING.creators, opacity: 0.14, interpolate: 'monotone' },
            encoding: { x: { ...x, field: 'mid' }, y: { field: 'gifts', type: 'quantitative' } },
          },
          {
            mark: { type: 'line', color: MEANING.creators, interpolate: 'monotone' },
            encoding: {
              x: { ...x, field: 'mid', title: `Simulated time (${unit.label} since the start)` },
              y: {
                field: 'gifts',
                type: 'quantitative',
                title: `Gifts per ${per}`,
                axis: { format: ',.0f', tickCount: 4, grid: true },
              },
            },
          },
        ],
      },
    ],
    spacing: 12,
  };
  return {
    id: 'bookings-over-time',
    title: 'Bookings and gifts over simulated time',
    reading: `When do viewers pay, on which channel, and when do they send gifts? (${replicationsText(run.replications.length)}, per ${per})`,
    spec,
  };
}
