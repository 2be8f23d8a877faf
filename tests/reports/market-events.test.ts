/**
 * The bookings chart marks the market's events: a band over each coin bonus, a dashed line at each price
 * change, each labelled as `marketEventLabel` words it; a run without them gets no extra layer.
 */
import { describe, expect, it } from 'vitest';
import { bookingsOverTime } from '../../reports/html/charts/bookings-over-time.ts';
import { marketEventLabel } from '../../scenarios/schema/promotions.ts';
import { baselineScenario, buildRunFixture } from '../support/run-fixture.ts';

type Layer = { mark: { type: string }; data?: { values: { start: number; end: number; label?: string }[] } };

function bookingsLayers(events: unknown[]): Layer[] {
  const scenario = baselineScenario({ duration: '7d', intervalSeconds: '6h', events });
  const run = buildRunFixture(scenario, { replications: 1, scale: 0.02 });
  const spec = bookingsOverTime({ run, scenario } as Parameters<typeof bookingsOverTime>[0])
    .spec as unknown as {
    vconcat: { layer: Layer[] }[];
  };
  return spec.vconcat[0].layer;
}

describe('market events on the bookings chart', () => {
  it('a band over a coin bonus, a line at a price change, in days, with their labels', () => {
    const layers = bookingsLayers([
      { kind: 'coin-bonus', at: '5d', for: '2d', channels: ['web'], bonus: 0.2 },
      { kind: 'price-change', at: '2d', factor: 1.1, channels: ['app'] },
    ]);
    const of = (type: string) => layers.find((l) => l.mark.type === type)?.data?.values;
    expect(of('rect')).toEqual([{ start: 5, end: 7, label: '+20 % coins on web' }]);
    expect(of('rule')).toEqual([{ start: 2, end: 2, label: 'prices × 1.1 on app' }]);
    expect(of('text')?.map((e) => e.label)).toEqual(['+20 % coins on web', 'prices × 1.1 on app']);
    expect(layers.at(-1)?.mark.type).toBe('bar');
  });

  it('no events, no layers but the bars', () => {
    expect(bookingsLayers([]).map((l) => l.mark.type)).toEqual(['bar']);
  });

  it('labels say the factor or the bonus, and the channels unless all', () => {
    expect(
      marketEventLabel({ kind: 'price', atSeconds: 1, channels: [0, 1], factor: 0.8 }, ['app', 'web']),
    ).toBe('prices × 0.8');
    expect(
      marketEventLabel({ kind: 'bonus', atSeconds: 1, endSeconds: 2, channels: [1], bonus: 0.125 }, [
        'app',
        'web',
      ]),
    ).toBe('+12.5 % coins on web');
  });
});
