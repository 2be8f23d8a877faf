/** The audience-size effect as observed: gifts per viewer-hour against the concurrent size of the stream. */
import type { TopLevelSpec } from 'vega-lite';
import type { AudienceBin } from '../../../experiments/result.ts';
import type { Scenario } from '../../../scenarios/schema/scenario.ts';
import { count } from '../../format.ts';
import { audienceBinKey, audienceRateCis, audienceTotals } from '../data.ts';
import { FULL_WIDTH, INK, MEANING } from '../theme.ts';
import type { Chart, ChartInput, LayerItem } from './chart.ts';

export function audienceCurveText(scenario: Scenario): string {
  const a = scenario.audienceEffect;
  switch (a.curve) {
    case 'flat':
      return 'flat (stream size does not change the urge to gift)';
    case 'small-stream-boost':
      return `small-stream boost, strength ${a.strength} (a gift stands out more in a small stream)`;
    case 'inverted-u':
      return `inverted U peaking at ${count(a.peakAudience)} concurrent viewers, strength ${a.strength}`;
    case 'rising':
      return `rising with audience, strength ${a.strength}`;
    case 'custom':
      return `custom: ${a.points.map((p) => `×${p.multiplier} at ${count(p.audience)}`).join(', ')}`;
  }
}

export function audienceEffect(input: ChartInput): Chart {
  const { run, scenario } = input;
  const bins = audienceTotals(run).filter((b) => b.viewerHours > 0);
  const watched = bins.reduce((s, b) => s + b.viewerHours, 0);
  const gifts = bins.reduce((s, b) => s + b.gifts, 0);
  const average = watched > 0 ? gifts / watched : 0;
  // With replications, each point's rate carries its 95 % CI: a thin bin's rate is mostly noise.
  const cis = audienceRateCis(run);
  const values = bins.map((b) => {
    const rate = b.gifts / b.viewerHours;
    const ci = cis.get(audienceBinKey(b)) ?? null;
    return {
      mid: Math.sqrt(Math.max(1, b.audienceMin) * Math.max(1, b.audienceMax)),
      lo: Math.max(1, b.audienceMin),
      hi: Math.max(1, b.audienceMax),
      rate,
      rateLo: ci === null ? rate : Math.max(0, ci[0]),
      rateHi: ci === null ? rate : ci[1],
      share: watched > 0 ? b.viewerHours / watched : 0,
      bin: `${count(b.audienceMin)}–${count(b.audienceMax)}`,
    };
  });
  const whiskers = [...cis.values()].some((ci) => ci !== null);
  const { points: assumed, mean } = assumedCurve(bins, gifts, watched);
  const x = {
    type: 'quantitative' as const,
    scale: {
      type: 'log' as const,
      domain: [values[0]?.lo ?? 1, values[values.length - 1]?.hi ?? 10],
      nice: false,
    },
  };
  const spec: TopLevelSpec = {
    width: FULL_WIDTH,
    height: 280,
    data: { values },
    layer: [
      {
        mark: { type: 'rule', color: INK.faint, strokeDash: [4, 4] },
        data: { values: [{ average }] },
        encoding: { y: { field: 'average', type: 'quantitative' } },
      },
      {
        mark: { type: 'text', align: 'right', dy: -6, color: INK.muted, fontSize: 11 },
        data: { values: [{ average, text: `average ${average.toFixed(2)}` }] },
        encoding: {
          y: { field: 'average', type: 'quantitative' },
          x: { value: FULL_WIDTH },
          text: { field: 'text' },
        },
      },
      {
        mark: { type: 'rule', color: MEANING.creators, strokeWidth: 3, opacity: 0.35 },
        encoding: {
          x: { ...x, field: 'lo' },
          x2: { field: 'hi' },
          y: { field: 'rate', type: 'quantitative' },
        },
      },
      ...(whiskers
        ? [
            {
              mark: { type: 'rule' as const, color: MEANING.creators, strokeWidth: 1.5 },
              encoding: {
                x: { ...x, field: 'mid' },
                y: { field: 'rateLo', type: 'quantitative' as const },
                y2: { field: 'rateHi' },
              },
            },
          ]
        : []),
      {
        mark: { type: 'line', color: MEANING.creators, point: false },
        encoding: { x: { ...x, field: 'mid' }, y: { field: 'rate', type: 'quantitative' } },
      },
      ...assumedLayers(assumed),
      {
        mark: { type: 'point', color: MEANING.creators, opacity: 0.9, stroke: '#ffffff', strokeWidth: 1 },
        encoding: {
          x: {
            ...x,
            field: 'mid',
            title: 'Concurrent viewers in the stream (log scale)',
            axis: {
              format: ',~s',
              grid: true,
              values: decades(values[0]?.lo ?? 1, values[values.length - 1]?.hi ?? 10),
            },
          },
          y: {
            field: 'rate',
            type: 'quantitative',
            title: 'Gifts per viewer-hour',
            axis: { format: '.2f', tickCount: 5, grid: true },
            scale: { zero: true },
          },
          size: {
            field: 'share',
            type: 'quantitative',
            title: 'share of viewer-hours',
            scale: { range: [30, 600] },
            legend: {
              format: '.0%',
              orient: 'top',
              direction: 'horizontal',
              symbolFillColor: MEANING.creators,
            },
          },
        },
      },
    ],
  };
  return {
    id: 'audience-effect',
    title: 'Gifts per viewer against stream size',
    reading: `Does a viewer gift more in a small stream or in a big one? Each point is a band of concurrent audience (its span is the bar), its size the share of watching time${whiskers ? ', the vertical whisker its 95 % CI over replications' : ''}; the scenario assumes ${audienceCurveText(scenario)}${assumed.length ? `, drawn dashed, scaled to the observed average. Its level counts too: over this run's viewer-hours it multiplies the urge to gift by ${mean.toFixed(2)} on average${scenario.audienceEffect.scale === 'mean' ? ' (audienceEffect.scale: mean, so about 1 whichever curve)' : ' (audienceEffect.scale: peak, the curve as written: another curve changes how much is gifted too; scale: mean holds the average near 1)'}` : ''}.`,
    spec,
    ...(bins.length === 0
      ? {
          spec: null,
          note: 'The run recorded no watching time, so there is no audience-size effect to show.',
        }
      : {}),
  };
}

