/**
 * Writes a folder all at once or not at all: files go to a temporary sibling, which then replaces the
 * target in one rename (the old folder moves aside first and is removed after). A reader that sees the
 * folder sees all of it — which is what lets a merge step on a shared volume trust any shard folder it
 * finds. run.ts, sweep and shard folders all go through here.
 *
 * Only giftlab's own output is ever replaced: an existing folder holding any name the caller did not
 * list as its own (a user's notes, a scenario, a subfolder) is refused with an InputError and left
 * as it was. The CLI checks the same, and more (cwd, scenario, kind), before any simulation:
 * cli/out-folder.ts. Folders are created with mode 0o755 (less the umask), not mkdtemp's 0o700, so
 * that teammates and CI artifact uploaders can read them.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError, shown } from '../../common/input-error.ts';

/** Mode of every output folder (the umask still applies). */
export const OUTPUT_DIR_MODE = 0o755;

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

/** The entries of `dir` that are not in `own`, sorted; folders end in "/". */
export function foreignEntries(dir: string, own: readonly string[]): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => !(e.isFile() && own.includes(e.name)))
    .map((e) => (e.isDirectory() ? `${e.name}/` : e.name))
    .sort();
}

/**
 * Writes `dir` through a staging sibling. `own` lists the file names this kind of folder may hold: an
 * existing `dir` holding anything else is not replaced (InputError, nothing touched).
 */
export async function writeFolderAtomically(
  dir: string,
  own: readonly string[],
  write: (staging: string) => Promise<void> | void,
): Promise<void> {
  refuseForeign(dir, own);
  const parent = dirname(dir);
  const staging = join(parent, `.${basename(dir)}.partial-${randomBytes(6).toString('hex')}`);
  try {
    mkdirSync(parent, { recursive: true, mode: OUTPUT_DIR_MODE });
    mkdirSync(staging, { mode: OUTPUT_DIR_MODE });
  } catch (error) {
    // Checked before the run (cli/out-folder.ts); this is the disk changing under us: bad input still.
    throw new InputError({
      field: dir,
      expected: 'a folder giftlab can create',
      found: `${(error as NodeJS.ErrnoException).code ?? 'an error'} creating ${staging}`,
    });
  }
  try {
    await write(staging);
    if (existsSync(dir)) {
      refuseForeign(dir, own);
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

function refuseForeign(dir: string, own: readonly string[]): void {
  if (!existsSync(dir)) return;
  checkFolderTarget(dir, dir);
  const foreign = foreignEntries(dir, own);
  if (foreign.length === 0) return;
  throw new InputError({
    field: dir,
    expected: 'a new folder or an earlier giftlab output folder to replace',
    found: `a folder holding ${listed(foreign)} (not written by giftlab)`,
  });
}

/** `a, b, c` or `a, b, c, … (12 in all)`. */
export function listed(names: readonly string[], max = 5): string {
  const head = names.slice(0, max).join(', ');
  return names.length > max ? `${head}, … (${names.length} in all)` : head;
}
