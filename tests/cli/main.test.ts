import { describe, expect, it } from 'vitest';
import { EXIT } from '../../cli/errors.ts';
import { main } from '../../cli/main.ts';
import { captureIo } from '../support/io.ts';

const capture = () => captureIo();

describe('giftlab entry point', () => {
  it('prints help listing the exit codes and exits 0', async () => {
    const c = capture();
    expect(await main(['--help'], c.io)).toBe(0);
    expect(c.out()).toContain('Usage: giftlab');
    expect(c.out()).toContain('Exit codes');
    // Every code the CLI can exit with, 130 (an interrupted replay) included.
    for (const code of Object.values(EXIT)) expect(c.out()).toMatch(new RegExp(`\\b${code} [a-z]`));
  });

  it('rejects an unknown flag with one line and exit 2', async () => {
    const c = capture();
    expect(await main(['--no-such-flag'], c.io)).toBe(2);
    expect(c.err().trim().split('\n')).toHaveLength(1);
    expect(c.err()).toMatch(/unknown option '--no-such-flag'/);
  });

  it('prints the package version', async () => {
    const c = capture();
    expect(await main(['--version'], c.io)).toBe(0);
    expect(c.out().trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
