/**
 * Creators who respond to their cut of a gift (`creators.earningsResponse`): streams a day scale by
 * (creatorShare × diamondValue / reference)^ε — exactly 1 at the reference split or with ε = 0, and in
 * a run the streams creators start match the renewal count within the replications' 95 % CI.
 */
import { describe, expect, it } from 'vitest';
import { runReplication } from '../../experiments/replication.ts';
import { describe as stats } from '../../experiments/stats.ts';
import { modelParams, streamResponse } from '../../scenarios/model-params.ts';
import { onShare } from '../../sim/model/params.ts';
import { scenario } from './support.ts';

const REFERENCE = { creatorShare: 0.5, diamondValueCents: 0.5 };

function split(share: number, value: number, elasticity: number, over: Record<string, unknown> = {}) {
  return scenario({
    ...over,
    creators: {
      ...((over.creators as object) ?? {}),
      earningsResponse: { elasticity, reference: REFERENCE },
    },
    payout: { creatorShare: share, diamondValueCents: value },
  });
}

describe('creators who respond to their cut', () => {
  it('streams a day × (earning / reference)^ε: 1 at the reference, and with ε = 0', () => {
    expect(streamResponse(split(0.5, 0.5, 0.7))).toBe(1);
    expect(streamResponse(split(0.6, 0.5, 0))).toBe(1);
    expect(streamResponse(split(0.6, 0.5, 0.5))).toBeCloseTo(Math.sqrt(1.2), 12);
    expect(streamResponse(split(0.5, 0.25, 1))).toBeCloseTo(0.5, 12);
    expect(streamResponse(split(0.4, 1, 2))).toBeCloseTo(1.6 ** 2, 12);
  });

  it('ε = 0 runs as the model without a response, whatever the split', () => {
    const plain = scenario({ payout: { creatorShare: 0.7 } });
    expect(runReplication(split(0.7, 0.5, 0), 0).kpis).toEqual(runReplication(plain, 0).kpis);
  });

  it('needs the reference split when the elasticity is above 0, and says so', () => {
    expect(() => scenario({ creators: { earningsResponse: { elasticity: 0.5 } } })).toThrow(
      /creators\.earningsResponse\.reference/,
    );
  });

  // 300 creators, 10 days, no daily rhythm: each starts onShare streams at second 0 (the warm start)
  // and perDay × days after, on average (a renewal process of cycle a day ÷ perDay).
  it.each([
    [0.5, 1],
    [0.6, 1],
    [0.35, 2],
  ])(
    'creator share %d, elasticity %d: streams started = creators × (onShare + perDay × days), within the 95 % CI',
    (share, e) => {
      const over = {
        duration: '10d',
        intervalSeconds: '1d',
        population: { viewers: 200, creators: 300 },
        creators: { streamsPerDay: 2, streamMinutes: 60 },
      };
      const s = split(share, 0.5, e, over);
      const perDay = 2 * (share / 0.5) ** e;
      const p = modelParams(s);
      const expected = 300 * (onShare(p.streamGapSeconds, p.streamMeanSeconds) + perDay * 10);
      const streams = stats(
        Array.from({ length: 8 }, (_, i) => runReplication(s, i).creators.reduce((n, c) => n + c.streams, 0)),
      );
      expect(streams.ci95[0]).toBeLessThanOrEqual(expected);
      expect(streams.ci95[1]).toBeGreaterThanOrEqual(expected);
    },
  );
});
