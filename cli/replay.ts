/**
 * `giftlab replay <run|journal> --target url`: send a simulation's operations (`run --journal`) to a
 * gifting API and diff its ledger against the model's. Exit 0 on an exact match, 3 on a difference
 * (listed: the first diverging operation, the accounts, the cash per channel), 2 on bad input (no
 * ops.jsonl, a users file too small, another economy at the target, a target that is not fresh),
 * 130 when interrupted (run it again to resume).
 */

import { resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { runReplay } from '../load/replay/replay.ts';
import { renderReplay, renderStart } from '../load/replay/report.ts';
import { locateOpsFile } from '../load/replay/run-log.ts';
import { TargetLostError } from '../load/target-lost.ts';
import { usersFileFor } from '../load/users-file.ts';
import type { Io } from './commands.ts';
import { EXIT, ExitError, InputError } from './errors.ts';
import { parseRate } from './options.ts';

export interface ReplayCliOptions {
  target?: string;
  users?: string;
  adminToken?: string;
  rate?: string;
  concurrency?: number;
  limit?: number;
  quiet?: boolean;
}

export interface ReplayControl {
  signal?: AbortSignal;
  fetch?: typeof fetch;
}

export async function replay(
  input: string | undefined,
  options: ReplayCliOptions,
  io: Io,
  control: ReplayControl = {},
): Promise<number> {
  if (input === undefined) {
    throw new InputError({
      field: '<run|journal>',
      expected: 'a run folder written with giftlab run … --journal',
      found: 'nothing',
    });
  }
  // The run first: a missing one is the mistake to name, not the users file its target would need.
  locateOpsFile(resolve(io.cwd, input), input);
  const { users, shownAs: usersLabel } = usersFileFor(options.users, options.target, io.cwd, true);
  const interrupt = new AbortController();
  const onSignal = () => interrupt.abort();
  process.once('SIGINT', onSignal);
  control.signal?.addEventListener('abort', onSignal, { once: true });
  const progress = progressBar(io, options.quiet === true);
  try {
    const report = await runReplay({
      input: resolve(io.cwd, input),
      inputLabel: input,
      target: options.target,
      users,
      usersLabel,
      adminToken: options.adminToken ?? io.env.GIFTLAB_ADMIN_TOKEN ?? users.adminToken,
      concurrency: options.concurrency,
      ratePerSecond: options.rate === undefined ? undefined : parseRate(options.rate, 'operations'),
      limit: options.limit,
      signal: interrupt.signal,
      fetch: control.fetch,
      onStart: (start) => {
        io.stdout.write(renderStart(start, usersLabel));
        progress.start(start.log.ops.length);
      },
      onProgress: progress.update,
    }).catch((error: unknown) => {
      if (!(error instanceof TargetLostError)) throw error;
      throw new ExitError(
        `the target stopped answering during the replay (${error.message}); what it acknowledged stays: run the same command again to resume`,
        EXIT.threshold,
      );
    });
    progress.stop();
    io.stdout.write(renderReplay(report));
    if (report.comparison === undefined) {
      throw new ExitError('replay interrupted; run the same command again to resume', EXIT.interrupted);
    }
    if (!report.comparison.exact) {
      throw new ExitError("the target's ledger differs from the simulation's (listed above)", EXIT.violation);
    }
    return EXIT.ok;
  } finally {
    progress.stop();
    process.removeListener('SIGINT', onSignal);
    control.signal?.removeEventListener('abort', onSignal);
  }
}

interface Progress {
  start: (total: number) => void;
  update: (done: number, total: number) => void;
  stop: () => void;
}

/** A bar on stderr when it is a terminal: operations done (sent or skipped) of the log, rate, ETA. */
function progressBar(io: Io, quiet: boolean): Progress {
  if (quiet || io.stderr.isTTY !== true) return { start: () => {}, update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: io.stderr,
      format: 'replay [{bar}] {value}/{total} operations | {speed}/s | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 200,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = 0;
  let running = false;
  return {
    start: (total) => {
      started = performance.now();
      running = true;
      bar.start(total, 0, { speed: '0' });
    },
    update: (done) => {
      const seconds = (performance.now() - started) / 1000;
      if (done % 50 === 0)
        bar.update(done, { speed: seconds > 0 ? Math.round(done / seconds).toLocaleString('en-US') : '0' });
    },
    stop: () => {
      if (running) bar.stop();
      running = false;
    },
  };
}
