import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('giftlab … | head', () => {
  it('stops quietly when its reader goes away, without a stack trace', async () => {
    const child = spawn(process.execPath, ['bin/giftlab.js', 'validate', 'scenarios/baseline.yaml'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => {
      err += String(d);
    });
    // Close the pipe before giftlab writes, as a `head` that has read enough would.
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(err).not.toMatch(/EPIPE|at .*\(node:/);
    expect(code).toBe(0);
  });
});
