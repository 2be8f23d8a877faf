/**
 * The daily KPIs' denominator: paying viewer-days, each day's distinct buyers (Recorder.payersByDay),
 * a partial day pro rata. By hand on the recorder; on whole runs, a one-day run's equals its payers (so
 * ARPPU per day is ARPPU, as before) and a two-day run's lies strictly between its payers and twice them.
 */
import { describe, expect, it } from 'vitest';
import { runReplication } from '../../experiments/replication.ts';
import { Recorder } from '../../sim/engine/recorder.ts';
import { testEconomy } from '../support/economy.ts';
import { scenario } from './support.ts';

describe('paying viewer-days', () => {
  it('count a viewer once a day however often it buys, again on another day, partial days pro rata', () => {
    // Hourly intervals over 36 hours: intervals 0-23 are day 0, 24-35 day 1 (half of it in the run).
    const r = new Recorder(36, testEconomy, 3, 3600);
    for (const interval of [0, 1, 1, 23]) r.sawPayer(0, interval); // viewer 0: day 0 only
    for (const interval of [5, 24, 30]) r.sawPayer(1, interval); // viewer 1: both days
    r.sawPayer(2, 35); // viewer 2: day 1 only
    expect([...r.payersByDay]).toEqual([2, 2]);
    expect(r.payerDays(36 * 3600)).toBe(2 + 2 * 0.5);
    // A slot given to a new viewer counts it afresh on a day its last viewer was counted.
    r.resetViewer(0);
    r.sawPayer(0, 23);
    expect([...r.payersByDay]).toEqual([3, 2]);
  });

  it('an interval longer than a day counts in the day it starts in', () => {
    const r = new Recorder(2, testEconomy, 1, 2 * 86_400);
    r.sawPayer(0, 0);
    r.sawPayer(0, 1);
    expect([...r.payersByDay]).toEqual([1, 0, 1]);
  });

  it('one day: ARPPU per day is ARPPU; two days: payer-days between payers and twice them', () => {
    const one = runReplication(scenario({}), 0).kpis;
    expect(one.payers).toBeGreaterThan(0);
    expect(one.arppuPerDayCents).toBe(one.arppuCents);
    const two = runReplication(scenario({ duration: 2 * 86_400 }), 0).kpis;
    const payerDays = (two.arppuCents * two.payers) / two.arppuPerDayCents;
    expect(payerDays).toBeGreaterThan(two.payers);
    expect(payerDays).toBeLessThan(2 * two.payers);
    expect(two.giftsPerPayerPerDay * payerDays).toBeCloseTo(two.giftsSent, 6);
  });
});
