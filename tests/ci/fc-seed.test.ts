/**
 * The README's promise for property tests: a failure prints its seed and path, and
 * `FC_SEED=<seed> npx vitest run <file>` fails again with the same counterexample (through
 * tests/setup.ts, for fc.assert and @fast-check/vitest's test.prop alike); a property's own numRuns
 * wins over FC_RUNS; each failure ends on the line that replays it. Runs vitest on a scratch file, with this project's setup file, in a child process.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'giftlab-fc-seed-'));
symlinkSync(resolve('node_modules'), join(dir, 'node_modules'), 'dir');
writeFileSync(
  join(dir, 'vitest.config.mjs'),
  `export default { test: { include: ['*.test.mjs'], setupFiles: [${JSON.stringify(resolve('tests/setup.ts'))}] } };\n`,
);
// Fails for about one draw in 50: the seed, not luck, has to bring the counterexample back.
const RARE = '(a, b) => !(a % 7 === 3 && b % 7 === 5)';
writeFileSync(
  join(dir, 'rare.test.mjs'),
  `import fc from 'fast-check';
import { test } from '@fast-check/vitest';
import { it } from 'vitest';
const holds = ${RARE};
const ints = [fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 })];
it('assert', () => fc.assert(fc.property(...ints, holds), { numRuns: 1000 }));
test.prop(ints, { numRuns: 1000 })('prop', (a, b) => { if (!holds(a, b)) throw new Error('broken'); });
`,
);

// Fails for about one draw in 900: with FC_SEED=4 first at the 539th run, past the default 100 runs.
const deep = mkdtempSync(join(tmpdir(), 'giftlab-fc-runs-'));
symlinkSync(resolve('node_modules'), join(deep, 'node_modules'), 'dir');
writeFileSync(
  join(deep, 'vitest.config.mjs'),
  `export default { test: { include: ['*.test.mjs'], setupFiles: [${JSON.stringify(resolve('tests/setup.ts'))}] } };\n`,
);
writeFileSync(
  join(deep, 'deep.test.mjs'),
  `import fc from 'fast-check';
import { it } from 'vitest';
const ints = [fc.integer({ min: 0, max: 1000000 }), fc.integer({ min: 0, max: 1000000 })];
it('deep', () => fc.assert(fc.property(...ints, (a, b) => !(a % 31 === 7 && b % 29 === 11))));
`,
);

function vitest(env: Record<string, string> = {}, root = dir): string {
  const r = spawnSync(process.execPath, [resolve('node_modules/vitest/vitest.mjs'), 'run', '--root', root], {
    env: { ...process.env, ...env, NO_COLOR: '1', FORCE_COLOR: '0' },
    encoding: 'utf8',
  });
  return r.stdout + r.stderr;
}

function failures(out: string): { seed: string; path: string; counterexample: string; rerun: string }[] {
  return [
    ...out.matchAll(
      /\{ seed: (-?\d+), path: "([\d:]+)"[^}]*\}\nCounterexample: (.*)[\s\S]*?\nrerun: (?:FC_RUNS=\d+ )?FC_SEED=(-?\d+) npx vitest run (\S+)/g,
    ),
  ].map((m) => ({
    seed: m[1],
    path: m[2],
    counterexample: m[3],
    rerun: `${m[4]} ${m[5].split('/').pop()}`,
  }));
}

describe('FC_SEED', () => {
  it('a failure prints seed and path; FC_SEED brings back the same counterexample for both kinds', () => {
    const first = failures(vitest());
    expect(first).toHaveLength(2);
    const again = failures(vitest({ FC_SEED: first[0].seed }));
    expect(again).toHaveLength(2);
    expect(again.map((a) => a.seed)).toEqual([first[0].seed, first[0].seed]);
    expect(again[0]).toEqual(first[0]);
    // The line to copy names the seed that failed and the file it failed in.
    for (const f of first) expect(f.rerun).toBe(`${f.seed} rare.test.mjs`);
  }, 60_000);

  it("keeps the property's error as the cause; FC_VERBOSE=1 adds the failures met while shrinking", () => {
    const quiet = vitest();
    expect(quiet).toMatch(/Caused by: Error: broken/);
    expect(quiet).not.toMatch(/Encountered failures were/);
    expect(vitest({ FC_VERBOSE: '1' })).toMatch(/Encountered failures were/);
  }, 60_000);

  it('a failure a wider search (FC_RUNS) found is brought back by its rerun line, which keeps FC_RUNS', () => {
    const found = vitest({ FC_RUNS: '3000', FC_SEED: '4' }, deep);
    expect(found).toContain('Property failed after 539 tests');
    const line = found.match(/rerun: ((?:\w+=\S+ )+)npx vitest run \S*deep\.test\.mjs/);
    expect(line?.[1]).toBe('FC_RUNS=3000 FC_SEED=4 ');
    // As printed, it fails again at the same run; with the seed alone (100 runs) it would pass.
    const env = Object.fromEntries(
      (line?.[1] ?? '')
        .trim()
        .split(' ')
        .map((kv) => kv.split('=')),
    );
    expect(vitest(env, deep)).toContain('Property failed after 539 tests');
    expect(vitest({ FC_SEED: '4' }, deep)).toMatch(/1 passed/);
  }, 60_000);

  it("a property's own numRuns wins over FC_RUNS (FC_RUNS=1 leaves it 1000 runs)", () => {
    expect(failures(vitest({ FC_RUNS: '1' }))).toHaveLength(2);
  }, 60_000);
});
