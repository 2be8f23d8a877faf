/**
 * giftlab's k6 script: scenario-shaped load on a gifting API, every write recorded for the audit.
 * Bundled by `load/bundle` (esbuild) into `load/dist/giftlab-k6.js`, which k6 v0.49 and later run.
 *
 * Inputs (environment, set by `giftlab load`): GIFTLAB_WORKLOAD (the run's workload JSON),
 * GIFTLAB_TARGET_PROFILE (the target profile JSON), GIFTLAB_USERS (the users file), GIFTLAB_TARGET (the
 * base URL), GIFTLAB_RUN_ID and GIFTLAB_OUT_DIR (where handleSummary writes). See load/k6/README.md.
 */
import exec from 'k6/execution';
import { Counter } from 'k6/metrics';
import { buildOptions } from './lib/options.ts';
import { runIdProblem } from './lib/run-id.ts';
import { CUSTOM_METRICS, junitXml, type SummaryData, textSummary } from './lib/summary.ts';
import { Client, type Metrics } from './runtime/client.ts';
import { readInputs } from './runtime/inputs.ts';
import { phaseTeller } from './runtime/phase.ts';
import { playIteration } from './runtime/player.ts';
import { raceRound, smokeRound } from './runtime/probes.ts';
import { vuState } from './runtime/vu.ts';
import type { Ctx } from './runtime/writes.ts';

const inputs = readInputs(__ENV);

// ── options: the profile's scenario and the thresholds that decide pass or fail ──────────────────
export const options = buildOptions(inputs.workload, inputs.target);

// ── custom metrics ──────────────────────────────────────────────────────────────────────────────
const metrics: Metrics = {
  coinsPurchased: new Counter(CUSTOM_METRICS.coinsPurchased),
  coinsGifted: new Counter(CUSTOM_METRICS.coinsGifted),
  overdraftRejections: new Counter(CUSTOM_METRICS.overdraftRejections),
  idempotentReplays: new Counter(CUSTOM_METRICS.idempotentReplays),
  unknownOutcomes: new Counter(CUSTOM_METRICS.unknownOutcomes),
  coveredRefusals: new Counter(CUSTOM_METRICS.coveredRefusals),
};

const client = new Client(inputs.target, inputs.targetUrl, metrics, phaseTeller(inputs.workload));
const iterationErrors = new Counter(CUSTOM_METRICS.iterationErrors);

/** Runs one iteration: one that throws is counted (a threshold fails the run on it), then rethrown. */
function iteration(round: () => void): void {
  try {
    round();
  } catch (error) {
    iterationErrors.add(1);
    throw error;
  } finally {
    client.flush();
  }
}

interface SetupData {
  runId: string;
}

// ── setup: one run id for the keys (the operator passes the same GIFTLAB_RUN_ID to every runner) ──
export function setup(): SetupData {
  const runId = inputs.runId ?? `r${Date.now().toString(36)}`;
  const problem = runIdProblem(runId);
  if (problem !== null) throw new Error(`GIFTLAB_RUN_ID ${JSON.stringify(runId)}: ${problem}`);
  return { runId };
}

/** This VU's context, built at its first iteration and kept (the run id is the same for every one). */
let vuCtx: Ctx | undefined;

function ctx(data: SetupData): Ctx {
  if (vuCtx === undefined) {
    vuCtx = { inputs, w: inputs.workload, client, metrics, state: vuState(inputs, data.runId) };
  }
  return vuCtx;
}

// ── scenario functions (named by `exec` in the options) ─────────────────────────────────────────
export function smoke(data: SetupData): void {
  iteration(() => smokeRound(ctx(data)));
}

export function economy(data: SetupData): void {
  iteration(() => playIteration(ctx(data)));
}

export function race(data: SetupData): void {
  iteration(() => raceRound(ctx(data)));
}

// ── teardown ────────────────────────────────────────────────────────────────────────────────────
export function teardown(data: SetupData): void {
  console.log(`giftlab: run ${data.runId} done on ${exec.test.options.executionSegment ?? 'the whole test'}`);
}

// ── handleSummary: the text table, summary.json and junit.xml ───────────────────────────────────
export function handleSummary(data: SummaryData): Record<string, string> {
  const meta = {
    profile: inputs.workload.profile,
    scenario: inputs.workload.scenario,
    target: inputs.targetUrl,
    vus: inputs.workload.vus,
    // The run's --thresholds (the workload holds only those: options.ts adds them to the profile's), so
    // that one which judged nothing is counted failed in the table as in the exit code.
    given: inputs.workload.thresholds,
  };
  return {
    stdout: textSummary(data, meta),
    [`${inputs.outDir}/${inputs.outPrefix}summary.json`]: `${JSON.stringify({ giftlab: meta, ...data }, null, 2)}\n`,
    [`${inputs.outDir}/${inputs.outPrefix}junit.xml`]: junitXml(data, meta),
  };
}
