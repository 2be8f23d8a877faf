/**
 * summary.json of a run, as ARCHITECTURE.md states it: scenario, overrides, seed, replications, events, wallSeconds,
 * kpis (a number with one replication, else { mean, ci95: [lo, hi], sd }) and invariants (which were
 * checked, how many violations, the violations themselves with their replication).
 */
import type { InvariantId, Violation } from '../sim/invariants/types.ts';
import {
  KPI_CATALOGUE,
  KPI_NAMES,
  KPI_PERIOD_TEXT,
  KPI_UNIT_TEXT,
  type KpiName,
  kpiInfo,
} from '../sim/kpis.ts';
import type { CheckMode } from './invariants.ts';
import type { PrecisionReport } from './precision.ts';
import type { RunResult } from './result.ts';

export type KpiSummary = number | { mean: number; ci95: [number, number]; sd: number };

export interface SummaryJson {
  scenario: string;
  /** The `--set` overrides of the run (Scenario.overrides), in order; empty when it ran the file as written. */
  overrides: string[];
  /** Simulated seconds (a comparison of runs of different lengths says so). */
  durationSeconds?: number;
  seed: number;
  replications: number;
  events: number;
  wallSeconds: number;
  eventsPerSecond: number;
  kpis: Record<KpiName, KpiSummary>;
  /**
   * `run --precision` only: the target h, the KPIs named, the replications after each batch, the cap,
   * whether every KPI reached the target, and each KPI's mean, half-width and relative half-width.
   */
  precision?: PrecisionReport;
  /** What the run warned of on stderr before it ran (reports/demand-warnings.ts); absent when nothing. */
  warnings?: string[];
  invariants: {
    mode: CheckMode;
    checked: InvariantId[];
    entries: number;
    violationCount: number;
    violations: (Violation & { replication: number })[];
  };
}

export function summaryJson(
  run: RunResult,
  mode: CheckMode,
  overrides: readonly string[] = [],
  durationSeconds?: number,
  warnings: readonly string[] = [],
): SummaryJson {
  const single = run.replications.length === 1;
  const kpis = {} as Record<KpiName, KpiSummary>;
  for (const k of KPI_NAMES) {
    const s = run.kpiStats[k];
    kpis[k] = single ? s.mean : { mean: s.mean, ci95: s.ci95, sd: s.sd };
  }
  const checked = new Set<InvariantId>();
  for (const r of run.replications) for (const id of r.invariants.checked) checked.add(id);
  return {
    scenario: run.scenario,
    overrides: [...overrides],
    ...(durationSeconds === undefined ? {} : { durationSeconds }),
    seed: run.seed,
    replications: run.replications.length,
    events: run.events,
    wallSeconds: run.wallSeconds,
    eventsPerSecond: run.wallSeconds > 0 ? Math.round(run.events / run.wallSeconds) : 0,
    kpis,
    ...(run.precision === undefined ? {} : { precision: run.precision }),
    ...(warnings.length === 0 ? {} : { warnings: [...warnings] }),
    invariants: {
      mode,
      checked: [...checked].sort((a, b) => a - b),
      entries: run.replications.reduce((n, r) => n + r.invariants.entries, 0),
      violationCount: run.replications.reduce((n, r) => n + r.invariants.violationCount, 0),
      violations: run.replications.flatMap((r) =>
        r.invariants.violations.map((v) => ({ replication: r.replication, ...v })),
      ),
    },
  };
}

/** A KPI described in a sentence from the catalogue: label, unit and period, what it measures, how to read it. */
export function kpiDescription(name: KpiName): string {
  const k = KPI_CATALOGUE.find((entry) => entry.name === name);
  if (k === undefined) return name;
  return `${k.label} (${KPI_UNIT_TEXT[k.unit]}, ${KPI_PERIOD_TEXT[k.period]}): ${k.measures}. ${k.reading}.`;
}

