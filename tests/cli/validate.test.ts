/**
 * `giftlab validate` prints a file that reads back the same: the population as the scenario gave it
 * (derived creators written out would stop them growing with viewers) with what it resolves to in a
 * comment, and the counts on stderr.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { loadScenarioFile } from '../../scenarios/load.ts';
import { captureIo } from '../support/io.ts';

async function validate(args: string[]) {
  const c = captureIo();
  const code = await main(['validate', ...args], c.io);
  return { code, out: c.out(), err: c.err() };
}

describe('giftlab validate and the population', () => {
  it('prints what the counts resolve to, and a file that still grows creators with viewers', async () => {
    const r = await validate(['scenarios/baseline.yaml', '--set', 'population.viewers=1000000']);
    expect(r.code).toBe(0);
    expect(r.err).toContain(
      'valid (1,000,000 viewers, 10,000 creators (viewers ÷ viewersPerCreator) in 10 markets of about 1,000 creators and 100,000 viewers)',
    );
    expect(r.out).toContain('population: # 1,000,000 viewers, 10,000 creators (viewers ÷ viewersPerCreator)');
    const population = r.out.slice(r.out.indexOf('population:'), r.out.indexOf('\nviewers:'));
    expect(population).not.toMatch(/^\s+creators:/m);
    const file = join(mkdtempSync(join(tmpdir(), 'giftlab-validate-')), 'printed.yaml');
    writeFileSync(file, r.out);
    const again = loadScenarioFile(file, { sets: ['population.viewers=2000000'] });
    expect(again.population).toMatchObject({ creators: 20_000, markets: 20 });
  });

  it('a fixed creator count is printed, and says viewersPerCreator is not used', async () => {
    const r = await validate(['scenarios/baseline.yaml', '--set', 'population.creators=70']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ {2}creators: 70$/m);
    expect(r.err).toContain('70 creators (fixed: viewersPerCreator not used) in one market');
  });
});
