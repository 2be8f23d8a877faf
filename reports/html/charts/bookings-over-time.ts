/** Bookings per channel and gifts over simulated time: when the money comes in, and when it is spent. */
import type { TopLevelSpec } from 'vega-lite';
import { marketEventLabel, marketEvents } from '../../../scenarios/schema/promotions.ts';
import { centsToDollars, perText } from '../../format.ts';
import { channelIdsOf, intervalMeans, timeUnit } from '../data.ts';
import { channelColors, FULL_WIDTH, INK, MEANING } from '../theme.ts';
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
  const mid = (m: (typeof means)[number]) => (m.startSeconds + m.endSeconds) / 2 / unit.seconds;
  // With replications, a whisker per bar and a band around the gifts: one whale's hour in one
  // replication made a mean's spike that read as a pattern. Neither goes below 0.
  const banded = run.replications.length > 1;
  const gifts = means.map((m) => ({
    mid: mid(m),
    gifts: m.gifts,
    lo: Math.max(0, m.giftsCi95?.[0] ?? 0),
    hi: m.giftsCi95?.[1] ?? m.gifts,
  }));
  const whiskers = means.flatMap((m) =>
    m.bookingsCi95 === undefined
      ? []
      : [
          {
            mid: mid(m),
            lo: centsToDollars(Math.max(0, m.bookingsCi95[0])),
            hi: centsToDollars(m.bookingsCi95[1]),
          },
        ],
  );
  // Price changes (a line from their second) and coin bonuses (a band over their stretch), labelled.
  const ids = scenario.economy.channels.map((c) => c.id);
  const events = marketEvents(scenario, ids)
    .filter((e) => e.atSeconds < scenario.duration)
    .map((e) => ({
      start: e.atSeconds / unit.seconds,
      // An event with an end is a span (a coin bonus), one without a moment (a price change).
      end: ('endSeconds' in e ? Math.min(e.endSeconds, scenario.duration) : e.atSeconds) / unit.seconds,
      label: marketEventLabel(e, ids),
    }));
  const per = perText(scenario.intervalSeconds);
  const x = {
    type: 'quantitative' as const,
    scale: { domain: [0, scenario.duration / unit.seconds], nice: false },
    axis: { tickMinStep: 1 },
  };
  const bookingsLayer = {
    data: { values: bookings },
    mark: { type: 'bar' as const, stroke: '#ffffff', strokeWidth: 1 },
    encoding: {
      x: { ...x, field: 'start', title: null, axis: { labels: false, ticks: false, domain: false } },
      x2: { field: 'end' },
      y: {
        field: 'y0',
        type: 'quantitative' as const,
        title: `Bookings per ${per} (US $)`,
        axis: { format: '$,.0f', tickCount: 5, grid: true },
      },
      y2: { field: 'y1' },
      color: {
        field: 'channel',
        type: 'nominal' as const,
        title: 'Gross bookings by channel',
        scale: channelColors(channels),
        legend: { orient: 'top' as const, direction: 'horizontal' as const, titleOrient: 'left' as const },
      },
    },
  };
  const spec: TopLevelSpec = {
    vconcat: [
      {
        width: FULL_WIDTH,
        height: 220,
        layer: [
          ...eventLayers(events, x),
          bookingsLayer,
          ...(banded
            ? [
                {
                  data: { values: whiskers },
                  mark: { type: 'rule' as const, color: INK.text, opacity: 0.55 },
                  encoding: {
                    x: { ...x, field: 'mid' },
                    y: { field: 'lo', type: 'quantitative' as const },
                    y2: { field: 'hi' },
                  },
                },
              ]
            : []),
        ],
      },
      {
        width: FULL_WIDTH,
        height: 130,
        data: { values: gifts },
        layer: [
          {
            // The band with replications, else the area under the line.
            mark: {
              type: 'area',
              color: MEANING.creators,
              opacity: banded ? 0.22 : 0.14,
              interpolate: 'monotone',
            },
            encoding: {
              x: { ...x, field: 'mid' },
              y: { field: banded ? 'lo' : 'gifts', type: 'quantitative' },
              ...(banded && { y2: { field: 'hi' } }),
            },
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
    reading: `When do viewers pay, on which channel, and when do they send gifts? (${replicationsText(run.replications.length)}, per ${per}${banded ? '; whiskers and band: 95 % CI of the mean' : ''})`,
    spec,
  };
}

/** A band per coin bonus, a rule per price change, each with its label at the top (none: no layers). */
function eventLayers(
  events: { start: number; end: number; label: string }[],
  x: { type: 'quantitative'; scale: { domain: number[]; nice: boolean } },
) {
  if (events.length === 0) return [];
  return [
    {
      data: { values: events.filter((e) => e.end > e.start) },
      mark: { type: 'rect' as const, color: MEANING.creators, opacity: 0.08 },
      encoding: { x: { ...x, field: 'start' }, x2: { field: 'end' } },
    },
    {
      data: { values: events.filter((e) => e.end === e.start) },
      mark: { type: 'rule' as const, color: MEANING.creators, strokeDash: [4, 3] },
      encoding: { x: { ...x, field: 'start' } },
    },
    {
      data: { values: events },
      mark: {
        type: 'text' as const,
        align: 'left' as const,
        baseline: 'top' as const,
        dx: 3,
        y: 2,
        fontSize: 10,
        color: '#475569',
      },
      encoding: { x: { ...x, field: 'start' }, text: { field: 'label' } },
    },
  ];
}
