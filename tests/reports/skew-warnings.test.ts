/**
 * CIs that claim more than the replications can give (reports/run-warnings.ts): a KPI whose
 * replications are clearly skewed needs n > 25 × G1² of them (Cochran's rule). The skewness against a
 * hand-computed case, the rule's edges, and a run whose warning names exactly the KPIs its kpis.csv
 * shows to be too few for their skew (recomputed here from the file).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../experiments/result.ts';
import { replicationsForSkew, skewness, tooSkewed } from '../../experiments/stats.ts';
import { rangeWarnings, runSkewWarnings, skewWarnings } from '../../reports/run-warnings.ts';
import { KPI_NAMES } from '../../sim/kpis.ts';
import { runGiftlab } from '../support/io.ts';

const giftlab = (args: string[]) => runGiftlab(args);

describe('skewness and Cochran’s rule', () => {
  it('G1 of 0, 0, 0, 1 is 2 (by hand: g1 = 0.09375 / 0.1875^1.5, times √12 / 2), and 0 when symmetric', () => {
    expect(skewness([0, 0, 0, 1])).toBeCloseTo(2, 12);
    expect(skewness([0, 0, 0, -1])).toBeCloseTo(-2, 12);
    expect(skewness([1, 2, 3, 4, 5])).toBeCloseTo(0, 12);
    expect(skewness([3, 3, 3])).toBeNaN();
    expect(skewness([1, 2])).toBeNaN();
  });

  it('asks for more than 25 G1² replications, and only of a clear skew', () => {
    expect(replicationsForSkew(2)).toBe(101);
    expect(tooSkewed([0, 0, 0, 1])).toEqual({ g1: expect.closeTo(2, 12), needed: 101 });
    // Clear but enough: 0 × 29 and 1 × 1 has G1 ≈ 5.4, asking for more than 30.
    expect(tooSkewed([...new Array(29).fill(0), 1])?.needed).toBeGreaterThan(30);
    // A mild skew (|G1| < 1) is left alone, whatever the count.
    expect(tooSkewed([1, 2, 3, 4, 6])).toBeNull();
  });

  it('names the flagged KPIs, the most demanding first, and the replications there are', () => {
    const [line, ...rest] = skewWarnings(
      new Map([
        ['grossBookingsCents', [0, 0, 0, 1]],
        ['payers', [1, 2, 3, 4]],
        ['giftsSent', [0, 0, 1, 1]],
        ['coinsSpent', [0, 0, 0, 0, 0, 3]],
      ]),
      'run',
    );
    expect(rest).toEqual([]);
    expect(line).toMatch(
      /Coins spent on gifts \(coinsSpent, G1 2\.4: about 1\d\d needed\), Gross bookings \(grossBookingsCents, G1 2\.0: about 101 needed\); this run has 4 —/,
    );
    expect(line).not.toMatch(/\((payers|giftsSent), G1/);
    expect(skewWarnings(new Map([['payers', [1, 2, 3, 4]]]), 'run')).toEqual([]);
  });
});

/** The replications' values of each KPI in a run folder's kpis.csv (replication rows only). */
function replicationValues(dir: string): Map<string, number[]> {
  const [header, ...rows] = readFileSync(join(dir, 'kpis.csv'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));
  const reps = rows.filter((row) => /^\d+$/.test(row[0]));
  const out = new Map<string, number[]>();
  header.forEach((kpi, j) => {
    if (j < 2 || reps.some((row) => row[j] === '')) return;
    out.set(
      kpi,
      reps.map((row) => Number(row[j])),
    );
  });
  return out;
}

/** The adjusted Fisher–Pearson G1, recomputed here. */
function g1Of(xs: readonly number[]): number {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const m2 = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / n;
  const m3 = xs.reduce((a, x) => a + (x - mean) ** 3, 0) / n;
  return m2 > 0 ? ((Math.sqrt(n * (n - 1)) / (n - 2)) * m3) / m2 ** 1.5 : 0;
}

