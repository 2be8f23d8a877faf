import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shardItems } from '../../experiments/shards/shard.ts';
import { CSV_FILES } from '../../reports/csv/index.ts';
import { kpiInfo } from '../../sim/kpis.ts';
import { BASELINE, csvRows, giftlab, read, TINY, tempDir } from './support.ts';

const dir = tempDir('shards');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SWEEP = [
  'sweep',
  BASELINE,
  ...TINY,
  '--tornado',
  '--vary',
  'payout.creatorShare=0.4,0.6',
  '--vary',
  'pricing.channels.app.storeFee=0.15,0.45',
  '--replications',
  '2',
  '--quiet',
];
const N = 3;

function withoutWallTime(summaryText: string): unknown {
  const { wallSeconds: _w, eventsPerSecond: _e, ...rest } = JSON.parse(summaryText);
  return rest;
}

describe('round-robin split', () => {
  it('deals every item to exactly one shard', () => {
    const seen = [1, 2, 3].flatMap((i) => shardItems(10, { index: i, count: 3 }));
    expect(seen.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(shardItems(10, { index: 2, count: 3 })).toEqual([1, 4, 7]);
    expect(shardItems(2, { index: 3, count: 3 })).toEqual([]);
  });
});

describe(`sweep --shard i/${N} + merge`, () => {
  const whole = join(dir, 'sweep-whole');
  const merged = join(dir, 'sweep-merged');
  const shard = (i: number) => join(dir, `sweep-shards/shard-${i}`);

  beforeAll(async () => {
    expect((await giftlab([...SWEEP, '--workers', '2', '--out', whole])).code).toBe(0);
    for (let i = 1; i <= N; i++) {
      const r = await giftlab([...SWEEP, '--workers', '1', '--shard', `${i}/${N}`, '--out', shard(i)]);
      expect(r.code).toBe(0);
      expect(r.out.trim()).toBe(shard(i));
    }
  });

  it('writes shard folders holding only their slice, per replication', () => {
    const manifest = JSON.parse(read(shard(2), 'shard.json'));
    expect(manifest).toMatchObject({
      format: 'giftlab-shard',
      kind: 'sweep',
      shard: { index: 2, count: 3 },
      seed: 42,
      replications: 2,
    });
    expect(manifest.items).toEqual({ total: 10, inShard: 3 });
    const lines = read(shard(2), 'results.jsonl')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.item, l.point, l.replication])).toEqual([
      [1, 0, 1],
      [4, 2, 0],
      [7, 3, 1],
    ]);
    expect(typeof lines[0].kpis.platformMarginCents).toBe('number');
  });

  it('merges into byte-identical output (summary.json differs in wallSeconds only)', async () => {
    const r = await giftlab(['merge', shard(3), shard(1), shard(2), '--out', merged]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out.trim().split('\n').at(-1)).toBe(join(merged, 'report.html'));
    for (const f of ['sweep.csv', 'points.csv', 'replications.csv', 'tornado.csv', 'report.html']) {
      expect(read(merged, f), f).toBe(read(whole, f));
    }
    expect(withoutWallTime(read(merged, 'summary.json'))).toEqual(
      withoutWallTime(read(whole, 'summary.json')),
    );
  });

  it("repeats the shards' warnings in the merged summary.json and report, as the whole sweep does", async () => {
    const one = ['sweep', BASELINE, ...TINY, '--vary', 'payout.creatorShare=0.4,0.6', '--quiet'];
    const wholeOne = join(dir, 'warn-whole');
    expect((await giftlab([...one, '--out', wholeOne])).code).toBe(0);
    for (const i of [1, 2])
      expect(
        (await giftlab([...one, '--shard', `${i}/2`, '--out', join(dir, `warn-shards/s${i}`)])).code,
      ).toBe(0);
    const mergedOne = join(dir, 'warn-merged');
    expect((await giftlab(['merge', join(dir, 'warn-shards'), '--out', mergedOne, '--quiet'])).code).toBe(0);
    const warnings = JSON.parse(read(wholeOne, 'summary.json')).warnings;
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^one replication per point/);
    expect(JSON.parse(read(mergedOne, 'summary.json')).warnings).toEqual(warnings);
    expect(read(mergedOne, 'report.html')).toBe(read(wholeOne, 'report.html'));
    // A shard written before shards kept their warnings, listed first, does not drop the others'.
    const older = join(dir, 'warn-shards/s1', 'shard.json');
    const { warnings: _dropped, ...manifest } = JSON.parse(readFileSync(older, 'utf8'));
    writeFileSync(older, JSON.stringify(manifest));
    const again = join(dir, 'warn-merged-again');
    const r = await giftlab([
      'merge',
      join(dir, 'warn-shards/s1'),
      join(dir, 'warn-shards/s2'),
      '--out',
      again,
      '--quiet',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(read(again, 'summary.json')).warnings).toEqual(warnings);
  });

  it('takes the folder that holds the shards, too', async () => {
    const again = join(dir, 'sweep-merged-again');
    expect((await giftlab(['merge', join(dir, 'sweep-shards'), '--out', again, '--quiet'])).code).toBe(0);
    expect(read(again, 'sweep.csv')).toBe(read(whole, 'sweep.csv'));
  });

  describe('refuses shards that do not belong together (exit 2, naming what is wrong)', () => {
    const other = (name: string) => join(dir, name);

    it('a missing shard', async () => {
      const r = await giftlab(['merge', shard(1), shard(3), '--out', other('m1')]);
      expect(r.code).toBe(2);
      expect(r.err).toContain('shards of 3: expected all of 1..3, found missing 2');
      expect(existsSync(other('m1'))).toBe(false);
    });

    it('a shard twice', async () => {
      const copy = other('dup-2');
      cpSync(shard(2), copy, { recursive: true });
      const r = await giftlab(['merge', shard(1), shard(2), copy, shard(3), '--out', other('m2')]);
      expect(r.code).toBe(2);
      expect(r.err).toContain('shard 2/3: expected once, found 2 times');
    });

    it('another seed, another spec, another scenario, another n', async () => {
      const seed = other('seed-7');
      const spec = other('spec');
      const scen = other('scenario');
      const four = other('of-4');
      expect((await giftlab([...SWEEP, '--seed', '7', '--shard', `2/${N}`, '--out', seed])).code).toBe(0);
      const moreSpec = [...SWEEP, '--shard', `2/${N}`, '--out', spec];
      moreSpec[moreSpec.indexOf('payout.creatorShare=0.4,0.6')] = 'payout.creatorShare=0.4,0.7';
      expect((await giftlab(moreSpec)).code).toBe(0);
      expect(
        (await giftlab([...SWEEP, '--set', 'viewers.payerShare=0.06', '--shard', `2/${N}`, '--out', scen]))
          .code,
      ).toBe(0);
      expect((await giftlab([...SWEEP, '--shard', '2/4', '--out', four])).code).toBe(0);

      const bySeed = await giftlab(['merge', shard(1), seed, shard(3), '--out', other('m3')]);
      expect(bySeed.code).toBe(2);
      expect(bySeed.err).toMatch(/seed-7: expected seed 42 as in .*shard-1, found 7/);
      expect(bySeed.err).toContain('expected scenario baseline'); // the seed is part of the scenario

      const bySpec = await giftlab(['merge', shard(1), spec, shard(3), '--out', other('m4')]);
      expect(bySpec.code).toBe(2);
      expect(bySpec.err).toMatch(
        /spec: expected the same sweep spec as in .*shard-1, found a different axes\.0/,
      );

      const byScenario = await giftlab(['merge', shard(1), scen, shard(3), '--out', other('m5')]);
      expect(byScenario.code).toBe(2);
      expect(byScenario.err).toMatch(
        /scenario: expected scenario baseline \(sha256:.*differs at viewers\.payerShare/,
      );

      const byCount = await giftlab(['merge', shard(1), four, shard(3), '--out', other('m6')]);
      expect(byCount.code).toBe(2);
      expect(byCount.err).toContain('expected a shard of n = 3');
    });

    it('a shard with results missing, and a folder that is no shard', async () => {
      const cut = other('cut-3');
      cpSync(shard(3), cut, { recursive: true });
      const lines = readFileSync(join(cut, 'results.jsonl'), 'utf8').trim().split('\n');
      writeFileSync(join(cut, 'results.jsonl'), `${lines.slice(0, -1).join('\n')}\n`);
      const r = await giftlab(['merge', shard(1), shard(2), cut, '--out', other('m7')]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(
        /cut-3\/results\.jsonl: expected items 2, 5, 8 \(3\) for shard 3\/3, found 2, 5 \(2\)/,
      );

      const none = await giftlab(['merge', shard(1), whole, '--out', other('m8')]);
      expect(none.code).toBe(2);
      expect(none.err).toContain('expected a shard folder with shard.json');
    });

    it('an output folder that holds the shards (it would replace them)', async () => {
      const r = await giftlab(['merge', join(dir, 'sweep-shards'), '--out', join(dir, 'sweep-shards')]);
      expect(r.code).toBe(2);
      expect(r.err).toContain('--out: expected a folder apart from the shard folders');
      expect(existsSync(join(shard(1), 'shard.json'))).toBe(true);
      const inside = await giftlab([
        'merge',
        shard(1),
        shard(2),
        shard(3),
        '--out',
        join(shard(2), 'merged'),
      ]);
      expect(inside.code).toBe(2);
    });

    it('no --out', async () => {
      const r = await giftlab(['merge', shard(1), shard(2), shard(3)]);
      expect(r.code).toBe(2);
      expect(r.err).toContain('--out: expected the folder to write the merged output to');
    });
  });
});

