/**
 * The YAML reader every file and flag goes through: aliases the yaml library would throw on with no
 * line (no anchor before them, inside their own anchor, an alias bomb) are problems naming the line.
 */
import { describe, expect, it } from 'vitest';
import { InputError, type InputProblem } from '../../common/input-error.ts';
import { limits } from '../../common/limits.ts';
import { readYaml, readYamlValue } from '../../common/yaml-read.ts';

function problemsOf(text: string): InputProblem[] {
  try {
    readYaml(text, 'f.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).problems;
  }
  throw new Error('expected the YAML to be refused');
}

/** `n` aliases to one scalar anchor, one a line after the anchor's. */
function flatAliases(n: number): string {
  return ['a: &a 1', ...Array.from({ length: n }, (_, i) => `k${i}: *a`)].join('\n');
}

describe('YAML aliases', () => {
  it('an alias with no anchor before it names its line, as does one to an anchor set after it', () => {
    expect(problemsOf('seed: 1\nviewers: *nope\n')).toEqual([
      { field: 'yaml', expected: 'an anchor defined before the alias', found: '*nope', line: 2 },
    ]);
    expect(problemsOf('a: *later\nb: &later 2\n').map((p) => [p.found, p.line])).toEqual([['*later', 1]]);
    expect(() => readYaml('a: *nope\n', 'f.yaml')).toThrow(
      'f.yaml: 1 problem\n  yaml (line 1): expected an anchor defined before the alias, found *nope',
    );
  });

  it('an alias inside the node its anchor names is refused (a cycle)', () => {
    expect(problemsOf('top:\n  a: &x\n    b: [1, *x]\n')).toEqual([
      {
        field: 'yaml',
        expected: 'an alias outside the node its anchor names',
        found: '*x inside &x',
        line: 3,
      },
    ]);
  });

  it('aliases are counted with what they expand to: a nested bomb is refused at the alias past the bound', () => {
    const bomb = [
      'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]', // 9 aliases
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]', // 9 × 10: 99 in all
      'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]', // the first *c alone is 91 more
    ].join('\n');
    expect(problemsOf(bomb)).toEqual([
      {
        field: 'yaml',
        expected: `at most ${limits.yamlAliasesMax} aliases, counting those each alias expands to`,
        found: 'more (a YAML alias bomb?)',
        line: 4,
      },
    ]);
    // The bound itself is allowed, one more is not.
    expect(readYaml(flatAliases(limits.yamlAliasesMax)).value).toMatchObject({ k0: 1, k99: 1 });
    expect(problemsOf(flatAliases(limits.yamlAliasesMax + 1)).map((p) => p.line)).toEqual([
      limits.yamlAliasesMax + 2,
    ]);
  });

  it('aliases used as meant give the value they name', () => {
    const { value } = readYaml('app: &packs [{ coins: 70 }]\nweb: *packs\n');
    expect(value).toEqual({ app: [{ coins: 70 }], web: [{ coins: 70 }] });
    expect(readYaml('a: &x [ &x 1, *x ]\n').value).toEqual({ a: [1, 1] }); // the nearest anchor before
  });

  it('a flag value names the flag, with the alias problem or what the flag takes', () => {
    expect(() => readYamlValue('*x', '--set seed', 'a YAML value')).toThrow(
      '--set seed: expected an anchor defined before the alias, found *x',
    );
    expect(() => readYamlValue('[1', '--set seed', 'a YAML value')).toThrow(
      '--set seed: expected a YAML value, found "[1"',
    );
    expect(readYamlValue('[&x 1, *x]', '--set seed', 'a YAML value')).toEqual([1, 1]);
  });
});

describe('YAML too broken or too deep to list', () => {
  it('nesting past what the reader can follow is said as such, with its line, not as a stack overflow', () => {
    const deep = `seed: 1\nextra: ${'['.repeat(5_000)}${']'.repeat(5_000)}\n`;
    expect(problemsOf(deep)).toEqual([
      {
        field: 'yaml',
        expected: 'collections nested a few hundred levels deep at most',
        found: 'deeper nesting',
        line: 2,
      },
    ]);
    // What a scenario could hold nests far less deep and reads.
    expect(readYaml(`a: ${'['.repeat(50)}1${']'.repeat(50)}\n`).value).toBeTypeOf('object');
  });

  it('a message lists the first problems and counts the rest', () => {
    const problems = Array.from({ length: limits.problemsShownMax + 7 }, (_, i) => ({
      field: `f${i}`,
      expected: 'x',
      found: 'y',
    }));
    const lines = new InputError(problems, 'f.yaml').message.split('\n');
    expect(lines[0]).toBe(`f.yaml: ${problems.length} problems`);
    expect(lines).toHaveLength(1 + limits.problemsShownMax + 1);
    expect(lines.at(-2)).toBe(`  f${limits.problemsShownMax - 1}: expected x, found y`);
    expect(lines.at(-1)).toBe(
      `  … and 7 more (the first ${limits.problemsShownMax} are listed; fix them first)`,
    );
    // Every problem is still there for a reader of the list (the HTTP target's body, tests).
    expect(new InputError(problems).problems).toHaveLength(problems.length);
    expect(new InputError(problems.slice(0, 3), 'f.yaml').message.split('\n')).toHaveLength(4);
  });
});
