/**
 * `run --precision h --kpi k` and `compare --precision`: the replications a target needs (closed
 * form), the batch rule's bounds, a run that stops as soon as the target holds — the same count and
 * the same bytes with 1 and 2 workers, and the same outputs as `run --replications <that count>` —
 * the cap (exit 99, outputs written, what it would take), and bad input (exit 2, nothing written).
 */

import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  nextReplications,
  type PrecisionKpi,
  relativeHalfWidth,
  replicationsFor,
} from '../../experiments/precision.ts';
import { describe as describeValues, t95 } from '../../experiments/stats.ts';
import { summarySchemaText } from '../../reports/kpi-docs.ts';
import { BASELINE, giftlab, read, TINY, tempDir } from '../sweep/support.ts';

const dir = tempDir('precision');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('replications a target needs', () => {
  it('is the fewest n with t(n − 1) · sd / √n ≤ h · |mean| (sd = mean, h = 0.5: n = 18)', () => {
    // t(16)/√17 = 2.120/4.123 = 0.514 > 0.5; t(17)/√18 = 2.110/4.243 = 0.497.
    expect(replicationsFor(1, 1, 0.5)).toBe(18);
    expect(replicationsFor(0, 5, 0.01)).toBe(2);
    expect(replicationsFor(1, 0, 0.1)).toBe(Number.POSITIVE_INFINITY);
    // A KPI without a value (NaN) needs no finite count, and the search must not loop for one.
    expect(replicationsFor(Number.NaN, Number.NaN, 0.05)).toBe(Number.POSITIVE_INFINITY);
  });

  test.prop([
    fc.double({ min: 0.01, max: 50, noNaN: true }),
    fc.double({ min: 0.5, max: 1e6, noNaN: true }),
    fc.double({ min: 0.01, max: 1, noNaN: true }),
  ])('n reaches the target and n − 1 does not', (cv, mean, h) => {
    const sd = cv * mean;
    const n = replicationsFor(sd, mean, h);
    const half = (k: number) => (t95(k - 1) * sd) / Math.sqrt(k);
    expect(half(n)).toBeLessThanOrEqual(h * mean * (1 + 1e-12));
    if (n > 2) expect(half(n - 1)).toBeGreaterThan(h * mean * (1 - 1e-12));
  });

  it('reads a CI as a relative half-width: 0 when exact, Infinity for an uncertain mean of 0', () => {
    expect(relativeHalfWidth(describeValues([10, 10]))).toBe(0);
    expect(relativeHalfWidth(describeValues([-1, 1]))).toBe(Number.POSITIVE_INFINITY);
    const s = describeValues([9, 11]);
    expect(relativeHalfWidth(s)).toBeCloseTo((t95(1) * Math.SQRT2) / Math.SQRT2 / 10, 9);
  });

  test.prop([
    fc.integer({ min: 2, max: 5000 }),
    fc.integer({ min: 3, max: 1e9 }),
    fc.integer({ min: 2, max: 10_000 }),
  ])(
    'a batch adds at least a quarter of the run and at most doubles it, never past the cap',
    (n, needed, cap) => {
      fc.pre(n < cap);
      const status = [{ needed } as PrecisionKpi];
      const next = nextReplications(n, status, cap);
      expect(next).toBeLessThanOrEqual(cap);
      expect(next).toBeGreaterThan(n);
      if (next < cap) {
        expect(next).toBeGreaterThanOrEqual(n + Math.ceil(n / 4));
        expect(next).toBeLessThanOrEqual(Math.max(n + Math.ceil(n / 4), 2 * n));
        if (needed > n + Math.ceil(n / 4) && needed <= 2 * n) expect(next).toBe(needed);
      }
    },
  );
});

