/**
 * The calibration report's charts, as the run report's `Chart`s (same figure markup, theme and
 * renderer): the search's convergence, each fitted path's course with its range, and every target
 * against its fit on one relative scale.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { CalibrationResult } from '../../experiments/calibrate/aggregate.ts';
import { roleOf } from '../calibrate/tables.ts';
import { ciText, pathValue, statValue } from '../calibrate/text.ts';
import { kpiLabel } from '../format.ts';
import type { Chart, LayerItem } from './charts/chart.ts';
import { FULL_WIDTH, INK, MEANING, relativeAxis } from './theme.ts';

const ROLE_COLORS = { domain: ['start', 'search', 'confirm'], range: [INK.muted, MEANING.band, '#f59e0b'] };

/** A candidate's number on an x axis: whole ticks only (the axis showed candidates 0.0, 0.5, 1.0, …). */
function candidateX(title: string) {
  return { field: 'candidate', type: 'quantitative' as const, title, axis: { tickMinStep: 1, format: 'd' } };
}

export function convergenceChart(result: CalibrationResult): Chart {
  let bestSoFar = Number.POSITIVE_INFINITY;
  const rows = result.candidates.map((c) => {
    bestSoFar = Math.min(bestSoFar, c.fit.distance);
    // A log axis cannot show 0: an exact hit is drawn at a hundredth.
    return {
      candidate: c.candidate.id,
      distance: Math.max(0.01, c.fit.distance),
      bestSoFar: Math.max(0.01, bestSoFar),
      role: roleOf(c),
      generation: c.candidate.generation,
    };
  });
  const x = candidateX('candidate (evaluation order)');
  const y = {
    type: 'quantitative' as const,
    title: 'distance to the targets',
    scale: { type: 'log' as const },
  };
  const spec: TopLevelSpec = {
    width: FULL_WIDTH,
    height: 240,
    layer: [
      {
        data: { values: rows },
        mark: { type: 'circle', size: 44, opacity: 0.85 },
        encoding: {
          x,
          y: { field: 'distance', ...y },
          color: { field: 'role', type: 'nominal', title: 'candidate', scale: ROLE_COLORS },
        },
      } as LayerItem,
      {
        data: { values: rows },
        mark: { type: 'line', interpolate: 'step-after', color: INK.text, strokeWidth: 1.5 },
        encoding: { x, y: { field: 'bestSoFar', ...y } },
      } as LayerItem,
    ],
  };
  return {
    id: 'convergence',
    title: 'Convergence: distance to the targets, candidate by candidate',
    reading: 'Did the search settle, and how far from the targets is the best it found?',
    spec,
    note: `Each dot is a candidate (${result.spec.replications} replication(s) each); the line is the lowest distance so far. Distance is the sum of squared standardised misses: about the number of targets when every miss is one standard error. The last generation (confirm) is planned from a response surface over the candidates.`,
  };
}

export function pathsChart(result: CalibrationResult): Chart {
  const { spec } = result;
  const within = new Set(result.withinNoise);
  const panels = result.paths.map((p, d) => {
    const rows = result.candidates.map((c) => ({
      candidate: c.candidate.id,
      value: c.candidate.values[d],
      near: within.has(c.candidate.id) ? 'within noise of the best' : 'farther',
    }));
    const y = { type: 'quantitative' as const, title: p.path, scale: { domain: [p.lo, p.hi], nice: false } };
    return {
      title: p.path,
      width: Math.floor((FULL_WIDTH - 60 * (result.paths.length - 1)) / result.paths.length),
      height: 200,
      layer: [
        {
          data: { values: [{ lo: p.range[0], hi: p.range[1] }] },
          mark: { type: 'rect', color: MEANING.band, opacity: 0.12 },
          encoding: { y: { field: 'lo', ...y }, y2: { field: 'hi' } },
        },
        {
          data: { values: rows },
          mark: { type: 'circle', size: 30 },
          encoding: {
            x: candidateX('candidate'),
            y: { field: 'value', ...y },
            color: {
              field: 'near',
              type: 'nominal',
              title: null,
              scale: { domain: ['within noise of the best', 'farther'], range: [MEANING.band, INK.faint] },
            },
          },
        },
        {
          data: { values: [{ best: p.best }] },
          mark: { type: 'rule', color: INK.text, strokeWidth: 1.5, strokeDash: [4, 3] },
          encoding: { y: { field: 'best', ...y } },
        },
      ],
    };
  });
  return {
    id: 'paths',
    title: 'Fitted paths: where the search looked',
    reading: 'Where did the search look for each path, and how wide is the range the targets allow?',
    spec: { hconcat: panels, spacing: 40 } as TopLevelSpec,
    note: `The y axis is each path's --fit box; the dashed line is the best value, the band its uncertainty range (${result.paths.map((p) => `${p.path} ${pathValue(p.range[0])} – ${pathValue(p.range[1])}`).join('; ')}). ${spec.axes.length === 1 ? '' : 'Paths that trade off against each other show wide ranges together.'}`,
  };
}