/** Cochran's rule, recomputed here: |G1| ≥ 1 and n ≤ 25 G1². */
function tooFew(xs: readonly number[]): boolean {
  const g1 = g1Of(xs);
  return Math.abs(g1) >= 1 && xs.length <= 25 * g1 * g1;
}

/** The G1 a line states for a KPI. */
const statedG1 = (line: string, kpi: string) =>
  new RegExp(`\\(${kpi}, G1 (−?[\\d.]+)`).exec(line)?.[1]?.replace('−', '-');

const namedIn = (line: string) => [...line.matchAll(/\((\w+), G1/g)].map((m) => m[1]);
/** How many KPIs a line flags: those it names and those it counts ("and 3 more"). */
const flaggedIn = (line: string) => namedIn(line).length + Number(/ and (\d+) more/.exec(line)?.[1] ?? 0);

describe('a run and a comparison say it', () => {
  const root = mkdtempSync(join(tmpdir(), 'giftlab-skew-'));
  const runOf = (file: string, name: string) =>
    giftlab([
      'run',
      file,
      '--set',
      'population.viewers=3000',
      '--replications',
      '8',
      '--out',
      join(root, name),
      '--quiet',
    ]);

  it('run: in summary.json, the report and stderr, the KPIs its kpis.csv shows too few for their skew', async () => {
    const r = await runOf('scenarios/baseline.yaml', 'a');
    expect(r.code).toBe(0);
    const values = replicationValues(join(root, 'a'));
    expect(values.get('payers')).toHaveLength(8);
    const flagged = [...values].filter(([, xs]) => tooFew(xs)).map(([kpi]) => kpi);
    const warnings: string[] =
      JSON.parse(readFileSync(join(root, 'a', 'summary.json'), 'utf8')).warnings ?? [];
    const line = warnings.find((w) => w.startsWith('few replications')) ?? '';
    // This seed's whales skew some money KPIs; the line names as many as it says it does.
    expect(flagged.length).toBeGreaterThan(0);
    const named = namedIn(line);
    expect(named).toHaveLength(Math.min(flagged.length, 6));
    for (const kpi of named) expect(flagged).toContain(kpi);
    for (const kpi of named) expect(statedG1(line, kpi), kpi).toBe(g1Of(values.get(kpi) ?? []).toFixed(1));
    expect(flaggedIn(line)).toBe(flagged.length);
    expect(readFileSync(join(root, 'a', 'report.html'), 'utf8')).toContain('few replications for how skewed');
    expect(r.err).toContain(`giftlab run: warning: ${line}`);
  });

  it('compare of paired runs: the KPIs whose per-pair differences are too few for their skew', async () => {
    expect((await runOf('scenarios/creator-share-60.yaml', 'b')).code).toBe(0);
    const c = await giftlab(['compare', join(root, 'a'), join(root, 'b'), '--out', join(root, 'cmp')]);
    expect(c.code).toBe(0);
    const [a, b] = [replicationValues(join(root, 'a')), replicationValues(join(root, 'b'))];
    const flagged = [...a.keys()].filter((kpi) => {
      const [xa, xb] = [a.get(kpi) ?? [], b.get(kpi) ?? []];
      return xb.length === xa.length && tooFew(xb.map((v, i) => v - xa[i]));
    });
    const line = c.out.split('\n').find((l) => l.includes('few replications for how skewed')) ?? '';
    expect(flagged.length).toBeGreaterThan(0);
    expect(flaggedIn(line)).toBe(flagged.length);
    expect(namedIn(line)).toHaveLength(Math.min(flagged.length, 6));
    for (const kpi of namedIn(line)) expect(flagged).toContain(kpi);
    expect(line).toContain('these runs have 8');
    // Each named KPI's G1 is its differences' (not either run's own).
    for (const kpi of namedIn(line)) {
      const [xa, xb] = [a.get(kpi) ?? [], b.get(kpi) ?? []];
      expect(statedG1(line, kpi), kpi).toBe(g1Of(xb.map((v, i) => v - xa[i])).toFixed(1));
    }
  });
});

describe('CIs past what their KPI can be', () => {
  const runWith = (n: number, cis: Record<string, [number, number]>) =>
    ({
      replications: new Array(n).fill({}),
      kpiStats: Object.fromEntries(
        KPI_NAMES.map((k) => [k, { mean: 0.5, ci95: cis[k] ?? [0.1, 0.9], sd: 0.1 }]),
      ),
    }) as unknown as RunResult;

  it('names a share above 1 and a count below 0, not a margin below 0 (a margin can be)', () => {
    const [line, ...rest] = rangeWarnings(
      runWith(2, {
        topPayerShare1Pct: [-0.15, 1.12],
        giftsSent: [-3, 10],
        platformMarginCents: [-500, 300],
        creatorEarningsGini: [0.24, 1.01],
      }),
    );
    expect(rest).toEqual([]);
    expect(line).toMatch(/^with 2 replications some 95 % CIs reach past what their KPI can be \(/);
    for (const k of [
      'Top 1 % payers’ share (topPayerShare1Pct) −15.00\u00a0% to 112.00\u00a0%',
      'Gifts sent (giftsSent) −3 to 10',
      'Creator earnings Gini (creatorEarningsGini) 0.240 to 1.010',
    ])
      expect(line).toContain(k);
    expect(line).not.toContain('platformMarginCents');
  });

  it('with two replications says skewness cannot be told (it takes three); with three even ones, nothing', () => {
    const evenly = (n: number) =>
      ({
        replications: Array.from({ length: n }, (_, i) => ({
          kpis: Object.fromEntries(KPI_NAMES.map((k) => [k, i])),
        })),
      }) as unknown as RunResult;
    expect(runSkewWarnings(evenly(2))).toEqual([
      expect.stringMatching(
        /^2 replications: too few to tell how skewed the KPIs are across replications \(that takes 3\)/,
      ),
    ]);
    expect(runSkewWarnings(evenly(3))).toEqual([]);
  });

  it('says nothing when every CI is within range, or with one replication', () => {
    expect(rangeWarnings(runWith(4, {}))).toEqual([]);
    expect(rangeWarnings(runWith(1, { giftsSent: [-3, 10] }))).toEqual([]);
  });
});

describe('a sweep says it', () => {
  it('per point, from its replications: how many points, and per KPI at how many', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'giftlab-skew-sweep-')), 'sweep');
    const r = await giftlab([
      'sweep',
      'scenarios/baseline.yaml',
      '--set',
      'population.viewers=3000',
      '--replications',
      '8',
      '--vary',
      'payout.creatorShare=0.4,0.6',
      '--out',
      out,
      '--quiet',
    ]);
    expect(r.code).toBe(0);
    const [header, ...rows] = readFileSync(join(out, 'replications.csv'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(','));
    const col = (name: string) => header.indexOf(name);
    const points = [...new Set(rows.map((row) => row[col('point')]))];
    // Recomputed here from the file: per KPI, the points whose 8 values are too few for their skew.
    const atPoints = new Map<string, number>();
    const flaggedPoints = new Set<string>();
    for (const kpi of header.slice(col('violations') + 1)) {
      for (const p of points) {
        const xs = rows.filter((row) => row[col('point')] === p).map((row) => row[col(kpi)]);
        if (xs.some((x) => x === '') || !tooFew(xs.map(Number))) continue;
        atPoints.set(kpi, (atPoints.get(kpi) ?? 0) + 1);
        flaggedPoints.add(p);
      }
    }
    expect(atPoints.size).toBeGreaterThan(0);
    const warnings: string[] = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).warnings;
    const line = warnings.find((w) => w.startsWith('few replications')) ?? '';
    expect(line).toContain(`at ${flaggedPoints.size} of ${points.length} points`);
    const named = [...line.matchAll(/\((\w+), at (\d+) points?,/g)];
    expect(named.length).toBe(Math.min(atPoints.size, 6));
    for (const [, kpi, n] of named) expect(Number(n), kpi).toBe(atPoints.get(kpi));
    expect(r.err).toContain(`giftlab sweep: warning: ${line}`);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('few replications for how skewed');
  });
});