describe('run --precision on a small world', () => {
  const flags = [...TINY, '--precision', '0.1', '--kpi', 'payerConversion'];
  const one = join(dir, 'w1');
  const two = join(dir, 'w2');
  let stdout = '';
  let stderr = '';
  let quietStdout = '';

  beforeAll(async () => {
    const r1 = await giftlab(['run', BASELINE, ...flags, '--workers', '1', '--out', one]);
    expect(r1.code).toBe(0);
    stdout = r1.out;
    stderr = r1.err;
    const r2 = await giftlab(['run', BASELINE, ...flags, '--workers', '2', '--quiet', '--out', two]);
    expect(r2.code).toBe(0);
    quietStdout = r2.out;
  });

  it('--quiet prints only the report path, as run --help says (the count is in summary.json)', () => {
    expect(stdout).toContain('precision: ');
    expect(quietStdout).toBe(`${join(two, 'report.html')}\n`);
    expect(JSON.parse(read(two, 'summary.json')).precision.reached).toBe(true);
  });

  it('summary.json, precision included, is what summary.schema.json says, field by field', () => {
    const schema = JSON.parse(summarySchemaText());
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(schema);
    const summary = JSON.parse(read(one, 'summary.json'));
    expect(validate(summary), JSON.stringify(validate.errors)).toBe(true);
    // Every field it writes is described (the schema does not refuse others, so this says so).
    expect(Object.keys(summary).filter((k) => !(k in schema.properties))).toEqual([]);
    const status = schema.properties.precision.properties.status.items.properties;
    expect(Object.keys(summary.precision.status[0]).filter((k) => !(k in status))).toEqual([]);
    // A wrong type in a precision field is refused.
    expect(validate({ ...summary, precision: { ...summary.precision, reached: 'yes' } })).toBe(false);
  });

  it('stops as soon as the half-width is within 10 % of the mean, and says how many replications it took', () => {
    const s = JSON.parse(read(one, 'summary.json'));
    const p = s.precision;
    expect(p).toMatchObject({ target: 0.1, kpis: ['payerConversion'], cap: 500, reached: true });
    const n = p.batches.at(-1);
    expect(s.replications).toBe(n);
    const k = s.kpis.payerConversion;
    expect((k.ci95[1] - k.mean) / k.mean).toBeLessThanOrEqual(0.1);
    expect(p.status[0].relativeHalfWidth).toBeCloseTo((k.ci95[1] - k.mean) / k.mean, 12);
    expect(p.batches[0]).toBe(8);
    expect(stdout).toContain(
      `precision: 95 % CI half-width within ±10 % of the mean after ${n} replications (batches ${p.batches.join(' → ')}): payerConversion ±`,
    );
    expect(stderr).toContain(
      'giftlab run: precision after 8 replications (target ±10 % of the mean): payerConversion ±',
    );
    expect(read(one, 'report.html')).toContain(`${n} replications were needed`);
  });

  it('stopped no later than it had to: the run before the last batch was short of the target', async () => {
    const p = JSON.parse(read(one, 'summary.json')).precision;
    expect(p.batches.length).toBeGreaterThan(1);
    const before = p.batches.at(-2);
    const out = join(dir, 'before');
    expect(
      (await giftlab(['run', BASELINE, ...TINY, '--replications', String(before), '--quiet', '--out', out]))
        .code,
    ).toBe(0);
    const k = JSON.parse(read(out, 'summary.json')).kpis.payerConversion;
    expect((k.ci95[1] - k.mean) / k.mean).toBeGreaterThan(0.1);
  });

  it('gives the same count and bytes with 1 and 2 workers, and the outputs of run --replications <that count>', async () => {
    for (const f of ['kpis.csv', 'timeseries.csv', 'creators.csv', 'viewers.csv', 'report.html']) {
      expect(read(two, f), f).toBe(read(one, f));
    }
    const strip = (text: string) => {
      const { wallSeconds: _w, eventsPerSecond: _e, precision: _p, ...rest } = JSON.parse(text);
      return rest;
    };
    const n = JSON.parse(read(one, 'summary.json')).replications;
    const plain = join(dir, 'plain');
    expect(
      (await giftlab(['run', BASELINE, ...TINY, '--replications', String(n), '--quiet', '--out', plain]))
        .code,
    ).toBe(0);
    for (const f of ['kpis.csv', 'timeseries.csv', 'creators.csv'])
      expect(read(plain, f), f).toBe(read(one, f));
    expect(strip(read(plain, 'summary.json'))).toEqual(strip(read(one, 'summary.json')));
  });
});

describe('run --precision at the cap', () => {
  it('exits 99 after writing every output, saying how far it got and what it would take', async () => {
    const out = join(dir, 'cap');
    const r = await giftlab([
      'run',
      BASELINE,
      ...TINY,
      '--precision',
      '0.01',
      '--kpi',
      'grossBookingsCents',
      '--kpi',
      'payerConversion',
      '--max-replications',
      '10',
      '--quiet',
      '--out',
      out,
    ]);
    expect(r.code).toBe(99);
    expect(r.err).toContain(
      'giftlab: precision not reached (exit 99): the 95 % CI half-width of 2 KPI(s) is above ±1 % of the mean at --max-replications 10 (the outputs hold all 10 replications):',
    );
    expect(r.err).toMatch(
      / {2}grossBookingsCents: ±[\d.]+ % of its mean after 10 replications; about [\d,]+ replications would do/,
    );
    const s = JSON.parse(read(out, 'summary.json'));
    expect(s.replications).toBe(10);
    expect(s.precision).toMatchObject({ reached: false, cap: 10, batches: [8, 10] });
    expect(s.precision.status.every((k: { met: boolean; needed: number }) => !k.met && k.needed > 10)).toBe(
      true,
    );
    expect(read(out, 'report.html')).toContain('data-precision="not-reached"');
  });
});

