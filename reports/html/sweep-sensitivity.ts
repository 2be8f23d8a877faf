/**
 * The sweep report's global-sensitivity charts, for `--kpi`: Sobol indices (each path's first- and
 * total-order index side by side, with bootstrap 95 % CIs) and Morris screening (each path's μ* with
 * its CI against σ). Every KPI's figures are in sobol.csv / morris.csv. Both say how much of what they
 * show is replication noise (`noiseLines`, which stdout prints too) and warn when it is too much.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { SweepResult } from '../../experiments/sweep/aggregate.ts';
import { MORRIS_LEVELS } from '../../experiments/sweep/morris.ts';
import {
  morrisVerdict,
  NOISE_SHARE_WARN,
  type NoiseVerdict,
  rankedMorrisRows,
  rankedSobolRows,
  sobolVerdict,
} from '../../experiments/sweep/sensitivity.ts';
import { count, kpiLabel, kpiLabelInText, kpiValue } from '../format.ts';
import type { Chart, FactGroup } from './charts/chart.ts';
import { axisFormat, axisTitle, shown } from './sweep-charts.ts';
import { FULL_WIDTH, INK, MEANING } from './theme.ts';

const FIRST = 'first order (S1): alone';
const TOTAL = 'total order (ST): with interactions';

export function sobolChart(result: SweepResult): Chart {
  const { spec } = result;
  const kpi = spec.kpi;
  const rows = rankedSobolRows(result.sobol, kpi);
  const title = `Sobol indices: what explains the variance of ${kpiLabelInText(kpi)}`;
  const reading = `What share of the variance of ${kpiLabelInText(kpi)} over the ranges does each path explain, alone and with its interactions?`;
  if (result.kpiAbsent.length > 0) {
    return {
      id: 'sobol',
      title,
      reading,
      spec: null,
      note: absentNote(result, 'Sobol indices', 'sobol.csv'),
    };
  }
  if (rows.length === 0 || rows.every((r) => !Number.isFinite(r.st))) {
    return {
      id: 'sobol',
      title,
      reading,
      spec: null,
      note: `${kpiLabel(kpi)} takes one value at every point of the design: there is no variance to apportion.`,
    };
  }
  const bars = rows.flatMap((r) => [
    { path: r.path, index: FIRST, value: r.s1, lo: r.s1Ci95[0], hi: r.s1Ci95[1], text: r.s1.toFixed(2) },
    { path: r.path, index: TOTAL, value: r.st, lo: r.stCi95[0], hi: r.stCi95[1], text: r.st.toFixed(2) },
  ]);
  const ends = bars.flatMap((b) => [b.lo, b.hi, b.value]).filter(Number.isFinite);
  const domain = [Math.min(0, ...ends), Math.max(1, ...ends)];
  const y = {
    field: 'path',
    type: 'nominal' as const,
    sort: rows.map((r) => r.path),
    title: null,
    axis: { labelColor: INK.text, labelLimit: 300 },
  };
  const yOffset = { field: 'index', type: 'nominal' as const, sort: [FIRST, TOTAL] };
  const x = {
    type: 'quantitative' as const,
    title: 'share of the variance (0–1); whiskers: bootstrap 95 % CI',
    scale: { domain, nice: false, zero: false },
    axis: { format: '.1f', grid: true, tickCount: 10 },
  };
  const chartSpec = {
    width: FULL_WIDTH - 300,
    height: { step: 16 },
    layer: [
      {
        data: { values: bars },
        mark: { type: 'bar', opacity: 0.9 },
        encoding: {
          y,
          yOffset,
          x: { field: 'value', ...x },
          x2: { datum: 0 },
          color: {
            field: 'index',
            type: 'nominal',
            title: null,
            scale: { domain: [FIRST, TOTAL], range: ['#93c5fd', MEANING.band] },
            legend: { orient: 'top', labelLimit: 400 },
          },
        },
      },
      {
        data: { values: bars },
        mark: { type: 'rule', color: INK.text, strokeWidth: 1.2 },
        encoding: { y, yOffset, x: { field: 'lo', ...x }, x2: { field: 'hi' } },
      },
      {
        data: { values: bars },
        mark: { type: 'text', align: 'left', dx: 4, fontSize: 10, color: INK.muted },
        encoding: { y, yOffset, x: { field: 'hi', ...x }, text: { field: 'text' } },
      },
      {
        data: { values: [{ zero: 0 }] },
        mark: { type: 'rule', color: INK.domain },
        encoding: { x: { field: 'zero', type: 'quantitative' } },
      },
    ],
  } as TopLevelSpec;
  const top = rows[0];
  const n = spec.sobolSamples ?? 0;
  const noise = noiseLines(result);
  const corrected = rows.filter((r) => Number.isFinite(r.stCorrected));
  const facts: FactGroup[] = [
    noiseFacts(result, noise),
    ...(corrected.length === 0
      ? []
      : [
          {
            heading: 'Less the noise',
            rows: corrected.map((r) => ({
              label: r.path,
              value: `ST ${r.stCorrected.toFixed(2)} · S1 ${r.s1Corrected.toFixed(2)}`,
            })),
          },
        ]),
  ];
  return {
    id: 'sobol',
    title,
    reading,
    spec: chartSpec,
    facts,
    note:
      noteLines(noise.lines) +
      `Saltelli's design: ${count(n)} base samples × (${spec.axes.length} paths + 2) = ${count(n * (spec.axes.length + 2))} points over the --vary ranges, ` +
      `each the mean of ${spec.replications === 1 ? 'one replication' : `${spec.replications} replications`} with the same seeds at every point. ` +
      `S1 (Saltelli 2010) is the share a path explains alone, ST (Jansen) with every interaction it takes part in; ` +
      `ST near 0 means the path does not move the KPI over its range, ST well above S1 that it acts through interactions. ` +
      `Estimates carry sampling noise (an index can come out a little below 0 or above 1; they are drawn as estimated, not clipped): raise --sobol to narrow the whiskers. ` +
      `Largest: ${top.path} (ST ${top.st.toFixed(2)}).`,
  };
}

export function morrisChart(result: SweepResult): Chart {
  const { spec } = result;
  const kpi = spec.kpi;
  const rows = rankedMorrisRows(result.morris, kpi);
  const points = rows.map((r) => ({
    path: r.path,
    muStar: shown(kpi, r.muStar),
    lo: shown(kpi, r.muStarCi95[0]),
    hi: shown(kpi, r.muStarCi95[1]),
    sigma: shown(kpi, r.sigma),
  }));
  const x = {
    type: 'quantitative' as const,
    title: `μ*: mean |elementary effect| over a path's whole range (${axisTitle(kpi)}); whiskers: 95 % CI`,
    scale: { zero: true, nice: true },
    axis: { format: axisFormat(kpi), grid: true },
  };
  const y = {
    field: 'sigma',
    type: 'quantitative' as const,
    title: `σ of the effects (${axisTitle(kpi)})`,
    scale: { zero: true, nice: true },
    axis: { format: axisFormat(kpi), grid: true },
  };
  const chartSpec = {
    width: FULL_WIDTH - 200,
    height: 280,
    data: { values: points },
    layer: [
      {
        mark: { type: 'rule', color: INK.faint, strokeWidth: 1.5 },
        encoding: { y, x: { field: 'lo', ...x }, x2: { field: 'hi' } },
      },
      {
        mark: { type: 'circle', size: 80, color: MEANING.band, opacity: 1 },
        encoding: { y, x: { field: 'muStar', ...x } },
      },
      {
        mark: { type: 'text', align: 'left', dx: 7, dy: -7, fontSize: 11, color: INK.text },
        encoding: { y, x: { field: 'muStar', ...x }, text: { field: 'path' } },
      },
    ],
  } as TopLevelSpec;
  const top = rows[0];
  const r = spec.morrisTrajectories ?? 0;
  const noise = noiseLines(result);
  return {
    id: 'morris',
    title: `Morris screening: which paths move ${kpiLabelInText(kpi)}`,
    reading: `Which paths move ${kpiLabelInText(kpi)} at all (right), and which act non-linearly or through other paths (up)?`,
    spec: rows.length === 0 ? null : chartSpec,
    ...(rows.length === 0 ? {} : { facts: [noiseFacts(result, noise)] }),
    note:
      noteLines(noise.lines) +
      `${count(r)} trajectories × (${spec.axes.length} paths + 1) = ${count(r * (spec.axes.length + 1))} points on a ${MORRIS_LEVELS}-level grid of each range; ` +
      `each step moves one path by 2/3 of its range and its elementary effect is the change of the KPI per whole range. ` +
      `μ* near 0: the path does not matter over its range; σ large against μ*: its effect depends on where the other paths are. ` +
      `A screening, not a variance split: use --sobol on the paths that matter.` +
      (top === undefined ? '' : ` Largest: ${top.path} (μ* ${kpiValue(kpi, top.muStar)}).`) +
      (result.kpiAbsent.length > 0 ? ` ${absentNote(result, 'elementary effects', 'morris.csv')}` : ''),
  };
}

/** Why a sensitivity chart of --kpi is empty: it has no value at some point of the design. */
function absentNote(result: SweepResult, what: string, file: string): string {
  const n = result.kpiAbsent.length;
  return `No chart: ${kpiLabel(result.spec.kpi)} has no value at ${count(n)} of ${count(result.spec.points.length)} points (listed at the top), and ${what} need a value at every point of the design. ${file} has every other KPI's.`;
}

