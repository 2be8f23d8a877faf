/**
 * `calibrate --target` on a KPI that can be absent (a cohort KPI: NaN without viewers who arrive early
 * enough). A distance to it cannot be computed: where the scenario or the box says so before anything
 * runs, exit 2 naming the target; where only the runs tell, those candidates are infeasible (said on
 * stderr, in the report and summary.json) and never the best; none feasible exits 2, writing nothing.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fitOf, type TargetScale } from '../../experiments/calibrate/distance.ts';
import { STATISTIC_NAMES, type StatisticName } from '../../experiments/calibrate/statistics.ts';
import type { KpiStat } from '../../sim/kpis.ts';
import { BASELINE, csvRows, giftlab, nineDays, read, TINY, tempDir } from '../sweep/support.ts';

const dir = tempDir('calibrate-absent');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NINE_DAYS = nineDays(1);

describe('fitOf: a target KPI without a value', () => {
  it('makes the candidate infeasible: an infinite distance, the KPI named', () => {
    const stat = (mean: number): KpiStat => ({ mean, ci95: [mean, mean], sd: 0 });
    const stats = Object.fromEntries(STATISTIC_NAMES.map((k) => [k, stat(1)])) as Record<
      StatisticName,
      KpiStat
    >;
    const scale = (kpi: StatisticName): TargetScale => ({
      kpi,
      value: 2,
      targetSe: 0,
      simulationSe: 0,
      scale: 1,
      basis: 'relative default',
    });
    const scales = [scale('giftsSent'), scale('retentionD7')];
    expect(fitOf(scales, stats)).toEqual({ distance: 2, z: [-1, -1], absent: [] });
    stats.retentionD7 = stat(Number.NaN);
    const fit = fitOf(scales, stats);
    expect(fit.distance).toBe(Number.POSITIVE_INFINITY);
    expect(fit.absent).toEqual(['retentionD7']);
  });
});

describe('calibrate refuses before running a target KPI the box cannot give a value (exit 2, nothing written)', () => {
  const expected =
    'expected a target KPI every candidate in the --fit box gives a value: retentionD7 counts the viewers who arrive during the run once their first 8 days are over, so a run lasting more than 8d in which viewers arrive';

  it('the scenario has no arrivals and lasts a day: named with where the target came from', async () => {
    const out = join(dir, 'never');
    const targets = join(dir, 'targets.yaml');
    writeFileSync(targets, 'targets:\n  giftsSent: 50\n  retentionD7: 0.2\n');
    for (const [flags, from] of [
      [['--target', 'retentionD7=0.2'], ''], // the field names the flag already
      [['--targets', targets], ` (the target from ${targets} line 3)`],
    ]) {
      const r = await giftlab([
        'calibrate',
        BASELINE,
        ...TINY,
        ...flags,
        '--fit',
        'viewers.payerShare=0.02:0.08',
        '--out',
        out,
      ]);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`--target retentionD7: ${expected}`);
      expect(r.err).toContain(
        `found retentionD7, which has no value where nobody arrives (lifecycle.arrivalsPerDay 0, no acquisition-burst event) and the run lasts 6h${from}`,
      );
      expect(r.err).not.toContain('internal error');
      expect(existsSync(out)).toBe(false);
    }
  });

  it('an end of the --fit box is too short: named with its values', async () => {
    const out = join(dir, 'never');
    const r = await giftlab([
      'calibrate',
      'scenarios/launch-90d.yaml',
      '--set',
      'population.viewers=2000',
      '--target',
      'retentionD7=0.2',
      '--fit',
      'duration=432000:1728000',
      '--out',
      out,
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      'found retentionD7, which has no value where the run lasts 5d, at duration=432000 in the --fit box',
    );
    expect(existsSync(out)).toBe(false);
  });
});

describe('calibrate: candidates the runs leave without a target KPI are infeasible', () => {
  const run = (fit: string, out: string) =>
    giftlab([
      'calibrate',
      BASELINE,
      ...NINE_DAYS,
      '--target',
      'retentionD7=0.6',
      '--fit',
      `lifecycle.arrivalsPerDay=${fit}`,
      '--replications',
      '2',
      '--budget',
      '12',
      '--quiet',
      '--out',
      out,
    ]);

  it('said on stderr and in the report, an empty distance in calibration.csv, never the best', async () => {
    const out = join(dir, 'some');
    // At a few hundredths of an arrival a day, nobody (in practice) arrives on day 0.
    const r = await run('0.001:3', out);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(
      /giftlab calibrate: retentionD7: \d+ of 12 candidates gave it no value \(in some replication no viewer arrived early enough for their first 8 days to be over by the end\): candidates? [\d, ]+; no distance can be computed for them, so they count as infeasible/,
    );
    const rows = csvRows(read(out, 'calibration.csv'));
    const at = (name: string) => rows[0].indexOf(name);
    const infeasible = rows.slice(1).filter((row) => row[at('distance')] === '');
    expect(infeasible.length).toBeGreaterThan(0);
    for (const row of infeasible) {
      expect(row[at('best')]).toBe('false');
      expect(row[at('z:retentionD7')]).toBe('');
      expect(row[at('retentionD7')]).toBe('');
    }
    const summary = JSON.parse(read(out, 'summary.json'));
    expect(summary.best.distance).toBeTypeOf('number');
    expect(summary.warnings[0]).toContain('candidates gave it no value');
    const html = read(out, 'report.html');
    expect(html).toContain('candidates gave it no value');
    expect(html).not.toMatch(/NaN|Infinity/);
  });

  it('exits 2 naming the target, writing nothing, when no candidate gave it a value', async () => {
    const out = join(dir, 'none');
    const r = await run('0.001:0.2', out);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      '--target retentionD7: expected a target KPI the candidates in the --fit box give a value',
    );
    expect(r.err).toMatch(
      /found retentionD7, which got no value in (\d+) of the \1 candidates evaluated \(in some replication no viewer arrived early enough/,
    );
    expect(r.err).not.toContain('internal error');
    expect(existsSync(out)).toBe(false);
  });
});