/** The targets chart's plot width: room on its left for the KPIs' names. */
const TARGETS_WIDTH = FULL_WIDTH - 200;

export function targetsChart(result: CalibrationResult): Chart {
  const rows = result.targets.map((t) => {
    const rel = (v: number) => (t.value === 0 ? v - t.value : v / t.value - 1);
    const half = 1.96 * (t.value === 0 ? t.scale.scale : t.scale.scale / Math.abs(t.value));
    return {
      // Named as the targets table names them (a ratio target keeps its own name).
      kpi: kpiLabel(t.kpi),
      targetLo: -half,
      targetHi: half,
      fitted: rel(t.fitted.mean),
      lo: rel(t.fitted.ci95[0]),
      hi: rel(t.fitted.ci95[1]),
      label: `${statValue(t.kpi, t.fitted.mean)} vs ${statValue(t.kpi, t.value)}`,
      reached: t.reached ? 'reached' : 'not reached',
    };
  });
  const y = { field: 'kpi', type: 'nominal' as const, title: null, sort: rows.map((r) => r.kpi) };
  const x = {
    type: 'quantitative' as const,
    title: 'fitted vs target (relative; 0 = on target)',
    // Trailing zeros trimmed, 0 shown and unsigned: the axis read −110.0 %, −90.0 %, … (+0.0 % hidden).
    axis: relativeAxis(TARGETS_WIDTH, '+.1~%'),
  };
  const spec: TopLevelSpec = {
    width: TARGETS_WIDTH,
    height: { step: 36 },
    layer: [
      {
        data: { values: rows },
        mark: { type: 'bar', color: MEANING.band, opacity: 0.15, height: 22 },
        encoding: { y, x: { field: 'targetLo', ...x }, x2: { field: 'targetHi' } },
      } as LayerItem,
      {
        data: { values: [{ zero: 0 }] },
        mark: { type: 'rule', color: INK.muted },
        encoding: { x: { field: 'zero', ...x } },
      } as LayerItem,
      {
        data: { values: rows },
        mark: { type: 'rule', strokeWidth: 2, color: INK.text },
        encoding: { y, x: { field: 'lo', ...x }, x2: { field: 'hi' } },
      } as LayerItem,
      {
        data: { values: rows },
        mark: { type: 'circle', size: 80, opacity: 1 },
        encoding: {
          y,
          x: { field: 'fitted', ...x },
          color: {
            field: 'reached',
            type: 'nominal',
            title: null,
            scale: { domain: ['reached', 'not reached'], range: [MEANING.platform, MEANING.loss] },
          },
        },
      } as LayerItem,
      {
        data: { values: rows },
        mark: { type: 'text', align: 'left', dx: 8, dy: -12, fontSize: 11, color: INK.muted },
        encoding: { y, x: { field: 'fitted', ...x }, text: { field: 'label' } },
      } as LayerItem,
    ],
  };
  return {
    id: 'targets',
    title: 'Targets against the fit',
    reading: 'Does the calibrated scenario reproduce each target, within its uncertainty?',
    spec,
    note: `The shaded band is each target ± 1.96 of its scale (its own standard error and the simulation's); the dot is the best candidate's mean, the bar its 95 % CI over ${result.spec.replications} replication(s) (${result.targets.map((t) => `${kpiLabel(t.kpi)}: ${ciText(t.kpi, t.fitted.ci95, result.spec.replications)}`).join('; ')}).`,
  };
}

export function calibrationCharts(result: CalibrationResult): Chart[] {
  return [targetsChart(result), convergenceChart(result), pathsChart(result)];
}
