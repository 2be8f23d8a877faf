/** Every bound lives in common/limits.ts: a new local `*_MAX` constant elsewhere fails here. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  limits,
  loadLimits,
  modelLimits,
  oplogLimits,
  reportLimits,
  targetLimits,
} from '../../common/limits.ts';

/** Constants named like limits that are not bounds, each with the reason. */
const NOT_LIMITS: Record<string, string> = {
  'sim/engine/simulation.ts TIME_MAX': "Uint32 columns' 'never' sentinel, not a bound anyone tunes",
  'reports/html/theme.ts SECTION_WIDTH_MAX': 'a page width in pixels',
  'sim/model/diurnal.ts FACTOR_MIN': 'a numerical floor that keeps an inverse defined',
};

const LOCAL_LIMIT = /^(?:export )?const ([A-Z][A-Z0-9_]*_(?:MAX|MIN))\b/gm;

function localLimits(): string[] {
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '*.ts'], { encoding: 'utf8' })
    .split('\n')
    // k6 scripts import nothing outside load/k6 (k6 is not Node); tests and benches size their cases.
    .filter((f) => f !== '' && !/^(tests|bench|load\/k6)\//.test(f) && f !== 'common/limits.ts');
  return files.flatMap((f) =>
    [...readFileSync(f, 'utf8').matchAll(LOCAL_LIMIT)]
      .map((m) => `${f} ${m[1]}`)
      .filter((name) => NOT_LIMITS[name] === undefined),
  );
}

describe('limits in one place', () => {
  it('no module keeps a bound of its own (move it into a table of common/limits.ts)', () => {
    expect(localLimits()).toEqual([]);
  });

  it('finds a local bound when there is one', () => {
    expect(
      [...'const PAGE_MAX = 5;\nexport const RATE_MIN = 1;'.matchAll(LOCAL_LIMIT)].map((m) => m[1]),
    ).toEqual(['PAGE_MAX', 'RATE_MIN']);
  });

  it('every limit is a positive number', () => {
    for (const table of [limits, modelLimits, oplogLimits, targetLimits, loadLimits, reportLimits]) {
      for (const [name, value] of Object.entries(table)) expect(value, name).toBeGreaterThan(0);
    }
  });
});
