/**
 * Scenarios built in code for the simulation tests: a small, simple economy (one channel unless told
 * otherwise) whose closed forms are easy to write down, merged with each test's overrides and
 * validated exactly as a file would be.
 */
import { deepMerge, loadScenarioFile, validateScenario } from '../../scenarios/load.ts';
import { modelParams } from '../../scenarios/model-params.ts';
import type { Scenario } from '../../scenarios/schema/scenario.ts';
import { runLedgerOptions } from '../../sim/engine/crowd.ts';
import { createLedger } from '../../sim/engine/faults.ts';
import { Simulation } from '../../sim/engine/simulation.ts';
import type { ModelParams } from '../../sim/model/params.ts';
import { createStreams } from '../../sim/random/streams.ts';

export const SIMPLE: Record<string, unknown> = {
  name: 'simple',
  seed: 7,
  duration: 86_400,
  intervalSeconds: 3600,
  population: { viewers: 1000, creators: 20, creatorPopularityZipf: 1 },
  viewers: {
    payerShare: 1,
    budget: { distribution: 'fixed', minCents: 99 },
    channels: { app: 1 },
    // Always watching (a day of one-hour sessions) and gifting every minute: everyone gifts early on.
    sessionsPerDay: 24,
    sessionMinutes: 60,
    diurnal: { amplitude: 0 },
    liveShare: 0,
    giftsPerHour: 60,
    budgetPacing: 0,
    motives: { support: 1, interaction: 0, visibility: 0 },
  },
  creators: {
    streamsPerDay: 2,
    streamMinutes: 120,
    diurnal: { amplitude: 0 },
    videoGiftRate: 1,
    withdrawAtDiamonds: 1_000_000_000,
  },
  audienceEffect: { curve: 'flat' },
  pricing: { channels: { app: { storeFee: 0.3, packs: [{ id: 'c70', coins: 70, priceCents: 99 }] } } },
  gifts: [{ id: 'seventy', coins: 70 }],
  payout: { creatorShare: 0.5, diamondValueCents: 0.5, withdrawal: { minDiamonds: 100 } },
};

/** SIMPLE with `overrides` merged in (maps key by key) and `replace`d top-level sections. */
export function scenario(
  overrides: Record<string, unknown> = {},
  replace: Record<string, unknown> = {},
): Scenario {
  return validateScenario({ ...deepMerge(SIMPLE, overrides), ...replace }, 'simple');
}

/** `--set`s that multiply every pack price of a scenario file by k (rounded to whole cents). */
export function packPriceSets(file: string, k: number): string[] {
  const s = loadScenarioFile(file);
  return s.economy.channels.flatMap((c) =>
    c.packs.map((p, i) => `pricing.channels.${c.id}.packs.${i}.priceCents=${Math.round(p.priceCents * k)}`),
  );
}

/**
 * The previous model at any prices: conversion does not respond, payers spend their budgets in cents,
 * buy the smallest covering pack and choose channels by the one-off switch (viewers.webSwitch).
 */
export const LEGACY_SETS = [
  'demand.conversionElasticity=0',
  'demand.intensityElasticity=-1',
  'demand.packChoice.rule=smallest',
  'demand.channelChoice.rule=switch',
];

/** Replication i of a scenario run by hand, to look inside the engine at the end (viewers, creators). */
export function simulated(s: Scenario, replication: number): { sim: Simulation; params: ModelParams } {
  const params = modelParams(s);
  const ledger = createLedger(s.economy, runLedgerOptions(params));
  const sim = new Simulation(params, ledger, createStreams(s.seed, replication));
  sim.run();
  return { sim, params };
}
