/**
 * A load run's id (load/k6/lib/run-id.ts): what `giftlab load` makes is what k6's setup accepts, for
 * every shipped scenario and profile and for any scenario name; and the longest id still makes
 * Idempotency-Keys the target takes. A review found `load` failing in k6's setup (exit 107) for 10 of
 * the 13 shipped scenarios: the maker cut the scenario's part at 24 characters, the checker took 40.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { targetLimits } from '../../common/limits.ts';
import { PROFILES } from '../../load/k6/lib/profiles.ts';
import { RUN_ID_CHARS_MAX, runIdOf, runIdProblem } from '../../load/k6/lib/run-id.ts';
import { keyPrefix, parseSegment } from '../../load/k6/lib/segments.ts';
import { loadScenarioFile } from '../../scenarios/load.ts';

const STAMP = '20261208-015647';
const NONCE = '1f8ec3';

describe('a load run id', () => {
  it('of every shipped scenario and profile is one k6 accepts, and keeps the profile, stamp and nonce whole', () => {
    const files = readdirSync('scenarios').filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const name = loadScenarioFile(join('scenarios', file)).name;
      for (const profile of PROFILES) {
        const id = runIdOf(name, profile, STAMP, NONCE);
        expect(runIdProblem(id), id).toBeNull();
        expect(id.endsWith(`.${profile}.20261208_015647.${NONCE}`), id).toBe(true);
        // The k8s manifests label their objects with it: a label value whole (63 characters at most).
        expect(id, id).toMatch(/^[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/);
      }
    }
    // A name that fits is kept whole (only its other characters become _).
    expect(runIdOf('first-purchase-bonus', 'steady', STAMP, NONCE)).toBe(
      'first_purchase_bonus.steady.20261208_015647.1f8ec3',
    );
  });

  it('of any scenario name fits, and begins with as much of the name as fits', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.constantFrom(...PROFILES), (name, profile) => {
        const id = runIdOf(name, profile, STAMP, NONCE);
        expect(runIdProblem(id)).toBeNull();
        const tail = `.${profile}.20261208_015647.${NONCE}`;
        expect(id.endsWith(tail)).toBe(true);
        const kept = id.slice(0, id.length - tail.length);
        expect(kept.length).toBe(Math.min(name.length, RUN_ID_CHARS_MAX - tail.length));
      }),
    );
  });

  it('is refused in words: empty, too long, or a character outside letters, digits, _ and .', () => {
    expect(runIdProblem('')).toBe('expected a run id, found an empty one');
    expect(runIdProblem('a'.repeat(RUN_ID_CHARS_MAX))).toBeNull();
    expect(runIdProblem('a'.repeat(RUN_ID_CHARS_MAX + 1))).toBe(
      `expected at most ${RUN_ID_CHARS_MAX} characters, found ${RUN_ID_CHARS_MAX + 1}`,
    );
    expect(runIdProblem('base-line')).toBe('expected letters, digits, _ and . only, found "-"');
  });

  it('of the longest length still makes keys within the target’s Idempotency-Key limit', () => {
    // The widest key: 9-digit segment start, the largest VU number, a counter at 2^53.
    const segment = parseSegment('999999998/999999999:1');
    const key = `${keyPrefix('r'.repeat(RUN_ID_CHARS_MAX), segment, 999_999)}-${Number.MAX_SAFE_INTEGER}`;
    expect(key.length).toBeLessThanOrEqual(targetLimits.idempotencyKeyCharsMax);
  });
});
