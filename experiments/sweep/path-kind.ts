/**
 * What kind of number a scenario path holds, read from the scenario's JSON Schema (generated from the
 * zod schema, so it cannot drift): `integer` (population.viewers, packs' priceCents, durations in
 * seconds), `number` (shares, fees, rates) or `other`. A Latin hypercube draws continuous values and
 * rounds them by this: integers to whole numbers, other numbers to 4 decimals (whole basis points for
 * fractions); validation then catches whatever still does not fit (a diamond value in 0.001 cents, say).
 */
import { scenarioJsonSchema } from '../../scenarios/json-schema.ts';
import { roundTo } from './vary.ts';

export type PathKind = 'integer' | 'number' | 'other';

interface SchemaNode {
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  allOf?: SchemaNode[];
}

let root: SchemaNode | undefined;

function schema(): SchemaNode {
  root ??= JSON.parse(scenarioJsonSchema()) as SchemaNode;
  return root;
}

export function pathKind(path: string): PathKind {
  let nodes: SchemaNode[] = [schema()];
  for (const key of path.split('.')) {
    nodes = nodes.flatMap(expand).flatMap((n) => child(n, key));
    if (nodes.length === 0) return 'other';
  }
  const types = new Set(nodes.flatMap(expand).flatMap((n) => (Array.isArray(n.type) ? n.type : [n.type])));
  if (types.has('number')) return 'number';
  if (types.has('integer')) return 'integer';
  return 'other';
}

/** A node and the alternatives it stands for. */
function expand(node: SchemaNode): SchemaNode[] {
  const alternatives = [...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])];
  return alternatives.length === 0 ? [node] : [node, ...alternatives.flatMap(expand)];
}

function child(node: SchemaNode, key: string): SchemaNode[] {
  const own = node.properties?.[key];
  if (own !== undefined) return [own];
  if (/^\d+$/.test(key) && node.items !== undefined) return [node.items];
  if (typeof node.additionalProperties === 'object') return [node.additionalProperties];
  return [];
}

/** A drawn value made fit for its path: whole for integer paths, 4 decimals for other numbers. */
export function roundForPath(x: number, kind: PathKind): number {
  return kind === 'integer' ? Math.round(x) : roundTo(x, 4);
}
