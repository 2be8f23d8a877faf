/**
 * Whether a target applies the run's economy: its `GET /v1/economy` against the economy in the
 * operation log's header, field by field. Array items with an `id` are named by it
 * (`channels.app.packs.c350.priceCents`), so the first difference reads like the scenario it came from.
 */

/** Paths where the two differ (at most `max`), as `path: the run's X, the target's Y`. */
export function economyDifferences(run: unknown, target: unknown, max = 5): string[] {
  const out: string[] = [];
  walk(run, target, '', out, max);
  return out;
}

function walk(a: unknown, b: unknown, path: string, out: string[], max: number): void {
  if (out.length >= max) return;
  if (Array.isArray(a) && Array.isArray(b)) {
    const key = (x: unknown, i: number) => (hasId(x) ? x.id : String(i));
    const bs = new Map(b.map((x, i) => [key(x, i), x]));
    const as = new Map(a.map((x, i) => [key(x, i), x]));
    a.forEach((x, i) => {
      const k = key(x, i);
      if (!bs.has(k)) out.push(`${join(path, k)}: the run has it, the target does not`);
      else walk(x, bs.get(k), join(path, k), out, max);
    });
    b.forEach((x, i) => {
      const k = key(x, i);
      if (!as.has(k)) out.push(`${join(path, k)}: the target has it, the run does not`);
    });
    if (out.length === 0 && a.map(key).join() !== b.map(key).join())
      out.push(`${path}: same items in another order`);
    out.splice(max);
    return;
  }
  if (isObject(a) && isObject(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)]))
      walk(a[k], b[k], join(path, k), out, max);
    return;
  }
  if (a !== b) out.push(`${path || 'economy'}: the run's ${show(a)}, the target's ${show(b)}`);
}

function hasId(x: unknown): x is { id: string } {
  return isObject(x) && typeof x.id === 'string';
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function show(x: unknown): string {
  return x === undefined ? 'nothing' : JSON.stringify(x);
}
