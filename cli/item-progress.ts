/**
 * A progress bar over work items (points × replications) on stderr when it is a terminal — runs done
 * of the total and an ETA — and nothing at all otherwise (CI logs, pipes, tests).
 */
import cliProgress from 'cli-progress';
import type { Io } from './commands.ts';

export interface ItemProgress {
  /** Pool progress of item `i`: it is done once `simSeconds` reaches its duration. */
  update: (i: number, simSeconds: number, events: number) => void;
  stop: () => void;
}

export function itemProgress(
  io: Io,
  label: string,
  durations: readonly number[],
  quiet: boolean,
): ItemProgress {
  if (quiet || io.stderr.isTTY !== true || durations.length === 0)
    return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: io.stderr,
      format: `${label} [{bar}] {value}/{total} runs (points × replications) | ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  const done = new Uint8Array(durations.length);
  let count = 0;
  bar.start(durations.length, 0);
  return {
    update: (i, simSeconds) => {
      if (done[i] === 1 || simSeconds < durations[i]) return;
      done[i] = 1;
      bar.update(++count);
    },
    stop: () => bar.stop(),
  };
}
