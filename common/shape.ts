/**
 * Wire formats described once. A shape is a small table of fields (integers with bounds, strings with a
 * pattern, enums, lists, objects); from it come the TypeScript type (`Infer`), the check of untrusted
 * data with the field at fault (`shapeProblem`), the canonical form (`canonical`: the shape's fields
 * only, in its order) and the JSON schema the target's routes and OpenAPI document use (`jsonSchema`).
 * Plain code on purpose: the core and k6 scripts import it, and neither should load a schema library.
 */
import { shown } from './input-error.ts';

interface Doc {
  readonly doc?: string;
}
export interface IntShape extends Doc {
  readonly type: 'int';
  readonly min: number;
  readonly max: number;
}
export interface NumberShape extends Doc {
  readonly type: 'number';
}
export interface StringShape extends Doc {
  readonly type: 'string';
  readonly minLength: number;
  readonly maxLength: number;
  readonly pattern?: RegExp;
}
export interface EnumShape<V extends string = string> extends Doc {
  readonly type: 'enum';
  readonly values: readonly V[];
}
export interface ListShape<S extends Shape = Shape> extends Doc {
  readonly type: 'list';
  readonly of: S;
  readonly minItems: number;
  readonly maxItems: number;
  /** A field of the items that must be unique across the list (`id`). */
  readonly uniqueBy?: string;
}
export interface ObjectShape<F extends Fields = Fields> extends Doc {
  readonly type: 'object';
  readonly fields: F;
}
/** A field that may be absent (never null). */
export interface OptionalShape<S extends Shape = Shape> extends Doc {
  readonly type: 'optional';
  readonly of: S;
}
/** Any JSON value (a response body carried through unchecked). */
export interface AnyShape extends Doc {
  readonly type: 'any';
}
export type Shape =
  | IntShape
  | NumberShape
  | StringShape
  | EnumShape
  | ListShape
  | ObjectShape
  | OptionalShape
  | AnyShape;
export type Fields = { readonly [name: string]: Shape };

type OptionalKeys<F extends Fields> = { [K in keyof F]: F[K] extends OptionalShape ? K : never }[keyof F];
type RequiredKeys<F extends Fields> = Exclude<keyof F, OptionalKeys<F>>;
type Simplify<T> = { [K in keyof T]: T[K] };

/** The TypeScript type of data of a shape. */
export type Infer<S> = S extends IntShape | NumberShape
  ? number
  : S extends StringShape
    ? string
    : S extends EnumShape<infer V>
      ? V
      : S extends ListShape<infer O>
        ? Infer<O>[]
        : S extends ObjectShape<infer F>
          ? Simplify<{ [K in RequiredKeys<F>]: Infer<F[K]> } & { [K in OptionalKeys<F>]?: Infer<F[K]> }>
          : S extends OptionalShape<infer O>
            ? Infer<O>
            : unknown;