/** The JSON Schema of summary.json, its KPIs described from the catalogue (written to summary.schema.json). */
export function summaryJsonSchema(): Record<string, unknown> {
  // A cohort KPI may be absent (NaN, written null): the run was too short to measure it, or nobody arrived.
  const absent = {
    type: 'null',
    description: 'absent: the run is too short to measure it, or nobody arrived',
  };
  const kpi = (name: KpiName) => ({
    description: kpiDescription(name),
    oneOf: [
      { type: 'number', description: 'the value, with one replication' },
      { $ref: '#/$defs/stat', description: 'with replications: the mean, its 95 % CI and the SD' },
      ...(kpiInfo(name)?.period === 'cohort'
        ? [absent, { $ref: '#/$defs/absentStat', description: 'absent, with replications' }]
        : []),
    ],
  });
  const count = { type: 'integer', minimum: 0 };
  // A KPI's stat with replications: numbers, or every one null where the KPI is absent (the same shape).
  const stat = (type: 'number' | 'null', sd: { description?: string } = {}) => ({
    type: 'object',
    required: ['mean', 'ci95', 'sd'],
    properties: {
      mean: { type },
      ci95: { type: 'array', items: { type }, minItems: 2, maxItems: 2 },
      sd: { type, ...sd },
    },
  });
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'giftlab run summary.json',
    type: 'object',
    required: [
      'scenario',
      'overrides',
      'seed',
      'replications',
      'events',
      'wallSeconds',
      'eventsPerSecond',
      'kpis',
      'invariants',
    ],
    properties: {
      scenario: { type: 'string', description: 'the scenario name' },
      overrides: {
        type: 'array',
        items: { type: 'string' },
        description:
          'the --set overrides the run was made with (path=value, in order); empty: the file as written',
      },
      durationSeconds: {
        type: 'integer',
        minimum: 1,
        description: 'simulated seconds (absent in folders written before it)',
      },
      seed: { ...count, description: 'seed of the random streams' },
      replications: { ...count, description: 'independent replications the KPIs are over' },
      events: { ...count, description: 'simulation events processed, all replications' },
      wallSeconds: { type: 'number', description: 'wall-clock seconds the run took' },
      eventsPerSecond: { ...count, description: 'events ÷ wallSeconds, rounded' },
      kpis: {
        type: 'object',
        description: 'every KPI of the catalogue (sim/kpis.ts); names carry their unit, rates their period',
        required: [...KPI_NAMES],
        properties: Object.fromEntries(KPI_NAMES.map((name) => [name, kpi(name)])),
      },
      precision: {
        type: 'object',
        description: 'run --precision only: how the replications were chosen',
        required: ['target', 'kpis', 'batches', 'cap', 'reached', 'status'],
        properties: {
          target: { type: 'number', description: 'h: the relative half-width of the 95 % CI asked for' },
          kpis: { type: 'array', items: { type: 'string' }, description: 'the KPIs it was asked of' },
          batches: { type: 'array', items: count, description: 'replications run, after each batch' },
          cap: { ...count, description: 'the most replications it would run (--max-replications)' },
          reached: {
            type: 'boolean',
            description: 'every KPI met the target (false: the cap stopped the run)',
          },
          status: {
            type: 'array',
            items: {
              type: 'object',
              required: ['kpi', 'mean', 'halfWidth', 'relativeHalfWidth', 'met', 'needed'],
              properties: {
                kpi: { type: 'string' },
                mean: { type: 'number' },
                halfWidth: { type: 'number', description: 'half the width of the 95 % CI of the mean' },
                relativeHalfWidth: {
                  type: ['number', 'null'],
                  description: 'halfWidth ÷ |mean|; null for a mean of 0 not known exactly',
                },
                met: { type: 'boolean' },
                needed: { ...count, description: 'replications its sd says the target needs' },
              },
            },
          },
        },
      },
      warnings: {
        type: 'array',
        items: { type: 'string' },
        description:
          'what the run warned of on stderr before it ran (the report repeats it under Read with care); absent when nothing',
      },
      invariants: {
        type: 'object',
        required: ['mode', 'checked', 'entries', 'violationCount', 'violations'],
        properties: {
          mode: {
            enum: ['end', 'all'],
            description: "end: the ledger's state after each run; all: also every entry",
          },
          checked: {
            type: 'array',
            items: count,
            description: 'invariant ids checked (README, The invariants)',
          },
          entries: { ...count, description: 'journal entries checked' },
          violationCount: count,
          violations: { type: 'array', items: { type: 'object' } },
        },
      },
    },
    $defs: {
      stat: stat('number', { description: 'sample standard deviation over replications' }),
      absentStat: stat('null'),
    },
  };
}
