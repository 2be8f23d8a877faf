/** The channel mix: who pays where, and what a coin really costs on each channel. */
import type { TopLevelSpec } from 'vega-lite';
import type { Scenario } from '../../../scenarios/schema/scenario.ts';
import { dollarsShort, percent } from '../../format.ts';
import { type ChannelTotal, channelIdsOf, channelShareCis, channelTotals } from '../data.ts';
import { feeText } from '../fee-text.ts';
import { channelColors, INK } from '../theme.ts';
import { type Chart, type ChartInput, replicationsText } from './chart.ts';

function channelLabel(scenario: Scenario, id: string): string {
  const c = scenario.economy.channels.find((ch) => ch.id === id);
  return c === undefined ? id : `${id} · ${feeText(c)}`;
}

function priceRows(scenario: Scenario, totals: readonly ChannelTotal[]) {
  return totals.flatMap((t) => {
    const c = scenario.economy.channels.find((ch) => ch.id === t.channel);
    const list = (c?.packs ?? []).map((p) => p.priceCents / p.coins);
    if (t.coinsSold <= 0) return [];
    return [
      {
        channel: t.channel,
        label: channelLabel(scenario, t.channel),
        effective: t.bookingsCents / t.coinsSold,
        listMin: list.length ? Math.min(...list) : null,
        listMax: list.length ? Math.max(...list) : null,
        text: `${(t.bookingsCents / t.coinsSold).toFixed(3)} ¢`,
      },
    ];
  });
}

export function channelMix(input: ChartInput): Chart {
  const { run, scenario } = input;
  const channels = channelIdsOf(
    run,
    scenario.economy.channels.map((c) => c.id),
  );
  const totals = channelTotals(run, channels);
  const gross = totals.reduce((s, t) => s + t.bookingsCents, 0);
  const labels = channels.map((id) => channelLabel(scenario, id));
  // With replications, a whisker on each share: one replication's whales can tilt the mix.
  const cis = channelShareCis(run, channels);
  const mix = totals.map((t, i) => {
    const share = gross > 0 ? t.bookingsCents / gross : 0;
    const ci = cis[i];
    return {
      channel: t.channel,
      label: channelLabel(scenario, t.channel),
      share,
      lo: ci === null ? share : Math.max(0, ci[0]),
      hi: ci === null ? share : Math.min(1, ci[1]),
      text: `${gross > 0 ? percent(share, 1) : '–'} · ${dollarsShort(t.bookingsCents)}`,
    };
  });
  const whiskers = cis.some((ci) => ci !== null);
  const prices = priceRows(scenario, totals);
  const priceMax = Math.max(0.01, ...prices.flatMap((p) => [p.effective, p.listMax ?? 0])) * 1.2;
  const color = { field: 'channel', type: 'nominal' as const, scale: channelColors(channels), legend: null };
  const y = {
    field: 'label',
    type: 'nominal' as const,
    sort: labels,
    title: null,
    axis: { labelColor: INK.text, labelFontWeight: 600 as const, labelFontSize: 12.5, labelLimit: 240 },
  };
  const yNoAxis = { ...y, axis: null };
  const spec: TopLevelSpec = {
    hconcat: [
      {
        width: 250,
        height: { step: 52 },
        title: whiskers ? 'Share of gross bookings (bar), its 95 % CI (whisker)' : 'Share of gross bookings',
        data: { values: mix },
        layer: [
          {
            mark: { type: 'bar', cornerRadiusEnd: 3, height: { band: 0.62 } },
            encoding: {
              y,
              x: {
                field: 'share',
                type: 'quantitative',
                title: 'share of gross bookings (%)',
                scale: { domain: [0, 1] },
                axis: { format: '.0%', tickCount: 5, grid: true },
              },
              color,
            },
          },
          ...(whiskers
            ? [
                {
                  mark: { type: 'rule' as const, color: INK.text, strokeWidth: 1.5 },
                  encoding: { y, x: { field: 'lo', type: 'quantitative' as const }, x2: { field: 'hi' } },
                },
              ]
            : []),
          {
            mark: { type: 'text', align: 'left', dx: 6, fontWeight: 600 },
            // Right of the whisker, so that the figure is not struck through.
            encoding: { y, x: { field: 'hi', type: 'quantitative' }, text: { field: 'text' } },
          },
        ],
      },
      {
        width: 300,
        height: { step: 52 },
        title: 'Price per coin: effective (bar), packs’ list range (whisker)',
        data: { values: prices },
        layer: [
          {
            mark: { type: 'bar', cornerRadiusEnd: 3, height: { band: 0.62 }, opacity: 0.85 },
            encoding: {
              y: yNoAxis,
              x: {
                field: 'effective',
                type: 'quantitative',
                title: 'US cents per coin',
                scale: { domain: [0, priceMax] },
                axis: { format: '.2f', tickCount: 5, grid: true },
              },
              color,
            },
          },
          {
            mark: { type: 'rule', color: INK.text, strokeWidth: 1.5, yOffset: 0 },
            encoding: { y: yNoAxis, x: { field: 'listMin', type: 'quantitative' }, x2: { field: 'listMax' } },
          },
          {
            mark: { type: 'tick', color: INK.text, thickness: 1.5, size: 14 },
            encoding: { y: yNoAxis, x: { field: 'listMin', type: 'quantitative' } },
          },
          {
            mark: { type: 'tick', color: INK.text, thickness: 1.5, size: 14 },
            encoding: { y: yNoAxis, x: { field: 'listMax', type: 'quantitative' } },
          },
          {
            mark: { type: 'text', align: 'left', dx: 8, fontWeight: 600 },
            encoding: {
              y: yNoAxis,
              x: { field: 'listMax', type: 'quantitative' },
              text: { field: 'text' },
            },
          },
        ],
      },
    ],
    spacing: 90,
  };
  return {
    id: 'channel-mix',
    title: 'Channel mix and effective price per coin',
    reading: `How much of the money comes through the app stores versus the web, and what does a coin actually cost on each? (${replicationsText(run.replications.length)}${whiskers ? '; whisker on a share: 95 % CI of the mean' : ''}; effective price = bookings ÷ coins sold)`,
    spec,
  };
}
