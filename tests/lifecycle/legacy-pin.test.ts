/**
 * No arrivals and no churn is the model before lifecycles: every shipped scenario below gives, for the
 * same seed, the tables it gave on main at 9d3a951 (demand responding to price, before viewers arrived and left), computed by this
 * same function over the columns that existed then.
 */
import { describe, expect, it } from 'vitest';
import { legacyDigest } from './support.ts';

const PINNED: [string, number, string][] = [
  ['baseline', 0, 'f1b6679ab1b862e4'],
  ['baseline', 1, 'ee7820a076ce0b9b'],
  ['viral-spike', 0, 'b76cb6dee42c346b'],
  ['whales', 0, '63f6af66cd80e24c'],
];

describe('no arrivals and no churn: the model before lifecycles', () => {
  it.each(PINNED)('%s replication %i gives the tables it gave at 9d3a951', (file, replication, expected) => {
    expect(legacyDigest(file, replication)).toBe(expected);
  });
});