/** The verdict on --kpi's replication noise (sensitivity.ts), null when it has no indices. */
export function noiseVerdict(result: SweepResult): NoiseVerdict | null {
  const { spec } = result;
  if (result.kpiAbsent.length > 0) return null;
  if (result.sobol) return sobolVerdict(result.sobol, spec.kpi, spec.replications);
  if (result.morris) return morrisVerdict(result.morris, spec.kpi, spec.replications);
  return null;
}

/** A noise share from which the points' spread is said to be about all noise. */
const NOISE_ALL = 0.9;

const REMEDY =
  'remedy: more replications per point (--replications), or a bigger population (population.viewers), so that each point mean carries less noise';
const WHO =
  "the parameters that change what is drawn absorb it — whatever moves creators' streams (payout.creatorShare does, through creators.earningsResponse) reshuffles every later draw — and those that change nothing drawn get little or none";

/**
 * What to say of --kpi's replication noise, on stdout and in the report: its share (or that one
 * replication cannot separate it), a warning (a line starting `warning:`) when the share reaches
 * NOISE_SHARE_WARN or an index is outside [0, 1] beyond its CI, and the indices outside [0, 1] whose
 * CI reaches back in (shown raw, never clipped).
 */
export function noiseLines(result: SweepResult): { lines: string[]; warn: boolean } {
  const v = noiseVerdict(result);
  if (v === null) return { lines: [], warn: false };
  const kpi = v.kpi;
  const morris = result.morris !== null;
  const lines: string[] = [];
  if (!v.separable) {
    lines.push(
      'replication noise: cannot be separated from the effects with one replication per point, and the indices of parameters that change what is drawn may be partly noise; use --replications 2 or more to measure it.',
    );
  } else if (Number.isFinite(v.noiseShare)) {
    const of = morris
      ? `of the mean square of the elementary effects of ${kpi}`
      : `of the variance of the point means of ${kpi} that the indices decompose`;
    lines.push(
      `replication noise: ${shareText(v.noiseShare)} ${of} (measured over ${v.replications} replications per point: the noise common random numbers do not cancel)` +
        (v.noiseShare > 1
          ? `: more than all of it (an estimate over ${v.replications} replications is itself noisy) — these points differ by no more than noise.`
          : v.noiseShare >= NOISE_ALL
            ? ': about all of it, these points cannot tell effects from noise.'
            : '.'),
    );
  }
  if (v.warn) {
    const causes = [
      ...(v.separable && v.noiseShare >= NOISE_SHARE_WARN
        ? [`noise share ${shareText(v.noiseShare)} ≥ ${NOISE_SHARE_WARN}`]
        : []),
      ...v.stray
        .filter((s) => s.beyondCi)
        .map(
          (s) =>
            `${s.index} of ${s.path} ${s.value.toFixed(3)} [${s.ci95[0].toFixed(3)}, ${s.ci95[1].toFixed(3)}] outside [0, 1] beyond its CI`,
        ),
    ];
    const named =
      v.absorbers.length === 0
        ? ''
        : morris
          ? `; here ${v.absorbers.map((a) => `${a.path} (μ* ${kpiValue(kpi, a.raw)}, noise sd of one effect ${kpiValue(kpi, a.noise)})`).join(', ')}`
          : `; here ${v.absorbers.map((a) => `${a.path} (ST ${a.raw.toFixed(2)}, of which noise ${a.noise.toFixed(2)}; ${Number.isNaN(a.corrected) ? 'nothing left once the noise is taken out' : `${a.corrected.toFixed(2)} less the noise`})`).join(', ')}`;
    lines.push(
      `warning: ${causes.join('; ')}: ${morris ? 'μ* and σ' : 'S1 and ST'} mix noise with effects; ${WHO}${named}; ${REMEDY}.`,
    );
  }
  for (const s of v.stray.filter((x) => !x.beyondCi)) {
    lines.push(
      `${s.index} of ${s.path} is ${s.value.toFixed(3)}, outside [0, 1], shown as estimated (not clipped); its CI [${s.ci95[0].toFixed(3)}, ${s.ci95[1].toFixed(3)}] reaches into [0, 1]: estimator noise, raise --sobol${v.separable ? '' : ' and --replications'}.`,
    );
  }
  return { lines, warn: v.warn };
}

/** The noise lines as the start of a chart's note: the warning first, each a sentence. */
function noteLines(lines: readonly string[]): string {
  const first = [
    ...lines.filter((l) => l.startsWith('warning:')),
    ...lines.filter((l) => !l.startsWith('warning:')),
  ];
  return first.map((l) => `${l[0].toUpperCase()}${l.slice(1)} `).join('');
}

function shareText(x: number): string {
  return Number.isFinite(x) ? x.toFixed(2) : '–';
}

/** The report's facts beside a sensitivity chart: the noise share and the replications behind it. */
function noiseFacts(result: SweepResult, noise: { warn: boolean }): FactGroup {
  const v = noiseVerdict(result);
  const share = v === null ? '–' : v.separable ? shareText(v.noiseShare) : 'not separable (1 replication)';
  return {
    heading: noise.warn ? 'Replication noise: warning' : 'Replication noise',
    ...(noise.warn ? { color: MEANING.loss } : {}),
    rows: [
      { label: 'noise share', value: share },
      { label: 'warning from', value: String(NOISE_SHARE_WARN) },
      { label: 'replications per point', value: count(result.spec.replications) },
    ],
  };
}
