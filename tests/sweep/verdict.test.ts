/**
 * The verdict on a sweep's extremes (reports/sweep/verdict.ts) and the cards' words for it, on cases
 * small enough to work on paper: three replications, so t(0.975, 2) = 4.302653 and t(0.975, 4) = 2.776445
 * from a t table; a difference's CI is its mean ± t × sd / √n (paired) or ± t × √((sd₁² + sd₂²) / n) (Welch).
 * "No point differs" holds for every pair at once: with three points each pair's CI is at 1 − 5 % / 3
 * (Bonferroni), and with 2 degrees of freedom the t quantile has a closed form, (2p − 1) / √(2p(1 − p)).
 */

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { differenceCi } from '../../experiments/stats.ts';
import { kpiValue, NBSP } from '../../reports/format.ts';
import { swingVerdict } from '../../reports/html/sweep-charts.ts';
import { extremeText, rangeText } from '../../reports/html/sweep-report.ts';
import { beyondNoise, type SweepVerdict, sweepVerdict } from '../../reports/sweep/verdict.ts';
import { BASELINE, csvRows, giftlab, read, TINY, tempDir } from './support.ts';

const T2 = 4.302653;
const T4 = 2.776445;
/** t(1 − 0.025 / 3, 2) by the closed form: 7.6488. */
const P3 = 1 - 0.025 / 3;
const T2_ALL3 = (2 * P3 - 1) / Math.sqrt(2 * P3 * (1 - P3));
// A: mean 12, sd 2. B: mean 11; A − B = [1, 2, 0], mean 1, sd 1. C: mean 5, sd 1; A − C = [6, 8, 7], mean 7, sd 1.
const A = [10, 14, 12];
const B = [9, 12, 12];
const C = [4, 6, 5];

function expectCi(ci: [number, number] | null, lo: number, hi: number): void {
  expect(ci).not.toBeNull();
  expect(ci?.[0]).toBeCloseTo(lo, 5);
  expect(ci?.[1]).toBeCloseTo(hi, 5);
}

describe('differenceCi', () => {
  it('pairs replications under common random numbers: the CI of the differences', () => {
    expectCi(differenceCi(A, B, true), 1 - T2 / Math.sqrt(3), 1 + T2 / Math.sqrt(3));
  });

  it('is Welch-like without them: 2n − 2 degrees of freedom, the two variances added', () => {
    expectCi(differenceCi(A, C, false), 7 - T4 * Math.sqrt(5 / 3), 7 + T4 * Math.sqrt(5 / 3));
  });

  it('pairing decides: a shift every replication shows is certain paired, noise unpaired', () => {
    const shifted = A.map((x) => x - 1); // A − shifted = [1, 1, 1]: sd 0
    expect(differenceCi(A, shifted, true)).toEqual([1, 1]);
    // Welch: both sd 2, half = 2.776445 × √(8 / 3) = 4.53
    expectCi(differenceCi(A, shifted, false), 1 - T4 * Math.sqrt(8 / 3), 1 + T4 * Math.sqrt(8 / 3));
  });

  it('has no CI with one replication', () => {
    expect(differenceCi([3], [2], true)).toBeNull();
  });
});

describe('beyondNoise', () => {
  it('is whether the CI leaves 0 out; a zero-width CI at 0 (no swing by construction) does not', () => {
    expect(beyondNoise([0.5, 2])).toBe(true);
    expect(beyondNoise([-2, -0.5])).toBe(true);
    expect(beyondNoise([-1, 2])).toBe(false);
    expect(beyondNoise([0, 2])).toBe(false);
    expect(beyondNoise([0, 0])).toBe(false);
    expect(beyondNoise(null)).toBeNull();
  });
});

