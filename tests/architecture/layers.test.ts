import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ALLOWED_COMPUTED_IMPORTS,
  checkLayers,
  computedImports,
  LAYERS,
  SOURCE_EXTENSIONS,
  upwardImports,
} from './layers.ts';

const sources = execFileSync(
  'git',
  ['ls-files', '-co', '--exclude-standard', ...SOURCE_EXTENSIONS.map((e) => `*.${e}`)],
  { encoding: 'utf8' },
)
  .split('\n')
  .filter((f) => f !== '' && LAYERS.some((l) => f.startsWith(`${l.room}/`)));

describe('layering: no import runs back up the rooms', () => {
  it('holds for every source file of every room', () => {
    expect(sources.length).toBeGreaterThan(100);
    expect(checkLayers(sources, process.cwd())).toEqual([]);
  });

  it('scans every kind of module file the rooms hold', () => {
    for (const kind of ['.ts', '.mts', '.mjs', '.js'])
      expect(sources.some((f) => f.endsWith(kind))).toBe(true);
  });

  it('allows only computed imports that are still there', () => {
    for (const { file, argument } of ALLOWED_COMPUTED_IMPORTS) {
      const found = computedImports(file, readFileSync(file, 'utf8')).map((c) => c.argument);
      expect(found, `${file} no longer imports ${argument}: drop it from the list`).toContain(argument);
    }
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

  it('sees every form of import, and none in comments or strings', () => {
    const forms = [
      "import '../reports/side-effect.ts';",
      "export * from '../reports/all.ts';",
      "export { x } from '../reports/x.ts';",
      "type T = import('../reports/types.ts').T;",
      'const m = await import(\n  `../reports/template.ts`\n);',
      "import r = require('../reports/cjs.cjs');",
      '/// <reference path="../reports/ref.d.ts" />',
    ];
    for (const form of forms) expect(upwardImports('sim/a.mts', form), form).toHaveLength(1);
    expect(upwardImports('common/a.cjs', "const r = require('../sim/b.cjs');")).toHaveLength(1);
    const inert = "// import x from '../reports/x.ts';\nconst s = \"import y from '../cli/y.ts'\";";
    expect(upwardImports('sim/a.ts', inert)).toEqual([]);
  });

  it('reports a dynamic import whose target is computed, unless allowed', () => {
    const computed = [
      'const name = pick();',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of a template literal
      'const a = await import(`../reports/${name}.ts`);',
      'const b = await import(name);',
    ].join('\n');
    const found = upwardImports('experiments/loader.mjs', computed);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of a template literal
    expect(found.map((f) => f.imports)).toEqual(['`../reports/${name}.ts`', 'name']);
    expect(found[0].why).toMatch(/^line 2 imports a computed target/);
    // The allowed one passes only in its own file, and only with its own argument.
    const bootstrap = 'await import(workerData.entry);';
    expect(upwardImports('experiments/worker-bootstrap.mjs', bootstrap)).toEqual([]);
    expect(upwardImports('experiments/other.mjs', bootstrap)).toHaveLength(1);
    expect(upwardImports('experiments/worker-bootstrap.mjs', 'await import(entry);')).toHaveLength(1);
  });

  it('lets a room import itself and the rooms below it', () => {
    const fine = [
      "import { assert } from '../common/assert.ts';",
      "import { Ledger } from './ledger/ledger.ts';",
      "export { x } from '../sim/kpis.ts';",
      "import { z } from 'zod';",
      "const fs = await import('node:fs');",
    ].join('\n');
    expect(upwardImports('experiments/replication.ts', fine)).toEqual([]);
    expect(upwardImports('common/limits.ts', "import { assert } from './assert.ts';")).toEqual([]);
  });
});
