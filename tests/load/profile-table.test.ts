/**
 * The profile table is the one place a profile is described: load/k6/README.md's table has exactly its
 * rows (name, executor, what it does, defaults), and the spike factor is the table's.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  andList,
  defaultsText,
  PROFILE_TABLE,
  PROFILES,
  profilesWhere,
  SPIKE_FACTOR,
  SPIKE_STAGES,
} from '../../load/k6/lib/profiles.ts';

const readme = readFileSync(new URL('../../load/k6/README.md', import.meta.url), 'utf8');

/** The rows of the markdown table under `heading`, as trimmed cells. */
function tableAfter(heading: string): string[][] {
  const at = readme.indexOf(heading);
  expect(at, heading).toBeGreaterThanOrEqual(0);
  const lines = readme.slice(at).split('\n');
  const first = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    );
  }
  return rows;
}

describe('the profile table', () => {
  it('is load/k6/README.md’s profile table, row for row', () => {
    expect(tableAfter('## Profiles (`--profile`)')).toEqual(
      PROFILES.map((p) => [`\`${p}\``, PROFILE_TABLE[p].executor, PROFILE_TABLE[p].help, defaultsText(p)]),
    );
  });

  it('spikes by its own factor, and its latency limits with it', () => {
    expect(Math.max(...SPIKE_STAGES.map(([, factor]) => factor))).toBe(SPIKE_FACTOR);
    expect(PROFILE_TABLE.spike.slo.latencyFactor).toBe(SPIKE_FACTOR);
    expect(PROFILE_TABLE.spike.help).toContain(`${SPIKE_FACTOR}×`);
    expect(SPIKE_STAGES.reduce((t, [share]) => t + share, 0)).toBeCloseTo(1, 12);
  });

  it('names its profiles in help and errors from the rows', () => {
    expect(profilesWhere((s) => s.economy)).toEqual(['steady', 'spike', 'soak']);
    expect(andList(profilesWhere((s) => s.shape === 'constant'))).toBe('steady and race');
    expect(andList(['a', 'b', 'c'])).toBe('a, b and c');
    expect(andList(['a'])).toBe('a');
    expect(andList([])).toBe('');
  });
});
