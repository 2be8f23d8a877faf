/**
 * Seeded random streams. One independent stream per replication and per agent family, so that adding
 * draws to one family (say, gifts) never shifts another's (sessions), and replication i of a run is the
 * same whichever worker computes it. The hot loop calls `next()` on a seedrandom xor4096 generator:
 * a long-period xorgens, about 5 ns a draw here, with none of Math.random's global state.
 */
import seedrandom from 'seedrandom';
import { assert } from '../../common/assert.ts';

/**
 * `demand` holds what only a price response draws (payers a cheaper market adds); `lifecycle` draws
 * arrivals and lifetimes only; `payers` payers' lives only; `careers` creators' joins and careers only;
 * `crowd` the non-paying crowd's sessions (population.nonPayers: crowd) only: a run without them leaves
 * the others where they were. A stream's key is its name, so a family added at the end shifts none before it.
 */
export const FAMILIES = [
  'population',
  'creators',
  'sessions',
  'streams',
  'gifts',
  'demand',
  'lifecycle',
  'payers',
  'crowd',
  'careers',
] as const;
export type Family = (typeof FAMILIES)[number];

/** A uniform draw in [0, 1). */
export type Rng = () => number;

/** A stream whose place can be noted, to draw the same numbers again from there (arrivals.ts). */
export interface Resumable extends Rng {
  state(): seedrandom.State.Xor4096;
}

/** The lifecycle stream can note its place: arrivals are counted first and drawn again as the run goes. */
export type Streams = Record<Family, Rng> & { lifecycle: Resumable };

/** A stream that draws what `state`'s stream drew from the place it was noted. */
export function resume(state: seedrandom.State.Xor4096): Rng {
  return seedrandom.xor4096('', { state });
}

/** The key a stream is seeded with: readable, so a replication can be replayed by hand. */
export function streamKey(seed: number, replication: number, family: Family): string {
  return `giftlab:${seed}:${replication}:${family}`;
}

export function createStreams(seed: number, replication: number): Streams {
  assert(Number.isSafeInteger(seed) && seed >= 0, 'seed must be a non-negative integer');
  assert(Number.isSafeInteger(replication) && replication >= 0, 'replication must be a non-negative integer');
  const out = {} as Record<Family, Rng>;
  for (const family of FAMILIES)
    if (family !== 'lifecycle') out[family] = seedrandom.xor4096(streamKey(seed, replication, family));
  // The option only adds `state`: the same numbers as without it.
  const lifecycle = seedrandom.xor4096(streamKey(seed, replication, 'lifecycle'), { state: true });
  return { ...out, lifecycle };
}