describe('sweepVerdict', () => {
  it('names the highest level with the next highest when their CI includes 0, the lowest beyond its next', () => {
    const v = sweepVerdict(
      [
        { id: 0, values: A },
        { id: 1, values: B },
        { id: 2, values: C },
      ],
      true,
    );
    expect(v.highest).toBe(0);
    expect(v.lowest).toBe(2);
    expect(v.range).toBe(7);
    // Three points: highest − lowest at the level of all three pairs at once.
    expect(T2_ALL3).toBeCloseTo(7.6488, 4);
    expectCi(v.rangeCi95, 7 - T2_ALL3 / Math.sqrt(3), 7 + T2_ALL3 / Math.sqrt(3));
    expect(v.rangeVerdict).toBe('differs');
    expect(v.differing).toEqual([0, 2]);
    // A − B: 1 ± 2.48, includes 0.
    expect(v.highestVsNext?.next).toBe(1);
    expect(v.highestVsNext?.difference).toBe(1);
    expect(beyondNoise(v.highestVsNext?.ci95 ?? null)).toBe(false);
    // C − B = [−5, −6, −7]: −6 ± 2.48, beyond.
    expect(v.lowestVsNext?.next).toBe(1);
    expect(v.lowestVsNext?.difference).toBe(-6);
    expectCi(v.lowestVsNext?.ci95 ?? null, -6 - T2 / Math.sqrt(3), -6 + T2 / Math.sqrt(3));
  });

  it('says no point differs when every pair’s CI includes 0', () => {
    // A − D = [−2, 4, 1]: mean 1, sd 3, half 4.30 × 3 / √3 = 7.45.
    const D = [12, 10, 11];
    const v = sweepVerdict(
      [
        { id: 4, values: D },
        { id: 7, values: A },
      ],
      true,
    );
    expect(v.highest).toBe(7);
    expect(v.lowest).toBe(4);
    expectCi(v.rangeCi95, 1 - T2 * Math.sqrt(3), 1 + T2 * Math.sqrt(3));
    expect(v.rangeVerdict).toBe('noise');
    expect(v.differing).toBeNull();
  });

  it('says no point differs when a pair leaves 0 out at 95 % alone but not for all pairs at once', () => {
    // H − K = [4, 6, 8], mean 6, sd 2: alone 6 ± 4.30 × 2 / √3 = 6 ± 4.97, beyond;
    // for three pairs at once 6 ± 7.65 × 2 / √3 = 6 ± 8.83, within. J sits between them, noisy.
    const H = [14, 16, 18];
    const K = [10, 10, 10];
    const J = [2, 22, 12];
    expect(beyondNoise(differenceCi(H, K, true))).toBe(true);
    const v = sweepVerdict(
      [
        { id: 0, values: H },
        { id: 1, values: J },
        { id: 2, values: K },
      ],
      true,
    );
    expectCi(v.rangeCi95, 6 - (T2_ALL3 * 2) / Math.sqrt(3), 6 + (T2_ALL3 * 2) / Math.sqrt(3));
    expect(v.rangeVerdict).toBe('noise');
    expect(v.differing).toBeNull();
  });

  it('finds a differing pair that is not the extremes', () => {
    // E − F = [1, 1, 1] beyond; G is far off but so noisy that neither extreme pair leaves 0 out.
    const E = [10, 14, 12];
    const F = [9, 13, 11];
    const G = [-40, 60, 10]; // mean 10; E − G = [50, −46, 2]: sd 48, includes 0
    const v = sweepVerdict(
      [
        { id: 0, values: E },
        { id: 1, values: F },
        { id: 2, values: G },
      ],
      true,
    );
    expect(v.highest).toBe(0);
    expect(v.lowest).toBe(2);
    expect(beyondNoise(v.rangeCi95)).toBe(false);
    expect(v.rangeVerdict).toBe('differs');
    expect(v.differing).toEqual([0, 1]);
  });

  it('has no verdict with one replication, and nothing to compare with one point', () => {
    const one = sweepVerdict(
      [
        { id: 0, values: [3] },
        { id: 1, values: [5] },
      ],
      true,
    );
    expect(one.rangeVerdict).toBe('unknown');
    expect(one.highest).toBe(1);
    const single = sweepVerdict([{ id: 0, values: A }], true);
    expect(single.rangeVerdict).toBe('single');
    expect(single.highestVsNext).toBeNull();
  });

  it('gives a tie to the first point (in id order)', () => {
    const v = sweepVerdict(
      [
        { id: 0, values: [1, 2] },
        { id: 1, values: [2, 1] },
      ],
      true,
    );
    expect(v.highest).toBe(0);
    expect(v.lowest).toBe(0);
    expect(v.rangeVerdict).toBe('noise');
  });
});

