/**
 * The spike's phases (an engineer's review: a spike run passed with every gift taking 2 s, its latency
 * limits ×10 for the whole run): each request is tagged with the phase it was sent in, told from the
 * time since the scenario started against the workload's stages, and the spike workload's latency
 * thresholds are per phase — the SLOs themselves before and after the spike, ×SPIKE_FACTOR during it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseK6Threshold } from '../../load/bundle/k6-thresholds.ts';
import { askedRate } from '../../load/bundle/run.ts';
import { buildThresholds } from '../../load/k6/lib/options.ts';
import { phaseAt, phaseClock } from '../../load/k6/lib/phases.ts';
import { PHASES, PROFILES, SPIKE_FACTOR } from '../../load/k6/lib/profiles.ts';
import { textSummary } from '../../load/k6/lib/summary.ts';
import { runTagValues } from '../../load/k6/lib/tags.ts';
import type { Workload } from '../../load/k6/lib/types.ts';
import { phaseSpans, rateText, toWorkload } from '../../load/plan/workload.ts';
import { loadTargetProfile } from '../../load/profiles/profile.ts';
import { smallPlan } from './support.ts';

const plan = smallPlan();
const users = { viewers: 1000, creators: 1000 };
const target = loadTargetProfile('reference').profile;
/** The reviewer's run: `--profile spike --rate 20/s --duration 15s`. */
const spike = toWorkload(plan, { profile: 'spike', durationSeconds: 15, ratePerSecond: 20, users });

describe('the phase a request is sent in', () => {
  it('splits a spike run into before (20 %), the spike (ramp up, peak, ramp down: 40 %) and after (40 %)', () => {
    expect(spike.stages.map((s) => [s.durationMs, s.phase])).toEqual([
      [3000, 'before'],
      [1500, 'spike'],
      [3000, 'spike'],
      [1500, 'spike'],
      [6000, 'after'],
    ]);
    expect(phaseSpans(spike)).toBe('before 3 s, spike 6 s, after 6 s');
  });

  it('at the stage boundaries: a boundary belongs to the stage it starts; past the end, the last phase', () => {
    const at = (ms: number) => phaseAt(spike.stages, ms);
    expect(at(-1)).toBe('before');
    expect(at(0)).toBe('before');
    expect(at(2999.9)).toBe('before');
    expect(at(3000)).toBe('spike'); // the ramp up starts
    expect(at(4500)).toBe('spike'); // the peak
    expect(at(7500)).toBe('spike'); // the ramp down
    expect(at(8999)).toBe('spike');
    expect(at(9000)).toBe('after'); // the base rate again: the recovery
    expect(at(14_999)).toBe('after');
    expect(at(15_000)).toBe('after');
    expect(at(25_000)).toBe('after'); // iterations finishing in the graceful stop
  });

  it('a VU’s clock tells the same as phaseAt, moving forward or (should it) back', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -100, max: 30_000 }), { maxLength: 60 }),
        fc.boolean(),
        (ts, sorted) => {
          const clock = phaseClock(spike.stages) as (ms: number) => string;
          const times = sorted ? [...ts].sort((a, b) => a - b) : ts;
          for (const t of times) expect(clock(t)).toBe(phaseAt(spike.stages, t));
        },
      ),
    );
  });

  it('none for the other profiles: their requests carry no phase tag', () => {
    for (const profile of PROFILES.filter((p) => p !== 'spike')) {
      const w = toWorkload(plan, { profile, durationSeconds: 30, users });
      expect(phaseClock(w.stages), profile).toBeUndefined();
      expect(phaseAt(w.stages, 0), profile).toBeUndefined();
      expect(phaseSpans(w), profile).toBe('');
    }
  });
});

