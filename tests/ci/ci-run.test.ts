/**
 * `.ci/run` ends on exactly one plain line "N passed, N failed" and exits non-zero on any failure: when
 * tests fail, when a test file fails to run, when vitest exits 1 on an unhandled error with every test
 * passed, when it writes no report or half of one, and when `npm ci` fails. The real script runs with a
 * stand-in `npm` (and `chromium`, so it installs nothing) first on PATH: `npm ci` exits FAKE_CI_RC,
 * `npm test` copies FAKE_REPORT to vitest's --outputFile.json and exits FAKE_TEST_RC.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'giftlab-ci-run-'));
const bin = join(dir, 'bin');
mkdirSync(bin);
const NPM = `#!/usr/bin/env bash
if [ "$1" = ci ]; then echo "npm ci: stand-in" >&2; exit "\${FAKE_CI_RC:-0}"; fi
echo "npm test: stand-in" > "\${FAKE_LOG:-/dev/null}"
for a in "$@"; do case "$a" in --outputFile.json=*) out="\${a#--outputFile.json=}";; esac; done
if [ -n "\${FAKE_REPORT:-}" ]; then cp "$FAKE_REPORT" "$out"; fi
exit "\${FAKE_TEST_RC:-0}"
`;
for (const [name, text] of [
  ['npm', NPM],
  ['chromium', '#!/bin/sh\nexit 0\n'],
]) {
  const file = join(bin, name);
  writeFileSync(file, text);
  chmodSync(file, 0o755);
}

const root = resolve('.');
const file = (name: string) => join(root, 'tests', name);
const passing = { title: 'ok', status: 'passed', ancestorTitles: ['a'] };
const skipped = { title: 'draws', status: 'skipped', ancestorTitles: ['needs chromium'] };

function report(over: Record<string, unknown>, files: unknown[]): string {
  const path = join(dir, `report-${Math.abs(hash(JSON.stringify([over, files])))}.json`);
  writeFileSync(path, JSON.stringify({ numPassedTests: 0, numFailedTests: 0, ...over, testResults: files }));
  return path;
}

function hash(s: string): number {
  let h = 0;
  for (const c of s) h = (h * 31 + c.charCodeAt(0)) | 0;
  return h;
}

function ciRun(env: Record<string, string>): { code: number | null; lines: string[]; out: string } {
  const log = join(dir, 'npm-test.log');
  writeFileSync(log, '');
  const r = spawnSync('bash', [join(root, '.ci', 'run')], {
    env: { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH}`, FAKE_LOG: log, ...env },
    encoding: 'utf8',
  });
  const lines = r.stdout.trimEnd().split('\n');
  return { code: r.status, lines, out: r.stdout + r.stderr };
}

/** Exactly one summary line, and it is the last. */
function summaryOf(lines: string[]): string {
  const summaries = lines.filter((l) => /^\d+ passed, \d+ failed$/.test(l));
  expect(summaries, lines.join('\n')).toHaveLength(1);
  expect(lines.at(-1)).toBe(summaries[0]);
  return summaries[0];
}

describe('.ci/run', () => {
  it('all passed: exit 0, the skipped tests named, then "N passed, 0 failed"', () => {
    const r = ciRun({
      FAKE_REPORT: report({ numPassedTests: 1 }, [
        { name: file('a.test.ts'), status: 'passed', message: '', assertionResults: [passing, skipped] },
      ]),
    });
    expect(r.code, r.out).toBe(0);
    expect(summaryOf(r.lines)).toBe('1 passed, 0 failed');
    expect(r.lines).toContain('skipped 1: tests/a.test.ts: needs chromium (e.g. "draws")');
  });

  it('a failed test: exit 1, "N passed, 1 failed"', () => {
    const r = ciRun({
      FAKE_TEST_RC: '1',
      FAKE_REPORT: report({ numPassedTests: 1, numFailedTests: 1 }, [
        {
          name: file('a.test.ts'),
          status: 'failed',
          message: '',
          assertionResults: [passing, { title: 'bad', status: 'failed', ancestorTitles: [] }],
        },
      ]),
    });
    expect(r.code).toBe(1);
    expect(summaryOf(r.lines)).toBe('1 passed, 1 failed');
  });

  it('a test file that fails to run (vitest counts no test of it) counts as failed and is named', () => {
    const r = ciRun({
      FAKE_TEST_RC: '1',
      FAKE_REPORT: report({ numPassedTests: 1, numFailedTestSuites: 1 }, [
        {
          name: file('broken.test.ts'),
          status: 'failed',
          message: "Cannot find module './gone.ts'\n    at …",
          assertionResults: [],
        },
        { name: file('a.test.ts'), status: 'passed', message: '', assertionResults: [passing] },
      ]),
    });
    expect(r.code).toBe(1);
    expect(summaryOf(r.lines)).toBe('1 passed, 1 failed');
    expect(r.out).toContain("ci: tests/broken.test.ts failed to run: Cannot find module './gone.ts'");
  });

  it('vitest exits 1 on an unhandled error with every test passed: not "0 failed"', () => {
    const r = ciRun({
      FAKE_TEST_RC: '1',
      FAKE_REPORT: report({ numPassedTests: 3, success: true }, [
        { name: file('a.test.ts'), status: 'passed', message: '', assertionResults: [passing] },
      ]),
    });
    expect(r.code).toBe(1);
    expect(summaryOf(r.lines)).toBe('3 passed, 1 failed');
    expect(r.out).toContain('ci: npm test exited 1 with no failed test');
  });

  it("no report (typecheck or lint failed first, or vitest was killed): the step's exit code", () => {
    const r = ciRun({ FAKE_TEST_RC: '2' });
    expect(r.code).toBe(2);
    expect(summaryOf(r.lines)).toBe('0 passed, 1 failed');
    expect(r.out).toContain('ci: vitest wrote no report (npm test exited 2)');
  });

  it('no report although npm test exited 0: still a failure', () => {
    const r = ciRun({ FAKE_TEST_RC: '0' });
    expect(r.code).toBe(1);
    expect(summaryOf(r.lines)).toBe('0 passed, 1 failed');
  });

  it('half a report (vitest died writing it): one summary line, not a node stack', () => {
    const half = join(dir, 'half.json');
    writeFileSync(half, '{"numPassedTests": 3, "testRes');
    const r = ciRun({ FAKE_TEST_RC: '1', FAKE_REPORT: half });
    expect(r.code).toBe(1);
    expect(summaryOf(r.lines)).toBe('0 passed, 1 failed');
    expect(r.out).toContain("ci: vitest's report is not valid JSON");
  });

  it('npm ci fails: its exit code, one summary line, and no test run', () => {
    const log = join(dir, 'npm-test.log');
    const r = ciRun({ FAKE_CI_RC: '7' });
    expect(r.code).toBe(7);
    expect(summaryOf(r.lines)).toBe('0 passed, 1 failed');
    expect(r.out).toContain('ci: npm ci failed (exit 7); no test ran');
    expect(readFileSync(log, 'utf8')).toBe('');
  });
});
