/**
 * audienceEffect.scale (sim/model/audience-curve.ts): `peak` uses a curve as written, `mean` divides it
 * by its expected mean over viewer-hours. The expectation is checked in closed form (1/x against a
 * Poisson audience), and in runs: with `mean` every preset averages 1 within 5 % over the run's own
 * viewer-hours (the estimate, then the run's own rescaling each interval), where as written they
 * average from about 0.6 to 1.6.
 */
import { describe, expect, it } from 'vitest';
import { runReplication } from '../../experiments/replication.ts';
import { loadScenarioFile } from '../../scenarios/load.ts';
import { modelParams } from '../../scenarios/model-params.ts';
import { AudienceCurve, meanMultiplier } from '../../sim/model/audience-curve.ts';

const spec = (curve: 'flat' | 'small-stream-boost', strength = 1, peakAudience = 1) => ({
  curve,
  strength,
  peakAudience,
  points: [],
});

describe('the expected mean of an audience curve', () => {
  it('is 1 for a flat curve, whatever the audiences', () => {
    expect(meanMultiplier(new AudienceCurve(spec('flat')), [0.3, 7, 400, 0])).toBe(1);
  });

  it('is E[1 / (1 + K)] = (1 − e^−a) / a for the curve 1/x and a Poisson(a) audience, weighted by a', () => {
    const curve = new AudienceCurve(spec('small-stream-boost'));
    const exact = (a: number) => -Math.expm1(-a) / a;
    for (const a of [0.5, 2, 9, 40]) expect(meanMultiplier(curve, [a])).toBeCloseTo(exact(a), 10);
    // Two streams: each its own expectation, weighted by its viewer-hours (its audience).
    expect(meanMultiplier(curve, [2, 6])).toBeCloseTo((2 * exact(2) + 6 * exact(6)) / 8, 10);
    // Past 50 the spread is ignored: 1 / (1 + a) against (1 − e^−a) / a, within 1 / a².
    expect(Math.abs(meanMultiplier(curve, [200]) - exact(200))).toBeLessThan(1 / 200 ** 2);
  });

  it('divides every multiplier of a curve scaled to it', () => {
    const curve = new AudienceCurve(spec('small-stream-boost', 0.3, 200), 1.5);
    const written = new AudienceCurve(spec('small-stream-boost', 0.3, 200));
    for (const a of [1, 17, 200, 5000])
      expect(curve.multiplier(a)).toBeCloseTo(written.multiplier(a) / 1.5, 12);
  });
});

describe('audienceEffect.scale in a run', () => {
  const observedMean = (curve: string, scale: string) => {
    const s = loadScenarioFile('scenarios/baseline.yaml', {
      sets: ['population.viewers=20000', `audienceEffect.curve=${curve}`, `audienceEffect.scale=${scale}`],
    });
    const bins = runReplication(s, 0).audience;
    const hours = bins.reduce((n, b) => n + b.viewerHours, 0);
    return bins.reduce((n, b) => n + b.viewerHours * (b.curveMultiplier ?? Number.NaN), 0) / hours;
  };

  it('peak is the default and the curve as written: a flat curve is not rescaled', () => {
    const base = loadScenarioFile('scenarios/baseline.yaml');
    expect(base.audienceEffect.scale).toBe('peak');
    expect(modelParams(base).curve.divisor).toBe(1);
    const flat = loadScenarioFile('scenarios/baseline.yaml', {
      sets: ['audienceEffect.curve=flat', 'audienceEffect.scale=mean'],
    });
    expect(modelParams(flat).curve.divisor).toBe(1);
  });

  it.each(['small-stream-boost', 'inverted-u', 'rising'])(
    'mean: %s averages about 1 over the run’s viewer-hours (as written it does not, for the first two)',
    (curve) => {
      const scaled = observedMean(curve, 'mean');
      expect(scaled).toBeGreaterThan(0.95);
      expect(scaled).toBeLessThan(1.05);
      const written = observedMean(curve, 'peak');
      if (curve === 'small-stream-boost') expect(written).toBeGreaterThan(1.3);
      if (curve === 'inverted-u') expect(written).toBeLessThan(0.75);
    },
  );
});
