import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { checkLayers, LAYERS, upwardImports } from './layers.ts';

const sources = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '*.ts', '*.mjs', '*.js'], {
  encoding: 'utf8',
})
  .split('\n')
  .filter((f) => f !== '' && LAYERS.some((l) => f.startsWith(`${l.room}/`)));

describe('layering: no import runs back up the rooms', () => {
  it('holds for every source file of every room', () => {
    expect(sources.length).toBeGreaterThan(100);
    expect(checkLayers(sources, process.cwd())).toEqual([]);
  });

  it('fails on a deliberate upward import (the core reaching for a scenario or a report)', () => {
    const core = "import type { Scenario } from '../../scenarios/schema/scenario.ts';\n";
    expect(upwardImports('sim/model/params.ts', core)).toEqual([
      { file: 'sim/model/params.ts', imports: 'scenarios/schema/scenario.ts', why: 'scenarios is above sim' },
    ]);
    const dynamic = "const m = await import('../cli/main.ts');";
    expect(upwardImports('load/plan.ts', dynamic)).toHaveLength(1);
    const outside = "import { x } from '../tests/support/io.ts';";
    expect(upwardImports('reports/a.ts', outside)[0]?.why).toMatch(/outside every room/);
  });

  it('lets a room import itself and the rooms below it', () => {
    const fine = [
      "import { assert } from '../common/assert.ts';",
      "import { Ledger } from './ledger/ledger.ts';",
      "export { x } from '../sim/kpis.ts';",
    ].join('\n');
    expect(upwardImports('experiments/replication.ts', fine)).toEqual([]);
    expect(upwardImports('common/limits.ts', "import { assert } from './assert.ts';")).toEqual([]);
  });
});
