/**
 * `--set path=value` overrides: the path is dotted (`pricing.channels.app.storeFee`, list items by
 * index: `gifts.0.coins`), the value is read as YAML (`0.15`, `true`, `[1, 2]`, `6h`).
 */
import { parse } from 'yaml';
import { InputError, shown } from '../common/input-error.ts';

export interface SetOverride {
  path: string[];
  value: unknown;
  text: string;
}

export function parseSet(text: string): SetOverride {
  const eq = text.indexOf('=');
  if (eq <= 0)
    throw new InputError({
      field: '--set',
      expected: 'path=value, e.g. payout.creatorShare=0.6',
      found: shown(text),
    });
  const path = text.slice(0, eq).trim().split('.');
  if (path.some((p) => p.length === 0 || p === '__proto__' || p === 'constructor' || p === 'prototype')) {
    throw new InputError({
      field: '--set',
      expected: 'a dotted path like population.viewers',
      found: shown(text.slice(0, eq)),
    });
  }
  let value: unknown;
  try {
    value = parse(text.slice(eq + 1));
  } catch {
    throw new InputError({
      field: `--set ${path.join('.')}`,
      expected: 'a YAML value',
      found: shown(text.slice(eq + 1)),
    });
  }
  return { path, value, text };
}

/** Returns a copy of `root` with every override applied in order (intermediate maps are created). */
export function applySets(
  root: Record<string, unknown>,
  sets: readonly SetOverride[],
): Record<string, unknown> {
  const out = structuredClone(root);
  for (const set of sets) {
    let cur: Record<string, unknown> | unknown[] = out;
    for (let i = 0; i < set.path.length - 1; i++) {
      const key = set.path[i];
      const next = (cur as Record<string, unknown>)[key];
      if (typeof next === 'object' && next !== null) {
        cur = next as Record<string, unknown>;
      } else if (next === undefined) {
        const created: Record<string, unknown> = {};
        (cur as Record<string, unknown>)[key] = created;
        cur = created;
      } else {
        throw new InputError({
          field: `--set ${set.path.join('.')}`,
          expected: `${set.path.slice(0, i + 1).join('.')} to be a mapping or list`,
          found: shown(next),
        });
      }
    }
    (cur as Record<string, unknown>)[set.path[set.path.length - 1]] = set.value;
  }
  return out;
}
