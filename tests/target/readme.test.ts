/** load/README.md cannot fall behind the code: every error code and every fault mode is documented. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROFILES } from '../../load/k6/lib/profiles.ts';
import { ERROR_CODES, ERRORS } from '../../load/target/errors.ts';
import { FAULT_TABLE, FAULTS } from '../../load/target/faults.ts';

const readme = readFileSync(new URL('../../load/README.md', import.meta.url), 'utf8');

describe('load/README.md', () => {
  it('lists every error code with its status', () => {
    for (const code of ERROR_CODES) expect(readme).toContain(`| \`${code}\` | ${ERRORS[code].status} |`);
  });

  it('has the fault matrix of the fault table, row for row: profile × fault → the invariants that catch it', () => {
    const at = readme.indexOf('| fault | the bug |');
    expect(at).toBeGreaterThanOrEqual(0);
    const lines = readme.slice(at).split('\n');
    const header = lines[0]
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    expect(header).toEqual(['fault', 'the bug', ...PROFILES.map((p) => `\`${p}\``)]);
    const rows = lines.slice(2, 2 + FAULTS.length).map((l) =>
      l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    );
    expect(rows).toEqual(
      FAULTS.map((fault) => {
        const f = FAULT_TABLE[fault];
        const cell = f.invariants.join(', ');
        return [`\`${fault}\``, f.breaks, ...PROFILES.map((p) => (f.profiles.includes(p) ? cell : '—'))];
      }),
    );
  });
});