describe('the cards’ words', () => {
  const pointText = (id: number) => `x = ${id}`;
  const verdict = (over: Partial<SweepVerdict>): SweepVerdict => ({
    highest: 0,
    lowest: 2,
    range: 700,
    rangeCi95: [400, 1000],
    rangeVerdict: 'differs',
    differing: [0, 2],
    highestVsNext: { next: 1, difference: 100, ci95: [-100, 300] },
    lowestVsNext: { next: 1, difference: -600, ci95: [-800, -400] },
    ...over,
  });

  it('names no winner when no point differs, and says what to do', () => {
    const v = verdict({ rangeVerdict: 'noise', differing: null, rangeCi95: [-100, 1500] });
    const high = extremeText('platformMarginCents', v, 'highest', pointText);
    expect(high).toMatch(
      /^No point differs from the others beyond the replications' noise at 95 %: more replications, or a wider range\. Highest mean at point 0: x = 0$/,
    );
    expect(rangeText('platformMarginCents', v, true, 3)).toContain(
      `95 % CI −$1.00${NBSP}– +$15.00 (paired over replications; at 95 % for all 3 pairs of points at once) includes 0: within the replications' noise`,
    );
  });

  it('says the highest is level with the next highest, the lowest beyond its next, by their CIs', () => {
    const v = verdict({});
    expect(extremeText('platformMarginCents', v, 'highest', pointText)).toBe(
      `point 0: x = 0; level within the replications' noise with the next highest, point 1: x = 1 (+$1.00, 95 % CI −$1.00${NBSP}– +$3.00)`,
    );
    expect(extremeText('platformMarginCents', v, 'lowest', pointText)).toBe(
      `point 2: x = 2; beyond the next lowest, point 1 (−$6.00, 95 % CI −$8.00${NBSP}– −$4.00)`,
    );
    expect(rangeText('platformMarginCents', v, false, 2)).toContain(
      `95 % CI +$4.00${NBSP}– +$10.00 (Welch) beyond the replications' noise`,
    );
  });
});

