/**
 * Output flags never overwrite what giftlab did not write (a reviewer turned the scenario into plan
 * JSON, JUnit XML and a users file with bearer tokens, each with exit 0): a file flag replaces only a
 * file of its own kind, never the command's input nor a file in the folder it replaces; a folder flag
 * of compare and load follows run's --out rules.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OWN_FILES, writableOutputFile } from '../../cli/output-path.ts';
import { runGiftlab } from '../support/io.ts';

const dir = mkdtempSync(join(tmpdir(), 'giftlab-own-files-'));
const scenario = join(dir, 'mine.yaml');
copyFileSync('scenarios/baseline.yaml', scenario);
const original = readFileSync(scenario, 'utf8');

const giftlab = (args: string[]) => runGiftlab(args, dir);

describe('a file flag', () => {
  it('replaces a file of its own kind, refuses any other existing file, naming the flag', () => {
    writeFileSync(join(dir, 'old.xml'), '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites tests="1">');
    writeFileSync(join(dir, 'notes.xml'), 'my notes\n');
    expect(writableOutputFile('--junit', 'old.xml', dir, OWN_FILES.junit)).toBe(join(dir, 'old.xml'));
    expect(() => writableOutputFile('--junit', 'notes.xml', dir, OWN_FILES.junit)).toThrow(
      '--junit: expected a new file or an earlier JUnit report, found notes.xml, a file of another kind (giftlab overwrites an earlier JUnit report only)',
    );
    expect(() => writableOutputFile('--junit', '', dir, OWN_FILES.junit)).toThrow('found an empty path');
    // Without a kind (no ownership asked), any writable file as before.
    expect(writableOutputFile('--junit', 'notes.xml', dir)).toBe(join(dir, 'notes.xml'));
  });

  it('plan --out, run --junit and serve --users-file on the scenario: exit 2, the scenario intact', async () => {
    const plan = await giftlab(['plan', scenario, '--set', 'population.viewers=500', '--out', scenario]);
    expect(plan.code).toBe(2);
    expect(plan.err).toContain('--out: expected a new file or an earlier giftlab plan, found');
    const run = await giftlab([
      'run',
      scenario,
      '--set',
      'population.viewers=500',
      '--junit',
      scenario,
      '--quiet',
    ]);
    expect(run.code).toBe(2);
    const serve = await giftlab([
      'serve',
      '--scenario',
      scenario,
      '--port',
      '0',
      '--seed-users',
      '2',
      '--users-file',
      scenario,
    ]);
    expect(serve.code).toBe(2);
    expect(serve.err).toContain('--users-file');
    const db = await giftlab(['serve', '--scenario', scenario, '--port', '0', '--db', scenario]);
    expect(db.code).toBe(2);
    expect(db.err).toContain('--db: expected a new file or an earlier SQLite database');
    expect(readFileSync(scenario, 'utf8')).toBe(original);
  });

  it('run --junit inside the run’s own folder (which the run replaces): exit 2', async () => {
    const r = await giftlab([
      'run',
      scenario,
      '--set',
      'population.viewers=500',
      '--out',
      'runs/r',
      '--junit',
      'runs/r/summary.json',
      '--quiet',
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--junit: expected a file outside runs/r, which the command replaces');
  });

  it('plan --out over an earlier plan: replaced', async () => {
    const args = ['plan', scenario, '--set', 'population.viewers=500', '--out', 'plan.json'];
    expect((await giftlab(args)).code).toBe(0);
    expect((await giftlab(args)).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')).generator).toMatch(/^giftlab plan/);
  });
});

describe('compare --out', () => {
  it('refuses the working directory, a compared run and a folder of other files; takes a new or earlier one', async () => {
    for (const name of ['a', 'b'])
      expect(
        (
          await giftlab([
            'run',
            scenario,
            '--set',
            'population.viewers=500',
            '--out',
            `runs/${name}`,
            '--quiet',
          ])
        ).code,
      ).toBe(0);
    const compare = (out: string) => giftlab(['compare', 'runs/a', 'runs/b', '--out', out]);
    expect((await compare('.')).err).toContain('--out: expected a folder other than the working directory');
    const intoRun = await compare('runs/a');
    expect(intoRun.code).toBe(2);
    expect(intoRun.err).toContain('which holds a compared run');
    mkdirSync(join(dir, 'mine'));
    writeFileSync(join(dir, 'mine', 'compare.csv'), 'x\n');
    writeFileSync(join(dir, 'mine', 'todo.txt'), 'x\n');
    const foreign = await compare('mine');
    expect(foreign.code).toBe(2);
    expect(foreign.err).toContain('todo.txt (not files of a giftlab compare folder)');
    expect(readFileSync(join(dir, 'mine', 'compare.csv'), 'utf8')).toBe('x\n');
    expect((await compare('runs/cmp')).code).toBe(0);
    expect((await compare('runs/cmp')).code).toBe(0);
  });
});
