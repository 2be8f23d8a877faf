/** What the suites that start servers share (`k6.bench.ts`, `target.bench.ts`), and the median the suites take; not a suite itself. */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Starts a child that prints `listening on URL` (`giftlab serve` also its users line, once they are
 * seeded); resolves with the URL and the child's pid. `children` gets it, for the suite to kill.
 */
export function startListening(
  command: string,
  args: string[],
  children: ChildProcess[],
  name = args.join(' '),
): Promise<{ url: string; pid: number }> {
  const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m !== null && (out.includes('users ') || !args.includes('serve')))
        resolve({ url: m[1], pid: child.pid ?? 0 });
    });
    child.once('exit', (code) => reject(new Error(`${name} exited ${code}:\n${out}`)));
  });
}

export function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
