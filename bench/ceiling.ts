/**
 * What two cores of this machine give at all, so that a replication speed-up can be read against it:
 * the same probe on one worker thread and on two at once, for work that stays in a core (an integer
 * loop) and for random reads and writes over arrays of a few sizes (the engine's per-viewer state is
 * read at random: 68 MiB for 1,000,000 viewers with agents). On a machine whose cores share a last-level
 * cache, the probes past its size show what memory traffic costs two cores.
 */
import { Worker } from 'node:worker_threads';

/** Runs in the worker: `mib` 0 is the integer loop, else random access over `mib` MiB. Prints nothing. */
const PROBE = `
const { parentPort, workerData } = require('node:worker_threads');
const { mib, steps } = workerData;
let x = 123456789 | 0, s = 0;
const started = performance.now();
if (mib === 0) {
  for (let i = 0; i < steps; i++) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; s = (s + x) | 0; }
} else {
  const a = new Int32Array((mib * 1048576) / 4);
  const n = a.length;
  for (let i = 0; i < steps; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    const j = (x >>> 0) % n;
    s = (s + a[j]) | 0;
    a[j] = i;
  }
}
parentPort.postMessage({ seconds: (performance.now() - started) / 1000, s });
`;

function probe(mib: number, steps: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(PROBE, { eval: true, workerData: { mib, steps } });
    worker.once('message', (m: { seconds: number }) => {
      void worker.terminate();
      resolve(m.seconds);
    });
    worker.once('error', reject);
  });
}

export interface Ceiling {
  what: string;
  /** Work done by two threads at once over one thread's, per unit of wall time: at most 2. */
  ratio: number;
  oneSeconds: number;
}

/** The probes, each alone and two at once: two threads' throughput over one's. */
export async function twoCoreCeiling(quick: boolean): Promise<Ceiling[]> {
  const scale = quick ? 0.25 : 1;
  const cases: { what: string; mib: number; steps: number }[] = [
    { what: 'integer loop (no memory)', mib: 0, steps: 4e8 * scale },
    { what: 'random access over 4 MiB', mib: 4, steps: 1e8 * scale },
    { what: 'random access over 16 MiB', mib: 16, steps: 5e7 * scale },
    { what: 'random access over 64 MiB', mib: 64, steps: 3e7 * scale },
  ];
  const out: Ceiling[] = [];
  for (const c of cases) {
    const one = await probe(c.mib, c.steps);
    // Each thread times its own loop (start-up left out), and the pair is as slow as its slower one.
    const two = Math.max(...(await Promise.all([probe(c.mib, c.steps), probe(c.mib, c.steps)])));
    out.push({ what: c.what, ratio: (2 * one) / two, oneSeconds: one });
  }
  return out;
}
