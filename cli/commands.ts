/**
 * Every `giftlab` command in one list: usage, a one-line summary, its options and an example. Each
 * command's work lives in its own module, loaded only when that command runs.
 */
import type { Command } from 'commander';

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

export const COMMANDS: CommandSpec[] = [];
