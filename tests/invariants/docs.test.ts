/**
 * README.md and ARCHITECTURE.md each number the invariants in a list; the table is
 * sim/invariants/types.ts. A row added to the table (or a list item dropped) fails here, naming the file.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PURCHASE_FEES } from '../../sim/economy/rules.ts';
import { INVARIANT_IDS } from '../../sim/invariants/types.ts';

/** The items of the list that follows the first line matching `heading` (number → its text), up to its first blank line after an item. */
function listed(file: string, heading: RegExp): Map<number, string> {
  const lines = readFileSync(file, 'utf8').split('\n');
  const start = lines.findIndex((l) => heading.test(l));
  expect(start, `${file}: no line matching ${heading}`).toBeGreaterThanOrEqual(0);
  const items = new Map<number, string>();
  let last = -1;
  for (const line of lines.slice(start + 1)) {
    const item = /^(\d+)\. (.*)/.exec(line);
    if (item !== null) {
      last = Number(item[1]);
      items.set(last, item[2]);
    } else if (line.trim() === '' && items.size > 0) break;
    else if (last >= 0) items.set(last, `${items.get(last)} ${line.trim()}`);
  }
  return items;
}

function listedNumbers(file: string, heading: RegExp): number[] {
  return [...listed(file, heading).keys()];
}

const LISTS: [string, RegExp][] = [
  ['README.md', /^## The invariants$/],
  ['ARCHITECTURE.md', /^\*\*Invariants\*\*/],
];

describe('the invariants as the docs number them', () => {
  it('README.md lists every row of the table, in order', () => {
    expect(listedNumbers('README.md', /^## The invariants$/)).toEqual([...INVARIANT_IDS]);
  });

  it('ARCHITECTURE.md lists every row of the table, in order', () => {
    expect(listedNumbers('ARCHITECTURE.md', /^\*\*Invariants\*\*/)).toEqual([...INVARIANT_IDS]);
  });

  // The table's text of 5 is built from the fee table; the docs write it out, so a new fee kind must
  // reach them too (the fee-kind list in ARCHITECTURE.md names them).
  it.each(LISTS)('%s: invariant 5 names every purchase fee of the fee table', (file, heading) => {
    const five = listed(file, heading).get(5) ?? '';
    for (const fee of PURCHASE_FEES) expect(five, `${file}, invariant 5`).toContain(fee.plural);
  });
});