/** Powers of ten from lo to hi (and lo itself when it is not one), for an uncluttered log axis. */
function decades(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let p = 10 ** Math.floor(Math.log10(Math.max(1, lo))); p <= hi; p *= 10) if (p >= lo) out.push(p);
  return out;
}

interface AssumedPoint {
  mid: number;
  rate: number;
}

/**
 * The scenario's audience curve at each bin (when the engine reports it), scaled so that it predicts
 * the observed number of gifts: what the observed rates would be if they followed the assumption.
 */
function assumedCurve(
  bins: readonly AudienceBin[],
  gifts: number,
  watched: number,
): { points: AssumedPoint[]; mean: number } {
  // Read loosely: `curveMultiplier` is optional in the contract, and older results lack it.
  const multiplier = (b: AudienceBin) => (b as AudienceBin & { curveMultiplier?: unknown }).curveMultiplier;
  const none = { points: [], mean: Number.NaN };
  if (bins.length === 0 || !bins.every((b) => typeof multiplier(b) === 'number')) return none;
  const m = (b: AudienceBin) => multiplier(b) as number;
  const weighted = bins.reduce((s, b) => s + b.viewerHours * m(b), 0);
  if (!(weighted > 0)) return none;
  const k = gifts / weighted;
  const points = bins.map((b) => ({
    mid: Math.sqrt(Math.max(1, b.audienceMin) * Math.max(1, b.audienceMax)),
    rate: m(b) * k,
  }));
  // The curve's mean over the run's viewer-hours (each band at its multiplier): its level.
  return { points, mean: weighted / watched };
}

function assumedLayers(points: readonly AssumedPoint[]): LayerItem[] {
  if (points.length === 0) return [];
  const first = points[0];
  return [
    {
      data: { values: points as AssumedPoint[] },
      mark: { type: 'line', color: INK.muted, strokeDash: [6, 4], strokeWidth: 1.5 },
      encoding: {
        x: { field: 'mid', type: 'quantitative' },
        y: { field: 'rate', type: 'quantitative' },
      },
    },
    {
      data: { values: [{ ...first, text: 'assumed curve (scaled)' }] },
      mark: { type: 'text', align: 'left', dx: 8, dy: -10, color: INK.muted, fontSize: 11 },
      encoding: {
        x: { field: 'mid', type: 'quantitative' },
        y: { field: 'rate', type: 'quantitative' },
        text: { field: 'text' },
      },
    },
  ];
}
