/**
 * A calibration's results in words, for the terminal and the report alike: each fitted path with its
 * range, each target against its fit, and — said plainly — every target the box could not reach (which
 * KPI, how far, which bound was hit) and a model that cannot match all targets at once.
 */
import type { CalibrationResult, FittedPath, TargetOutcome } from '../../experiments/calibrate/aggregate.ts';
import { noValueAfterRuns } from '../../experiments/kpi-value.ts';
import { kpiUnit, kpiValue, NBSP, signedPercent } from '../format.ts';

/**
 * A target statistic for people: as a KPI (dollars, percentages, counts), except that a fractional
 * count — a ratio such as gifts per payer — keeps four significant digits instead of one decimal.
 */
export function statValue(name: string, value: number): string {
  if (kpiUnit(name) !== 'count' || Number.isInteger(value) || !Number.isFinite(value))
    return kpiValue(name, value);
  return Number(value.toPrecision(4)).toLocaleString('en-US', { maximumFractionDigits: 12 });
}

/** A fitted path's value as typed on a command line: as JavaScript prints it. */
export function pathValue(value: number): string {
  return String(value);
}

export function pathLine(p: FittedPath): string {
  const bound = p.atBound === null ? '' : `, at its ${p.atBound} bound`;
  const clipped = p.clipped ? ', the range reaches the edge of the explored region' : '';
  return `${p.path} = ${pathValue(p.best)} (range ${pathValue(p.range[0])} – ${pathValue(p.range[1])}${clipped}; box ${pathValue(p.lo)} – ${pathValue(p.hi)}; started at ${pathValue(p.start)}${bound})`;
}

/** A fitted KPI's 95 % CI over `replications`; a zero-width one is not for want of replications. */
export function ciText(kpi: string, ci: [number, number], replications: number): string {
  const ends = ciEnds(kpi, ci, replications);
  return ends.interval ? `95${NBSP}% CI ${ends.text}` : ends.text;
}

/** The same CI as its two ends, for a cell under a "95 % CI" heading (or why there are none). */
export function ciCell(kpi: string, ci: [number, number], replications: number): string {
  return ciEnds(kpi, ci, replications).text;
}

function ciEnds(
  kpi: string,
  ci: [number, number],
  replications: number,
): { interval: boolean; text: string } {
  if (replications < 2) return { interval: false, text: 'one replication, no CI' };
  if (ci[0] === ci[1]) return { interval: false, text: `the same in all ${replications} replications` };
  return { interval: true, text: `${statValue(kpi, ci[0])} – ${statValue(kpi, ci[1])}` };
}

/** A z score signed as every figure of the report is (`+1.20`, `−3.89`: a minus sign, not a hyphen). */
export function zText(z: number): string {
  return `${z >= 0 ? '+' : '−'}${Math.abs(z).toFixed(2)}`;
}

export function targetLine(t: TargetOutcome, replications: number): string {
  return `${t.kpi}: target ${statValue(t.kpi, t.value)}, fitted ${statValue(t.kpi, t.fitted.mean)} (${ciText(t.kpi, t.fitted.ci95, replications)}), ${zText(t.z)} standard errors${t.reached ? '' : ' — not reached'}`;
}

function relative(t: TargetOutcome, value: number): string {
  return t.value === 0 ? '' : ` (${signedPercent(value / t.value - 1)})`;
}

/** Why a target was not reached, in one sentence, or undefined when it was. */
export function unreachedText(t: TargetOutcome): string | undefined {
  if (t.reached) return undefined;
  const head = `${t.kpi}: target ${statValue(t.kpi, t.value)}, best fit ${statValue(t.kpi, t.fitted.mean)}${relative(t, t.fitted.mean)}, ${Math.abs(t.z).toFixed(1)} standard errors away`;
  const above = t.value > t.span.max;
  const below = t.value < t.span.min;
  if (!above && !below) {
    return `${head}; candidates did reach it (from ${statValue(t.kpi, t.span.min)} to ${statValue(t.kpi, t.span.max)}), but not together with the other targets: they pull the fitted paths apart`;
  }
  const extreme = above ? t.span.max : t.span.min;
  const candidate = above ? t.span.maxCandidate : t.span.minCandidate;
  const bounds = t.closest?.bounds ?? [];
  const hit =
    bounds.length === 0
      ? 'none of its fitted paths at a bound of the box'
      : `with ${bounds.map((b) => `${b.path} at its ${b.bound} bound ${pathValue(b.value)}`).join(' and ')}`;
  const widen =
    bounds.length === 0
      ? `widen the box or fit a path that moves ${t.kpi}`
      : `widen --fit ${bounds.map((b) => b.path).join(', ')} or fit a path that moves ${t.kpi}`;
  return `${head}; no candidate in the box got ${above ? 'above' : 'below'} ${statValue(t.kpi, extreme)}${relative(t, extreme)} (candidate ${candidate}, ${hit}): ${widen}`;
}

/** The model cannot match all targets at once, said plainly; undefined when it can. */
export function misfitText(result: CalibrationResult): string | undefined {
  const m = result.misfit;
  if (m === null || m.fits) return undefined;
  return `the best distance ${m.distance.toFixed(2)} over ${result.spec.targets.length} targets and ${result.spec.axes.length} fitted path(s) is above ${m.limit.toFixed(2)} (χ² with ${m.dof} degree(s) of freedom, 99 %): the model cannot match every target at once with these paths`;
}

/** Candidates listed by the warning on infeasible ones at most (calibration.csv marks every one). */
const INFEASIBLE_NAMED = 8;

/**
 * Candidates that gave a target KPI no value (kpi-value.ts), one sentence per KPI; none when every
 * candidate gave every target a value.
 */
export function infeasibleTexts(result: CalibrationResult): string[] {
  const all = result.candidates.length;
  return result.targets.flatMap((t) => {
    const ids = result.candidates.filter((c) => c.fit.absent.includes(t.kpi)).map((c) => c.candidate.id);
    if (ids.length === 0) return [];
    const more = ids.length > INFEASIBLE_NAMED ? ` and ${ids.length - INFEASIBLE_NAMED} more` : '';
    return [
      `${t.kpi}: ${ids.length} of ${all} candidates gave it no value (${noValueAfterRuns(t.kpi)}): candidate${ids.length === 1 ? '' : 's'} ${ids.slice(0, INFEASIBLE_NAMED).join(', ')}${more}; no distance can be computed for them, so they count as infeasible (ranked last, never the best, left out of the response surface; empty distance in calibration.csv)`,
    ];
  });
}

/** Every plain-spoken problem of the fit: infeasible candidates, unreached targets, then a misfit. */
export function warnings(result: CalibrationResult): string[] {
  return [
    ...infeasibleTexts(result),
    ...result.targets.flatMap((t) => unreachedText(t) ?? []),
    ...(misfitText(result) === undefined ? [] : [misfitText(result) as string]),
  ];
}
