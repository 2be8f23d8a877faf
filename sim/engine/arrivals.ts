/**
 * When new viewers arrive during a run: a Poisson process of `arrivalsPerDay` a day following the
 * viewers' daily rhythm, plus each acquisition burst's viewers at random over its stretch. Drawn from
 * the lifecycle stream only, so that no other stream moves.
 *
 * The draws are walked twice: once before the run, to count the arrivals (every viewer number is known
 * before the run: an arrival's is the viewers present at the start plus its rank) and to note where
 * each process's draws start in the stream; then during the run, from those places, one arrival at a
 * time in order of time. So the run holds a few stream states, not a second per arrival (a year of
 * 6,400 a day was 9 MiB), and the lifecycle stream is where drawing them all at once left it.
 */

import { DAY_SECONDS } from '../../common/limits.ts';
import type { Diurnal } from '../model/diurnal.ts';
import type { Lifecycle } from '../model/params.ts';
import { exponential, type Resumable, type Rng, resume } from '../random/index.ts';
import { NEVER } from './never.ts';

/** One process of arrivals: its clock position, the next second it gives, and its own draws. */
interface Process {
  /** Mean gap between its arrivals, on its clock. */
  readonly gap: number;
  /** Its clock stops here (exclusive). */
  readonly until: number;
  /** The run's end: arrivals fall in [1, end). */
  readonly end: number;
  /** The rhythm's clock (the steady arrivals) or real seconds (a burst). */
  readonly rhythm: Diurnal | null;
  readonly rng: Rng;
  /** Where its clock is: the next candidate arrival. */
  x: number;
  /** The next arrival second it gives, or NEVER when it has none left. */
  head: number;
}

/** Arrival seconds in [1, end), ascending, drawn as the run reaches them. */
export class Arrivals {
  /** Arrivals in the run. */
  readonly count: number;
  private readonly processes: Process[] = [];
  /** Arrivals given so far (the rank of the next). */
  taken = 0;

  constructor(lifecycle: Lifecycle, rhythm: Diurnal, endSeconds: number, rng: Resumable) {
    let count = 0;
    if (lifecycle.arrivalsPerDay > 0)
      count += this.add(DAY_SECONDS / lifecycle.arrivalsPerDay, 0, endSeconds, endSeconds, rhythm, rng);
    for (const b of lifecycle.bursts) {
      const gap = (b.endSeconds - b.startSeconds) / b.viewers;
      count += this.add(gap, b.startSeconds, Math.min(b.endSeconds, endSeconds), endSeconds, null, rng);
    }
    this.count = count;
  }

  /** The next arrival's second (NEVER when all have come). */
  peek(): number {
    let next = NEVER;
    for (const p of this.processes) if (p.head < next) next = p.head;
    return next;
  }

  /** Takes the next arrival: its second. */
  take(): number {
    let first: Process | undefined;
    for (const p of this.processes) if (first === undefined || p.head < first.head) first = p;
    const at = first === undefined ? NEVER : first.head;
    if (first !== undefined && at !== NEVER) {
      advance(first);
      this.taken++;
    }
    return at;
  }

  /**
   * Adds a process: notes where its draws start, then walks them on `rng` as drawing them all would
   * (the stream ends where it did), counting its arrivals. Returns the count.
   */
  private add(
    gap: number,
    from: number,
    until: number,
    endSeconds: number,
    rhythm: Diurnal | null,
    rng: Resumable,
  ): number {
    const own = resume(rng.state());
    const p: Process = {
      gap,
      until,
      end: endSeconds,
      rhythm,
      rng: own,
      x: from + exponential(own, gap),
      head: NEVER,
    };
    let count = 0;
    for (let x = from + exponential(rng, gap); x < until; x += exponential(rng, gap))
      if (second(x, rhythm, endSeconds) !== NEVER) count++;
    advance(p);
    this.processes.push(p);
    return count;
  }
}

/** The arrival second of clock position x, or NEVER when it falls outside [1, end). */
function second(x: number, rhythm: Diurnal | null, endSeconds: number): number {
  // The steady arrivals are on the rhythm's clock (mean seconds), which meets real time at every midnight.
  const at = Math.floor(rhythm === null ? x : rhythm.secondAt(x));
  return at >= 1 && at < endSeconds ? at : NEVER;
}

/** Moves p's head to its next arrival (drawing past positions that give none). */
function advance(p: Process): void {
  while (p.x < p.until) {
    const at = second(p.x, p.rhythm, p.end);
    p.x += exponential(p.rng, p.gap);
    if (at !== NEVER) {
      p.head = at;
      return;
    }
  }
  p.head = NEVER;
}