describe(`run --replications 5 --shard i/${N} + merge`, () => {
  const RUN = ['run', BASELINE, ...TINY, '--replications', '5', '--quiet'];
  const whole = join(dir, 'run-whole');
  const merged = join(dir, 'run-merged');
  const shard = (i: number) => join(dir, `run-shard-${i}`);

  beforeAll(async () => {
    expect((await giftlab([...RUN, '--workers', '2', '--out', whole])).code).toBe(0);
    for (let i = 1; i <= N; i++) {
      expect(
        (await giftlab([...RUN, '--workers', '1', '--shard', `${i}/${N}`, '--out', shard(i)])).code,
      ).toBe(0);
    }
  });

  it('keeps whole replications in its shard folders', () => {
    const lines = read(shard(1), 'results.jsonl')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.item)).toEqual([0, 3]);
    expect(lines[1].result.replication).toBe(3);
    expect(lines[0].result.creators.length).toBeGreaterThan(0);
  });

  it('merges into the run folder the unsharded run writes: CSVs and report byte-identical', async () => {
    const r = await giftlab(['merge', shard(1), shard(2), shard(3), '--out', merged]);
    expect(r.code).toBe(0);
    for (const f of CSV_FILES) expect(read(merged, f), f).toBe(read(whole, f));
    expect(withoutWallTime(read(merged, 'summary.json'))).toEqual(
      withoutWallTime(read(whole, 'summary.json')),
    );
    expect(read(merged, 'report.html')).toBe(read(whole, 'report.html'));
  });

  it('refuses to merge a sweep shard with run shards', async () => {
    const sweepShard = join(dir, 'lone-sweep-shard');
    expect((await giftlab([...SWEEP, '--shard', `2/${N}`, '--out', sweepShard])).code).toBe(0);
    const r = await giftlab(['merge', shard(1), sweepShard, shard(3), '--out', join(dir, 'm9')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('expected a shard of a run');
  });
});

