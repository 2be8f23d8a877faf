/**
 * The tests `npm run mutate` runs against each mutant: those of the kernel, the ledger, the invariant
 * checkers and the target's store, in process (no child processes, which would run the sandbox's code
 * without the mutant switched on). Not part of `npm test`. MUTATE_TESTS (comma-separated globs) narrows
 * them for a run over one file, e.g. MUTATE_TESTS='tests/kernel/*.test.ts'.
 */
import { defineConfig } from 'vitest/config';

const ALL = [
  'tests/kernel/**/*.test.ts',
  'tests/ledger/**/*.test.ts',
  'tests/invariants/**/*.test.ts',
  'tests/economy/**/*.test.ts',
  'tests/audit/**/*.test.ts',
  'tests/target/{api,auth,commit,faults,fuzz,races,error-shapes}.test.ts',
];

export default defineConfig({
  test: {
    include: process.env.MUTATE_TESTS ? process.env.MUTATE_TESTS.split(',') : ALL,
    setupFiles: ['tests/setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
