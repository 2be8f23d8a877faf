/**
 * `compare --precision h --kpi k`: are two runs' figures precise enough to read? compare works on run
 * folders, so it cannot add replications itself: it checks, per named KPI, each run's 95 % CI
 * half-width against h × |its mean| (the rule of `run --precision`) and the difference's (paired when
 * the runs are) against h × |A's mean| — the difference known to within h of A's level, which stays
 * meaningful when the difference is 0 — and says how many replications each would take
 * (experiments/precision.ts's replicationsFor, from the sd). Short of the target it exits 99 after
 * writing its outputs, naming the `run --precision` to run again.
 */
import { InputError, shown } from '../../common/input-error.ts';
import { relativeHalfWidth, replicationsFor } from '../../experiments/precision.ts';
import type { Comparison, KpiComparison } from './compare.ts';
import type { KpiSample } from './run-folder.ts';

export interface PrecisionCheck {
  /** Half-width ÷ |mean| (of A's mean for the difference); Infinity for an uncertain mean of 0. */
  relativeHalfWidth: number;
  met: boolean;
  /** Replications (per run) the target needs, from the current sd; this run's when met. */
  needed: number;
}

export interface ComparePrecisionRow {
  kpi: string;
  a: PrecisionCheck;
  b: PrecisionCheck;
  /** null when either run has one replication (no interval). */
  diff: PrecisionCheck | null;
}

export interface ComparePrecision {
  target: number;
  rows: ComparePrecisionRow[];
  met: boolean;
}

export function comparePrecision(c: Comparison, kpis: readonly string[], target: number): ComparePrecision {
  const names = c.rows.map((r) => r.kpi);
  const unknown = kpis.filter((k) => !names.includes(k));
  if (unknown.length > 0) {
    throw new InputError({
      field: '--kpi',
      expected: `a KPI both runs report (${names.slice(0, 4).join(', ')}, …)`,
      found: unknown.map((k) => shown(k)).join(', '),
    });
  }
  const rows = kpis.map((kpi) => {
    const r = c.rows.find((row) => row.kpi === kpi) as KpiComparison;
    return { kpi, a: ownCheck(r.a, target), b: ownCheck(r.b, target), diff: diffCheck(r, target) };
  });
  const met = rows.every((r) => r.a.met && r.b.met && (r.diff?.met ?? false));
  return { target, rows, met };
}

function ownCheck(s: KpiSample, target: number): PrecisionCheck {
  if (s.n < 2) return { relativeHalfWidth: Number.POSITIVE_INFINITY, met: false, needed: Number.NaN };
  const rel = relativeHalfWidth({ mean: s.mean, ci95: s.ci95, sd: s.sd });
  const met = rel <= target;
  return {
    relativeHalfWidth: rel,
    met,
    needed: met ? s.n : Math.max(s.n + 1, replicationsFor(s.sd, s.mean, target)),
  };
}

function diffCheck(r: KpiComparison, target: number): PrecisionCheck | null {
  const test = r.paired ?? r.welch;
  if (test === null) return null;
  const half = (test.ci95[1] - test.ci95[0]) / 2;
  const scale = Math.abs(r.a.mean);
  const rel = half === 0 ? 0 : scale === 0 ? Number.POSITIVE_INFINITY : half / scale;
  const met = rel <= target;
  // The sd of one replication's difference: the paired differences', or both runs' spreads added.
  const sd = r.paired ? r.paired.se * Math.sqrt(r.a.n) : Math.sqrt(r.a.sd ** 2 + r.b.sd ** 2);
  const n = Math.min(r.a.n, r.b.n);
  return {
    relativeHalfWidth: rel,
    met,
    needed: met ? n : Math.max(n + 1, replicationsFor(sd, r.a.mean, target)),
  };
}

function checkText(p: PrecisionCheck): string {
  if (Number.isNaN(p.needed)) return 'one replication: no interval ✗';
  const rel = Number.isFinite(p.relativeHalfWidth) ? `±${(p.relativeHalfWidth * 100).toFixed(2)} %` : '±∞';
  if (p.met) return `${rel} ✓`;
  return `${rel} ✗ (about ${Number.isFinite(p.needed) ? p.needed.toLocaleString('en-US') : '∞'} replications)`;
}

/** Lines for stdout (and the page): each named KPI, A, B and B − A against the target. */
export function precisionLines(p: ComparePrecision): string[] {
  const target = `${Number((p.target * 100).toFixed(4))} %`;
  return [
    `precision (target: 95 % CI half-width within ±${target} of the mean; for B − A, of A's mean):`,
    ...p.rows.map(
      (r) =>
        `  ${r.kpi}: A ${checkText(r.a)}, B ${checkText(r.b)}, B − A ${r.diff === null ? 'no interval (a run with one replication) ✗' : checkText(r.diff)}`,
    ),
  ];
}

export function precisionShortfall(p: ComparePrecision): string {
  const needed = Math.max(
    2,
    ...p.rows.flatMap((r) =>
      [r.a, r.b, r.diff]
        .map((x) => (x === null ? Number.NaN : x.met ? 2 : x.needed))
        .filter((x) => !Number.isNaN(x)),
    ),
  );
  if (!Number.isFinite(needed))
    return 'precision not reached (exit 99): a KPI whose mean is 0 has no relative precision; name another with --kpi';
  return `precision not reached (exit 99): about ${needed.toLocaleString('en-US')} replications per run would do; rerun both with giftlab run <scenario> --replications ${needed} (the same seed and count keep the comparison paired)`;
}
