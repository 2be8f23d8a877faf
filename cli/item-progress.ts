/**
 * A progress bar over work items (points × replications) on stderr when it is a terminal — runs done
 * of the total and an ETA — and nothing at all otherwise (CI logs, pipes, tests).
 */
import cliProgress from 'cli-progress';
import type { Io } from './commands.ts';

/**
 * Time left at the run's average pace so far: elapsed × (total − done) ÷ done. Steadier than a
 * window of the latest updates (cli-progress's own ETA), which jumped between seconds and tens of
 * minutes when workers report in bursts and simulated days differ in cost. `…` until 2 % is done.
 */
export function etaText(elapsedSeconds: number, done: number, total: number): string {
  if (done <= 0 || done < 0.02 * total || elapsedSeconds < 1) return '…';
  const left = Math.max(0, Math.round((elapsedSeconds * (total - done)) / done));
  if (left < 60) return `${left}s`;
  if (left < 3600) return `${Math.floor(left / 60)}m${String(left % 60).padStart(2, '0')}s`;
  return `${Math.floor(left / 3600)}h${String(Math.floor((left % 3600) / 60)).padStart(2, '0')}m`;
}

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
      format: `${label} [{bar}] {value}/{total} runs (points × replications) | ETA {left}`,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const done = new Uint8Array(durations.length);
  let count = 0;
  const started = performance.now();
  bar.start(durations.length, 0, { left: '…' });
  return {
    update: (i, simSeconds) => {
      if (done[i] === 1 || simSeconds < durations[i]) return;
      done[i] = 1;
      count++;
      bar.update(count, { left: etaText((performance.now() - started) / 1000, count, durations.length) });
    },
    stop: () => bar.stop(),
  };
}
