/** Helpers for the sweep, shard and merge tests: captured streams, a temp folder, tiny scenarios. */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { type Captured, captureIo, runGiftlab } from '../support/io.ts';

export const BASELINE = 'scenarios/baseline.yaml';

/** A population small enough that a run takes a few milliseconds. */
export const TINY = [
  '--set',
  'population.viewers=2000',
  '--set',
  'population.creators=50',
  '--set',
  'duration=6h',
];

export type { Captured };

export function capture(): Captured {
  return captureIo();
}

/** Runs `giftlab …args` in-process; returns the exit code and what it printed. */
export async function giftlab(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return runGiftlab(args);
}

export function tempDir(label: string): string {
  return mkdtempSync(join(os.tmpdir(), `giftlab-${label}-`));
}

export function read(dir: string, file: string): string {
  return readFileSync(join(dir, file), 'utf8');
}

/** CSV text as rows of cells (no quoted commas in the files these tests read). */
export function csvRows(text: string): string[][] {
  return text
    .trim()
    .split('\n')
    .map((line) => line.split(','));
}

/**
 * `--set`s for nine small days with viewers arriving: retentionD7 is measured where a viewer arrives on
 * day 0 (of 9), and with few arrivals a day some replications have none early enough.
 */
export function nineDays(arrivalsPerDay: number): string[] {
  return [
    '--set',
    'population.viewers=500',
    '--set',
    'population.creators=20',
    '--set',
    'duration=9d',
    '--set',
    'intervalSeconds=1d',
    '--set',
    `lifecycle.arrivalsPerDay=${arrivalsPerDay}`,
  ];
}
