/**
 * Whether a target applies the run's economy: its `GET /v1/economy` against the economy the run used
 * (replay: the operation log's header; load: the scenario with its `--set`s), field by field. Array
 * items with an `id` are named by it (`channels.app.packs.c350.priceCents`), so the first difference
 * reads like the scenario it came from. Shared by `giftlab replay` and `giftlab load`.
 */
import { InputError } from '../../common/input-error.ts';
import { isRecord } from '../../common/shape.ts';
import type { Economy } from '../../sim/economy/types.ts';
import type { TargetReader } from '../audit/target.ts';

/**
 * The target's `GET /v1/economy` against the run's: bad input naming each field that differs (at most
 * five) when they differ, with `fix` (how to start a target that applies the run's) after each. Returns
 * the scenario the target names, or undefined when it publishes no economy (404: another backend) —
 * whether that is refused is the caller's to say.
 */
export async function checkTargetEconomy(
  reader: TargetReader,
  run: { economy: Economy; scenario: string },
  fix: string,
  /** Who holds the economy compared with the target's, in the message: the run, or audit's --scenario. */
  who = 'the run',
): Promise<string | undefined> {
  const published = await reader.economy();
  if (published === undefined) return undefined;
  const differences = economyDifferences(run.economy, published.economy, 5, who);
  if (differences.length === 0) return published.scenario;
  throw new InputError(
    differences.map((d) => ({
      field: 'economy',
      expected: `${who}'s economy (${run.scenario}) at the target`,
      found: `${d} — ${fix}`,
    })),
    `${reader.base.href} serves ${published.scenario}, ${who} ${who === 'the run' ? 'used' : 'gives'} ${run.scenario}`,
  );
}

/** Paths where the two differ (at most `max`), as `path: the run's X, the target's Y` (`who`: the run). */
export function economyDifferences(run: unknown, target: unknown, max = 5, who = 'the run'): string[] {
  const out: string[] = [];
  walk(run, target, '', out, max, who);
  return out;
}

function walk(a: unknown, b: unknown, path: string, out: string[], max: number, who: string): void {
  if (out.length >= max) return;
  if (Array.isArray(a) && Array.isArray(b)) {
    const key = (x: unknown, i: number) => (hasId(x) ? x.id : String(i));
    const bs = new Map(b.map((x, i) => [key(x, i), x]));
    const as = new Map(a.map((x, i) => [key(x, i), x]));
    a.forEach((x, i) => {
      const k = key(x, i);
      if (!bs.has(k)) out.push(`${join(path, k)}: ${who} has it, the target does not`);
      else walk(x, bs.get(k), join(path, k), out, max, who);
    });
    b.forEach((x, i) => {
      const k = key(x, i);
      if (!as.has(k)) out.push(`${join(path, k)}: the target has it, ${who} does not`);
    });
    if (out.length === 0 && a.map(key).join() !== b.map(key).join())
      out.push(`${path}: same items in another order`);
    out.splice(max);
    return;
  }
  if (isRecord(a) && isRecord(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)]))
      walk(a[k], b[k], join(path, k), out, max, who);
    return;
  }
  if (a !== b) out.push(`${path || 'economy'}: ${who}'s ${show(a)}, the target's ${show(b)}`);
}

function hasId(x: unknown): x is { id: string } {
  return isRecord(x) && typeof x.id === 'string';
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function show(x: unknown): string {
  return x === undefined ? 'nothing' : JSON.stringify(x);
}
