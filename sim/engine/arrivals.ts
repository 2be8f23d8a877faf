/**
 * When new viewers arrive during a run: a Poisson process of `arrivalsPerDay` a day following the
 * viewers' daily rhythm, plus each acquisition burst's viewers at random over its stretch. Drawn before
 * the run, from the lifecycle stream only, so that every viewer number is known before the run (an
 * arrival's is the viewers present at the start plus its rank; its slot, a departed viewer's: slots.ts)
 * and no other stream moves.
 */

import type { Diurnal } from '../model/diurnal.ts';
import type { Lifecycle } from '../model/params.ts';
import { exponential, type Rng } from '../random/index.ts';

/** Arrival seconds in [1, end), ascending. */
export function drawArrivals(
  lifecycle: Lifecycle,
  rhythm: Diurnal,
  endSeconds: number,
  rng: Rng,
): Uint32Array {
  const times: number[] = [];
  if (lifecycle.arrivalsPerDay > 0) {
    const gap = 86_400 / lifecycle.arrivalsPerDay;
    // On the rhythm's clock (mean seconds), which meets real time at every midnight.
    for (let x = exponential(rng, gap); x < endSeconds; x += exponential(rng, gap)) {
      const at = Math.floor(rhythm.secondAt(x));
      if (at >= 1 && at < endSeconds) times.push(at);
    }
  }
  for (const b of lifecycle.bursts) {
    const end = Math.min(b.endSeconds, endSeconds);
    const gap = (b.endSeconds - b.startSeconds) / b.viewers;
    for (let x = b.startSeconds + exponential(rng, gap); x < end; x += exponential(rng, gap)) {
      const at = Math.floor(x);
      if (at >= 1) times.push(at);
    }
  }
  return Uint32Array.from(times).sort();
}
