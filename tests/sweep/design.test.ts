import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../common/input-error.ts';
import { gridPoints, lhsPoints, lhsRng, stratified, tornadoPoints } from '../../experiments/sweep/design.ts';
import { pathKind } from '../../experiments/sweep/path-kind.ts';
import { type Axis, parseVaries, parseVary } from '../../experiments/sweep/vary.ts';

function problemOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('--vary parsing', () => {
  it('reads lists as YAML scalars, in order', () => {
    const a = parseVary('payout.creatorShare=0.4,0.5, 0.6');
    expect(a).toMatchObject({ path: 'payout.creatorShare', kind: 'list', values: [0.4, 0.5, 0.6] });
    expect(parseVary('duration=1h,6h').values).toEqual(['1h', '6h']);
    expect(parseVary('x.y=true,false').values).toEqual([true, false]);
  });

  it('expands lo:hi:step without binary noise, hi included when the steps land on it', () => {
    expect(parseVary('payout.creatorShare=0.4:0.6:0.05').values).toEqual([0.4, 0.45, 0.5, 0.55, 0.6]);
    expect(parseVary('population.viewers=1000:5000:1500').values).toEqual([1000, 2500, 4000]);
    expect(parseVary('a.b=0.1:0.3:0.1').values).toEqual([0.1, 0.2, 0.3]);
  });

  it('keeps lo:hi as a continuous range', () => {
    expect(parseVary('payout.creatorShare=0.3:0.7')).toMatchObject({ kind: 'continuous', lo: 0.3, hi: 0.7 });
  });

  it.each([
    ['payout.creatorShare', '--vary: expected path=v1,v2'],
    ['=1,2', '--vary: expected path=v1,v2'],
    ['payout..share=1', '--vary: expected a dotted path like population.viewers'],
    ['payout.creatorShare=', '--vary payout.creatorShare: expected'],
    [
      'payout.creatorShare=0.4,,0.6',
      '--vary payout.creatorShare: expected a value between every pair of commas',
    ],
    [
      'payout.creatorShare=0.4,0.6,0.40',
      '--vary payout.creatorShare: expected each value once, found "0.40" again (#3)',
    ],
    ['payout.creatorShare=0.6:0.4:0.1', '--vary payout.creatorShare: expected lo:hi with lo <= hi'],
    ['name=a,b', '--vary name: expected a field the model reads (name and description only label a run'],
    ['payout.creatorShare=0.4:0.6:0', '--vary payout.creatorShare: expected a step > 0'],
    ['payout.creatorShare=0.4,[1, 2]', '--vary payout.creatorShare:'],
    ['population.viewers=1:1000000000:1', '--vary population.viewers: expected at most'],
  ])('rejects %s naming the flag and path', (text, message) => {
    expect(problemOf(() => parseVary(text))).toContain(message);
  });

  it('rejects a path given twice and no --vary at all', () => {
    expect(problemOf(() => parseVaries(['a.b=1,2', 'a.b=3']))).toContain(
      '--vary a.b: expected each path once',
    );
    expect(problemOf(() => parseVaries([]))).toContain('--vary: expected at least one');
  });
});

describe('path kinds from the scenario schema', () => {
  it('tells integers, numbers and the rest apart', () => {
    expect(pathKind('population.viewers')).toBe('integer');
    expect(pathKind('payout.creatorShare')).toBe('number');
    expect(pathKind('pricing.channels.app.storeFee')).toBe('number');
    expect(pathKind('pricing.channels.web.packs.0.priceCents')).toBe('integer');
    expect(pathKind('duration')).toBe('integer');
    expect(pathKind('name')).toBe('other');
    expect(pathKind('no.such.path')).toBe('other');
  });
});