describe('a sweep report’s cards', () => {
  const dir = tempDir('sweep-verdict');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('say from replications.csv whether the extremes and any pair stand out of the noise', async () => {
    const out = join(dir, 'grid');
    const r = await giftlab([
      'sweep',
      BASELINE,
      ...TINY,
      '--vary',
      'payout.creatorShare=0.4,0.5,0.6',
      '--replications',
      '3',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    const rows = csvRows(read(out, 'replications.csv'));
    const col = rows[0].indexOf('platformMarginCents');
    const values = [0, 1, 2].map((p) =>
      rows
        .slice(1)
        .filter((row) => row[0] === String(p))
        .map((row) => Number(row[col])),
    );
    const means = values.map((v) => (v[0] + v[1] + v[2]) / 3);
    // Paired CI of point i − point j, by hand: mean ± t(0.975, 2) × sd / √3 of the differences.
    const includesZero = (i: number, j: number) => {
      const d = values[i].map((x, k) => x - values[j][k]);
      const m = (d[0] + d[1] + d[2]) / 3;
      const sd = Math.sqrt(d.reduce((s, x) => s + (x - m) ** 2, 0) / 2);
      const half = (T2_ALL3 * sd) / Math.sqrt(3); // three points: every pair at once
      return m - half <= 0 && 0 <= m + half;
    };
    const hi = means.indexOf(Math.max(...means));
    const lo = means.indexOf(Math.min(...means));
    const html = read(out, 'report.html');
    const card = (label: string) =>
      new RegExp(`${label}[^<]*</div><div class="value">[^<]*</div><div class="sub">([^<]*)<`).exec(
        html,
      )?.[1] ?? '';
    const noise = includesZero(0, 1) && includesZero(0, 2) && includesZero(1, 2);
    expect(card('Highest').startsWith('No point differs from the others')).toBe(noise);
    expect(card('Highest')).toContain(`point ${hi}:`);
    expect(card('Range across points')).toContain(
      includesZero(hi, lo) ? 'includes 0' : 'beyond the replications',
    );
    expect(card('Range across points')).toContain('95 % CI');
    // stdout says it too, beside the highest and lowest it names.
    const range =
      r.out.split('\n').find((l) => l.startsWith('  highest − lowest platform margin, 95 % CI')) ?? '';
    expect(range).toContain(includesZero(hi, lo) ? 'includes 0' : 'beyond the replications');
    expect(range.includes('no point differs from the others')).toBe(noise);
    expect(r.out).toContain(
      `platformMarginCents: highest ${kpiValue('platformMarginCents', means[hi])} at point ${hi} (`,
    );
  });
});

describe('tornado swings against their noise', () => {
  const dir = tempDir('sweep-verdict-tornado');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a swing is beyond the noise when its CI leaves 0 out (the review’s store fee), within it otherwise', () => {
    expect(swingVerdict([-7134.98, -755.02])).toBe('beyond noise (95 % CI)');
    expect(swingVerdict([-20118.97, 12387.47])).toBe('within noise (CI includes 0)');
    expect(swingVerdict([0, 0])).toBe('within noise (CI includes 0)');
    expect(swingVerdict(null)).toBe('no CI (one replication)');
  });

  it('the chart draws each swing’s CI as a whisker and fades the swings tornado.csv’s CIs put within noise', async () => {
    const out = join(dir, 'tornado');
    const r = await giftlab([
      'sweep',
      BASELINE,
      ...TINY,
      '--tornado',
      '--vary',
      'intervalSeconds=3600,7200',
      '--vary',
      'pricing.channels.app.storeFee=0.15,0.45',
      '--vary',
      'payout.creatorShare=0.3,0.7',
      '--replications',
      '3',
      '--quiet',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    const rows = csvRows(read(out, 'tornado.csv'));
    const h = (name: string) => rows[0].indexOf(name);
    const html = read(out, 'report.html');
    const svg = html.split('data-chart="tornado">')[1].split('</svg>')[0];
    const note = html.slice(html.indexOf('data-chart="tornado">')).split('</figure>')[0];
    const within: string[] = [];
    for (const row of rows.slice(1)) {
      const path = row[h('path')];
      const lo = Number(row[h('deltaCi95Low')]);
      const hi = Number(row[h('deltaCi95High')]);
      const noise = lo <= 0 && 0 <= hi;
      if (noise) within.push(path);
      const whisker = new RegExp(
        `aria-label="high − low \\(US dollars\\), 95 % CI: [^;]*; path: ${path.replaceAll('.', '\\.')}: [^;]*; hi: ([^;]*); swing: [^"]*"[^>]*aria-roledescription="bar"[^>]*opacity="([\\d.]+)"`,
      ).exec(svg);
      expect(whisker, path).not.toBeNull();
      expect(Number(whisker?.[1].replace('−', '-'))).toBeCloseTo(hi / 100, 6);
      expect(Number(whisker?.[2]), path).toBe(noise ? 0.25 : 0.9);
      const bars = [
        ...svg.matchAll(
          new RegExp(
            `path: ${path.replaceAll('.', '\\.')}: [^"]*; swing high − low: [^"]*"[^>]*opacity="([\\d.]+)"`,
            'g',
          ),
        ),
      ];
      expect(bars, path).toHaveLength(2);
      for (const bar of bars) expect(Number(bar[1]), path).toBe(noise ? 0.25 : 0.9);
    }
    // intervalSeconds does not move the KPI under common random numbers: a zero swing, within noise.
    expect(within).toContain('intervalSeconds');
    if (within.length < rows.length - 1)
      expect(note).toContain(`Faint: the swing${within.length === 1 ? '' : 's'} of ${within.join(', ')},`);
    else expect(note).toContain('No swing is beyond');
  });
});
