/** cli/output-path.ts: an output file or folder is checked before the work, and refusals name the flag. */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writableOutputFile, writableOutputFolder } from '../../cli/output-path.ts';

const dir = mkdtempSync(join(tmpdir(), 'giftlab-output-path-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, 'folder'));
writeFileSync(join(dir, 'file.txt'), 'x\n');

describe('writableOutputFile', () => {
  it('accepts a new file (missing parents too) or an existing one, as an absolute path; creates nothing', () => {
    expect(writableOutputFile('--junit', 'new/deeper/audit.xml', dir)).toBe(
      join(dir, 'new/deeper/audit.xml'),
    );
    expect(writableOutputFile('--junit', 'file.txt', dir)).toBe(join(dir, 'file.txt'));
    expect(existsSync(join(dir, 'new'))).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['file.txt', 'folder']);
  });

  it.each([
    ['folder', /^--junit: expected a file to write, found folder: a folder$/],
    [
      'file.txt/audit.xml',
      /^--junit: expected a file to write, found file\.txt\/audit\.xml: .*file\.txt is not a folder$/,
    ],
  ])('refuses %s', (given, message) => {
    expect(() => writableOutputFile('--junit', given, dir)).toThrow(message);
  });

  it.skipIf(!existsSync('/proc/self'))('refuses a place nobody may create files in', () => {
    expect(() => writableOutputFile('--out', '/proc/plan.json', dir)).toThrow(
      /^--out: expected a file to write, found \/proc\/plan\.json: cannot write in \/proc/,
    );
  });
});

describe('writableOutputFolder', () => {
  it('accepts an existing folder or a new one', () => {
    expect(writableOutputFolder('--out', 'folder', dir)).toBe(join(dir, 'folder'));
    expect(writableOutputFolder('--out', 'runs/load/x', dir)).toBe(join(dir, 'runs/load/x'));
    expect(existsSync(join(dir, 'runs'))).toBe(false);
  });

  it('refuses a file, or a path through one', () => {
    expect(() => writableOutputFolder('--out', 'file.txt', dir)).toThrow(
      /^--out: expected a folder to write into, found file\.txt: a file$/,
    );
    expect(() => writableOutputFolder('--emit-k8s', 'file.txt/k8s', dir)).toThrow(
      /^--emit-k8s: .*is not a folder$/,
    );
  });
});
