/**
 * calibrated.yaml: the calibrated scenario, whole — the input scenario as resolved (its `--set`s and
 * defaults filled), with each fitted path at its best value and a comment giving the value's range and
 * the box it was searched in. A full copy rather than an `extends:` of the input, so that the file means
 * the same wherever the folder is moved or merged; `giftlab validate` and `giftlab run` accept it as it is.
 */
import type { CalibrationResult } from '../../experiments/calibrate/aggregate.ts';
import { candidateScenario } from '../../experiments/calibrate/plan.ts';
import { scenarioInput, scenarioYaml } from '../../scenarios/scenario-yaml.ts';
import { pathValue, statValue } from './text.ts';

export function calibratedYaml(result: CalibrationResult): string {
  const { spec, best } = result;
  const scenario = scenarioInput(candidateScenario(result.scenario, spec.axes, best.candidate.values));
  const name = `${result.scenario.name}-calibrated`;
  const header = [
    `${name}: ${result.scenario.name} calibrated by giftlab calibrate (seed ${spec.seed}, ${spec.replications} replications a candidate, ${result.candidates.length} candidates${result.status === 'done' ? '' : ', IN PROGRESS: the best so far'}).`,
    'Targets:',
    ...result.targets.map(
      (t) =>
        `  ${t.kpi} = ${statValue(t.kpi, t.value)} (fitted ${statValue(t.kpi, t.fitted.mean)}${t.reached ? '' : ', NOT reached'})`,
    ),
    'Fitted paths are commented with their uncertainty range (see summary.json for the rule).',
    ...overridesLines(result.scenario.overrides ?? []),
  ];
  return scenarioYaml(
    { ...scenario, name },
    {
      header,
      comments: result.paths.map((p) => ({
        path: p.path,
        comment: `fitted: range ${pathValue(p.range[0])} – ${pathValue(p.range[1])} (searched ${pathValue(p.lo)} – ${pathValue(p.hi)}, started at ${pathValue(p.start)})${p.atBound === null ? '' : `, at the ${p.atBound} bound`}`,
      })),
    },
  );
}

/** The `--set`s the calibration ran with: in the values below, not in the file's description. */
function overridesLines(overrides: readonly string[]): string[] {
  if (overrides.length === 0) return [];
  return [
    `Calibrated with --set ${overrides.join(', --set ')}: the values below include them; the description is the file's.`,
  ];
}
