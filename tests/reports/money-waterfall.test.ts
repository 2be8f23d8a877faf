/** The money waterfall: every step from gross bookings to the margin, withdrawal fees going up. */
import { describe, expect, it } from 'vitest';
import { moneySteps, moneyWaterfall } from '../../reports/html/charts/money-waterfall.ts';
import { baselineScenario, buildRunFixture } from '../support/run-fixture.ts';

function input(fees: number) {
  const scenario = baselineScenario();
  const run = buildRunFixture(scenario, { replications: 2, scale: 0.02 });
  const k = run.kpiStats;
  k.withdrawalFeesCents = { mean: fees, ci95: [fees, fees], sd: 0 };
  const margin = k.netRevenueCents.mean - k.creatorEarningsCents.mean + fees;
  k.platformMarginCents = { mean: margin, ci95: [margin, margin], sd: 0 };
  return { run, scenario, margin };
}

describe('the money waterfall', () => {
  it("adds the withdrawal fees creators paid on the way to the margin, and shows no 'Other'", () => {
    const { run, scenario, margin } = input(1537);
    const steps = moneySteps({ run, scenario });
    const fees = steps.find((s) => s.label === 'Withdrawal fees');
    expect(fees).toBeDefined();
    expect((fees?.toCents ?? 0) - (fees?.fromCents ?? 0)).toBe(1537);
    expect(steps.some((s) => s.label === 'Other')).toBe(false);
    expect(steps.at(-1)?.toCents).toBe(margin);
    const values = (
      moneyWaterfall({ run, scenario }).spec as { data: { values: { label: string; amount: string }[] } }
    ).data.values;
    expect(values.find((v) => v.label === 'Withdrawal fees')?.amount).toMatch(/^\+\$15/);
    expect(values.find((v) => v.label === 'Creator earnings')?.amount).toMatch(/^−\$/);
  });

  it('has no withdrawal-fee step when withdrawals are free, and shows a gap it cannot explain as Other', () => {
    const free = input(0);
    expect(moneySteps(free).some((s) => s.label === 'Withdrawal fees')).toBe(false);
    expect(moneySteps(free).some((s) => s.label === 'Other')).toBe(false);
    const off = input(0);
    off.run.kpiStats.platformMarginCents.mean += 250;
    const other = moneySteps(off).find((s) => s.label === 'Other');
    expect((other?.toCents ?? 0) - (other?.fromCents ?? 0)).toBe(250);
  });
});
