import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonical,
  int,
  isRecord,
  jsonSchema,
  list,
  object,
  oneOf,
  optional,
  shapeProblem,
  string,
} from '../../common/shape.ts';
import {
  assertEconomy,
  canonicalEconomy,
  ECONOMY_JSON_SCHEMA,
  ECONOMY_SHAPE,
  economyFrom,
} from '../../sim/economy/types.ts';
import { economyArb, junkArb } from '../support/arbitraries.ts';
import { testEconomy } from '../support/economy.ts';

const item = object({ id: string(1, 4, /^[a-z]+$/), n: int(0, 9), note: optional(oneOf(['a', 'b'])) });
const shape = object({ items: list(item, 1, 3, { uniqueBy: 'id' }) });

describe('a shape', () => {
  it('takes a mapping for a record, never a list, null or a scalar (isRecord: every reader of YAML and JSON)', () => {
    expect([{}, { a: 1 }, Object.create(null)].map(isRecord)).toEqual([true, true, true]);
    expect([[], [1], null, undefined, 0, 'x', true].map(isRecord)).toEqual(Array(7).fill(false));
  });

  it('names the first field that does not fit, what it wants and what was there', () => {
    expect(shapeProblem(shape, { items: [{ id: 'x', n: 1 }] })).toBeUndefined();
    expect(shapeProblem(shape, { items: [{ id: 'x', n: 10 }] })).toEqual({
      field: 'items[0].n',
      expected: 'an integer 0..9',
      found: '10',
    });
    expect(shapeProblem(shape, { items: [{ id: 'x', n: 1, note: 'c' }] })?.field).toBe('items[0].note');
    expect(shapeProblem(shape, { items: [] })).toMatchObject({ field: 'items', found: '0 items' });
    expect(
      shapeProblem(shape, {
        items: [
          { id: 'x', n: 1 },
          { id: 'x', n: 2 },
        ],
      }),
    ).toMatchObject({
      field: 'items',
      expected: 'unique ids',
    });
    expect(shapeProblem(shape, { items: [{ id: 'X', n: 1 }] })?.field).toBe('items[0].id');
    expect(shapeProblem(shape, null)).toMatchObject({
      field: '(the value)',
      expected: 'an object { items }',
    });
  });

  it('never throws on hostile data', () => {
    fc.assert(fc.property(junkArb, (junk) => void shapeProblem(shape, junk)));
  });

  it('keeps only its own fields, in its own order', () => {
    const messy = { extra: 1, items: [{ n: 2, id: 'y', weight: 3 }] };
    expect(JSON.stringify(canonical(shape, messy))).toBe('{"items":[{"id":"y","n":2}]}');
  });

  it('gives a closed JSON schema with bounds and required fields', () => {
    expect(jsonSchema(item)).toEqual({
      type: 'object',
      additionalProperties: false,
      required: ['id', 'n'],
      properties: {
        id: { type: 'string', minLength: 1, maxLength: 4, pattern: '^[a-z]+$' },
        n: { type: 'integer', minimum: 0, maximum: 9 },
        note: { type: 'string', enum: ['a', 'b'] },
      },
    });
  });
});

describe('the economy, one wire format', () => {
  it('every sound economy fits its shape and is its own canonical form', () => {
    fc.assert(
      fc.property(economyArb, (economy) => {
        expect(shapeProblem(ECONOMY_SHAPE, economy)).toBeUndefined();
        expect(canonicalEconomy(economy)).toEqual(economy);
        expect(economyFrom(JSON.parse(JSON.stringify(economy)), 'x')).toEqual(economy);
      }),
    );
  });

  it('reads untrusted JSON into canonical form, naming the field at fault', () => {
    const withExtras = { ...testEconomy, gifts: testEconomy.gifts.map((g) => ({ ...g, weight: 1 })) };
    expect(economyFrom(withExtras, '--target')).toEqual(testEconomy);
    const bad = { ...testEconomy, withdrawal: { ...testEconomy.withdrawal, feeBp: 10_001 } };
    expect(() => economyFrom(bad, '--target')).toThrow(
      /--target withdrawal\.feeBp: expected an integer 0\.\.10000/,
    );
    expect(() => assertEconomy(bad)).toThrow(/withdrawal\.feeBp/);
  });

  it('publishes the same fields in its JSON schema', () => {
    const properties = ECONOMY_JSON_SCHEMA.properties as Record<string, unknown>;
    expect(Object.keys(properties)).toEqual(Object.keys(testEconomy));
    expect(ECONOMY_JSON_SCHEMA.additionalProperties).toBe(false);
  });
});
