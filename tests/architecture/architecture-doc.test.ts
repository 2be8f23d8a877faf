/**
 * ARCHITECTURE.md stays true: every repository path it names in backticks exists. Other work moves and
 * adds files; when this fails, the message names the line of ARCHITECTURE.md to fix. The engineers'
 * guides beside the code (load/README.md, bench/README.md) are held to the same rule: load/README.md
 * named `experiments/oplog/limits.ts` for bounds that live in `common/limits.ts`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Backticked paths: a room folder, then path segments (`sim/ledger/journal.ts`, `load/plan/`). */
const PATH =
  /`((?:common|sim|scenarios|experiments|reports|load|cli|bin|tests|bench|examples)\/[A-Za-z0-9_./-]*|[A-Za-z-]+\.(?:md|json))`/g;

function namedPaths(text: string): { path: string; line: number }[] {
  return text
    .split('\n')
    .flatMap((content, i) => [...content.matchAll(PATH)].map((m) => ({ path: m[1], line: i + 1 })));
}

/** Repository paths an engineer's guide names in backticks that do not exist, with their lines. */
function missingPaths(doc: string): string[] {
  return namedPaths(readFileSync(doc, 'utf8'))
    .filter(({ path }) => !path.includes('<') && !existsSync(path))
    .map(({ path, line }) => `${doc} line ${line} names ${path}, which does not exist`);
}

describe.each([
  ['load/README.md', 25],
  ['bench/README.md', 3],
])('%s', (doc, least) => {
  it('names repository files that exist', () => {
    expect(namedPaths(readFileSync(doc, 'utf8')).length).toBeGreaterThanOrEqual(least);
    expect(missingPaths(doc)).toEqual([]);
  });
});

describe('ARCHITECTURE.md', () => {
  const text = readFileSync('ARCHITECTURE.md', 'utf8');
  const named = namedPaths(text);

  it('names the files it lists, and they exist', () => {
    expect(named.length).toBeGreaterThan(60);
    const missing = named
      .filter(({ path }) => !path.includes('<') && !existsSync(path))
      .map(
        ({ path, line }) =>
          `ARCHITECTURE.md line ${line} names ${path}, which does not exist: if you moved, renamed or removed it, update that line (and its list) to say where the thing lives now`,
      );
    expect(missing).toEqual([]);
  });

  it('the gift-context recipe names every module that keeps a list of the contexts', () => {
    // It left out load/k6/lib/tags.ts, whose GIFT_CONTEXT_TAGS a third context must join.
    const recipe = text.slice(text.indexOf('**A gift context**'), text.indexOf('**An invariant**'));
    expect(recipe.length).toBeGreaterThan(200);
    const holders = ['load', 'sim'].flatMap((room) =>
      readdirSync(room, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.ts'))
        .map((f) => join(room, f))
        .filter((f) => /export const GIFT_CONTEXT_[A-Z_]+ = \[/.test(readFileSync(f, 'utf8'))),
    );
    // One list: the target's GIFT_CONTEXT_KINDS reads k6's (load/target/book.ts).
    expect(holders).toEqual(['load/k6/lib/tags.ts']);
    for (const file of holders)
      expect(recipe, `the gift-context recipe does not name ${file}`).toContain(`\`${file}\``);
  });

  it('every room of the layering check has its row', () => {
    const rooms = readFileSync('tests/architecture/layers.ts', 'utf8').matchAll(/room: '([a-z]+)'/g);
    for (const [, room] of rooms)
      expect(text, `ARCHITECTURE.md has no row for ${room}/`).toContain(`| \`${room}/\` |`);
  });

  it('would catch a path that is gone', () => {
    const found = namedPaths('see `sim/ledger/nowhere.ts` and `cli/commands.ts`');
    expect(found.map((f) => f.path)).toEqual(['sim/ledger/nowhere.ts', 'cli/commands.ts']);
    expect(existsSync(found[0].path)).toBe(false);
  });
});
