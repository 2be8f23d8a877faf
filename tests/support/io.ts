/** An `Io` for command tests: stdout and stderr captured, working directory and environment chosen. */
import { Writable } from 'node:stream';
import type { Io } from '../../cli/commands.ts';

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