describe('grid', () => {
  it('is the full product, first --vary slowest, every combination once', () => {
    const axes = [parseVary('a.x=1,2,3'), parseVary('a.y=a,b')];
    const points = gridPoints(axes);
    expect(points.map((p) => p.values)).toEqual([
      [1, 'a'],
      [1, 'b'],
      [2, 'a'],
      [2, 'b'],
      [3, 'a'],
      [3, 'b'],
    ]);
    expect(points.map((p) => p.id)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(new Set(points.map((p) => JSON.stringify(p.values))).size).toBe(6);
  });

  it('refuses a continuous range, naming the path and every design that takes one', () => {
    const problem = problemOf(() => gridPoints([parseVary('payout.creatorShare=0.3:0.7')]));
    expect(problem).toContain('--vary payout.creatorShare: expected lo:hi:step or a list for a grid');
    // As `sweep --help` says of --vary: lo:hi with --lhs, --tornado, --sobol or --morris.
    for (const design of ['--lhs n', '--tornado', '--sobol n', '--morris r'])
      expect(problem).toContain(design);
    // So do the refusals of a --vary without values, and of a sweep without --vary.
    for (const other of [
      problemOf(() => parseVary('payout.creatorShare=')),
      problemOf(() => parseVaries([])),
    ])
      expect(other).toContain('path=lo:hi with --lhs, --tornado, --sobol or --morris');
  });
});

describe('Latin hypercube', () => {
  const ranges = fc.array(
    fc
      .tuple(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 1, max: 1000 }))
      .map(([lo, width]) => ({ lo, hi: lo + width })),
    { minLength: 1, maxLength: 5 },
  );

  test.prop([fc.integer({ min: 1, max: 60 }), ranges, fc.nat()])(
    'has exactly one point per stratum in every dimension, inside each range',
    (n, dims, seed) => {
      const axes: Axis[] = dims.map((r, d) => ({ ...parseVary(`p.d${d}=${r.lo}:${r.hi}`) }));
      const points = lhsPoints(
        axes,
        axes.map(() => 'number'),
        n,
        lhsRng(seed),
      );
      expect(points).toHaveLength(n);
      dims.forEach((r, d) => {
        const strata = points.map((p) => Math.floor((p.unit as number[])[d] * n)).sort((a, b) => a - b);
        expect(strata).toEqual(Array.from({ length: n }, (_, j) => j));
        for (const p of points) {
          const v = p.values[d] as number;
          expect(v).toBeGreaterThanOrEqual(r.lo);
          expect(v).toBeLessThanOrEqual(r.hi);
          // The value is the unit coordinate mapped onto the range, to 4 decimals.
          expect(Math.abs(v - (r.lo + (p.unit as number[])[d] * (r.hi - r.lo)))).toBeLessThanOrEqual(
            0.00005 + 1e-9,
          );
        }
      });
    },
  );

  test.prop([fc.integer({ min: 1, max: 200 })])('stratified draws cover every stratum once', (n) => {
    const u = stratified(n, lhsRng(n));
    expect(u.map((x) => Math.floor(x * n)).sort((a, b) => a - b)).toEqual(
      Array.from({ length: n }, (_, j) => j),
    );
  });

  it('rounds integer paths to whole numbers and fractions to whole basis points', () => {
    const axes = [parseVary('population.viewers=1000:5000'), parseVary('payout.creatorShare=0.3:0.7')];
    const points = lhsPoints(axes, ['integer', 'number'], 25, lhsRng(7));
    for (const p of points) {
      expect(Number.isInteger(p.values[0])).toBe(true);
      const bp = (p.values[1] as number) * 10_000;
      expect(Math.abs(bp - Math.round(bp))).toBeLessThan(1e-6);
    }
  });

  it('spreads a list over its values and snaps a stepped range to its grid', () => {
    const axes = [parseVary('a.x=a,b,c,d'), parseVary('a.y=0:1:0.25')];
    const points = lhsPoints(axes, ['other', 'number'], 8, lhsRng(3));
    const counts = new Map<unknown, number>();
    for (const p of points) counts.set(p.values[0], (counts.get(p.values[0]) ?? 0) + 1);
    expect([...counts.values()]).toEqual([2, 2, 2, 2]);
    for (const p of points) expect([0, 0.25, 0.5, 0.75, 1]).toContain(p.values[1]);
  });

  it('is the same for the same seed and differs for another', () => {
    const axes = [parseVary('payout.creatorShare=0.3:0.7')];
    const a = lhsPoints(axes, ['number'], 10, lhsRng(42)).map((p) => p.values[0]);
    const b = lhsPoints(axes, ['number'], 10, lhsRng(42)).map((p) => p.values[0]);
    const c = lhsPoints(axes, ['number'], 10, lhsRng(43)).map((p) => p.values[0]);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('refuses a list of numbers: a hypercube samples ranges, a list would only repeat its values', () => {
    expect(
      problemOf(() => lhsPoints([parseVary('payout.creatorShare=0.4,0.5,0.6')], ['number'], 10, lhsRng(1))),
    ).toBe(
      '--vary payout.creatorShare: expected a range lo:hi or lo:hi:step with --lhs (a Latin hypercube samples ranges: a list of numbers would repeat its 3 values over 10 points; without --lhs a grid runs each once), found 0.4,0.5,0.6',
    );
  });

  it('needs a numeric path for a range', () => {
    expect(problemOf(() => lhsPoints([parseVary('seedName=0:1')], ['other'], 4, lhsRng(1)))).toContain(
      '--vary seedName: expected a numeric scenario path',
    );
  });
});

describe('tornado points', () => {
  it('are the baseline, then each path at its first and last value with the others at baseline', () => {
    const axes = [parseVary('a.x=1,2,3'), parseVary('a.y=0.1:0.5')];
    const points = tornadoPoints(axes, [2, 0.3]);
    expect(points.map((p) => [p.role, p.moved, p.values])).toEqual([
      ['baseline', undefined, [2, 0.3]],
      ['low', 0, [1, 0.3]],
      ['high', 0, [3, 0.3]],
      ['low', 1, [2, 0.1]],
      ['high', 1, [2, 0.5]],
    ]);
  });

  it('needs two values per path', () => {
    expect(problemOf(() => tornadoPoints([parseVary('a.x=1')], [1]))).toContain(
      '--vary a.x: expected a low and a high',
    );
  });
});
