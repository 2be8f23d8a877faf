/**
 * The rooms of the repository, lowest first. A module may import from its own room and from rooms
 * below it, never from a room above: data flows one way (scenario → model → engine → ledger → checker
 * → report; scenario → plan → k6 → target → journal → audit). ARCHITECTURE.md explains each room.
 *
 * Imports are found by TypeScript's own pre-processor (`ts.preProcessFile`: static imports and
 * re-exports, `import type`, `import x = require()`, `require()`, `import('…')` with a literal,
 * `/// <reference path>`), not by a pattern, so comments and strings are skipped and no form is missed.
 * A dynamic `import()` (or `require()`) whose argument is computed cannot be checked at all: it is
 * reported unless ALLOWED_COMPUTED_IMPORTS below says why that one is fine.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export const LAYERS = [
  {
    room: 'common',
    holds: 'plumbing every room may use: assertions, bad-input errors, zod problems, limits',
  },
  {
    room: 'sim',
    holds:
      'the core: economy rules, the operation kernel, ledger, invariants, KPI catalogue, agent model, engine',
  },
  { room: 'scenarios', holds: 'scenario files, their schema and loader, the scenario → model translation' },
  { room: 'experiments', holds: 'replications, worker pool, sweeps, shards, the operation log' },
  { room: 'reports', holds: 'CSV writers, the HTML report and its charts, comparisons, JUnit' },
  { room: 'load', holds: 'workload plans, k6 scripts, the reference target API, audit, replay' },
  { room: 'cli', holds: 'the giftlab command, one thin file per subcommand' },
  { room: 'bin', holds: 'the executable entry point' },
] as const;

/** The endings of the files checked, TypeScript's and JavaScript's, ES module and CommonJS alike. */
export const SOURCE_EXTENSIONS = ['ts', 'mts', 'cts', 'tsx', 'js', 'mjs', 'cjs', 'jsx'] as const;

/**
 * Dynamic imports whose target is computed at run time, so the check cannot see where they go: each is
 * named by its file and the argument's exact source text, with why it cannot run back up. Another
 * computed import, even in the same file, is reported. Keep this list short.
 */
export const ALLOWED_COMPUTED_IMPORTS: readonly { file: string; argument: string; why: string }[] = [
  {
    file: 'bin/giftlab.js',
    argument: 'bundle?.href ?? entry.href',
    // bin is the top room: it may import anything, and it loads only the CLI.
    why: 'the CLI: its esbuild bundle or cli/main.ts itself (entry), both below bin',
  },
  {
    file: 'experiments/worker-bootstrap.mjs',
    argument: 'workerData.entry',
    // Set by the pool from WORKER_ENTRY in experiments/worker-bundle.ts.
    why: 'the worker thread entry, experiments/worker.ts: its own room',
  },
];

const RANK = new Map<string, number>(LAYERS.map((l, i) => [l.room, i]));

export interface UpwardImport {
  file: string;
  imports: string;
  why: string;
}

/** A dynamic `import()` or `require()` whose argument is not a string literal. */
export interface ComputedImport {
  /** 1-based. */
  line: number;
  /** The argument's source text. */
  argument: string;
}

/** The module specifiers `source` names (every form TypeScript's pre-processor knows), as written. */
export function importSpecifiers(source: string): string[] {
  const found = ts.preProcessFile(source, true, true);
  return [...found.importedFiles, ...found.referencedFiles].map((f) => f.fileName);
}

function scriptKind(file: string): ts.ScriptKind {
  if (/\.[cm]?js$/.test(file)) return ts.ScriptKind.JS;
  if (file.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (file.endsWith('.tsx')) return ts.ScriptKind.TSX;
  return ts.ScriptKind.TS;
}

/**
 * `import` or `require` then `(`, comments or spaces between: a file without this has no call to look
 * at, and need not be parsed (most files; parsing them all costs about a second). It may match in a
 * comment or a string: that only costs a parse.
 */
const MAYBE_CALL = /\b(?:import|require)(?:\s|\/\*[\s\S]*?\*\/|\/\/[^\n]*)*\(/;

/** The dynamic imports (and requires) of `source` whose target the pre-processor cannot read. */
export function computedImports(file: string, source: string): ComputedImport[] {
  if (!MAYBE_CALL.test(source)) return [];
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, false, scriptKind(file));
  const found: ComputedImport[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const loads =
        callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require');
      const arg = node.arguments[0];
      if (loads && arg !== undefined && !ts.isStringLiteralLike(arg)) {
        const { line } = sf.getLineAndCharacterOfPosition(arg.getStart(sf));
        found.push({ line: line + 1, argument: arg.getText(sf) });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/**
 * Imports of `source` (a file at `file`, repository-relative) that reach a room above its own or
 * outside every room, and its computed dynamic imports not in ALLOWED_COMPUTED_IMPORTS.
 */
export function upwardImports(file: string, source: string): UpwardImport[] {
  const ownRoom = file.split('/')[0];
  const own = RANK.get(ownRoom);
  if (own === undefined) return [];
  const found: UpwardImport[] = [];
  for (const specifier of importSpecifiers(source)) {
    if (!specifier.startsWith('./') && !specifier.startsWith('../')) continue; // a package or node:
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
    const room = target.split('/')[0];
    const rank = RANK.get(room);
    if (rank === undefined) {
      found.push({ file, imports: target, why: `outside every room (${room})` });
    } else if (rank > own) {
      found.push({ file, imports: target, why: `${room} is above ${ownRoom}` });
    }
  }
  for (const { line, argument } of computedImports(file, source)) {
    if (ALLOWED_COMPUTED_IMPORTS.some((a) => a.file === file && a.argument === argument)) continue;
    found.push({
      file,
      imports: argument,
      why: `line ${line} imports a computed target, which cannot be checked: import a literal path, or add it to ALLOWED_COMPUTED_IMPORTS in tests/architecture/layers.ts saying why it stays in its room`,
    });
  }
  return found;
}

/** Every upward import among these repository-relative files. */
export function checkLayers(files: readonly string[], root: string): UpwardImport[] {
  return files.flatMap((f) => upwardImports(f, readFileSync(path.join(root, f), 'utf8')));
}
