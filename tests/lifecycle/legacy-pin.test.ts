/**
 * No arrivals and no churn is the model before lifecycles: every shipped scenario below gives, for the
 * same seed, the tables it gave on main at 67f8cf1 (before viewers arrived and left), computed by this
 * same function over the columns that existed then.
 */
import { describe, expect, it } from 'vitest';
import { legacyDigest } from './support.ts';

const PINNED: [string, number, string][] = [
  ['baseline', 0, 'f467fb79424f293d'],
  ['baseline', 1, 'bdc88fb430c1e45c'],
  ['viral-spike', 0, 'c83d7445605d748f'],
  ['whales', 0, 'dcba407225323b01'],
];

describe('no arrivals and no churn: the model before lifecycles', () => {
  it.each(PINNED)('%s replication %i gives the tables it gave at 67f8cf1', (file, replication, expected) => {
    expect(legacyDigest(file, replication)).toBe(expected);
  });
});
