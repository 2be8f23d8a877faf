/**
 * Writes a folder all at once or not at all: files go to a temporary sibling, which then replaces the
 * target in one rename (the old folder moves aside first and is removed after). A reader that sees the
 * folder sees all of it — which is what lets a merge step on a shared volume trust any shard folder it
 * finds. Same approach as reports/csv/run-folder.ts.
 */
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError, shown } from '../../input-error.ts';

/** Fails early, before any simulation, if `dir` cannot become an output folder. */
export function checkFolderTarget(dir: string, flag: string): void {
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw new InputError({
      field: flag,
      expected: 'a folder (or a path to create one)',
      found: `${shown(dir)}, a file`,
    });
  }
}

export async function writeFolderAtomically(
  dir: string,
  write: (staging: string) => Promise<void> | void,
): Promise<void> {
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  const staging = mkdtempSync(join(parent, `.${basename(dir)}.partial-`));
  try {
    await write(staging);
    if (existsSync(dir)) {
      const old = `${staging}.old`;
      renameSync(dir, old);
      renameSync(staging, dir);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(staging, dir);
    }
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}
