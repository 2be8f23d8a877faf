/** load/README.md cannot fall behind the code: every error code and every fault mode is documented. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, ERRORS } from '../../load/target/errors.ts';
import { FAULT_INFO, FAULTS } from '../../load/target/faults.ts';

const readme = readFileSync(new URL('../../load/README.md', import.meta.url), 'utf8');

describe('load/README.md', () => {
  it('lists every error code with its status', () => {
    for (const code of ERROR_CODES) expect(readme).toContain(`| \`${code}\` | ${ERRORS[code].status} |`);
  });

  it('lists every fault mode with the invariant that catches it', () => {
    for (const fault of FAULTS)
      expect(readme).toMatch(new RegExp(`\\| \`${fault}\` \\|[^\\n]*\\| ${FAULT_INFO[fault].caughtBy}[: ]`));
  });
});
