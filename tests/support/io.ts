/** An `Io` for command tests: stdout and stderr captured, working directory and environment chosen. */
import { Writable } from 'node:stream';
import type { Io } from '../../cli/commands.ts';
import { main } from '../../cli/main.ts';

export interface Captured {
  io: Io;
  out: () => string;
  err: () => string;
}

export function captureIo(cwd = process.cwd(), env: NodeJS.ProcessEnv = {}): Captured {
  let out = '';
  let err = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, done) {
        append(String(chunk));
        done();
      },
    });
  const io: Io = {
    stdout: sink((s) => {
      out += s;
    }),
    stderr: sink((s) => {
      err += s;
    }),
    cwd,
    env,
  };
  return { io, out: () => out, err: () => err };
}

/** Runs `giftlab …args` in-process (cli/main.ts) in `cwd`: its exit code and what it printed. */
export async function runGiftlab(
  args: string[],
  cwd = process.cwd(),
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; out: string; err: string }> {
  const c = captureIo(cwd, env);
  const code = await main(args, c.io);
  return { code, out: c.out(), err: c.err() };
}
