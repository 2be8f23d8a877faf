import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Runs bin/giftlab.js with one of its outputs closed before it writes, as a `head` that has read enough
 * would; returns its exit code and what it wrote to the other.
 */
async function withoutReader(
  args: string[],
  closed: 'stdout' | 'stderr',
): Promise<{ code: number | null; other: string }> {
  const child = spawn(process.execPath, ['bin/giftlab.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let other = '';
  (closed === 'stdout' ? child.stderr : child.stdout).on('data', (d) => {
    other += String(d);
  });
  child[closed].destroy();
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, other };
}

describe('giftlab … | head', () => {
  it('goes on quietly when its reader goes away, without a stack trace', async () => {
    const { code, other } = await withoutReader(['validate', 'scenarios/baseline.yaml'], 'stdout');
    expect(other).not.toMatch(/EPIPE|at .*\(node:/);
    expect(code).toBe(0);
  });

  it('runs to its end and exits with its own code: a failed threshold is not reported green', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'giftlab-epipe-')), 'run');
    // The elasticity's warning is written first thing, to the stderr nobody reads any more.
    const small = ['--set', 'population.viewers=500', '--set', 'duration=2h', '--set', 'thresholds=[]'];
    const warned = ['--set', 'demand.conversionElasticity=1'];
    const args = [
      'run',
      'scenarios/baseline.yaml',
      ...small,
      ...warned,
      '--threshold',
      'grossBookingsCents<0',
    ];
    const { code, other } = await withoutReader([...args, '--out', out], 'stderr');
    expect(code).toBe(99);
    // The outputs are whole: the report is the last file a run writes, and its path is said.
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    expect(other).toContain('report.html');
  }, 60_000);
});
