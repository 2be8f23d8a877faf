/**
 * The profile table is the one place a profile is described: load/k6/README.md's table has exactly its
 * rows (name, executor, what it does, defaults), and the spike factor is the table's.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  andList,
  defaultsText,
  PHASES,
  PHASES_OF,
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

  it('spikes by its own factor, and loosens its latency limits by it during the spike only', () => {
    expect(Math.max(...SPIKE_STAGES.map((s) => s.factor))).toBe(SPIKE_FACTOR);
    // The reviewer's finding: ×10 over the whole run judged nothing before the spike or after it.
    expect(PROFILE_TABLE.spike.slo.latencyFactor).toEqual({ before: 1, spike: SPIKE_FACTOR, after: 1 });
    expect(PROFILE_TABLE.spike.help).toContain(`${SPIKE_FACTOR}×`);
    expect(PROFILE_TABLE.spike.help).toContain('(before, spike, after)');
    expect(SPIKE_STAGES.reduce((t, s) => t + s.share, 0)).toBeCloseTo(1, 12);
    // The spike phase: the ramp up, the peak and the ramp down; the base rate before it and after it.
    expect(SPIKE_STAGES.map((s) => [s.factor, s.phase])).toEqual([
      [1, 'before'],
      [SPIKE_FACTOR, 'spike'],
      [SPIKE_FACTOR, 'spike'],
      [1, 'spike'],
      [1, 'after'],
    ]);
    expect([...new Set(SPIKE_STAGES.map((s) => s.phase))]).toEqual([...PHASES_OF.spike]);
  });

  it('judges per phase only a shape in phases, with a factor for each of them', () => {
    for (const p of PROFILES) {
      const factor = PROFILE_TABLE[p].slo.latencyFactor;
      const phases = PHASES_OF[PROFILE_TABLE[p].shape];
      if (typeof factor === 'number') continue;
      expect(phases.length, p).toBeGreaterThan(0);
      expect(Object.keys(factor).sort(), p).toEqual([...phases].sort());
    }
    expect(PHASES_OF.spike).toEqual(PHASES);
    expect(profilesWhere((s) => PHASES_OF[s.shape].length > 0)).toEqual(['spike']);
  });

  it('names its profiles in help and errors from the rows', () => {
    expect(profilesWhere((s) => s.economy)).toEqual(['steady', 'spike', 'soak']);
    expect(andList(profilesWhere((s) => s.shape === 'constant'))).toBe('steady and race');
    expect(andList(['a', 'b', 'c'])).toBe('a, b and c');
    expect(andList(['a'])).toBe('a');
    expect(andList([])).toBe('');
  });
});
