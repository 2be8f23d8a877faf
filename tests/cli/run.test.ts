/**
 * `giftlab run` as users run it: `node bin/giftlab.js` in a child process, outputs in a temp folder.
 * Exit codes, the run folder's files, the last stdout line, determinism across worker counts, bad
 * input that writes nothing, and a broken engine that exits 3.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkableWith, LEDGER_STATE_INVARIANTS } from '../../sim/invariants/types.ts';

const BIN = resolve('bin/giftlab.js');
const BASELINE = resolve('scenarios/baseline.yaml');
const SMALL = ['--set', 'population.viewers=5000', '--set', 'viewers.payerShare=0.2'];
const FILES = [
  'audience.csv',
  'cohorts.csv',
  'creators.csv',
  'gifts.csv',
  'kpis.csv',
  'packs.csv',
  'report.html',
  'scenario.yaml',
  'summary.json',
  'timeseries.csv',
  'viewers.csv',
];
const CSVS = FILES.filter((f) => f.endsWith('.csv'));

function giftlab(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? tmp(),
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const lines = r.stdout.trimEnd().split('\n');
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, last: lines[lines.length - 1] };
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'giftlab-run-'));
}

const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');

describe('giftlab run', () => {
  it('writes the run folder to runs/<scenario>-<seed>/ and prints the report path last', () => {
    const cwd = tmp();
    const r = giftlab(['run', BASELINE, ...SMALL, '--seed', '9'], { cwd });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const dir = join(cwd, 'runs', 'baseline-9');
    expect(r.last).toBe(join(dir, 'report.html'));
    expect(readdirSync(dir).sort()).toEqual(FILES);
    const summary = JSON.parse(read(dir, 'summary.json'));
    expect(summary).toMatchObject({ scenario: 'baseline', seed: 9, replications: 1 });
    // What the run changed from the file, in order (--seed is one), in summary.json and atop the report.
    expect(summary.overrides).toEqual(['population.viewers=5000', 'viewers.payerShare=0.2', 'seed=9']);
    expect(read(dir, 'report.html')).toContain(
      'Changed from the file for this run (<code>--set</code>): <code>population.viewers=5000</code>, <code>viewers.payerShare=0.2</code>, <code>seed=9</code>.',
    );
    expect(summary.events).toBeGreaterThan(0);
    expect(summary.wallSeconds).toBeGreaterThan(0);
    expect(typeof summary.kpis.grossBookingsCents).toBe('number');
    expect(summary.kpis.viewers).toBe(5000);
    expect(summary.invariants).toMatchObject({ checked: LEDGER_STATE_INVARIANTS, violations: [] });
    expect(read(dir, 'kpis.csv').split('\n')[0]).toMatch(/^replication,events,grossBookingsCents,/);
    expect(read(dir, 'timeseries.csv').split('\n')[0]).toContain('bookingsCents_app,bookingsCents_web');
    expect(read(dir, 'report.html')).toMatch(/^<!doctype html>/i);
  });

  it('scenario.yaml is the scenario as run: running it again gives the same numbers', () => {
    const cwd = tmp();
    const first = join(cwd, 'first');
    expect(
      giftlab(['run', BASELINE, ...SMALL, '--seed', '9', '--replications', '2', '--out', first], { cwd })
        .code,
    ).toBe(0);
    const yaml = read(first, 'scenario.yaml');
    // Every --set is in its values (and named atop it); its header says how to run it again.
    expect(yaml).toContain('--set population.viewers=5000 --set viewers.payerShare=0.2 --set seed=9');
    expect(yaml).toContain('giftlab run scenario.yaml --replications 2 --out <a new folder> runs it again');
    expect(yaml).toMatch(/^seed: 9$/m);
    const again = join(cwd, 'again');
    expect(
      giftlab(['run', join(first, 'scenario.yaml'), '--replications', '2', '--out', again], { cwd }).code,
    ).toBe(0);
    expect(read(again, 'kpis.csv')).toBe(read(first, 'kpis.csv'));
    expect(read(again, 'timeseries.csv')).toBe(read(first, 'timeseries.csv'));
  });

  it("prints the simulation's time as summary.json's wallSeconds, and the outputs' time apart", () => {
    const out = join(tmp(), 'timed');
    const r = giftlab(['run', BASELINE, ...SMALL, '--out', out]);
    expect(r.code).toBe(0);
    const m = /events simulated in (\d+\.\d\d) s, outputs written in (\d+\.\d\d) s/.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    const wallSeconds = JSON.parse(read(out, 'summary.json')).wallSeconds as number;
    expect(m?.[1]).toBe(wallSeconds.toFixed(2));
  });

  it('gives byte-identical CSVs with 1 and 2 workers; KPIs carry a mean and a 95 % CI', () => {
    const one = join(tmp(), 'one');
    const two = join(tmp(), 'two');
    const args = ['run', BASELINE, ...SMALL, '--replications', '3', '--quiet'];
    const a = giftlab([...args, '--workers', '1', '--out', one]);
    const b = giftlab([...args, '--workers', '2', '--out', two]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(a.stdout).toBe(`${join(one, 'report.html')}\n`);
    for (const f of CSVS) expect(read(two, f), f).toBe(read(one, f));
    const kpi = JSON.parse(read(one, 'summary.json')).kpis.grossBookingsCents;
    expect(kpi.ci95[0]).toBeLessThanOrEqual(kpi.mean);
    expect(kpi.ci95[1]).toBeGreaterThanOrEqual(kpi.mean);
    expect(
      read(one, 'kpis.csv')
        .split('\n')
        .map((l) => l.split(',')[0]),
    ).toEqual(['replication', '0', '1', '2', 'mean', 'ci95Low', 'ci95High', 'sd', '']);
  });

  it('rejects a bad scenario with exit 2, naming the field, and writes nothing', () => {
    const parent = tmp();
    const out = join(parent, 'out');
    const r = giftlab([
      'run',
      BASELINE,
      '--set',
      'payout.creatorShare=1.7',
      '--set',
      'viewers.liveShare=x',
      '--out',
      out,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'payout.creatorShare (from --set payout.creatorShare=1.7): expected <= 1, found 1.7',
    );
    expect(r.stderr).toContain('viewers.liveShare');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(readdirSync(parent)).toEqual([]);
    expect(r.stdout).toBe('');
  });

  it('Ctrl-C: exit 130 saying nothing of the run was written, and no folder (not even a staging one)', async () => {
    const cwd = tmp();
    // Far more replications than the wait lets it finish (a pipe shows no progress bar to wait on).
    const child = spawn(
      process.execPath,
      [BIN, 'run', BASELINE, '--replications', '500', '--out', 'runs/x'],
      {
        cwd,
      },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    await new Promise((done) => setTimeout(done, 3000));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
    expect(code).toBe(130);
    expect(stderr).toContain('giftlab run: interrupted (Ctrl-C); its folder is written only when it ends');
    expect(existsSync(join(cwd, 'runs')) ? readdirSync(join(cwd, 'runs')) : []).toEqual([]);
  });

  it('rejects bad flags and missing files with exit 2', () => {
    const cwd = tmp();
    expect(giftlab(['run', BASELINE, '--replications', '0'], { cwd }).stderr).toMatch(/--replications/);
    const check = giftlab(['run', BASELINE, '--check', 'sometimes'], { cwd });
    expect(check.code).toBe(2);
    expect(check.stderr).toContain('--check: expected end or all, found "sometimes"');
    const rows = giftlab(['run', BASELINE, '--set', 'duration=300d', '--set', 'intervalSeconds=60'], { cwd });
    expect(rows.code).toBe(2);
    expect(rows.stderr).toMatch(/intervalSeconds: expected at most 100000 timeseries rows/);
    const missing = giftlab(['run', 'no-such.yaml'], { cwd });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no-such\.yaml: no such file/);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('checks every entry with --check all', () => {
    const out = join(tmp(), 'all');
    const r = giftlab(['run', BASELINE, ...SMALL, '--check', 'all', '--out', out]);
    expect(r.code).toBe(0);
    expect(JSON.parse(read(out, 'summary.json')).invariants).toMatchObject({
      mode: 'all',
      checked: checkableWith(new Set(['economy'])),
      violationCount: 0,
    });
  });

  it('exits 3 and lists the violations when the engine is broken', () => {
    const out = join(tmp(), 'broken');
    const r = giftlab(['run', BASELINE, ...SMALL, '--out', out], { env: { GIFTLAB_SIM_FAULT: 'overdraw' } });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/invariant violation/);
    expect(r.stderr).toMatch(/invariant 2: viewer:\d+ holds -\d+ coins/);
    expect(r.last).toBe(join(out, 'report.html'));
    expect(JSON.parse(read(out, 'summary.json')).invariants.violationCount).toBeGreaterThan(0);
  });

  it('replaces an earlier run folder whole, leaving no staging folders behind', () => {
    const parent = tmp();
    const out = join(parent, 'again');
    expect(giftlab(['run', BASELINE, ...SMALL, '--quiet', '--out', out]).code).toBe(0);
    expect(giftlab(['run', BASELINE, ...SMALL, '--quiet', '--seed', '5', '--out', out]).code).toBe(0);
    expect(readdirSync(parent)).toEqual(['again']);
    expect(JSON.parse(read(out, 'summary.json')).seed).toBe(5);
    expect(existsSync(join(out, 'viewers.csv'))).toBe(true);
  });
});