describe('one replication: no confidence interval to show', () => {
  it('kpis.csv and sweep.csv leave CI and sd cells empty; a merge writes the same bytes', async () => {
    const whole = join(dir, 'one-whole');
    const shard = join(dir, 'one-shard');
    const merged = join(dir, 'one-merged');
    const run = ['run', BASELINE, ...TINY, '--quiet'];
    expect((await giftlab([...run, '--out', whole])).code).toBe(0);
    expect((await giftlab([...run, '--shard', '1/1', '--out', shard])).code).toBe(0);
    expect((await giftlab(['merge', shard, '--out', merged])).code).toBe(0);
    const rows = csvRows(read(whole, 'kpis.csv'));
    const byLabel = new Map(rows.map((r) => [r[0], r.slice(2)]));
    expect(Number(byLabel.get('mean')?.[0])).toBeGreaterThan(0);
    for (const label of ['ci95Low', 'ci95High', 'sd']) {
      expect(
        byLabel.get(label)?.every((c) => c === ''),
        label,
      ).toBe(true);
    }
    for (const f of CSV_FILES) expect(read(merged, f), f).toBe(read(whole, f));

    const sweep = join(dir, 'one-sweep');
    const args = ['sweep', BASELINE, ...TINY, '--vary', 'payout.creatorShare=0.4,0.6', '--quiet'];
    expect((await giftlab([...args, '--out', sweep])).code).toBe(0);
    const [header, ...cells] = csvRows(read(sweep, 'sweep.csv'));
    const at = (name: string) => header.indexOf(name);
    for (const row of cells) {
      expect([row[at('ci95Low')], row[at('ci95High')], row[at('sd')], row[at('n')]]).toEqual([
        '',
        '',
        '',
        '1',
      ]);
      // Nobody arrives in the baseline: cohort KPIs are absent (empty), every other has its mean.
      const absent = kpiInfo(row[at('kpi')])?.period === 'cohort';
      expect(row[at('mean')] === '', row[at('kpi')]).toBe(absent);
      // …and so is its difference from the baseline point, the baseline point's own included (not 0).
      expect(row[at('vsBaseline')] === '', row[at('kpi')]).toBe(absent);
    }
  });
});
