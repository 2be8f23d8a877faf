/**
 * Runs a calibration to its end on this machine: generation after generation, each one's candidates ×
 * replications through the worker pool at once, until the budget is spent or the search converges.
 * `from` continues an earlier calibration's history (a folder written by `calibrate` or `merge`).
 */
import { evaluatedBatch, evaluateItems } from './evaluate.ts';
import type { CalibrationPlan } from './plan.ts';
import { type Evaluated, replay } from './search.ts';

export interface RunCalibrationOptions {
  workers: number;
  from?: readonly Evaluated[];
  /**
   * Progress of work item `index` = candidate id × replications + replication (numbered over the whole
   * budget, so one progress bar can span every generation).
   */
  onProgress?: (index: number, simSeconds: number, events: number) => void;
}

export async function runCalibration(
  plan: CalibrationPlan,
  options: RunCalibrationOptions,
): Promise<Evaluated[]> {
  const history = [...(options.from ?? [])];
  const r = plan.spec.replications;
  for (let batch = replay(plan.spec, history).next; batch !== null; batch = replay(plan.spec, history).next) {
    const current = batch;
    const items = Array.from({ length: current.candidates.length * r }, (_, k) => k);
    const offset = current.candidates[0].id * r;
    const lines = await evaluateItems(plan, current, items, {
      workers: options.workers,
      onProgress: (i, s, e) => options.onProgress?.(offset + i, s, e),
    });
    history.push(...evaluatedBatch(plan, current, lines));
  }
  return history;
}
