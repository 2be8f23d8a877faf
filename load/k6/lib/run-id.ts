/**
 * A load run's id: what `giftlab load` makes (cli/load.ts), what k6's setup accepts (GIFTLAB_RUN_ID,
 * load/k6/main.ts) and what every Idempotency-Key starts with (segments.ts keyPrefix). One rule here,
 * so the maker cannot make an id the checker refuses (it did: a 24-character scenario prefix made ids
 * of up to 47 characters, and k6 took 40 at most — `load` failed for 10 of the 13 shipped scenarios).
 *
 * No k6 import, so Node tests run the same code.
 */

/**
 * The longest run id: 63, a Kubernetes label value's most (the k8s manifests label their objects with
 * it whole). A key is `<run id>-<n>_<d>-<vu>-<counter>` (at most 9 + 9 digits of a segment's start, 6
 * of a VU, 16 of a counter: 44 more characters), so keys stay well inside the target's 128
 * (tests/load/run-id.test.ts checks the sum against targetLimits.idempotencyKeyCharsMax).
 */
export const RUN_ID_CHARS_MAX = 63;

const ALLOWED = /^[A-Za-z0-9_.]+$/;

/** What is wrong with a run id, in words (null: nothing). */
export function runIdProblem(runId: string): string | null {
  if (runId.length === 0) return 'expected a run id, found an empty one';
  if (runId.length > RUN_ID_CHARS_MAX)
    return `expected at most ${RUN_ID_CHARS_MAX} characters, found ${runId.length}`;
  if (!ALLOWED.test(runId)) {
    const bad = [...runId].find((ch) => !ALLOWED.test(ch)) as string;
    return `expected letters, digits, _ and . only, found ${JSON.stringify(bad)}`;
  }
  return null;
}

/**
 * The id of a run of `profile` on `scenario` started at `stamp` (e.g. 20261208-015647) with a random
 * `nonce` (two loads started in one second stay apart): `<scenario>.<profile>.<stamp>.<nonce>`, other
 * characters as _, the scenario's name cut so that the whole fits RUN_ID_CHARS_MAX (the profile,
 * stamp and nonce are kept whole: they tell runs apart).
 */
export function runIdOf(scenario: string, profile: string, stamp: string, nonce: string): string {
  const tail = `.${profile}.${stamp}.${nonce}`;
  const room = Math.max(1, RUN_ID_CHARS_MAX - tail.length);
  const id = `${scenario.slice(0, room)}${tail}`.replace(/[^A-Za-z0-9_.]/g, '_');
  return id.slice(0, RUN_ID_CHARS_MAX);
}
