/**
 * README.md and ARCHITECTURE.md each number the invariants in a list; the table is
 * sim/invariants/types.ts. A row added to the table (or a list item dropped) fails here, naming the file.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INVARIANT_IDS } from '../../sim/invariants/types.ts';

/** The numbers of the list that follows the first line matching `heading`, up to its first blank line after an item. */
function listedNumbers(file: string, heading: RegExp): number[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const start = lines.findIndex((l) => heading.test(l));
  expect(start, `${file}: no line matching ${heading}`).toBeGreaterThanOrEqual(0);
  const numbers: number[] = [];
  for (const line of lines.slice(start + 1)) {
    const item = /^(\d+)\. /.exec(line);
    if (item !== null) numbers.push(Number(item[1]));
    else if (line.trim() === '' && numbers.length > 0) break;
  }
  return numbers;
}

describe('the invariants as the docs number them', () => {
  it('README.md lists every row of the table, in order', () => {
    expect(listedNumbers('README.md', /^## The invariants$/)).toEqual([...INVARIANT_IDS]);
  });

  it('ARCHITECTURE.md lists every row of the table, in order', () => {
    expect(listedNumbers('ARCHITECTURE.md', /^\*\*Invariants\*\*/)).toEqual([...INVARIANT_IDS]);
  });
});
