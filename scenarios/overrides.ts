/**
 * `--set path=value` overrides: the path is dotted (`pricing.channels.app.storeFee`), list items by index
 * either way — `gifts.0.coins` or `gifts[0].coins` — and the value is read as YAML (`0.15`, `true`,
 * `[1, 2]`, `6h`). `parsePath` is the one reader of scenario paths: `--vary` and `--fit` use it too.
 */
import { InputError, shown } from '../common/input-error.ts';
import { readYamlValue } from '../common/yaml-read.ts';

export interface SetOverride {
  /** The path's keys; a list index is a key of digits (`packs[0]` and `packs.0` both give "0"). */
  path: string[];
  value: unknown;
  text: string;
}

export const PATH_FORMS = 'a dotted path like population.viewers or pricing.channels.app.packs[0].priceCents';

const SEGMENT = /^([^.[\]]+)((?:\[\d+\])*)$/;
const INDEX = /^\d+$/;
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Fields the loader reads from the file before any flag applies (`extends` picks the file the rest
 * merges onto; `$schema` is for editors): a flag's value there would be recorded as applied and ignored.
 */
const FILE_ONLY: Readonly<Record<string, string>> = {
  extends: 'extends is read from the file; set it there',
  $schema: '$schema is for editors, read from the file; set it there',
};

/**
 * A scenario path's keys: `a.b[0].c` and `a.b.0.c` both give ["a", "b", "0", "c"]. `field` names the
 * flag in the error (`--set`, `--vary`, `--fit`).
 */
export function parsePath(text: string, field: string): string[] {
  const keys: string[] = [];
  for (const segment of text.trim().split('.')) {
    const m = SEGMENT.exec(segment);
    if (m === null || FORBIDDEN.has(m[1])) {
      throw new InputError({ field, expected: PATH_FORMS, found: shown(text) });
    }
    keys.push(m[1], ...[...m[2].matchAll(/\[(\d+)\]/g)].map((i) => i[1]));
  }
  const why = Object.hasOwn(FILE_ONLY, keys[0]) ? FILE_ONLY[keys[0]] : undefined;
  if (why !== undefined)
    throw new InputError({
      field: `${field} ${dottedPath(keys)}`,
      expected: `a field ${field} can change`,
      found: `${keys[0]} (${why})`,
    });
  return keys;
}

/** A path's keys written back dotted, the form scenario problems name fields in. */
export function dottedPath(keys: readonly string[]): string {
  return keys.join('.');
}

export function parseSet(text: string): SetOverride {
  const eq = text.indexOf('=');
  if (eq <= 0)
    throw new InputError({
      field: '--set',
      expected: 'path=value, e.g. payout.creatorShare=0.6',
      found: shown(text),
    });
  const path = parsePath(text.slice(0, eq), '--set');
  const value = readYamlValue(text.slice(eq + 1), `--set ${text.slice(0, eq).trim()}`, 'a YAML value');
  const glued = gluedKey(value);
  if (glued !== undefined)
    throw new InputError({
      field: `--set ${text.slice(0, eq).trim()}`,
      expected: `a space after each ':' in a YAML map, e.g. {kind: price-change, at: 1h} (without it YAML reads '${glued}' as one key with no value)`,
      found: shown(text.slice(eq + 1)),
    });
  return { path, value, text };
}

/** A map key like `kind:price-change` with no value: a flow map written without the space YAML needs. */
function gluedKey(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    for (const item of value) {
      const key = gluedKey(item);
      if (key !== undefined) return key;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (inner === null && key.includes(':')) return key;
      const deeper = gluedKey(inner);
      if (deeper !== undefined) return deeper;
    }
  }
  return undefined;
}

/**
 * Returns a copy of `root` with every override applied in order. Missing maps on the way are created; a
 * list is indexed only within its items (the last key may also be its length: that appends an item).
 */
export function applySets(
  root: Record<string, unknown>,
  sets: readonly SetOverride[],
): Record<string, unknown> {
  const out = structuredClone(root);
  for (const set of sets) {
    const { path } = set;
    const field = `--set ${set.text.slice(0, set.text.indexOf('=')).trim()}`;
    let cur: Record<string, unknown> | unknown[] = out;
    for (let i = 0; i < path.length; i++) {
      const key = path[i];
      const last = i === path.length - 1;
      if (Array.isArray(cur)) checkIndex(cur, path, i, field);
      const container = cur as Record<string, unknown>;
      if (last) {
        container[key] = set.value;
        break;
      }
      const next = container[key];
      if (typeof next === 'object' && next !== null) {
        cur = next as Record<string, unknown> | unknown[];
      } else if (next === undefined) {
        const created: Record<string, unknown> | unknown[] = INDEX.test(path[i + 1]) ? [] : {};
        container[key] = created;
        cur = created;
      } else {
        throw new InputError({
          field,
          expected: `${dottedPath(path.slice(0, i + 1))} to be a mapping or list`,
          found: shown(next),
        });
      }
    }
  }
  return out;
}

/** Key `path[i]` of list `list`: an index within it, or its length as the last key (an appended item). */
function checkIndex(list: unknown[], path: readonly string[], i: number, field: string): void {
  const where = dottedPath(path.slice(0, i));
  const last = i === path.length - 1;
  if (!INDEX.test(path[i])) {
    throw new InputError({ field, expected: `an index into the list ${where}`, found: shown(path[i]) });
  }
  const index = Number(path[i]);
  const n = list.length;
  if (index < n || (last && index === n)) return;
  const items = n === 0 ? `${where} is empty` : `${where} has ${n} item${n === 1 ? '' : 's'}`;
  let expected: string;
  if (last)
    expected =
      n === 0
        ? `index 0, which adds an item (${items})`
        : `an index from 0 to ${n - 1}, or ${n} to add an item (${items})`;
  else
    expected =
      n === 0
        ? `an item at index ${index} (${items}; set a whole item with ${where}[0]={…})`
        : `an index from 0 to ${n - 1} (${items}; only a whole item is added, at index ${n})`;
  throw new InputError({
    field,
    expected,
    found: String(index),
  });
}
