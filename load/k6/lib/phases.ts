/**
 * The phase of its profile a request is sent in — its `phase` tag (lib/tags.ts) — from the time since its
 * scenario started and the workload's stages, each of which says its phase (`SPIKE_STAGES`). Pure, so
 * that Node tests hold the stage boundaries; the runtime gives it k6's clock (runtime/phase.ts).
 * Plain data only: k6 reads this file too.
 */
import type { Phase } from './profiles.ts';
import type { Workload } from './types.ts';

type Stages = readonly Pick<Workload['stages'][number], 'durationMs' | 'phase'>[];

/**
 * The phase of the stage `elapsedMs` falls in, each stage holding [its start, its end): a boundary
 * belongs to the stage it starts. Before the first stage, the first's; past the last (iterations
 * finishing in the graceful stop), the last's. Undefined when the stages have no phases.
 */
export function phaseAt(stages: Stages, elapsedMs: number): Phase | undefined {
  let end = 0;
  for (const s of stages) {
    end += s.durationMs;
    if (elapsedMs < end) return s.phase;
  }
  return stages.length === 0 ? undefined : stages[stages.length - 1].phase;
}

/**
 * `phaseAt` for one VU's clock, which only moves forward: it walks on from the stage it was last in, so
 * a request costs a comparison (a clock that went back starts again from the first stage). Undefined
 * when the stages have no phases (every profile but spike): their requests carry no `phase` tag.
 */
export function phaseClock(stages: Stages): ((elapsedMs: number) => Phase) | undefined {
  const phases: Phase[] = [];
  const ends: number[] = [];
  let end = 0;
  for (const s of stages) {
    if (s.phase === undefined) return undefined;
    phases.push(s.phase);
    end += s.durationMs;
    ends.push(end);
  }
  if (phases.length === 0) return undefined;
  let i = 0;
  return (elapsedMs) => {
    if (i > 0 && elapsedMs < ends[i - 1]) i = 0;
    while (i < ends.length - 1 && elapsedMs >= ends[i]) i++;
    return phases[i];
  };
}