/** The same type, read-only all the way down (the economy: nobody changes the rules mid-run). */
export type DeepReadonly<T> = T extends (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

export const int = (min: number, max: number, doc?: string): IntShape => ({ type: 'int', min, max, doc });
export const anything = (doc?: string): AnyShape => ({ type: 'any', doc });
export const number = (doc?: string): NumberShape => ({ type: 'number', doc });
export const string = (
  minLength: number,
  maxLength: number,
  pattern?: RegExp,
  doc?: string,
): StringShape => ({
  type: 'string',
  minLength,
  maxLength,
  pattern,
  doc,
});
export const oneOf = <V extends string>(values: readonly V[], doc?: string): EnumShape<V> => ({
  type: 'enum',
  values,
  doc,
});
export const list = <S extends Shape>(
  of: S,
  minItems: number,
  maxItems: number,
  options: { uniqueBy?: string; doc?: string } = {},
): ListShape<S> => ({ type: 'list', of, minItems, maxItems, ...options });
export const object = <F extends Fields>(fields: F, doc?: string): ObjectShape<F> => ({
  type: 'object',
  fields,
  doc,
});
export const optional = <S extends Shape>(of: S): OptionalShape<S> => ({ type: 'optional', of });

/** A shape problem: where (a dotted path), what the shape wants, what was there. */
export interface ShapeProblem {
  field: string;
  expected: string;
  found: string;
}

/** The first place where `value` does not fit `shape`, or undefined when it fits. */
export function shapeProblem(shape: Shape, value: unknown, path = ''): ShapeProblem | undefined {
  const here = (expected: string, found = shown(value)): ShapeProblem => ({
    field: path === '' ? '(the value)' : path,
    expected,
    found,
  });
  switch (shape.type) {
    case 'int':
      return Number.isSafeInteger(value) && (value as number) >= shape.min && (value as number) <= shape.max
        ? undefined
        : here(`an integer ${shape.min}..${shape.max}`);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : here('a number');
    case 'string': {
      const ok =
        typeof value === 'string' &&
        value.length >= shape.minLength &&
        value.length <= shape.maxLength &&
        (shape.pattern === undefined || shape.pattern.test(value));
      return ok ? undefined : here(describeString(shape));
    }
    case 'enum':
      return shape.values.includes(value as string) ? undefined : here(shape.values.join('|'));
    case 'list':
      return listProblem(shape, value, path, here);
    case 'object':
      return objectProblem(shape, value, path, here);
    case 'optional':
      return value === undefined ? undefined : shapeProblem(shape.of, value, path);
    case 'any':
      return undefined;
  }
}

function listProblem(
  shape: ListShape,
  value: unknown,
  path: string,
  here: (expected: string, found?: string) => ShapeProblem,
): ShapeProblem | undefined {
  if (!Array.isArray(value) || value.length < shape.minItems || value.length > shape.maxItems) {
    const found = Array.isArray(value) ? `${value.length} items` : undefined;
    return here(`a list of ${shape.minItems} to ${shape.maxItems} items`, found);
  }
  const seen = new Set<unknown>();
  for (let i = 0; i < value.length; i++) {
    const problem = shapeProblem(shape.of, value[i], `${path}[${i}]`);
    if (problem !== undefined) return problem;
    if (shape.uniqueBy === undefined) continue;
    const key = (value[i] as Record<string, unknown>)[shape.uniqueBy];
    if (seen.has(key)) return here(`unique ${shape.uniqueBy}s`, `${shown(key)} twice`);
    seen.add(key);
  }
  return undefined;
}

/** A mapping (a JSON object, a YAML map): an object that is not null and not a list. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objectProblem(
  shape: ObjectShape,
  value: unknown,
  path: string,
  here: (expected: string) => ShapeProblem,
): ShapeProblem | undefined {
  if (!isRecord(value)) return here(`an object { ${Object.keys(shape.fields).join(', ')} }`);
  for (const name of Object.keys(shape.fields)) {
    const problem = shapeProblem(shape.fields[name], value[name], path === '' ? name : `${path}.${name}`);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function describeString(shape: StringShape): string {
  const chars = `${shape.minLength} to ${shape.maxLength} characters`;
  return shape.doc === undefined ? `a string of ${chars}` : `${shape.doc} (${chars})`;
}

/** The shape's fields only, in the shape's order (data already checked): extra fields are dropped. */
export function canonical(shape: Shape, value: unknown): unknown {
  if (shape.type === 'list') return (value as unknown[]).map((item) => canonical(shape.of, item));
  if (shape.type === 'optional') return value === undefined ? undefined : canonical(shape.of, value);
  if (shape.type !== 'object') return value;
  const out: Record<string, unknown> = {};
  const record = value as Record<string, unknown>;
  for (const name of Object.keys(shape.fields)) {
    const field = canonical(shape.fields[name], record[name]);
    if (field !== undefined) out[name] = field;
  }
  return out;
}

/** The JSON schema (draft-07 and OpenAPI 3.1 alike) of a shape: objects closed, integers bounded. */
export function jsonSchema(shape: Shape): Record<string, unknown> {
  const doc = shape.doc === undefined ? {} : { description: shape.doc };
  switch (shape.type) {
    case 'int':
      return { type: 'integer', minimum: shape.min, maximum: shape.max, ...doc };
    case 'number':
      return { type: 'number', ...doc };
    case 'string':
      return {
        type: 'string',
        minLength: shape.minLength,
        maxLength: shape.maxLength,
        ...(shape.pattern === undefined ? {} : { pattern: shape.pattern.source }),
        ...doc,
      };
    case 'enum':
      return { type: 'string', enum: [...shape.values], ...doc };
    case 'list':
      return {
        type: 'array',
        items: jsonSchema(shape.of),
        minItems: shape.minItems,
        maxItems: shape.maxItems,
        ...doc,
      };
    case 'object': {
      const properties: Record<string, unknown> = {};
      const required: string[] = [];
      for (const name of Object.keys(shape.fields)) {
        const field = shape.fields[name];
        properties[name] = jsonSchema(field);
        if (field.type !== 'optional') required.push(name);
      }
      return { type: 'object', additionalProperties: false, required, properties, ...doc };
    }
    case 'optional':
      return jsonSchema(shape.of);
    case 'any':
      return { ...doc };
  }
}
