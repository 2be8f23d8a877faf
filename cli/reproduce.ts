/**
 * The exit-3 message of `giftlab run` (and of a `--shard` of it) when the simulation broke an invariant:
 * what broke, in which replications, each invariant in words, and the command that reruns exactly one
 * failing replication. Replication k's random streams are keyed by the scenario's seed and k alone
 * (experiments/replication.ts), so `--replications k+1 --shard k+1/k+1` computes replication k and
 * nothing else, whatever the first run's replication count, workers or `--precision`.
 */
import type { ReplicationResult } from '../experiments/result.ts';
import { FAULTS, type FaultName, isFault } from '../sim/engine/faults.ts';
import { INVARIANTS } from '../sim/invariants/types.ts';
import { InputError, shown } from './errors.ts';

/** What the rerun needs of the first run: the scenario as typed, its `--set`s, the seed it ran with. */
export interface RunRecipe {
  /** The scenario file as given on the command line. */
  file: string;
  /** `--set`s as given (without the `--seed`, which `seed` carries). */
  sets: readonly string[];
  seed: number;
  /** `--check` when not the default `end`. */
  check: string;
  /** FAULT_ENV, when the run had one (the test hook: the rerun needs it too). */
  fault?: string;
  /** The first run's folder as typed: a replication's rerun goes beside it, not over it. */
  out?: string;
}

/** Test hook: a deliberately broken engine (see sim/engine/faults.ts). Not a user-facing option. */
export const FAULT_ENV = 'GIFTLAB_SIM_FAULT';

/** The fault FAULT_ENV names (run and sweep), or none; another name is bad input. */
export function faultFrom(env: NodeJS.ProcessEnv): FaultName | undefined {
  const name = env[FAULT_ENV];
  if (name === undefined || name === '') return undefined;
  if (isFault(name)) return name;
  throw new InputError({ field: FAULT_ENV, expected: FAULTS.join(' or '), found: shown(name) });
}

type Checked = Pick<ReplicationResult, 'replication' | 'invariants'>;

const SHOWN_LINES = 20;
const SHOWN_PER_REPLICATION = 5;
const SHOWN_RERUNS = 3;

/** `npx giftlab run …` computing replication k alone. */
export function reproduceCommand(recipe: RunRecipe, replication: number): string {
  const shard = replication === 0 ? [] : ['--shard', `${replication + 1}/${replication + 1}`];
  // A rerun of one replication is not named twice over (`…-replication-1-replication-1`).
  const base = recipe.out?.replace(/-replication-\d+$/, '');
  const out = base === undefined ? [] : ['--out', `${base}-replication-${replication}`];
  return command(recipe, ['--replications', String(replication + 1), ...shard, ...out]);
}

/**
 * `npx giftlab run …` giving the same KPIs: the same replications (a `--precision` run's, as many as it
 * ended with) and the same `--threshold`s; the scenario's own block comes with its file.
 */
export function rerunCommand(recipe: RunRecipe, replications: number, thresholds: readonly string[]): string {
  return command(recipe, [
    '--replications',
    String(replications),
    ...thresholds.flatMap((t) => ['--threshold', t]),
  ]);
}

function command(recipe: RunRecipe, extra: readonly string[]): string {
  const args = ['npx', 'giftlab', 'run', recipe.file];
  for (const set of recipe.sets) args.push('--set', set);
  args.push('--seed', String(recipe.seed), ...extra);
  if (recipe.check !== 'end') args.push('--check', recipe.check);
  const env = recipe.fault === undefined ? [] : [`${FAULT_ENV}=${shellWord(recipe.fault)}`];
  return [...env, ...args.map(shellWord)].join(' ');
}

function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The message: the violations (a few per failing replication), the invariants in words, the reruns. */
export function violationReport(
  replications: readonly Checked[],
  recipe: RunRecipe,
  /** Where the first run put them all; for a shard, also which one it was. */
  place: { where?: string; details: string } = { details: 'summary.json' },
): string {
  const failing = replications.filter((r) => r.invariants.violationCount > 0);
  const count = failing.reduce((n, r) => n + r.invariants.violationCount, 0);
  const lines: string[] = [];
  for (const r of failing) {
    const room = Math.min(SHOWN_PER_REPLICATION, SHOWN_LINES - lines.length);
    const shown = r.invariants.violations.slice(0, Math.max(0, room));
    for (const v of shown)
      lines.push(`  replication ${r.replication}, invariant ${v.invariant}: ${v.message}`);
    const more = r.invariants.violationCount - shown.length;
    if (more > 0) lines.push(`  … and ${more} more in replication ${r.replication} (see ${place.details})`);
  }
  const ids = [...new Set(failing.flatMap((r) => r.invariants.violations.map((v) => v.invariant)))].sort(
    (a, b) => a - b,
  );
  const broken = ids.map((id) => {
    const reps = failing.filter((r) => r.invariants.violations.some((v) => v.invariant === id));
    return `  invariant ${id}: ${INVARIANTS[id]} (replication${reps.length === 1 ? '' : 's'} ${reps.map((r) => r.replication).join(', ')})`;
  });
  const reruns = failing
    .slice(0, SHOWN_RERUNS)
    .map(
      (r) =>
        `  replication ${r.replication} (seed ${recipe.seed}): ${reproduceCommand(recipe, r.replication)}`,
    );
  if (failing.length > SHOWN_RERUNS) {
    reruns.push(
      `  … and ${failing.length - SHOWN_RERUNS} more replications: replication k is --replications k+1 --shard k+1/k+1`,
    );
  }
  return [
    `${count} invariant violation(s) in ${failing.length} of ${replications.length} replication(s)${place.where ?? ''}:`,
    ...lines,
    'broken:',
    ...broken,
    'to reproduce one replication alone:',
    ...reruns,
  ].join('\n');
}
