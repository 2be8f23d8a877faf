/**
 * bin/giftlab.js runs the CLI from a cached esbuild bundle, tsx as the fallback: both must behave alike,
 * and files the sources find beside themselves (package.json, the baseline scenario) must still be found.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cachedBundle } from '../../common/bundle-cache.mjs';

const BIN = resolve('bin/giftlab.js');
const giftlab = (args: string[], env: Record<string, string> = {}) =>
  execFileSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });

describe('the CLI bundle', () => {
  it('answers as the TypeScript sources do', () => {
    const version = JSON.parse(readFileSync('package.json', 'utf8')).version;
    expect(giftlab(['--version']).trim()).toBe(version);
    const args = ['validate', 'scenarios/whales.yaml', '--set', 'population.viewers=1000'];
    expect(giftlab(args)).toBe(giftlab(args, { GIFTLAB_NO_BUNDLE: '1' }));
    expect(readdirSync('node_modules/.cache/giftlab').some((f) => /^cli-.*\.json$/.test(f))).toBe(true);
  });

  it('is built once and reused while the sources are unchanged', async () => {
    const what = { name: 'cli', entry: resolve('cli/main.ts'), options: { packages: 'external' } };
    const first = await cachedBundle(what);
    expect((await cachedBundle(what)).href).toBe(first.href);
    // Each module keeps its own import.meta.url: files beside a source are found from the bundle.
    const code = readFileSync(first, 'utf8');
    expect(code).not.toContain('import.meta.url');
    expect(code).toContain(JSON.stringify(new URL('../../cli/serve.ts', import.meta.url).href));
  });
});
