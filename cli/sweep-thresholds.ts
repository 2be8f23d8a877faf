/**
 * `giftlab sweep --threshold expr` (repeatable): every point's KPIs (mean and CI over its replications)
 * held to each threshold. Only the flags count: a sweep explores values expected to cross the
 * scenario's own guardrails, so its `thresholds:` block is not applied (run each point with
 * `giftlab run` for that). Enforced after the sweep folder is written: crossed ones exit 99.
 */

import { valueNeeds, whyNoValue } from '../experiments/kpi-value.ts';
import type { SweepResult } from '../experiments/sweep/aggregate.ts';
import { pointsText, type SweepPlan } from '../experiments/sweep/plan.ts';
import { dollarsExact } from '../reports/format.ts';
import { junitXml } from '../reports/junit.ts';
import { thresholdCases } from '../reports/run-junit.ts';
import { describeOutcome, evaluateThresholds, type Threshold } from '../scenarios/thresholds.ts';
import type { Io } from './commands.ts';
import type { ExitError } from './errors.ts';
import { InputError } from './errors.ts';
import { writableOutputFile } from './output-path.ts';
import { collectThresholds, thresholdFailure, writeJunitFile } from './thresholds.ts';

export interface SweepGuardOptions {
  threshold?: string[];
  /** Replications per point: an interval or a spread needs 2. */
  replications?: number;
  junit?: string;
  shard?: string;
}

/** Parses the flags before the sweep runs (a bad expression exits 2, nothing written). */
export function sweepThresholds(options: SweepGuardOptions, cwd: string): Threshold[] {
  if (options.shard !== undefined && (options.threshold !== undefined || options.junit !== undefined)) {
    throw new InputError({
      field: options.threshold === undefined ? '--junit' : '--threshold',
      expected: 'a whole sweep: thresholds hold for the merged result, not a shard',
      found: `--shard ${options.shard}`,
    });
  }
  const thresholds = collectThresholds(options.threshold, [], options.replications ?? 1);
  // Checked writable now, not found unwritable after the whole sweep.
  if (options.junit !== undefined) writableOutputFile('--junit', options.junit, cwd);
  return thresholds;
}

/**
 * A threshold on a KPI some point cannot give a value (a cohort KPI where nobody arrives, or that ends
 * before the days it reads are over) exits 2 before the sweep runs: there it could only be "absent", a
 * crossing found after the whole sweep. The rule `--kpi` follows (experiments/sweep/plan.ts).
 */
export function refuseThresholdsWithoutValue(
  thresholds: readonly Threshold[],
  plan: Pick<SweepPlan, 'spec' | 'pointScenarios'>,
): void {
  const problems = thresholds.flatMap((t) => {
    const byReason = new Map<string, number[]>();
    plan.pointScenarios.forEach((s, id) => {
      const why = whyNoValue(s, t.kpi);
      if (why !== null) byReason.set(why, [...(byReason.get(why) ?? []), id]);
    });
    if (byReason.size === 0) return [];
    const all = plan.pointScenarios.length;
    const where = (ids: number[]) =>
      ids.length === all
        ? all === 1
          ? ''
          : ', at every point'
        : `, at ${ids.length} of ${all} points: ${pointsText(plan.spec, ids, 4)}`;
    return [
      {
        field: '--threshold',
        expected: `a KPI every point of the sweep gives a value: ${valueNeeds(t.kpi)}`,
        found: `${t.expression}, and ${t.kpi} has no value where ${[...byReason].map(([why, ids]) => `${why}${where(ids)}`).join('; ')}`,
      },
    ];
  });
  if (problems.length > 0) throw new InputError(problems);
}

export function judgeSweep(
  thresholds: readonly Threshold[],
  result: SweepResult,
  options: SweepGuardOptions,
  io: Io,
): { lines: string[]; failure?: ExitError } {
  const { spec } = result;
  const label = (id: number) =>
    `point ${id} (${spec.axes.map((a, d) => `${a.path}=${String(spec.points[id].values[d])}`).join(', ')})`;
  const perPoint = result.points.map((p) => ({
    id: p.id,
    outcomes: evaluateThresholds(thresholds, p.stats),
  }));
  if (options.junit !== undefined) {
    const cases = perPoint.flatMap((p) =>
      thresholdCases(p.outcomes, 'giftlab.sweep.thresholds', `${label(p.id)}: `),
    );
    writeJunitFile(
      io,
      options.junit,
      junitXml([{ name: `giftlab sweep ${result.scenario.name}: thresholds`, cases }]),
      'sweep',
    );
  }
  if (thresholds.length === 0) return { lines: [] };
  const crossed = perPoint.flatMap((p) =>
    p.outcomes.filter((o) => !o.passed).map((o) => `  ${label(p.id)}: ${describeOutcome(o, dollarsExact)}`),
  );
  const total = perPoint.length * thresholds.length;
  const lines = [
    `thresholds: ${thresholds.length} at each of ${perPoint.length} point(s); ${total - crossed.length} held, ${crossed.length} crossed`,
  ];
  return { lines, failure: crossed.length === 0 ? undefined : thresholdFailure(crossed, total) };
}
