/** `giftlab serve` as a child process, the way an engineer runs it: `node bin/giftlab.js serve ...`. */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readUsersFile, type UsersFile } from '../../../load/users-file.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface ServeChild {
  child: ChildProcess;
  url: string;
  users: UsersFile;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function startServe(args: string[], usersFile: string): Promise<ServeChild> {
  const child = spawn(
    process.execPath,
    ['bin/giftlab.js', 'serve', '--port', '0', '--users-file', usersFile, ...args],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${output}`)), 30_000);
    const poll = setInterval(() => {
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m !== null && output.includes('users ')) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve(m[1]);
      }
    }, 20);
    void exited.then(() => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`serve exited:\n${output}`));
    });
  });
  const users = readUsersFile(usersFile);
  return { child, url, users, output: () => output, exited };
}
