/**
 * Every `giftlab` command in one list: usage, a one-line summary, its options and an example. Each
 * command's work lives in its own module, loaded only when that command runs.
 */
import type { Command } from 'commander';
import { collect } from './options.ts';

/** What a command may touch: its streams, working directory and environment (tests pass their own). */
export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export interface CommandSpec {
  usage: string;
  summary: string;
  example: string;
  configure?: (cmd: Command) => void;
  run: (args: string[], options: Record<string, unknown>, io: Io) => Promise<number>;
}

export const COMMANDS: CommandSpec[] = [
  {
    usage: 'validate <scenario>',
    summary: 'check a scenario file; print it resolved (defaults filled) or list every error',
    example: 'giftlab validate scenarios/baseline.yaml --set payout.creatorShare=0.6',
    configure: (cmd) =>
      cmd
        .option('--set <path=value>', 'override a scenario value (repeatable)', collect)
        .option('--json', 'print the resolved scenario as JSON instead of YAML'),
    run: async ([file], options, io) => (await import('./validate.ts')).validate(file, options, io),
  },
  {
    usage: 'compare <runA> <runB>',
    summary: 'side-by-side KPIs of two run folders with differences, 95 % CIs and Welch’s t-test',
    example: 'giftlab compare runs/baseline runs/creator-share-60 --out runs/compare',
    configure: (cmd) =>
      cmd.option('--out <dir>', 'folder for compare.csv and compare.html (default runs/compare/<A>-vs-<B>)'),
    run: async ([runA, runB], options, io) => (await import('./compare.ts')).compare(runA, runB, options, io),
  },
];