describe('a spike workload’s thresholds', () => {
  const thresholds = buildThresholds(spike, target);

  it('judge latency per phase: the SLOs before and after the spike, ×SPIKE_FACTOR only during it', () => {
    expect(thresholds['http_req_duration{op:gift,phase:before}']).toEqual(['p(95)<500', 'p(99)<1500']);
    expect(thresholds['http_req_duration{op:gift,phase:spike}']).toEqual([
      `p(95)<${500 * SPIKE_FACTOR}`,
      `p(99)<${1500 * SPIKE_FACTOR}`,
    ]);
    expect(thresholds['http_req_duration{op:gift,phase:after}']).toEqual(['p(95)<500', 'p(99)<1500']);
    expect(thresholds['http_req_duration{op:read,phase:after}']).toEqual(['p(95)<300', 'p(99)<1000']);
    expect(thresholds['http_req_duration{op:purchase,phase:spike}']).toEqual(['p(95)<5000', 'p(99)<15000']);
    // The whole run's latency is only shown (the table's columns), no longer judged ×10.
    expect(thresholds['http_req_duration{op:gift}']).toEqual(['max>=0']);
    // Errors and checks as before: over the whole run, unscaled.
    expect(thresholds['http_req_failed{op:gift}']).toEqual(['rate<=0.01']);
    expect(thresholds['checks{op:gift}']).toEqual(['rate>=0.99']);
  });

  it('leave the other profiles’ thresholds as they were', () => {
    for (const profile of PROFILES.filter((p) => p !== 'spike')) {
      const t = buildThresholds(toWorkload(plan, { profile, durationSeconds: 30, users }), target);
      expect(
        Object.keys(t).filter((k) => k.includes('phase:')),
        profile,
      ).toEqual([]);
      expect(t['http_req_duration{op:gift}'], profile).toEqual(
        profile === 'race' ? ['max>=0'] : ['p(95)<500', 'p(99)<1500'],
      );
    }
  });

  it('are --threshold filters a spike run takes, and a steady run refuses (it records no phase)', () => {
    const run = (profile: string) =>
      runTagValues({ profile, scenario: 'baseline', channels: ['app'], target });
    expect(runTagValues({ profile: 'spike', scenario: 'baseline', channels: [], target }).phases).toEqual(
      PHASES,
    );
    for (const metric of Object.keys(thresholds)) {
      for (const expression of thresholds[metric])
        expect(parseK6Threshold(`${metric}:${expression}`, run('spike')).metric).toBe(metric);
    }
    expect(() => parseK6Threshold('http_req_duration{phase:after}:p(95)<300', run('steady'))).toThrow(
      /expected phase to be a tag this profile records \(only --profile spike tags requests with it\), found phase:after/,
    );
    expect(() => parseK6Threshold('http_req_duration{phase:base}:p(95)<300', run('spike'))).toThrow(
      /expected phase to be one of before, spike, after/,
    );
    expect(() => parseK6Threshold('checks{phase:after}:rate>0.9', run('spike'))).toThrow(
      /found phase \(a tag of the requests \(http_reqs, http_req_\*\) only\)/,
    );
  });

  it('show each phase’s requests and percentiles under its operation in the text summary', () => {
    const trend = (p95: number, count: number) => ({
      type: 'trend',
      values: { avg: 0, min: 0, med: 0, max: 0, 'p(95)': p95, 'p(99)': p95 + 1, count },
    });
    const text = textSummary(
      {
        state: { testRunDurationMs: 15_000 },
        metrics: {
          'http_reqs{op:gift}': { type: 'counter', values: { count: 62 } },
          'http_req_duration{op:gift}': trend(2009.7, 62),
          'http_req_duration{op:gift,phase:before}': {
            ...trend(2005, 6),
            thresholds: { 'p(95)<500': { ok: false } },
          },
          'http_req_duration{op:gift,phase:spike}': {
            ...trend(2009.7, 40),
            thresholds: { 'p(95)<5000': { ok: true } },
          },
          'http_req_duration{op:gift,phase:after}': {
            ...trend(2008, 16),
            thresholds: { 'p(95)<500': { ok: false } },
          },
        },
      },
      { profile: 'spike', scenario: 'baseline', target: 'http://127.0.0.1:8080' },
    );
    expect(text).toContain('\n  gift              62      4.1        -    2009.7    2010.7        -\n');
    expect(text).toContain('\n    before           6                        2005      2006\n');
    expect(text).toContain('\n    spike           40                      2009.7    2010.7\n');
    expect(text).toContain('\n    after           16                        2008      2009\n');
    expect(text).toContain('  FAIL http_req_duration{op:gift,phase:after} p(95)<500  (p(95) = 2008)\n');
  });
});

describe('the rate in words, true to each shape', () => {
  it('steady holds it; spike spikes and comes back, with its phases; soak starts somewhere between its least and most', () => {
    const steady = toWorkload(plan, { profile: 'steady', durationSeconds: 15, ratePerSecond: 20, users });
    expect(rateText(steady)).toBe('20/s');
    expect(askedRate(steady)).toBe('20/s for 15 s');
    expect(rateText(spike)).toBe('2/s spiking to 20/s and back');
    expect(askedRate(spike)).toBe('2/s spiking to 20/s and back for 15 s: before 3 s, spike 6 s, after 6 s');
    const soak = toWorkload(plan, { profile: 'soak', durationSeconds: 15, ratePerSecond: 50, users });
    const levels = [soak.rate.perSecond, ...soak.stages.map((s) => s.target)];
    const r = (x: number) => `${Number(x.toPrecision(4))}/s`;
    // The plan's day dips well below where it starts: "rising to 50/s" said otherwise.
    expect(Math.min(...levels)).toBeLessThan(soak.rate.perSecond / 2);
    expect(rateText(soak)).toBe(
      `from ${r(soak.rate.perSecond)}, between ${r(Math.min(...levels))} and ${r(Math.max(...levels))}`,
    );
    expect(Math.max(...levels)).toBeCloseTo(50, 9);
    expect(askedRate(soak)).toBe(`${rateText(soak)}, for 15 s`);
    // The banner's words: the noun where it reads.
    expect(rateText(steady, 'arrivals')).toBe('20/s arrivals');
    expect(rateText(spike, 'arrivals')).toBe('2/s arrivals spiking to 20/s and back');
    expect(rateText(soak, 'arrivals')).toBe(`arrivals ${rateText(soak)}`);
    const flat: Pick<Workload, 'profile' | 'rate' | 'stages'> = {
      profile: 'soak',
      rate: { perSecond: 5, peak: 5 },
      stages: [{ target: 5, durationMs: 1000 }],
    };
    expect(rateText(flat)).toBe('5/s');
  });
});
