/**
 * How far a paired comparison's pairing helps, KPI by KPI: the correlation of the two runs'
 * replications, and the words that depend on it. A review read "the noise they share cancels" on
 * baseline against price-up-20, whose gross bookings paired little (paired p 0.725, Welch's 0.814).
 * Values made by hand, their r worked out below.
 */
import { describe, expect, it } from 'vitest';
import { compareKpi } from '../../reports/compare/compare.ts';
import {
  BARELY_R,
  chanceR,
  pairingOf,
  pairingSummary,
  pairingText,
  TOGETHER_R,
} from '../../reports/compare/pairing.ts';
import type { KpiSample } from '../../reports/compare/run-folder.ts';
import { ci95OfMean, pearson, sampleOf } from '../../reports/compare/stats.ts';

const sample = (values: number[]): KpiSample => {
  const s = sampleOf(values);
  return { ...s, ci95: ci95OfMean(s), source: 'replications', values };
};
const pairedRow = (a: number[], b: number[]) => compareKpi('grossBookingsCents', sample(a), sample(b), true);

describe("Pearson's r of two runs' replications", () => {
  it('matches correlations worked out by hand', () => {
    // a − 2.5 = −1.5, −0.5, 0.5, 1.5; b − 5 = −3, −1, 0, 4: Σab 11, Σa² 5, Σb² 26.
    expect(pearson([1, 2, 3, 4], [2, 4, 5, 9])).toBeCloseTo(11 / Math.sqrt(130), 12);
    // a − 2 = −1, 0, 1; b − 2 = 1, −1, 0: Σab −1, Σa² 2, Σb² 2.
    expect(pearson([1, 2, 3], [3, 1, 2])).toBeCloseTo(-0.5, 12);
    // b − 2 = −1, 1, 0: Σab 1.
    expect(pearson([1, 2, 3], [1, 3, 2])).toBeCloseTo(0.5, 12);
    // One payout each, in different replications (the review's creator payouts): −1 / (n − 1).
    expect(pearson([0, 0, 5423, 0, 0, 0], [7999, 0, 0, 0, 0, 0])).toBeCloseTo(-1 / 5, 12);
    // A change that alters no behaviour: B is A shifted and scaled.
    expect(
      pearson(
        [3, 9, 4, 12],
        [3, 9, 4, 12].map((x) => 0.8 * x - 7),
      ),
    ).toBeCloseTo(1, 12);
  });

  it('is undefined (null) when either run does not vary', () => {
    expect(pearson([5, 5, 5], [1, 2, 3])).toBeNull();
    expect(pearson([1, 2, 3], [0.1, 0.1, 0.1])).toBeNull();
    expect(pearson([7], [8])).toBeNull();
    expect(() => pearson([1, 2], [1])).toThrow(/differ in length/);
  });
});

describe('the words that depend on r', () => {
  it('says the noise cancels only where the replications move together', () => {
    const together = pairedRow([1, 2, 3, 4], [2, 4, 5, 9]);
    expect(together.correlation).toBeCloseTo(11 / Math.sqrt(130), 12);
    expect(together.correlation).toBeGreaterThanOrEqual(TOGETHER_R);
    expect(pairingOf(together)).toBe('together');
    expect(pairingText(together)).toBe(
      "paired: the two runs' replications move together (r = 0.96), so shared noise cancels",
    );

    const partly = pairedRow([1, 2, 3], [1, 3, 2]);
    expect(pairingOf(partly)).toBe('partly');
    expect(pairingText(partly)).toContain('partly move together (r = 0.50)');
    expect(pairingText(partly)).not.toContain('cancels');

    const barely = pairedRow([1, 2, 3], [3, 1, 2]);
    expect(barely.correlation).toBeLessThan(BARELY_R);
    expect(pairingOf(barely)).toBe('barely');
    expect(pairingText(barely)).toBe(
      'paired, but the replications barely move together here (r = −0.50): the change altered what happened in each replication, so pairing narrows little',
    );
  });

  it('says r is undefined, and whose replications do not vary', () => {
    const aConstant = pairedRow([5, 5, 5], [1, 2, 3]);
    expect(aConstant.correlation).toBeNull();
    expect(pairingOf(aConstant)).toBe('undefined');
    expect(pairingText(aConstant)).toBe("paired, but A's replications all have one value: r is undefined");
    expect(pairingText(pairedRow([1, 2, 3], [4, 4, 4]))).toContain("B's replications all have one value");
    expect(pairingText(pairedRow([4, 4, 4], [4, 4, 4]))).toContain(
      "both runs' replications all have one value",
    );
  });

  it('says nothing of pairing for an unpaired comparison', () => {
    const welchRow = compareKpi('grossBookingsCents', sample([1, 2, 3, 4]), sample([2, 4, 5, 9]), false);
    expect(welchRow.correlation).toBeNull();
    expect(pairingOf(welchRow)).toBeNull();
    expect(pairingText(welchRow)).toBe('');
    expect(pairingSummary({ paired: false, rows: [welchRow], a: { replications: 4 } })).toBe('');
  });

  it('counts the KPIs by how their replications move together, and claims no cancelling where none do', () => {
    const rows = [
      pairedRow([1, 2, 3, 4], [2, 4, 5, 9]),
      pairedRow([1, 2, 3], [1, 3, 2]),
      pairedRow([1, 2, 3], [3, 1, 2]),
      pairedRow([0, 0, 5423, 0, 0, 0], [7999, 0, 0, 0, 0, 0]),
      pairedRow([5, 5, 5], [1, 2, 3]),
    ];
    expect(pairingSummary({ paired: true, rows, a: { replications: 4 } })).toBe(
      "Pairing narrows a difference only as far as the two runs' replications move together (their correlation r): r ≥ 0.75 for 1 KPI (they move together: the noise they share cancels); r 0.3 to 0.75 for 1 KPI (partly); r < 0.3 for 2 KPIs (barely: the change altered what happened in each replication, so pairing narrows little); r undefined for 1 KPI (a run's replications all have one value). Each r comes from 4 pairs and is rough itself: with no true correlation, |r| exceeds 0.95 one time in 20.",
    );
    const none = pairingSummary({ paired: true, rows: rows.slice(2, 4), a: { replications: 4 } });
    expect(none).toContain('r < 0.3 for 2 KPIs');
    expect(none).not.toContain('cancels');
  });

  it('says how rough r is from the number of pairs: the |r| chance alone exceeds one time in 20', () => {
    // By hand: 4 pairs, t(0.975, 2) = 4.3027, r = 4.3027 / √(4.3027² + 2) = 0.9500; 3 pairs, t(0.975, 1) = 12.706.
    expect(chanceR(4)).toBeCloseTo(0.95, 3);
    expect(chanceR(3)).toBeCloseTo(12.706 / Math.sqrt(12.706 ** 2 + 1), 3);
    expect(chanceR(2)).toBe(1);
    expect(chanceR(40)).toBeLessThan(chanceR(8));
    // And by sampling: 8 pairs of independent normals exceed chanceR(8) in 5 % of 20,000 draws (±0.6 %).
    let state = 12345;
    const uniform = () => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return (state + 0.5) / 2 ** 32;
    };
    const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    let beyond = 0;
    const draws = 20_000;
    for (let i = 0; i < draws; i++) {
      const a = Array.from({ length: 8 }, normal);
      const b = Array.from({ length: 8 }, normal);
      if (Math.abs(pearson(a, b) ?? 0) > chanceR(8)) beyond++;
    }
    expect(Math.abs(beyond / draws - 0.05)).toBeLessThan(0.006);
  });
});
