/**
 * The one reader of YAML text, for files (scenarios, calibration targets, target profiles, a run's
 * scenario.yaml) and flag values (`--set`, `--vary`) alike. Syntax errors, aliases with no anchor before
 * them, aliases inside the node they name and alias bombs become problems with the line: the yaml
 * library itself throws the last three from `toJS` with no line, which would leave the CLI an internal
 * error (exit 1).
 */
import {
  type Document,
  isAlias,
  isCollection,
  isPair,
  isScalar,
  LineCounter,
  type Node,
  parseDocument,
  visit,
} from 'yaml';
import { InputError, type InputProblem, shown } from './input-error.ts';
import { limits } from './limits.ts';

export interface ReadYaml {
  value: unknown;
  doc: Document.Parsed;
  lineCounter: LineCounter;
}

/** YAML text as a value; every problem at once, named `yaml` with its line, blamed on `source`. */
export function readYaml(text: string, source?: string): ReadYaml {
  const { doc, lineCounter, problems } = parseChecked(text);
  if (problems.length > 0) throw new InputError(inLineOrder(problems), source);
  return { value: toValue(doc), doc, lineCounter };
}

/**
 * A flag's value read as YAML: a problem names `field` (`--set seed`); bad syntax is `expected` (what
 * the flag takes) with the text found, an alias problem says what was wrong with the alias.
 */
export function readYamlValue(text: string, field: string, expected: string): unknown {
  const { doc, problems, syntax } = parseChecked(text);
  if (syntax) throw new InputError({ field, expected, found: shown(text.trim()) });
  if (problems.length > 0) throw new InputError({ ...problems[0], field, line: undefined });
  return toValue(doc);
}

// The yaml library reads nested collections recursively: past about 700 levels (no scenario needs 10)
// it runs out of stack and records the engine's own words as the error.
const STACK_OVERFLOW = /maximum call stack/i;
const TOO_DEEP = {
  expected: 'collections nested a few hundred levels deep at most',
  found: 'deeper nesting',
};

function parseChecked(text: string): {
  doc: Document.Parsed;
  lineCounter: LineCounter;
  problems: InputProblem[];
  syntax: boolean;
} {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  // prettyErrors is off, so e.linePos is not set: lines come from offsets.
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  if (doc.errors.length > 0) {
    // Past the stack, what the reader records after is noise from where it stopped: one problem.
    const deep = doc.errors.find((e) => STACK_OVERFLOW.test(e.message));
    const problems = (deep === undefined ? doc.errors : [deep]).map((e) => ({
      field: 'yaml',
      ...(e === deep ? TOO_DEEP : { expected: 'valid YAML', found: e.message.split('\n')[0] }),
      line: lineAt(e.pos[0]),
    }));
    return { doc, lineCounter, problems, syntax: true };
  }
  return { doc, lineCounter, problems: aliasProblems(doc, lineAt), syntax: false };
}

// aliasProblems bounded the aliases by our measure; the library's own count (a different one, 100 by
// default) would be a second rule.
function toValue(doc: Document.Parsed): unknown {
  return doc.toJS({ maxAliasCount: -1 });
}

/**
 * Each alias resolved as the yaml library does (the last node anchored with its name before it, in
 * document order), refused when there is none or when it lies inside that node (a cycle no value can
 * hold), then the aliases a full expansion of the document would follow counted against
 * `limits.yamlAliasesMax`: nested aliases multiply ("billion laughs"), and every reader after this one
 * (zod, merges, JSON) expands them.
 */
function aliasProblems(doc: Document.Parsed, lineAt: (offset: number) => number): InputProblem[] {
  const anchored = new Map<string, Node>();
  const targets = new Map<Node, Node>();
  const problems: InputProblem[] = [];
  const lineOf = (node: Node) => (node.range ? lineAt(node.range[0]) : undefined);
  visit(doc, (_key, node, path) => {
    if (isAlias(node)) {
      const target = anchored.get(node.source);
      if (target === undefined)
        problems.push({
          field: 'yaml',
          expected: 'an anchor defined before the alias',
          found: `*${node.source}`,
          line: lineOf(node),
        });
      else if (path.includes(target))
        problems.push({
          field: 'yaml',
          expected: 'an alias outside the node its anchor names',
          found: `*${node.source} inside &${node.source}`,
          line: lineOf(node),
        });
      else targets.set(node, target);
    } else if ((isCollection(node) || isScalar(node)) && node.anchor !== undefined) {
      anchored.set(node.anchor, node);
    }
  });
  if (problems.length > 0) return problems;
  return aliasBomb(doc, targets, lineOf);
}

/** The first alias past the bound in document order, counting what each expands to. */
function aliasBomb(
  doc: Document.Parsed,
  targets: ReadonlyMap<Node, Node>,
  lineOf: (node: Node) => number | undefined,
): InputProblem[] {
  const max = limits.yamlAliasesMax;
  const memo = new Map<Node, number>();
  // Aliases followed expanding `node`, saturated just past the bound (nested bombs grow as 9^k).
  const within = (node: unknown): number => {
    if (isAlias(node)) return Math.min(max + 1, 1 + expanded(targets.get(node)));
    if (isPair(node)) return Math.min(max + 1, within(node.key) + within(node.value));
    if (!isCollection(node)) return 0;
    let n = 0;
    for (const item of node.items) n = Math.min(max + 1, n + within(item));
    return n;
  };
  const expanded = (node: Node | undefined): number => {
    if (node === undefined) return 0;
    let n = memo.get(node);
    if (n === undefined) {
      n = within(node);
      memo.set(node, n);
    }
    return n;
  };
  let total = 0;
  let past: Node | undefined;
  visit(doc, {
    Alias(_key, node) {
      total += 1 + expanded(targets.get(node));
      if (total <= max) return undefined;
      past = node;
      return visit.BREAK;
    },
  });
  if (past === undefined) return [];
  return [
    {
      field: 'yaml',
      expected: `at most ${max} aliases, counting those each alias expands to`,
      found: 'more (a YAML alias bomb?)',
      line: lineOf(past),
    },
  ];
}

/** Problems with a line in the order of their lines; those without one after them, as they came. */
export function inLineOrder(problems: InputProblem[]): InputProblem[] {
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.line ?? Infinity) - (b.p.line ?? Infinity) || a.i - b.i)
    .map(({ p }) => p);
}
