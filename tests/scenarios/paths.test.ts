/**
 * Scenario paths in `--set` and `--vary`: one reader, list items by `[i]` or `.i`, and an index out of a
 * list's range is bad input naming the path, what was expected and what was found (exit 2).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { InputError } from '../../common/input-error.ts';
import { parseFit } from '../../experiments/calibrate/fit-box.ts';
import { parseVary } from '../../experiments/sweep/vary.ts';
import { loadScenarioFile } from '../../scenarios/load.ts';
import { applySets, parsePath, parseSet } from '../../scenarios/overrides.ts';
import { captureIo } from '../support/io.ts';

const BASELINE = resolve('scenarios/baseline.yaml');
const TINY = ['--set', 'population.viewers=2000', '--set', 'duration=2h'];
const root = mkdtempSync(join(tmpdir(), 'giftlab-paths-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function giftlab(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const c = captureIo(root);
  const code = await main(args, c.io);
  return { code, out: c.out(), err: c.err() };
}

const key = fc.stringMatching(/^[a-z][a-zA-Z0-9_-]{0,8}$/);
const index = fc.nat({ max: 999 }).map(String);

describe('one path reader', () => {
  it('a list index reads the same written [i] or .i', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(key, index), { minLength: 1, maxLength: 6 }),
        fc.context(),
        (keys, ctx) => {
          fc.pre(!/^\d+$/.test(keys[0]));
          const dotted = keys.join('.');
          const bracketed = keys
            .map((k, i) => (i > 0 && /^\d+$/.test(k) ? `[${k}]` : `${i > 0 ? '.' : ''}${k}`))
            .join('');
          ctx.log(bracketed);
          expect(parsePath(dotted, '--set')).toEqual(keys);
          expect(parsePath(bracketed, '--set')).toEqual(keys);
        },
      ),
    );
  });

  it.each(['', 'a..b', 'packs[x]', 'packs[0', 'a.__proto__.b', 'packs[]', '[0].a'])('refuses %j', (path) => {
    expect(() => parsePath(path, '--set')).toThrow(InputError);
  });

  it('--set packs[0] sets the first pack, as packs.0 does', () => {
    const price = (set: string) =>
      loadScenarioFile(BASELINE, { sets: [set] }).economy.channels[0].packs[0].priceCents;
    expect(price('pricing.channels.app.packs[0].priceCents=199')).toBe(199);
    expect(price('pricing.channels.app.packs.0.priceCents=199')).toBe(199);
  });

  it('an index one past the end adds an item; further is refused, naming the list and its size', () => {
    const root = { gifts: [{ coins: 1 }, { coins: 5 }] };
    expect(applySets(root, [parseSet('gifts[2]={coins: 9}')]).gifts).toEqual([
      { coins: 1 },
      { coins: 5 },
      { coins: 9 },
    ]);
    expect(() => applySets(root, [parseSet('gifts[3]={coins: 9}')])).toThrow(
      '--set gifts[3]: expected an index from 0 to 1, or 2 to add an item (gifts has 2 items), found 3',
    );
    expect(() => applySets(root, [parseSet('gifts[2].coins=9')])).toThrow(
      '--set gifts[2].coins: expected an index from 0 to 1 (gifts has 2 items; only a whole item is added, at index 2), found 2',
    );
    expect(() => applySets(root, [parseSet('gifts.rose.coins=9')])).toThrow(
      '--set gifts.rose.coins: expected an index into the list gifts, found "rose"',
    );
  });

  it("a flow map written without the space after ':' is named as such, not as a field with nothing in it", () => {
    // YAML reads {kind:price-change} as the one key 'kind:price-change' with no value.
    expect(() => parseSet('events[0]={kind:price-change,at:1,factor:1}')).toThrow(
      "--set events[0]: expected a space after each ':' in a YAML map, e.g. {kind: price-change, at: 1h} (without it YAML reads 'kind:price-change' as one key with no value)",
    );
    expect(() => parseSet('events=[{kind: price-change, at:1}]')).toThrow("reads 'at:1' as one key");
    // Spaced, and a string value holding a colon, are taken as written.
    expect(parseSet('events[0]={kind: price-change, at: 1h, factor: 1.2}').value).toEqual({
      kind: 'price-change',
      at: '1h',
      factor: 1.2,
    });
    expect(parseSet('name="a:b"').value).toBe('a:b');
  });

  it('--vary reads paths the same way, kept dotted', () => {
    expect(parseVary('pricing.channels.app.packs[0].priceCents=99,199').path).toBe(
      'pricing.channels.app.packs.0.priceCents',
    );
    expect(() => parseVary('packs[x]=1,2')).toThrow('--vary: expected a dotted path like population.viewers');
  });

  it('--fit reads paths the same way, kept dotted', () => {
    expect(parseFit('pricing.channels.app.packs[0].priceCents=50:200').path).toBe(
      'pricing.channels.app.packs.0.priceCents',
    );
  });

  it('extends and $schema, read from the file before any flag, are no path a flag can change', () => {
    const extendsWhy = 'found extends (extends is read from the file; set it there)';
    expect(() => parseSet('extends=nonexistent.yaml')).toThrow(
      `--set extends: expected a field --set can change, ${extendsWhy}`,
    );
    expect(() => parseSet('$schema=x.json')).toThrow('--set $schema: expected a field --set can change');
    expect(() => parseVary('extends=a.yaml,b.yaml')).toThrow(
      `--vary extends: expected a field --vary can change, ${extendsWhy}`,
    );
    expect(() => parseFit('extends=0:1')).toThrow(
      `--fit extends: expected a field --fit can change, ${extendsWhy}`,
    );
    // A field of that name further down is an ordinary path (the schema decides whether it exists).
    expect(parsePath('events.0.extends', '--set')).toEqual(['events', '0', 'extends']);
  });
});

describe('the command line', () => {
  it('run --set packs[0] is taken (it used to be refused as "no such field")', async () => {
    const out = join(root, 'bracket');
    const r = await giftlab([
      'run',
      BASELINE,
      ...TINY,
      // A whole day, so that someone pays at the dearer price and the baseline's margin threshold holds.
      '--set',
      'duration=1d',
      '--set',
      'pricing.channels.app.packs[0].priceCents=149',
      '--quiet',
      '--out',
      out,
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });

  it('run and validate with an index out of range exit 2 naming the path, expected and found', async () => {
    for (const command of ['run', 'validate']) {
      const out = join(root, `out-of-range-${command}`);
      const flags = command === 'run' ? ['--out', out] : [];
      const r = await giftlab([
        command,
        BASELINE,
        '--set',
        'pricing.channels.app.packs[9].priceCents=199',
        ...flags,
      ]);
      expect(r.code).toBe(2);
      expect(r.err).toContain(
        '--set pricing.channels.app.packs[9].priceCents: expected an index from 0 to 4 (pricing.channels.app.packs has 5 items; only a whole item is added, at index 5), found 9',
      );
      expect(r.err).not.toMatch(/\n\s+at /);
      expect(existsSync(out)).toBe(false);
    }
  });

  it('sweep --vary packs[0] runs; an index out of range exits 2 naming the --vary path', async () => {
    const ok = await giftlab([
      'sweep',
      BASELINE,
      ...TINY,
      '--vary',
      'pricing.channels.app.packs[0].priceCents=99,149',
      '--replications',
      '2',
      '--out',
      join(root, 'sweep'),
    ]);
    expect(ok.err).toBe('');
    expect(ok.code).toBe(0);
    const out = join(root, 'sweep-bad');
    const bad = await giftlab([
      'sweep',
      BASELINE,
      ...TINY,
      '--vary',
      'pricing.channels.app.packs[7].priceCents=99,199',
      '--out',
      out,
    ]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain(
      '--vary pricing.channels.app.packs.7.priceCents: expected an index from 0 to 4 (pricing.channels.app.packs has 5 items; only a whole item is added, at index 5), found 7',
    );
    expect(existsSync(out)).toBe(false);
  });

  it('run --set, sweep --vary and calibrate --fit of extends exit 2 before writing anything', async () => {
    const out = join(root, 'extends');
    const calibrate = ['calibrate', BASELINE, ...TINY, '--target', 'payerConversion=0.02'];
    for (const [flag, args] of [
      ['--set', ['validate', BASELINE, '--set', 'extends=nonexistent.yaml']],
      ['--set', ['run', BASELINE, ...TINY, '--set', 'extends=scenarios/whales.yaml', '--out', out]],
      [
        '--vary',
        ['sweep', BASELINE, ...TINY, '--vary', 'extends=whales.yaml,pack-ladder.yaml', '--out', out],
      ],
      ['--fit', [...calibrate, '--fit', 'extends=0:1', '--out', out]],
    ] as const) {
      const r = await giftlab([...args]);
      expect([r.code, r.err], args.join(' ')).toEqual([
        2,
        `giftlab: ${flag} extends: expected a field ${flag} can change, found extends (extends is read from the file; set it there)\n`,
      ]);
      expect(existsSync(out)).toBe(false);
    }
  });
});
