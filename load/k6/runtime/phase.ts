/**
 * The phase a request is sent in, for its `phase` tag: the time since this scenario started against the
 * workload's stages (`lib/phases.ts`). The clock is `Date.now() − exec.scenario.startTime`, not
 * `exec.instance.currentTestRunDuration`, which counts setup() as well (measured on k6 v0.49: a setup of
 * 0.5 s put every request 0.5 s later in the run than its arrival). Read per request; no k6 call after
 * the first.
 */
import exec from 'k6/execution';
import { phaseClock } from '../lib/phases.ts';
import type { Phase } from '../lib/profiles.ts';
import type { Workload } from '../lib/types.ts';

/** A function telling the phase now, or undefined for a profile without phases (no `phase` tag). */
export function phaseTeller(w: Workload): (() => Phase) | undefined {
  const clock = phaseClock(w.stages);
  if (clock === undefined) return undefined;
  let start: number | undefined;
  return () => {
    // Known only inside a scenario function (not in the init context, where the teller is made).
    if (start === undefined) start = exec.scenario.startTime;
    return clock(Date.now() - start);
  };
}