describe('run --precision: bad input exits 2 naming it, and writes nothing', () => {
  it.each([
    [
      ['--precision', '0'],
      '--precision: expected a relative half-width above 0 and at most 1, like 0.05 or 5% (±5 % of the mean), found "0"',
    ],
    [['--precision', '1.5'], '--precision: expected a relative half-width above 0 and at most 1'],
    [['--precision', 'tight'], '--precision: expected a relative half-width above 0 and at most 1'],
    [
      ['--precision', '0.05', '--kpi', 'grossBookings'],
      '--kpi: expected a KPI (did you mean grossBookingsCents?): one of',
    ],
    [['--kpi', 'grossBookingsCents'], '--kpi: expected --precision h with it, found no --precision'],
    [['--max-replications', '20'], '--max-replications: expected --precision h with it'],
    [
      ['--precision', '0.05', '--replications', '1'],
      '--replications: expected a first batch of at least 2 with --precision',
    ],
    [
      ['--precision', '0.05', '--replications', '30', '--max-replications', '20'],
      '--replications: expected a first batch within --max-replications (20), found 30',
    ],
    [
      ['--precision', '0.05', '--max-replications', '1'],
      '--max-replications: expected an integer from 2 to 10000',
    ],
    [
      // Nobody arrives in the baseline: no cohort KPI has a value (this once ran forever); refused before running.
      ['--precision', '0.05', '--kpi', 'retentionD1', '--replications', '2', '--max-replications', '4'],
      '--kpi: expected a KPI this run gives a value: retentionD1 counts the viewers who arrive during the run once their first 2 days are over, so a run lasting more than 2d in which viewers arrive (lifecycle.arrivalsPerDay or an acquisition-burst event), found retentionD1, which has no value where nobody arrives',
    ],
    [
      ['--precision', '0.05', '--replications', '4', '--shard', '1/2'],
      '--precision: expected a whole run (how many replications it takes is known only as they come in), found --shard 1/2',
    ],
  ])('%j', async (flags, message) => {
    const out = join(dir, 'never');
    const r = await giftlab(['run', BASELINE, ...TINY, ...flags, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });
});

describe('compare --precision', () => {
  const a = join(dir, 'cmp-a');
  const b = join(dir, 'cmp-b');

  beforeAll(async () => {
    for (const [out, share] of [
      [a, '0.5'],
      [b, '0.6'],
    ]) {
      const r = await giftlab([
        'run',
        BASELINE,
        ...TINY,
        '--set',
        `payout.creatorShare=${share}`,
        // Creators who do not respond to their share: the same gifts, so payers pair exactly.
        '--set',
        'creators.earningsResponse.elasticity=0',
        '--replications',
        '6',
        '--quiet',
        '--out',
        out,
      ]);
      expect(r.code).toBe(0);
    }
  });

  it('a loose target holds: each run and the paired difference, exit 0', async () => {
    const r = await giftlab([
      'compare',
      a,
      b,
      '--out',
      join(dir, 'cmp-ok'),
      '--precision',
      '1',
      '--kpi',
      'payerConversion',
    ]);
    expect(r.code).toBe(0);
    // The share does not change who pays: the paired difference is exactly 0, known exactly.
    expect(r.out).toMatch(/ {2}payerConversion: A ±[\d.]+ % ✓, B ±[\d.]+ % ✓, B − A ±0\.00 % ✓\n/);
  });

  it('a tight one does not: exit 99 after writing, with the replications per run it would take', async () => {
    const out = join(dir, 'cmp-tight');
    const r = await giftlab([
      'compare',
      a,
      b,
      '--out',
      out,
      '--precision',
      '0.01',
      '--kpi',
      'creatorEarningsCents',
    ]);
    expect(r.code).toBe(99);
    expect(r.out).toMatch(/creatorEarningsCents: A ±[\d.]+ % ✗ \(about [\d,]+ replications\)/);
    expect(r.err).toMatch(
      /precision not reached \(exit 99\): about [\d,]+ replications per run would do; rerun both with giftlab run <scenario> --replications \d+/,
    );
    expect(read(out, 'compare.html')).toContain('data-precision="not-reached"');
  });

  it('refuses a KPI the runs do not report, and --kpi alone', async () => {
    const unknown = await giftlab([
      'compare',
      a,
      b,
      '--out',
      join(dir, 'cmp-bad'),
      '--precision',
      '0.1',
      '--kpi',
      'margin',
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('--kpi: expected a KPI both runs report (grossBookingsCents');
    const alone = await giftlab(['compare', a, b, '--out', join(dir, 'cmp-bad'), '--kpi', 'payerConversion']);
    expect(alone.code).toBe(2);
    expect(alone.err).toContain('--kpi: expected --precision h with it');
  });
});
